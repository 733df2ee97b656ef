//! The station passphrase, asked full-screen before the desk opens: to open the encrypted
//! station file, or — on the first run — to set one, with a proposal of four pinyin words a
//! person can write down and type.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::domain::passphrase::weakness;
use crate::store::{Passphrase, Slots, StoreError, Unlock};
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::theme;
use crate::tui::widgets::single_line::SingleLine;

/// What the screen asks for.
pub enum UnlockMode {
    /// The passphrase of the station file whose slots these are.
    Open(Box<Slots>),
    /// A new station's passphrase: the proposal shown, typed twice.
    New { proposal: String },
}

/// Where a key left the screen.
pub enum UnlockStep {
    Stay,
    /// The file opens with this (the key itself, once a passphrase unwrapped it).
    Done(Unlock),
    Quit,
}

pub struct UnlockScreen {
    pub mode: UnlockMode,
    pub first: SingleLine,
    pub second: SingleLine,
    /// 0: the passphrase; 1: it again (a new one only).
    pub focus: usize,
    /// The last problem, said on the screen.
    pub message: Option<String>,
    pub help: bool,
}

impl UnlockScreen {
    pub fn open(slots: Slots) -> UnlockScreen {
        UnlockScreen::with(UnlockMode::Open(Box::new(slots)))
    }

    pub fn new_station() -> UnlockScreen {
        UnlockScreen::with(UnlockMode::New {
            proposal: crate::store::generate_passphrase(),
        })
    }

    fn with(mode: UnlockMode) -> UnlockScreen {
        UnlockScreen {
            mode,
            first: SingleLine::masked(),
            second: SingleLine::masked(),
            focus: 0,
            message: None,
            help: false,
        }
    }

    pub fn context(&self) -> KeyContext {
        match (&self.mode, self.help) {
            (_, true) => KeyContext::Help,
            (UnlockMode::Open(_), false) => KeyContext::Unlock,
            (UnlockMode::New { .. }, false) => KeyContext::NewPassphrase,
        }
    }

    pub fn update(&mut self, action: Action) -> UnlockStep {
        if self.help {
            if matches!(action, Action::Back) {
                self.help = false;
            }
            return UnlockStep::Stay;
        }
        match action {
            Action::Help => self.help = true,
            Action::Quit | Action::Back => return UnlockStep::Quit,
            Action::Input(key) => {
                self.message = None;
                self.focused().input(key);
            }
            Action::Paste(text) => {
                self.focused().paste(&text);
            }
            Action::NextField | Action::PrevField if self.is_new() => {
                self.focus = 1 - self.focus;
            }
            Action::Generate => {
                if let UnlockMode::New { proposal } = &mut self.mode {
                    *proposal = crate::store::generate_passphrase();
                }
            }
            Action::Choose => return self.choose(),
            _ => {}
        }
        UnlockStep::Stay
    }

    fn is_new(&self) -> bool {
        matches!(self.mode, UnlockMode::New { .. })
    }

    fn focused(&mut self) -> &mut SingleLine {
        if self.focus == 0 {
            &mut self.first
        } else {
            &mut self.second
        }
    }

    fn choose(&mut self) -> UnlockStep {
        let typed = Passphrase::new(&self.first.value());
        match &self.mode {
            UnlockMode::Open(slots) => match slots.unlock(&Unlock::Passphrase(typed)) {
                Ok(key) => UnlockStep::Done(Unlock::Key(key)),
                Err(e) => {
                    self.message = Some(crate::messages::store_error(&e));
                    self.first.clear();
                    UnlockStep::Stay
                }
            },
            UnlockMode::New { .. } => {
                if let Some(weak) = weakness(typed.as_str()) {
                    self.message = Some(crate::messages::store_error(&StoreError::WeakPassphrase(
                        weak,
                    )));
                    self.focus = 0;
                    return UnlockStep::Stay;
                }
                if self.focus == 0 {
                    self.focus = 1;
                    return UnlockStep::Stay;
                }
                if Passphrase::new(&self.second.value()).as_str() != typed.as_str() {
                    self.message = Some(crate::tr!("unlock.mismatch"));
                    self.second.clear();
                    return UnlockStep::Stay;
                }
                UnlockStep::Done(Unlock::Passphrase(typed))
            }
        }
    }

