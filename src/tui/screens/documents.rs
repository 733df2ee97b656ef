//! The documents the desk wrote (agreements, minutes, registers, rosters), newest first, to
//! open or print; the popup after writing one; and the form that asks which visits the
//! visitor register lists.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Widget};

use crate::documents::register::Contact;
use crate::text::sanitize;
use crate::tui::theme;
use crate::tui::widgets::form::{Choice, Field, Form};
use crate::tui::widgets::list_table::render_table;
use crate::tui::widgets::popup;

/// One written document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentEntry {
    pub path: PathBuf,
    pub name: String,
    pub modified: Option<SystemTime>,
    pub bytes: u64,
}

/// The documents folder, listed.
#[derive(Debug, Clone, Default)]
pub struct DocumentsList {
    pub dir: PathBuf,
    pub entries: Vec<DocumentEntry>,
    pub selected: usize,
    /// Why the folder could not be read, if it could not.
    pub unreadable: Option<String>,
}

/// The kinds of file the desk writes; anything else in the folder is left out.
const WRITTEN: &[&str] = &["docx", "xlsx", "ics", "pdf"];

impl DocumentsList {
    /// The documents in `dir`, newest first. A folder not made yet is an empty list.
    pub fn load(dir: &Path) -> DocumentsList {
        let mut list = DocumentsList {
            dir: dir.to_path_buf(),
            ..DocumentsList::default()
        };
        match std::fs::read_dir(dir) {
            Ok(read) => {
                for entry in read.flatten() {
                    let path = entry.path();
                    let wanted = path
                        .extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| WRITTEN.contains(&e.to_ascii_lowercase().as_str()));
                    let Ok(meta) = entry.metadata() else { continue };
                    if !wanted || !meta.is_file() {
                        continue;
                    }
                    list.entries.push(DocumentEntry {
                        name: entry.file_name().to_string_lossy().into_owned(),
                        path,
                        modified: meta.modified().ok(),
                        bytes: meta.len(),
                    });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                list.unreadable = Some(crate::tr!(
                    "error.io",
                    path = dir.display(),
                    reason = crate::messages::io_reason(&e)
                ))
            }
        }
        list.entries
            .sort_by(|a, b| b.modified.cmp(&a.modified).then(a.name.cmp(&b.name)));
        list
    }

    /// The list with `path` selected, if it is there.
    pub fn select(mut self, path: &Path) -> DocumentsList {
        if let Some(at) = self.entries.iter().position(|e| e.path == path) {
            self.selected = at;
        }
        self
    }

    pub fn chosen(&self) -> Option<&DocumentEntry> {
        self.entries.get(self.selected)
    }

    pub fn move_by(&mut self, rows: i64) {
        if self.entries.is_empty() {
            return;
        }
        let last = self.entries.len() as i64 - 1;
        self.selected = (self.selected as i64 + rows).clamp(0, last) as usize;
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let mut lines = vec![Line::from(vec![
            Span::styled(crate::tr!("documents.folder"), theme::label()),
            Span::raw("  "),
            Span::raw(sanitize(&self.dir.display().to_string()).into_owned()),
        ])];
        lines.push(Line::raw(""));
        if let Some(why) = &self.unreadable {
            lines.push(Line::styled(why.clone(), theme::error()));
        } else if self.entries.is_empty() {
            lines.push(Line::styled(crate::tr!("documents.none"), theme::hint()));
        }
        let top = lines.len() as u16;
        Paragraph::new(lines).render(area, buf);
        let table_area = Rect::new(
            area.x,
            area.y + top.min(area.height),
            area.width,
            area.height.saturating_sub(top),
        );
        let visible = table_area.height.saturating_sub(1) as usize;
        let first = self.selected.saturating_sub(visible.saturating_sub(1));
        let rows: Vec<Row> = self
            .entries
            .iter()
            .enumerate()
            .skip(first)
            .take(visible)
            .map(|(index, entry)| {
                let when = entry
                    .modified
                    .map(|t| {
                        chrono::DateTime::<chrono::Local>::from(t)
                            .format("%Y-%m-%d %H:%M")
                            .to_string()
                    })
                    .unwrap_or_default();
                let row = Row::new(vec![
                    Cell::from(when),
                    Cell::from(sanitize(&entry.name).into_owned()),
                    Cell::from(Line::from(human_size(entry.bytes)).right_aligned()),
                ]);
                if index == self.selected {
                    row.style(theme::selected())
                } else {
                    row
                }
            })
            .collect();
        if !self.entries.is_empty() {
            render_table(
                table_area,
                buf,
                &[
                    "documents.col_time",
                    "documents.col_name",
                    "documents.col_size",
                ],
                rows,
                &[
                    Constraint::Length(16),
                    Constraint::Min(20),
                    Constraint::Length(9),
                ],
                "documents.none",
            );
        }
    }
}

