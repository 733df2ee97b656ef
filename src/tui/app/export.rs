//! The county export screen: what would go, writing a bundle off the UI thread, the history.

use super::*;

impl App {
    /// Takes in what the export job has said since the last call.
    pub fn poll_export(&mut self) {
        let Some(job) = &self.export_job else {
            return;
        };
        let mut finished = false;
        while let Ok(event) = job.try_recv() {
            match event {
                ExportEvent::Progress(p) => self.export.progress = Some(p),
                ExportEvent::Done(message, ok) => {
                    self.export.progress = None;
                    self.export.outcome = Some((message, ok));
                    finished = true;
                }
            }
        }
        if finished {
            self.export_job = None;
            self.export.refresh(&self.store);
        }
    }

    /// Whether an export job is running.
    pub fn exporting(&self) -> bool {
        self.export_job.is_some()
    }

    pub(super) fn update_export(&mut self, action: Action) {
        match action {
            Action::Up => self.export.up(),
            Action::Down => self.export.down(),
            Action::Back if !self.exporting() => {
                if self.export.showing_history {
                    self.export.showing_history = false;
                } else {
                    self.screen = Screen::Home;
                    self.refresh_counts();
                }
            }
            Action::ToggleAll => {
                self.export.all = !self.export.all;
                self.export.refresh(&self.store);
            }
            Action::TogglePlaintext => self.export.plaintext = !self.export.plaintext,
            Action::ToggleHistory => self.export.showing_history = !self.export.showing_history,
            Action::Choose if !self.exporting() => self.start_export(),
            _ => {}
        }
    }

    /// Starts the export, asking first when nothing changed since the last bundle: an empty
    /// bundle is rarely meant, and it uses up a number of the station's sequence.
    pub(super) fn start_export(&mut self) {
        let options = crate::bundle::ExportOptions {
            all: self.export.all,
            plaintext: self.export.plaintext,
            allow_empty: false,
        };
        if !self.export.showing_history
            && crate::bundle::pending_total(&self.store, options).is_ok_and(|n| n == 0)
        {
            self.popup(Overlay::Confirm(
                Pending::ExportEmpty,
                crate::tr!("export.ask_empty"),
            ));
            return;
        }
        self.run_export(false);
    }

    /// Runs the export (or writes a past bundle again) on its own connection, off the UI
    /// thread; `poll_export` takes in its progress and outcome.
    pub(super) fn run_export(&mut self, allow_empty: bool) {
        let Some(target) = self.export.target().cloned() else {
            self.export.outcome = Some((crate::tr!("export.no_drives"), false));
            return;
        };
        let again = if self.export.showing_history {
            match self.export.history.get(self.export.history_selected) {
                Some(b) => Some(b.file_name.clone()),
                None => return,
            }
        } else {
            None
        };
        let options = crate::bundle::ExportOptions {
            all: self.export.all,
            plaintext: self.export.plaintext,
            allow_empty,
        };
        let path = self.store.path().to_path_buf();
        let actor = self.store.actor().to_string();
        let language = i18n::current_language();
        let (sender, job) = std::sync::mpsc::channel();
        self.export.outcome = None;
        self.export.progress = Some(0.0);
        self.export_job = Some(job);
        std::thread::spawn(move || {
            i18n::set_thread_language(language);
            let result = Store::open(&path)
                .map_err(crate::bundle::BundleError::from)
                .and_then(|mut store| {
                    store.set_actor(&actor);
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