    /// Draws the whole screen: the question, and the key bar on the last row.
    pub fn draw(&self, frame: &mut ratatui::Frame) {
        let area = frame.area();
        let body = Rect {
            height: area.height.saturating_sub(1),
            ..area
        };
        let bar = Rect {
            y: area.bottom().saturating_sub(1),
            height: area.height.min(1),
            ..area
        };
        let caret = self.render(body, frame.buffer_mut());
        crate::tui::widgets::keybar::render(self.context(), bar, frame.buffer_mut());
        if let Some(caret) = caret {
            frame.set_cursor_position(caret);
        }
    }

    /// Draws the screen into `area` (without the key bar); returns the caret.
    fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let mut lines = vec![
            Line::styled(crate::tr!("unlock.title"), theme::title()),
            Line::raw(""),
        ];
        match &self.mode {
            UnlockMode::Open(slots) => {
                lines.push(Line::raw(crate::tr!("unlock.ask")));
                if slots.one_time() {
                    lines.push(Line::styled(crate::tr!("unlock.one_time"), theme::hint()));
                }
            }
            UnlockMode::New { proposal } => {
                lines.push(Line::raw(crate::tr!("unlock.new")));
                lines.push(Line::raw(""));
                lines.push(Line::styled(proposal.clone(), theme::focus_label()));
                lines.push(Line::raw(""));
                lines.push(Line::styled(crate::tr!("unlock.new_hint"), theme::hint()));
            }
        }
        lines.push(Line::raw(""));
        // Long sentences wrap by words within a readable width, centred; the rows they take
        // are at most those of a wrap by characters and one more for each sentence.
        let text_width = area.width.saturating_sub(4).clamp(10, 72);
        let sentences = lines.len() as u16;
        let rows = crate::tui::widgets::wrapped::wrap_lines(lines.clone(), text_width).len() as u16;
        let height = (rows + sentences / 2).min(area.height.saturating_sub(2));
        let labels_at = area.y + 2 + height;
        let text_left = area.x + area.width.saturating_sub(text_width) / 2;
        crate::tui::widgets::wrapped::paragraph(lines, text_width)
            .alignment(Alignment::Center)
            .render(Rect::new(text_left, area.y + 2, text_width, height), buf);
        let width = area.width.clamp(10, 44);
        let left = area.x + area.width.saturating_sub(width) / 2;
        let mut caret = None;
        let fields: &[(&SingleLine, String)] = if self.is_new() {
            &[
                (&self.first, crate::tr!("unlock.passphrase")),
                (&self.second, crate::tr!("unlock.again")),
            ]
        } else {
            &[(&self.first, crate::tr!("unlock.passphrase"))]
        };
        let mut y = labels_at;
        for (i, (field, label)) in fields.iter().enumerate() {
            if y + 1 >= area.bottom() {
                break;
            }
            Line::styled(label.clone(), theme::focus_label())
                .render(Rect::new(left, y, width, 1), buf);
            let at = field.render(Rect::new(left, y + 1, width, 1), buf, i == self.focus);
            if i == self.focus {
                caret = at;
            }
            y += 3;
        }
        if let Some(message) = &self.message {
            if y < area.bottom() {
                crate::tui::widgets::wrapped::paragraph(
                    vec![Line::styled(message.clone(), theme::error())],
                    area.width,
                )
                .alignment(Alignment::Center)
                .render(
                    Rect::new(area.x, y, area.width, area.bottom().saturating_sub(y)),
                    buf,
                );
            }
        }
        if self.help {
            crate::tui::widgets::popup::render_help(self.help_context(), area, buf);
            return None;
        }
        caret
    }

    fn help_context(&self) -> KeyContext {
        if self.is_new() {
            KeyContext::NewPassphrase
        } else {
            KeyContext::Unlock
        }
    }
}
