//! Written documents: the popup after writing one, the documents screen, opening and printing
//! with the system's programs, and writing the agreement and the visitor register.

use std::path::{Path, PathBuf};

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::*;
use crate::documents::{DocumentError, SigningDate};
use crate::tui::layer::{Layer, Step};
use crate::tui::screens::documents::{
    month_of, DocumentReady, DocumentsList, RegisterForm, RegisterRequest,
};
use crate::tui::view::{draw_title, inset};

impl App {
    /// Where this desk's documents go.
    pub fn documents_dir(&self) -> PathBuf {
        crate::documents::documents_dir(self.store.path())
    }

    /// Says where the documents are and offers to open or print the first.
    /// A document could not be written: the message line says why.
    pub(super) fn document_failed(&mut self, e: &crate::documents::DocumentError) {
        self.message = Some(Message {
            text: crate::messages::document_error(e),
            error: true,
        });
    }

    pub(super) fn document_written(&mut self, paths: Vec<PathBuf>) {
        let Some(first) = paths.first() else { return };
        self.say(crate::tr!(
            "documents.written",
            path = crate::text::sanitize(&first.display().to_string())
        ));
        self.popup_layer(DocumentReady::new(paths));
    }

    fn popup_layer(&mut self, layer: impl Layer + 'static) {
        self.stack.push(Box::new(layer));
    }

    /// The documents screen, with `path` selected when given.
    pub(super) fn open_documents(&mut self, path: Option<&Path>) {
        let mut list = DocumentsList::load(&self.documents_dir());
        if let Some(path) = path {
            list = list.select(path);
        }
        self.show(list);
    }

    /// Opens `path` with the system's program; what happened, as a sentence.
    fn launch(&mut self, path: &Path, print: bool) -> (String, bool) {
        let name = path
            .file_name()
            .map(|n| crate::text::sanitize(&n.to_string_lossy()).into_owned())
            .unwrap_or_default();
        let outcome = if print {
            self.launcher.print(path)
        } else {
            self.launcher.open(path)
        };
        match outcome {
            Ok(()) if print => (crate::tr!("documents.printed", name = name), false),
            Ok(()) => (crate::tr!("documents.opened", name = name), false),
            Err(e) => (crate::messages::launch_error(&e), true),
        }
    }

    fn report(&mut self, (text, error): (String, bool)) {
        self.message = Some(Message { text, error });
    }

    /// Asks how the agreement's date is written, once the case has an agreement.
    pub(super) fn ask_agreement_date(&mut self, case: &MediationCase) -> Step {
        let Some(crate::domain::case::Outcome::Success { .. }) = &case.outcome else {
            self.message = Some(Message {
                text: crate::messages::document_error(&DocumentError::NoAgreement),
                error: true,
            });
            return Step::Stay;
        };
        let date = case
            .concluded_on
            .map(crate::documents::chinese_date)
            .unwrap_or_default();
        Step::Confirm(
            Pending::AgreementDate(case.meta.id),
            crate::tr!("cases.agreement_date", date = date),
        )
    }

    /// Writes the agreement of case `id` into the documents folder.
    pub(super) fn write_agreement(&mut self, id: Uuid, date: SigningDate) {
        let Some(station) = self.station.clone() else {
            return;
        };
        let loaded = self.store.get::<MediationCase>(id).and_then(|case| {
            let case = case.ok_or(StoreError::NotFound {
                kind: RecordKind::Case,
                id: id.to_string(),
            })?;
            let mediators = self.store.member_names(&case.fields.mediators)?;
            let committee = self.store.mediation_committee()?;
            Ok((case, mediators, committee))
        });
        let (case, mediators, committee) = match loaded {
            Ok(loaded) => loaded,
            Err(e) => return self.fail(&e),
        };
        let context = crate::documents::AgreementContext {
            station: &station,
            mediators: &mediators,
            committee: &committee,
            date,
        };
        match crate::documents::write_agreement(&case, &context, &self.documents_dir()) {
            Ok(path) => {
                self.document_written(vec![path]);
                if committee.is_empty() {
                    self.say(crate::tr!("cases.agreement_no_committee"));
                }
            }
            Err(e) => self.document_failed(&e),
        }
    }

    /// The register's form: the list's dates when it is filtered by date, else this month.
    pub(super) fn open_register_form(&mut self) {
        let (first, last) = month_of(self.today());
        let filter = &self.intakes.filter;
        let from = filter.from.unwrap_or(first);
        let to = filter.to.unwrap_or(if filter.from.is_some() {
            self.today()
        } else {
            last
        });
        self.show(RegisterForm::new(from, to));
    }

    /// Writes the visitor register as .docx and .xlsx.
    pub(super) fn write_register(&mut self, request: RegisterRequest) {
        let Some(station) = self.station.clone() else {
            return;
        };
        let listings = match self.store.register_visits(request.from, request.to) {
            Ok(rows) => rows,
            Err(e) => return self.fail(&e),
        };
        let visits: Vec<crate::documents::register::RegisterVisit<'_>> = listings
            .iter()
            .map(|l| crate::documents::register::RegisterVisit {
                intake: &l.intake,
                member: l.member_name.as_deref(),
            })
            .collect();
        let context = crate::documents::register::RegisterContext {
            station: &station,
            from: request.from,
            to: request.to,
            contact: request.contact,
        };
        match crate::documents::register::write_register(&visits, &context, &self.documents_dir()) {
            Ok(paths) => self.document_written(paths.to_vec()),
            Err(e) => self.document_failed(&e),
        }
    }
}

impl Layer for DocumentsList {
    fn context(&self, _app: &App) -> KeyContext {
        KeyContext::Documents
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        let page = i64::from(app.size.1.saturating_sub(SHELL_ROWS + 4)).max(1);
        if let Some(rows) = action.list_step(page) {
            self.move_by(rows);
            return Step::Stay;
        }
        match action {
            Action::Back => return Step::Close,
            Action::OpenFile | Action::PrintFile => {
                if let Some(entry) = self.chosen().cloned() {
                    let said = app.launch(&entry.path, action == Action::PrintFile);
                    app.report(said);
                } else {
                    app.say(crate::tr!("documents.none"));
                }
            }
            _ => {}
        }
        Step::Stay
    }

    fn draw(&self, _app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("documents.title"), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl Layer for DocumentReady {
    fn context(&self, _app: &App) -> KeyContext {
        KeyContext::DocumentReady
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        let Some(first) = self.paths.first().cloned() else {
            return Step::Close;
        };
        match action {
            Action::Back => return Step::Close,
            Action::OpenFile | Action::PrintFile => {
                let said = app.launch(&first, action == Action::PrintFile);
                app.report(said.clone());
                self.outcome = Some(said);
            }
            Action::OpenDocuments => {
                app.open_documents(Some(&first));
                return Step::Close;
            }
            _ => {}
        }
        Step::Stay
    }

    fn draw(&self, _app: &App, _title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        self.render(body, buf);
        None
    }

    fn is_popup(&self) -> bool {
        true
    }
}

impl DeskForm for RegisterForm {
    fn title(&self, _app: &App) -> String {
        crate::tr!("register.title")
    }

    fn after_save(&self, request: RegisterRequest, app: &mut App) {
        app.write_register(request);
    }
}
