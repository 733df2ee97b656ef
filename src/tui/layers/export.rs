//! The county export screen: what would go, writing a bundle off the UI thread, the history.

use super::*;
use crate::i18n;
use crate::tui::screens::export::{ExportEvent, ExportState};

/// The export screen, counted, as the screen above the home screen.
pub fn open(desk: &mut Desk) {
    desk.base(ExportState::open(&desk.store));
}

impl ExportState {
    /// Whether an export job is running.
    pub fn running(&self) -> bool {
        self.job.is_some()
    }

    /// Stops the running export (nothing when none runs).
    pub fn stop(&self) {
        if let Some(stop) = &self.stop {
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// Takes in what the export job has said since the last call.
    pub fn poll(&mut self, store: &Store) {
        let Some(job) = &self.job else {
            return;
        };
        let mut finished = false;
        while let Ok(event) = job.try_recv() {
            match event {
                ExportEvent::Progress(p) => self.progress = Some(p),
                ExportEvent::Done(message, ok) => {
                    self.progress = None;
                    self.outcome = Some((message, ok));
                    finished = true;
                }
            }
        }
        if finished {
            self.job = None;
            self.stop = None;
            self.refresh(store);
        }
    }

    /// Starts the export, asking first when nothing changed since the last bundle: an empty
    /// bundle is rarely meant, and it uses up a number of the station's sequence.
    fn start(&mut self, desk: &mut Desk) -> Step {
        let options = crate::bundle::ExportOptions {
            all: self.all,
            plaintext: self.plaintext,
            allow_empty: false,
        };
        if !self.showing_history
            && crate::bundle::pending_total(&desk.store, options).is_ok_and(|n| n == 0)
        {
            return Step::Confirm(Pending::ExportEmpty, crate::tr!("export.ask_empty"));
        }
        self.run(desk, false);
        Step::Stay
    }

    /// Runs the export (or writes a past bundle again) on its own connection, off the UI
    /// thread; `poll` takes in its progress and outcome.
    fn run(&mut self, desk: &Desk, allow_empty: bool) {
        let Some(target) = self.target().cloned() else {
            self.outcome = Some((crate::tr!("export.no_drives"), false));
            return;
        };
        let again = if self.showing_history {
            match self.history.get(self.history_selected) {
                Some(b) => Some(b.file_name.clone()),
                None => return,
            }
        } else {
            None
        };
        let options = crate::bundle::ExportOptions {
            all: self.all,
            plaintext: self.plaintext,
            allow_empty,
        };
        let path = desk.store.path().to_path_buf();
        let unlock = desk.store.unlock();
        let actor = desk.store.actor().to_string();
        let language = i18n::current_language();
        let (sender, job) = std::sync::mpsc::channel();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        self.stop = Some(stop.clone());
        self.outcome = None;
        self.progress = Some(0.0);
        self.job = Some(job);
        std::thread::spawn(move || {
            i18n::set_thread_language(language);
            let result = Store::open(&path, &unlock)
                .map_err(crate::bundle::BundleError::from)
                .and_then(|mut store| {
                    store.set_actor(&actor);
                    store.set_stop_flag(stop);
                    match &again {
                        Some(name) => {
                            crate::bundle::write_again(&store, name, &target).map(|written| {
                                crate::tr!("export.written_again", path = written.display())
                            })
                        }
                        None => {
                            let progress_sender = sender.clone();
                            crate::bundle::export_with_progress(
                                &mut store,
                                &target,
                                options,
                                &mut |p| {
                                    let _ = progress_sender.send(ExportEvent::Progress(p));
                                },
                            )
                            .map(|outcome| crate::messages::exported(&outcome))
                        }
                    }
                });
            let event = match result {
                Ok(message) => ExportEvent::Done(message, true),
                Err(e) => ExportEvent::Done(crate::messages::bundle_error(&e), false),
            };
            let _ = sender.send(event);
        });
    }
}

impl Layer for ExportState {
    fn context(&self) -> KeyContext {
        KeyContext::Export
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        match action {
            Action::Up => self.up(),
            Action::Down => self.down(),
            Action::Back if !self.running() => {
                if self.showing_history {
                    self.showing_history = false;
                } else {
                    return Step::Close;
                }
            }
            Action::ToggleAll => {
                self.all = !self.all;
                self.refresh(&desk.store);
            }
            Action::TogglePlaintext => self.plaintext = !self.plaintext,
            Action::ToggleHistory => self.showing_history = !self.showing_history,
            Action::Choose if !self.running() => return self.start(desk),
            Action::StopExport if self.running() => {
                return Step::Confirm(Pending::StopExport, crate::tr!("export.ask_stop"))
            }
            Action::StopExport => desk.say(crate::tr!("export.not_running")),
            _ => {}
        }
        Step::Stay
    }

    fn answer(&mut self, pending: Pending, answer: Answer, desk: &mut Desk) -> Step {
        match (pending, yes(answer)) {
            (Pending::ExportEmpty, true) => self.run(desk, true),
            (Pending::StopExport, true) => self.stop(),
            _ => {}
        }
        Step::Stay
    }

    /// Every record changed is one more to go.
    fn refresh(
        &mut self,
        _kind: crate::domain::RecordKind,
        _id: Option<uuid::Uuid>,
        desk: &mut Desk,
    ) {
        if !self.running() {
            self.refresh(&desk.store);
        }
    }

    fn tick(&mut self, desk: &mut Desk) {
        self.poll(&desk.store);
    }

    fn is_busy(&self) -> bool {
        self.running()
    }

    fn is_base(&self) -> bool {
        true
    }

    fn draw(&self, _desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("export.title"), title, buf);
        self.render(inset(body), buf);
        None
    }
}
