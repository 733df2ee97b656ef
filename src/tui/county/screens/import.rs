//! Importing the bundles of a folder (a stick), with the plan of each and its progress.

use std::path::PathBuf;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Gauge, Row, Widget};

use super::super::CountyDesk;
use super::{selected_style, text, Cursor};
use crate::bundle::county_desk::{Plan, Planned};
use crate::bundle::ImportOutcome;
use crate::tr;
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::layer::{Layer, Step};
use crate::tui::theme;
use crate::tui::widgets::frame::{draw_title, inset};
use crate::tui::widgets::list_table::render_table;
use crate::tui::widgets::single_line::SingleLine;

enum ImportPhase {
    /// The folder is being typed.
    Folder,
    /// What importing each bundle will do, waiting for Enter.
    Planned,
    /// Why the station of the bundle at `at` is re-installed under its code, being typed.
    Reason {
        at: usize,
    },
    /// Importing, one bundle per tick; `next` is the one after the last taken.
    Running {
        next: usize,
    },
    Done,
}

/// Importing the bundles of a folder (a stick): what will happen to each, then the import
/// with its progress, then what happened. The same code as `county import`.
pub struct Import {
    folder: SingleLine,
    reason: SingleLine,
    phase: ImportPhase,
    pub plan: Vec<Planned>,
    /// What importing each bundle of the plan said, as it went.
    pub results: Vec<Option<Result<String, String>>>,
    changed: Vec<String>,
    cursor: Cursor,
}

impl Default for Import {
    fn default() -> Self {
        Import::new()
    }
}

impl Import {
    pub fn new() -> Import {
        Import {
            folder: SingleLine::new(),
            reason: SingleLine::new(),
            phase: ImportPhase::Folder,
            plan: Vec::new(),
            results: Vec::new(),
            changed: Vec::new(),
            cursor: Cursor::default(),
        }
    }

    fn look(&mut self, desk: &mut CountyDesk) {
        let folder = PathBuf::from(self.folder.value().trim());
        if desk.identities.is_empty() {
            desk.error(tr!("county_desk.no_identity"));
            return;
        }
        match crate::bundle::county_desk::bundles_in(&folder, &desk.identities) {
            Ok(files) if files.is_empty() => desk.error(tr!(
                "county_desk.no_bundles_in",
                folder = text(&folder.display().to_string())
            )),
            Ok(files) => match desk.db.plan(&files, &desk.identities) {
                Ok(plan) => {
                    self.plan = plan;
                    self.results = vec![None; self.plan.len()];
                    self.phase = ImportPhase::Planned;
                    self.cursor = Cursor::default();
                }
                Err(e) => desk.fail(&e),
            },
            Err(e) => desk.fail(&e),
        }
    }

    fn plan_text(plan: &Plan) -> String {
        match plan {
            Plan::Next => tr!("county_desk.plan_next"),
            Plan::NewStation => tr!("county_desk.plan_new"),
            Plan::Already => tr!("county_desk.plan_already"),
            Plan::Gap { from, to } if from == to => tr!("county_desk.plan_gap", missing = from),
            Plan::Gap { from, to } => {
                tr!("county_desk.plan_gap", missing = format!("{from}-{to}"))
            }
            Plan::Refused(why) => tr!("county_desk.plan_refused", reason = text(why)),
            Plan::CodeTaken(why) => tr!("county_desk.plan_code_taken", reason = text(why)),
            Plan::Reinstall => tr!("county_desk.plan_reinstall"),
        }
    }

    /// How many bundles were taken, were already there, were refused.
    fn tally(&self) -> (usize, usize) {
        let ok = self
            .results
            .iter()
            .filter(|r| matches!(r, Some(Ok(_))))
            .count();
        let refused = self
            .results
            .iter()
            .filter(|r| matches!(r, Some(Err(_))))
            .count();
        (ok, refused)
    }
}

impl Layer<CountyDesk> for Import {
    fn context(&self) -> KeyContext {
        match self.phase {
            ImportPhase::Folder => KeyContext::CountyFolder,
            ImportPhase::Reason { .. } => KeyContext::CountyReason,
            _ => KeyContext::CountyImport,
        }
    }

