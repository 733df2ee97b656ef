//! The county office's desk (`stationdesk county desk`): the stations at a glance, a
//! station's figures, members and bundles, the members across the county, search across
//! every station's records, and importing a stick's bundles. The same shell pieces as the
//! station's desk: every screen a [`Layer`] (on [`CountyDesk`]), one key map, the key bar,
//! F1 help, the languages and the smallest size.

mod screens;
mod view;

use std::io;
use std::time::Duration;

use chrono::{DateTime, Local};
use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind};
use crossterm::execute;

use super::action::Action;
use super::keymap::{self, KeyContext};
use super::layer::{Layer, Message, Step};
use crate::bundle::{BundleError, CountyDb, Identity};

pub use screens::{
    Hot, Import, MemberRecord, Members, Record, Requests, Search, StationDetail, Stations, Topics,
};
pub use view::draw;

/// The county desk as a layer sees it: the county's records, the identity that opens the
/// bundles, the clock, the window's size, and the effects of the last action.
pub struct CountyDesk {
    pub db: CountyDb,
    /// The county's identities, to open bundles (none: importing says so).
    pub identities: Vec<Identity>,
    pub now: DateTime<Local>,
    pub size: (u16, u16),
    effects: Vec<CountyEffect>,
}

/// One consequence of an action, carried out by the shell after it.
pub enum CountyEffect {
    Message(Message),
    /// Bundles were imported: every screen reads its figures again.
    Imported,
}

impl CountyDesk {
    pub fn new(db: CountyDb, identities: Vec<Identity>, now: DateTime<Local>) -> CountyDesk {
        CountyDesk {
            db,
            identities,
            now,
            size: (80, 24),
            effects: Vec::new(),
        }
    }

    pub fn say(&mut self, text: String) {
        self.effects
            .push(CountyEffect::Message(Message { text, error: false }));
    }

    pub fn error(&mut self, text: String) {
        self.effects
            .push(CountyEffect::Message(Message { text, error: true }));
    }

    /// A read failed: the message line says why.
    pub fn fail(&mut self, e: &BundleError) {
        self.error(crate::messages::bundle_error(e));
    }

    pub fn imported(&mut self) {
        self.effects.push(CountyEffect::Imported);
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.now.date_naive()
    }

    /// Rows of the body, for a list that pages.
    pub fn body_rows(&self) -> u16 {
        self.size.1.saturating_sub(super::layer::SHELL_ROWS)
    }
}

/// Help for the screen beneath.
struct Help(KeyContext);

impl Layer<CountyDesk> for Help {
    fn context(&self) -> KeyContext {
        KeyContext::Help
    }
    fn update(&mut self, action: Action, _desk: &mut CountyDesk) -> Step<CountyDesk> {
        match action {
            Action::Back | Action::Help => Step::Close,
            _ => Step::Stay,
        }
    }
    fn draw(
        &self,
        _desk: &CountyDesk,
        _title: ratatui::layout::Rect,
        body: ratatui::layout::Rect,
        buf: &mut ratatui::buffer::Buffer,
    ) -> Option<ratatui::layout::Position> {
        super::widgets::popup::render_help(self.0, body, buf);
        None
    }
    fn is_popup(&self) -> bool {
        true
    }
}

/// The county desk: its stack of layers, the stations list at the bottom.
pub struct CountyApp {
    pub desk: CountyDesk,
    stack: Vec<Box<dyn Layer<CountyDesk>>>,
    pub message: Option<Message>,
    pub quit: bool,
}

impl CountyApp {
    pub fn new(desk: CountyDesk) -> CountyApp {
        let mut app = CountyApp {
            desk,
            stack: Vec::new(),
            message: None,
            quit: false,
        };
        let stations = Stations::open(&mut app.desk);
        app.stack.push(Box::new(stations));
        app.carry_out();
        app
    }

    /// Where the keys go now.
    pub fn context(&self) -> KeyContext {
        self.stack
            .last()
            .map(|l| l.context())
            .unwrap_or(KeyContext::CountyStations)
    }

