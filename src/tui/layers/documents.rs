//! Written documents: the popup after writing one, the documents screen, opening and printing
//! with the system's programs, and the visitor register.

use std::path::{Path, PathBuf};

use super::*;
use crate::store::IntakeFilter;
use crate::tui::screens::documents::{
    month_of, DocumentReady, DocumentsList, RegisterForm, RegisterRequest,
};

/// Says where the documents are and offers to open or print the first.
pub fn written(desk: &mut Desk, paths: Vec<PathBuf>) {
    let Some(first) = paths.first() else { return };
    desk.say(crate::tr!(
        "documents.written",
        path = crate::text::sanitize(&first.display().to_string())
    ));
    desk.show(DocumentReady::new(paths));
}

/// The documents screen, with `path` selected when given.
pub fn open_list(desk: &mut Desk, path: Option<&Path>) {
    let mut list = DocumentsList::load(&desk.documents_dir());
    if let Some(path) = path {
        list = list.select(path);
    }
    desk.show(list);
}

/// Opens `path` with the system's program; what happened, as a sentence.
fn launch(desk: &mut Desk, path: &Path, print: bool) -> (String, bool) {
    let name = path
        .file_name()
        .map(|n| crate::text::sanitize(&n.to_string_lossy()).into_owned())
        .unwrap_or_default();
    let outcome = if print {
        desk.launcher.print(path)
    } else {
        desk.launcher.open(path)
    };
    let said = match outcome {
        Ok(()) if print => (crate::tr!("documents.printed", name = name), false),
        Ok(()) => (crate::tr!("documents.opened", name = name), false),
        Err(e) => (crate::messages::launch_error(&e), true),
    };
    let (text, error) = said.clone();
    desk.emit(crate::tui::layer::Effect::Message(
        crate::tui::layer::Message { text, error },
    ));
    said
}

/// The register's form: the list's dates when it is filtered by date, else this month.
pub fn register_form(desk: &Desk, filter: &IntakeFilter) -> RegisterForm {
    let today = desk.today();
    let (first, last) = month_of(today);
    let from = filter.from.unwrap_or(first);
    let to = filter
        .to
        .unwrap_or(if filter.from.is_some() { today } else { last });
    RegisterForm::new(from, to)
}

/// Writes the visitor register as .docx and .xlsx.
fn write_register(desk: &mut Desk, request: RegisterRequest) {
    let Some(station) = desk.station.clone() else {
        return;
    };
    let listings = match desk.store.register_visits(request.from, request.to) {
        Ok(rows) => rows,
        Err(e) => return desk.fail(&e),
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
    let dir = desk.documents_dir();
    match crate::documents::register::write_register(&visits, &context, &dir) {
        Ok(paths) => written(desk, paths.to_vec()),
        Err(e) => desk.document_failed(&e),
    }
}

impl Layer for DocumentsList {
    fn context(&self) -> KeyContext {
        KeyContext::Documents
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        if let Some(rows) = action.list_step(page_rows(desk, 4)) {
            self.move_by(rows);
            return Step::Stay;
        }
        match action {
            Action::Back => return Step::Close,
            Action::OpenFile | Action::PrintFile => match self.chosen().cloned() {
                Some(entry) => {
                    launch(desk, &entry.path, action == Action::PrintFile);
                }
                None => desk.say(crate::tr!("documents.none")),
            },
            _ => {}
        }
        Step::Stay
    }

    fn draw(&self, _desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("documents.title"), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl Layer for DocumentReady {
    fn context(&self) -> KeyContext {
        KeyContext::DocumentReady
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        let Some(first) = self.paths.first().cloned() else {
            return Step::Close;
        };
        match action {
            Action::Back => return Step::Close,
            Action::OpenFile | Action::PrintFile => {
                let said = launch(desk, &first, action == Action::PrintFile);
                self.outcome = Some(said);
            }
            Action::OpenDocuments => {
                open_list(desk, Some(&first));
                return Step::Close;
            }
            _ => {}
        }
        Step::Stay
    }

    fn draw(&self, _desk: &Desk, _title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        self.render(body, buf);
        None
    }

    fn is_popup(&self) -> bool {
        true
    }
}

impl DeskForm for RegisterForm {
    fn title(&self) -> String {
        crate::tr!("register.title")
    }

    fn after_save(&self, request: RegisterRequest, desk: &mut Desk) {
        write_register(desk, request);
    }
}