    fn update(&mut self, action: Action, desk: &mut CountyDesk) -> Step<CountyDesk> {
        match (&self.phase, action) {
            (ImportPhase::Running { .. }, Action::Back) => {
                desk.say(tr!("county_desk.import_busy"));
                Step::Stay
            }
            (ImportPhase::Folder | ImportPhase::Planned | ImportPhase::Done, Action::Back) => {
                Step::Close
            }
            (ImportPhase::Folder, Action::Choose) => {
                self.look(desk);
                Step::Stay
            }
            (ImportPhase::Folder, Action::Input(key)) => {
                self.folder.input(key);
                Step::Stay
            }
            (ImportPhase::Folder, Action::Paste(t)) => {
                self.folder.paste(&t);
                Step::Stay
            }
            (ImportPhase::Planned, Action::Choose) => {
                self.phase = ImportPhase::Running { next: 0 };
                Step::Stay
            }
            (ImportPhase::Planned, Action::ConfirmReinstall) => {
                let at = self.cursor.selected;
                match self.plan.get(at) {
                    Some(p) if matches!(p.plan, Plan::CodeTaken(_)) => {
                        self.reason = SingleLine::new();
                        self.phase = ImportPhase::Reason { at };
                    }
                    _ => desk.say(tr!("county_desk.reinstall_only_taken")),
                }
                Step::Stay
            }
            (ImportPhase::Reason { .. }, Action::Back) => {
                self.phase = ImportPhase::Planned;
                Step::Stay
            }
            (ImportPhase::Reason { at }, Action::Choose) => {
                let at = *at;
                let reason = self.reason.value().trim().to_string();
                if reason.is_empty() {
                    desk.error(tr!("county_desk.reason_needed"));
                    return Step::Stay;
                }
                if let Some(code) = self.plan.get(at).map(|p| p.code.clone()) {
                    desk.db.confirm_reinstalled(&code, &reason);
                }
                // The folder's plan again: the confirmed bundle, and the station's next ones,
                // now follow the re-installed station.
                self.look(desk);
                self.cursor.selected = at;
                Step::Stay
            }
            (ImportPhase::Reason { .. }, Action::Input(key)) => {
                self.reason.input(key);
                Step::Stay
            }
            (ImportPhase::Reason { .. }, Action::Paste(t)) => {
                self.reason.paste(&t);
                Step::Stay
            }
            (ImportPhase::Reason { .. }, _) => Step::Stay,
            (_, action) => {
                let page = usize::from(desk.body_rows().saturating_sub(6));
                self.cursor.step(&action, self.plan.len(), page);
                Step::Stay
            }
        }
    }

    fn tick(&mut self, desk: &mut CountyDesk) {
        let ImportPhase::Running { next } = self.phase else {
            return;
        };
        if let Some(planned) = self.plan.get(next) {
            let said = match desk.db.import_one(&planned.file, &desk.identities) {
                Ok(ImportOutcome::Imported {
                    station_id,
                    seq,
                    records,
                    ..
                }) => {
                    if !self.changed.contains(&station_id) {
                        self.changed.push(station_id);
                    }
                    Ok(tr!("county_desk.did_import", seq = seq, count = records))
                }
                Ok(ImportOutcome::AlreadyImported { seq, .. }) => {
                    Ok(tr!("county_desk.did_already", seq = seq))
                }
                Err(e) => Err(crate::messages::bundle_error(&e)),
            };
            self.results[next] = Some(said);
            self.cursor.selected = next;
            self.phase = ImportPhase::Running { next: next + 1 };
            return;
        }
        // Every bundle taken: the report tables of the stations that changed, then every
        // screen reads again (a refusal marks its station too), then the summary.
        if !self.changed.is_empty() {
            if let Err(e) = desk
                .db
                .refresh_views(Some(&self.changed), desk.now.naive_local())
            {
                desk.fail(&e);
            }
        }
        desk.imported();
        self.phase = ImportPhase::Done;
        let (ok, refused) = self.tally();
        let text = tr!("county_desk.import_done", ok = ok, refused = refused);
        if refused > 0 {
            desk.error(text);
        } else {
            desk.say(text);
        }
    }

    fn is_busy(&self) -> bool {
        matches!(self.phase, ImportPhase::Running { .. })
    }