/// 1.2 MB, 35 KB, 512 B.
pub fn human_size(bytes: u64) -> String {
    match bytes {
        0..=1023 => format!("{bytes} B"),
        1024..=1_048_575 => format!("{} KB", bytes.div_ceil(1024)),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

/// The popup after a document was written: where it is, and the keys to open or print it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentReady {
    /// What was written; the first one is opened or printed.
    pub paths: Vec<PathBuf>,
    /// What opening or printing last said.
    pub outcome: Option<(String, bool)>,
}

impl DocumentReady {
    pub fn new(paths: Vec<PathBuf>) -> DocumentReady {
        DocumentReady {
            paths,
            outcome: None,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let mut lines = vec![Line::raw("")];
        for path in &self.paths {
            lines.push(Line::raw(format!(
                " {}",
                sanitize(&path.display().to_string())
            )));
        }
        lines.push(Line::raw(""));
        if let Some((text, error)) = &self.outcome {
            let style = if *error {
                theme::error()
            } else {
                theme::hint()
            };
            lines.push(Line::styled(format!(" {text}"), style));
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            format!(" {}", crate::tr!("documents.ready_keys")),
            theme::hint(),
        ));
        let width = lines
            .iter()
            .map(Line::width)
            .max()
            .unwrap_or(30)
            .saturating_add(4)
            .min(area.width as usize) as u16;
        let height = (lines.len() as u16 + 2).min(area.height);
        let at = popup::centered(area, width.max(36), height);
        crate::tui::widgets::popup::clear(at, buf);
        crate::tui::widgets::wrapped::paragraph(lines, at.width.saturating_sub(2))
            .block(popup::block(&crate::tr!("documents.ready_title")))
            .render(at, buf);
    }
}

/// Which visits the register lists, and how it writes contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegisterRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub contact: Contact,
}

pub use crate::domain::intake::month_of;

/// The register's form: from, to (this month by default, or the list's filter dates) and
/// whether contacts are masked.
pub struct RegisterForm {
    pub form: Form,
}

impl RegisterForm {
    pub fn new(from: NaiveDate, to: NaiveDate) -> RegisterForm {
        let contacts = vec![
            Choice::new("masked", crate::tr!("register.contact_masked")),
            Choice::new("whole", crate::tr!("register.contact_whole")),
        ];
        let text = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        RegisterForm {
            form: Form::new(vec![
                Field::date("from", crate::tr!("intakes.from"), &text(from)).required(),
                Field::date("to", crate::tr!("intakes.to"), &text(to)).required(),
                Field::choice(
                    "contact",
                    crate::tr!("register.contact"),
                    contacts,
                    "masked",
                ),
            ]),
        }
    }

    /// The request, or `None` when a date is wrong (marked in the form).
    pub fn request(&mut self, today: NaiveDate) -> Option<RegisterRequest> {
        if !self.form.check(today) {
            return None;
        }
        let date = |form: &Form, name: &str| {
            crate::domain::dates::parse_date(&form.value(name), today).ok()
        };
        let (Some(from), Some(to)) = (date(&self.form, "from"), date(&self.form, "to")) else {
            return None;
        };
        if to < from {
            self.form
                .set_error("to", crate::tr!("register.to_before_from"));
            self.form.focus_first_error();
            return None;
        }
        let contact = if self.form.value("contact") == "whole" {
            Contact::Whole
        } else {
            Contact::Masked
        };
        Some(RegisterRequest { from, to, contact })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_end_where_they_end() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(
            month_of(day(2026, 2, 14)),
            (day(2026, 2, 1), day(2026, 2, 28))
        );
        assert_eq!(
            month_of(day(2026, 12, 31)),
            (day(2026, 12, 1), day(2026, 12, 31))
        );
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(35 * 1024), "35 KB");
        assert_eq!(human_size(1_300_000), "1.2 MB");
    }
}
