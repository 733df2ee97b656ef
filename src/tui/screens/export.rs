//! The export screen: pick the USB stick, see what will go, write the bundle off the UI thread
//! with a progress gauge, and see "verified, safe to remove" — or why not. Past bundles can be
//! listed and written again.

use std::path::{Path, PathBuf};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Gauge, Paragraph, Widget};

use crate::domain::RecordKind;
use crate::store::{BundleRecord, Store};
use crate::text::sanitize;
use crate::tui::theme;

/// Where a bundle can go: removable media mount points on Linux (`/media/<user>/*`,
/// `/run/media/<user>/*`, `/mnt/*`), drive letters other than C: on Windows, and any
/// directories listed in `STATIONDESK_DRIVES` (separated like `PATH`).
pub fn candidate_drives() -> Vec<PathBuf> {
    let mut drives = Vec::new();
    if let Some(extra) = std::env::var_os("STATIONDESK_DRIVES") {
        drives.extend(std::env::split_paths(&extra).filter(|p| p.is_dir()));
    }
    #[cfg(windows)]
    for letter in b'D'..=b'Z' {
        let root = PathBuf::from(format!("{}:\\", letter as char));
        if root.is_dir() {
            drives.push(root);
        }
    }
    #[cfg(not(windows))]
    {
        let user = std::env::var("USER").unwrap_or_default();
        let mut roots = vec![PathBuf::from("/mnt")];
        if !user.is_empty() {
            roots.push(Path::new("/media").join(&user));
            roots.push(Path::new("/run/media").join(&user));
        }
        for root in roots {
            if let Ok(entries) = std::fs::read_dir(&root) {
                let mut found: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect();
                found.sort();
                drives.extend(found);
            }
        }
    }
    drives.dedup();
    drives
}

/// What the export job reports to the desk.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportEvent {
    Progress(f64),
    /// Finished: the message to show, and whether it went well.
    Done(String, bool),
}

#[derive(Default)]
pub struct ExportState {
    pub drives: Vec<PathBuf>,
    pub selected: usize,
    /// Records per kind the next bundle would carry.
    pub pending: Vec<(RecordKind, u64)>,
    pub all: bool,
    pub plaintext: bool,
    pub history: Vec<BundleRecord>,
    pub showing_history: bool,
    pub history_selected: usize,
    /// Set while a job runs.
    pub progress: Option<f64>,
    /// The last job's outcome.
    pub outcome: Option<(String, bool)>,
    /// Why what would go, or the history, could not be read (never shown as "nothing").
    pub unreadable: Option<String>,
    /// No county recipient is set: an encrypted bundle cannot be made yet.
    pub no_recipient: bool,
    /// The running export job's reports.
    pub job: Option<std::sync::mpsc::Receiver<ExportEvent>>,
    /// Stops the running job's export (its store's own flag).
    pub stop: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl ExportState {
    pub fn open(store: &Store) -> ExportState {
        let mut state = ExportState {
            drives: candidate_drives(),
            ..ExportState::default()
        };
        state.refresh(store);
        state
    }

    /// Counts what would go, and the history.
    pub fn refresh(&mut self, store: &Store) {
        self.unreadable = None;
        self.no_recipient = store
            .station()
            .ok()
            .flatten()
            .is_some_and(|s| s.county_recipient.as_deref().unwrap_or("").is_empty());
        match crate::bundle::pending(store, self.all) {
            Ok(pending) => self.pending = pending,
            Err(e) => {
                self.pending.clear();
                self.unreadable = Some(crate::messages::bundle_error(&e));
            }
        }
        match store.bundles() {
            Ok(history) => self.history = history,
            Err(e) => {
                self.history.clear();
                self.unreadable = Some(crate::messages::store_error(&e));
            }
        }
    }

    pub fn target(&self) -> Option<&PathBuf> {
        self.drives.get(self.selected)
    }

    pub fn up(&mut self) {
        if self.showing_history {
            self.history_selected = self.history_selected.saturating_sub(1);
        } else {
            self.selected = self.selected.saturating_sub(1);
        }
    }

    pub fn down(&mut self) {
        if self.showing_history {
            if self.history_selected + 1 < self.history.len() {
                self.history_selected += 1;
            }
        } else if self.selected + 1 < self.drives.len() {
            self.selected += 1;
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let mut lines = Vec::new();
        if self.showing_history {
            lines.push(Line::styled(crate::tr!("export.history"), theme::header()));
            if self.history.is_empty() {
                lines.push(Line::styled(crate::tr!("export.no_history"), theme::hint()));
            }
            for (i, b) in self.history.iter().enumerate() {
                let counts = b
                    .counts
                    .iter()
                    .map(|(k, n)| format!("{} {n}", crate::i18n::kind_name(k)))
                    .collect::<Vec<_>>()
                    .join("，");
                let text = format!(
                    " {:>4}  {}  {}  {}",
                    b.seq,
                    b.created_at.get(..10).unwrap_or(""),
                    sanitize(&b.file_name),
                    counts
                );
                let style = if i == self.history_selected {
                    theme::selected()
                } else {
                    theme::label()
                };
                lines.push(Line::styled(text, style));
            }
        } else {
            lines.push(Line::styled(crate::tr!("export.target"), theme::header()));
            if self.drives.is_empty() {
                lines.push(Line::styled(crate::tr!("export.no_drives"), theme::error()));
            }
            for (i, drive) in self.drives.iter().enumerate() {
                let style = if i == self.selected {
                    theme::selected()
                } else {
                    theme::label()
                };
                lines.push(Line::styled(
                    format!("  {}", sanitize(&drive.display().to_string())),
                    style,
                ));
            }
            lines.push(Line::raw(""));
            let what = if self.all {
                crate::tr!("export.all")
            } else {
                crate::tr!("export.changes")
            };
            lines.push(Line::styled(what, theme::header()));
            if let Some(why) = &self.unreadable {
                lines.push(Line::styled(
                    crate::tr!("export.unreadable", reason = sanitize(why)),
                    theme::error(),
                ));
            }
            for (kind, count) in &self.pending {
                lines.push(Line::raw(format!(
                    "  {}: {count}",
                    crate::i18n::kind_name(kind.as_str())
                )));
            }
            let mode = if self.plaintext {
                crate::tr!("export.mode_plaintext")
            } else {
                crate::tr!("export.mode_encrypted")
            };
            lines.push(Line::raw(mode));
            if self.no_recipient && !self.plaintext {
                lines.push(Line::styled(
                    crate::tr!("export.no_recipient_line"),
                    theme::error(),
                ));
            }
        }
        let gauge_rows = 2;
        let text_area = Rect::new(
            area.x,
            area.y,
            area.width,
            area.height.saturating_sub(gauge_rows + 1),
        );
        Paragraph::new(lines).render(text_area, buf);
        let bottom = Rect::new(
            area.x,
            area.y + area.height.saturating_sub(gauge_rows),
            area.width,
            1,
        );
        if let Some(progress) = self.progress {
            Gauge::default()
                .gauge_style(theme::success())
                .ratio(progress.clamp(0.0, 1.0))
                .label(crate::tr!("export.running"))
                .render(bottom, buf);
        } else if let Some((message, ok)) = &self.outcome {
            Paragraph::new(sanitize(message).into_owned())
                .style(if *ok {
                    theme::success()
                } else {
                    theme::error()
                })
                .render(
                    Rect::new(bottom.x, bottom.y.saturating_sub(1), bottom.width, 2),
                    buf,
                );
        }
    }
}
