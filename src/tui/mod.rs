//! The terminal UI: key events → the key map → actions → `update` → state; `view` draws.

pub mod action;
pub mod app;
pub mod county;
pub mod keymap;
pub mod layer;
pub mod layers;
pub mod screens;
pub mod theme;
pub mod view;
pub mod widgets;

use std::io;
use std::time::Duration;

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind};
use crossterm::execute;

use crate::i18n::Language;
use crate::store::{Store, StoreError};
use action::Action;
use app::App;

/// Gives the terminal back on every way out: normal return, error, or panic.
pub(crate) struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("terminal: {0}")]
    Terminal(#[from] io::Error),
}

/// Asks for the station passphrase full-screen (`screen` says whether to open a file or set a
/// new passphrase) before the desk starts; `None` when the person quits instead.
pub fn ask_passphrase(
    mut screen: screens::unlock::UnlockScreen,
) -> Result<Option<crate::store::Unlock>, TuiError> {
    use screens::unlock::UnlockStep;
    let mut terminal = ratatui::try_init()?;
    let _guard = TerminalGuard;
    execute!(io::stdout(), EnableBracketedPaste)?;
    loop {
        terminal.draw(|frame| screen.draw(frame))?;
        let action = match event::read()? {
            Event::Key(key) if key.kind == KeyEventKind::Press => {
                keymap::action_for(screen.context(), key)
            }
            Event::Paste(text) => Some(Action::Paste(text)),
            _ => None,
        };
        let Some(action) = action else {
            continue;
        };
        match screen.update(action) {
            UnlockStep::Stay => {}
            UnlockStep::Done(unlock) => return Ok(Some(unlock)),
            UnlockStep::Quit => return Ok(None),
        }
    }
}

/// Runs the desk until the user quits. The daily backup runs on its own connection off the UI
/// thread, so a big database does not delay the start.
pub fn run(store: Store, language: Option<Language>) -> Result<(), TuiError> {
    let path = store.path().to_path_buf();
    let unlock = store.unlock();
    let one_time = store.slots().one_time();
    let initialised = store.station()?.is_some();
    // A bundle's partial file that a power cut left in the archive folder goes (one that
    // another desk on this database is writing now is too young to be stale).
    crate::store::remove_stale_partials(&crate::bundle::archive_dir(&store));
    let mut app = App::new(store, crate::clock::now(), language)?;
    // Opened with a county recovery's one-time passphrase: a new one is set in the settings.
    if one_time {
        app.desk.say(crate::tr!("unlock.one_time"));
    }
    // The daily backup's connection can be stopped, and its end is heard, so that quitting
    // during it cancels it cleanly instead of leaving half a copy.
    let (handles, backup_handle) = std::sync::mpsc::channel::<crate::store::Interrupt>();
    let (finished, backup_done) = std::sync::mpsc::channel::<()>();
    if initialised {
        let (sender, notices) = std::sync::mpsc::channel();
        app.attach_notices(notices);
        let language = crate::i18n::current_language();
        std::thread::spawn(move || {
            crate::i18n::set_thread_language(language);
            let outcome = Store::open(&path, &unlock).and_then(|backup_store| {
                let _ = handles.send(backup_store.interrupt_handle());
                crate::store::auto_backup(&backup_store, chrono::Local::now())
            });
            let _ = finished.send(());
            let message = match outcome {
                Ok(Some(made)) => layer::Message {
                    text: crate::tr!("backup.made", path = made.display()),
                    error: false,
                },
                Ok(None) => return,
                Err(err) => layer::Message {
                    text: crate::tr!(
                        "cli.backup_failed",
                        message = crate::messages::store_error(&err)
                    ),
                    error: true,
                },
            };
            let _ = sender.send(message);
        });
    }
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableBracketedPaste);
        ratatui::restore();
        hook(info);
    }));
    let mut terminal = ratatui::try_init()?;
    let _guard = TerminalGuard;
    execute!(io::stdout(), EnableBracketedPaste)?;
    let size = terminal.size()?;
    app.resize(size.width, size.height);
    while !app.quit {
        terminal.draw(|frame| view::draw(frame, &app))?;
        if event::poll(Duration::from_millis(500))? {
            // What arrived together (an input method's committed phrase, fast typing, a paste
            // without bracketed paste) is taken in before the next draw, so a long text typed
            // in one go does not wait for a redraw per character.
            let started = std::time::Instant::now();
            loop {
                handle_event(&mut app, event::read()?);
                if app.quit
                    || started.elapsed() > Duration::from_millis(50)
                    || !event::poll(Duration::ZERO)?
                {
                    break;
                }
            }
        }
        app.tick(crate::clock::now());
        app.poll_notices();
        app.poll_export();
    }
    // A backup still running is stopped: its copy is removed, and the next start makes one.
    if let Ok(handle) = backup_handle.try_recv() {
        if backup_done.try_recv().is_err() {
            handle.interrupt();
            let _ = backup_done.recv_timeout(Duration::from_secs(3));
        }
    }
    Ok(())
}

fn handle_event(app: &mut App, event: Event) {
    match event {
        // Windows reports releases too: only presses count.
        Event::Key(key) if key.kind == KeyEventKind::Press => app.handle_key(key),
        Event::Paste(text) => {
            app.last_input = app.desk.now;
            app.update(Action::Paste(text));
        }
        Event::Resize(width, height) => app.resize(width, height),
        _ => {}
    }
}