    fn draw(
        &self,
        _desk: &CountyDesk,
        title: Rect,
        body: Rect,
        buf: &mut Buffer,
    ) -> Option<Position> {
        draw_title(&tr!("county_desk.import_title"), title, buf);
        let area = inset(body);
        if area.height < 5 {
            return None;
        }
        let label = format!(
            "{}{}",
            tr!("county_desk.folder_label"),
            tr!("county_desk.label_sep")
        );
        let label_width = unicode_width::UnicodeWidthStr::width(label.as_str()) as u16;
        Span::styled(label, theme::focus_label())
            .render(Rect::new(area.x, area.y, label_width, 1), buf);
        let field = Rect::new(
            area.x + label_width,
            area.y,
            area.width.saturating_sub(label_width),
            1,
        );
        let mut caret = self
            .folder
            .render(field, buf, matches!(self.phase, ImportPhase::Folder));
        let line = Rect::new(area.x, area.y + 1, area.width, 1);
        match self.phase {
            ImportPhase::Folder => {
                Span::styled(tr!("county_desk.folder_hint"), theme::hint()).render(line, buf);
                return caret;
            }
            ImportPhase::Planned => {
                Span::styled(
                    tr!("county_desk.plan_hint", count = self.plan.len()),
                    theme::hint(),
                )
                .render(line, buf);
            }
            ImportPhase::Reason { at } => {
                let code = self.plan.get(at).map(|p| text(&p.code)).unwrap_or_default();
                Span::styled(tr!("county_desk.reason_hint", code = code), theme::hint())
                    .render(line, buf);
                let label = format!(
                    "{}{}",
                    tr!("county_desk.reason_label"),
                    tr!("county_desk.label_sep")
                );
                let width = unicode_width::UnicodeWidthStr::width(label.as_str()) as u16;
                let row = Rect::new(area.x, area.y + 2, area.width, 1);
                Span::styled(label, theme::focus_label())
                    .render(Rect::new(row.x, row.y, width.min(row.width), 1), buf);
                let field = Rect::new(
                    row.x + width.min(row.width),
                    row.y,
                    row.width.saturating_sub(width),
                    1,
                );
                caret = self.reason.render(field, buf, true);
            }
            ImportPhase::Running { .. } | ImportPhase::Done if !self.plan.is_empty() => {
                let done = match self.phase {
                    ImportPhase::Running { next: n } => n,
                    _ => self.plan.len(),
                };
                let (ok, refused) = self.tally();
                Gauge::default()
                    .gauge_style(theme::focus_label())
                    .ratio((done as f64 / self.plan.len() as f64).clamp(0.0, 1.0))
                    .label(tr!(
                        "county_desk.progress",
                        done = done,
                        total = self.plan.len(),
                        ok = ok,
                        refused = refused
                    ))
                    .render(line, buf);
            }
            _ => {}
        }
        let rest = Rect::new(area.x, area.y + 3, area.width, area.height - 3);
        let page = usize::from(rest.height.saturating_sub(1));
        let (selected, window) = self.cursor.shown(self.plan.len(), page);
        let rows: Vec<Row> = self.plan[window.clone()]
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let at = window.start + i;
                let (what, style) = match &self.results[at] {
                    Some(Ok(t)) => (t.clone(), theme::success()),
                    Some(Err(t)) => (t.clone(), theme::error()),
                    None => (
                        Import::plan_text(&p.plan),
                        if matches!(
                            p.plan,
                            Plan::Refused(_) | Plan::CodeTaken(_) | Plan::Gap { .. }
                        ) {
                            theme::error()
                        } else {
                            ratatui::style::Style::default()
                        },
                    ),
                };
                let file = p
                    .file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Row::new(vec![
                    Cell::from(text(&p.code)),
                    Cell::from(text(&p.name)),
                    Cell::from(if p.seq > 0 {
                        p.seq.to_string()
                    } else {
                        String::new()
                    }),
                    Cell::from(text(&file)),
                    Cell::from(what),
                ])
                .style(style.patch(selected_style(at == selected)))
            })
            .collect();
        render_table(
            rest,
            buf,
            &[
                "county_desk.col_code",
                "county_desk.col_station",
                "county_desk.col_seq",
                "county_desk.col_file",
                "county_desk.col_plan",
            ],
            rows,
            &[
                Constraint::Length(6),
                Constraint::Length(14),
                Constraint::Length(4),
                Constraint::Length(24),
                Constraint::Min(10),
            ],
            "county_desk.no_bundles",
        );
        caret
    }
}