    pub fn handle_key(&mut self, key: crossterm::event::KeyEvent) {
        self.message = None;
        if let Some(action) = keymap::action_for(self.context(), key) {
            self.update(action);
        }
    }

    pub fn update(&mut self, action: Action) {
        let on_help = self.top_is::<Help>();
        match action {
            Action::Help if !on_help => {
                let context = self.context();
                self.stack.push(Box::new(Help(context)));
            }
            // An import under way finishes its bundle first; quitting waits for it.
            Action::Quit if !self.stack.iter().any(|l| l.is_busy()) => self.quit = true,
            action => {
                if let Some(mut top) = self.stack.pop() {
                    match top.update(action, &mut self.desk) {
                        Step::Stay => self.stack.push(top),
                        Step::Close if self.stack.is_empty() => {
                            // The stations list is the bottom: Esc there does nothing.
                            self.stack.push(top);
                        }
                        Step::Close => {
                            if let Some(under) = self.stack.last_mut() {
                                under.revealed(&mut self.desk);
                            }
                        }
                        Step::Push(above) => {
                            self.stack.push(top);
                            self.stack.push(above);
                        }
                        Step::Confirm(..) => self.stack.push(top),
                    }
                }
            }
        }
        self.carry_out();
    }

    /// The clock moved: work that runs on time (an import, one bundle per tick).
    pub fn tick(&mut self, now: DateTime<Local>) {
        self.desk.now = now;
        for layer in self.stack.iter_mut() {
            layer.tick(&mut self.desk);
        }
        self.carry_out();
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.desk.size = (width, height);
        for layer in self.stack.iter_mut() {
            layer.resize(&mut self.desk);
        }
        self.carry_out();
    }

    /// Carries out the effects of the last action.
    fn carry_out(&mut self) {
        for effect in std::mem::take(&mut self.desk.effects) {
            match effect {
                CountyEffect::Message(m) => self.message = Some(m),
                CountyEffect::Imported => {
                    for layer in self.stack.iter_mut() {
                        layer.refresh(crate::domain::RecordKind::Intake, None, &mut self.desk);
                    }
                }
            }
        }
        // What reading again said.
        for effect in std::mem::take(&mut self.desk.effects) {
            if let CountyEffect::Message(m) = effect {
                self.message = Some(m);
            }
        }
    }

    /// The open layers, bottom first.
    pub fn layers(&self) -> impl Iterator<Item = &dyn Layer<CountyDesk>> {
        self.stack.iter().map(|l| l.as_ref())
    }

    /// The top layer of type `L`, if one is open.
    pub fn layer<L: Layer<CountyDesk> + 'static>(&self) -> Option<&L> {
        self.stack
            .iter()
            .rev()
            .find_map(|l| l.as_any().downcast_ref::<L>())
    }

    /// Whether the layer on top is an `L`.
    pub fn top_is<L: Layer<CountyDesk> + 'static>(&self) -> bool {
        self.stack.last().is_some_and(|l| l.as_any().is::<L>())
    }
}

/// Runs the county desk until the clerk quits.
pub fn run(db: CountyDb, identities: Vec<Identity>) -> io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let _guard = super::TerminalGuard;
    execute!(io::stdout(), EnableBracketedPaste)?;
    let size = terminal.size()?;
    let mut app = CountyApp::new(CountyDesk::new(db, identities, Local::now()));
    app.resize(size.width, size.height);
    while !app.quit {
        terminal.draw(|frame| draw(frame, &app))?;
        if event::poll(Duration::from_millis(250))? {
            match event::read()? {
                Event::Key(key) if key.kind == KeyEventKind::Press => app.handle_key(key),
                Event::Paste(text) => app.update(Action::Paste(text)),
                Event::Resize(w, h) => app.resize(w, h),
                _ => {}
            }
        }
        app.tick(Local::now());
    }
    execute!(io::stdout(), DisableBracketedPaste)?;
    Ok(())
}
