//! The full-screen minutes editor (会议纪要): long Chinese text wrapped by display width, undo and
//! redo by typing run, search inside the text, and a draft saved every few seconds so that a
//! power cut loses at most those seconds.

use chrono::NaiveDateTime;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};
use ratatui_textarea::{TextArea, WrapMode};
use uuid::Uuid;

use crate::text::clean_input;
use crate::tui::theme;
use crate::tui::widgets::single_line::{render_editor, SingleLine};

/// Seconds between draft saves while the text changes.
pub const DRAFT_SECONDS: i64 = 3;

pub struct MinutesEditor {
    pub meeting: Uuid,
    /// What the minutes are about, for the title.
    pub about: String,
    pub editor: TextArea<'static>,
    /// The text as last saved for good (to tell unsaved changes).
    saved: String,
    /// The text as last saved as a draft.
    drafted: String,
    pub last_draft: Option<NaiveDateTime>,
    /// The search box, while searching.
    pub search: Option<SingleLine>,
    pub not_found: bool,
    /// Undo and redo by run.
    runs: UndoRuns,
}

/// What an edit was, to tell where a typing run ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EditRun {
    Typing,
    Deleting,
}

/// Undo by typing run rather than by character: the editor keeps one step per edit, and this
/// counts how many of them make each run. A run ends at a space or a punctuation mark, a new
/// line, a paste, a move of the caret, or a change between typing and deleting.
#[derive(Debug, Default, Clone)]
pub struct UndoRuns {
    undo: Vec<usize>,
    redo: Vec<usize>,
    open: Option<EditRun>,
}

/// Characters after which a typing run ends (the word or phrase is complete).
fn ends_run(c: char) -> bool {
    c.is_whitespace() || c.is_ascii_punctuation() || "，。；：！？、…—（）《》“”‘’「」".contains(c)
}

impl UndoRuns {
    /// Records one edit of the editor's own history.
    fn edited(&mut self, run: Option<EditRun>, ends: bool) {
        self.redo.clear();
        match (self.open, run) {
            (Some(open), Some(run)) if open == run => {
                if let Some(last) = self.undo.last_mut() {
                    *last += 1;
                }
            }
            _ => self.undo.push(1),
        }
        self.open = if ends { None } else { run };
    }

    /// The caret moved or something else happened: the next edit starts a new run.
    fn close(&mut self) {
        self.open = None;
    }

    /// How many editor steps the last run took, to undo them.
    fn take_undo(&mut self) -> Option<usize> {
        self.open = None;
        let steps = self.undo.pop()?;
        self.redo.push(steps);
        Some(steps)
    }

    fn take_redo(&mut self) -> Option<usize> {
        self.open = None;
        let steps = self.redo.pop()?;
        self.undo.push(steps);
        Some(steps)
    }
}

impl MinutesEditor {
    /// `text` is what to edit (a recovered draft or the stored minutes); `stored` the minutes
    /// as saved.
    pub fn new(meeting: Uuid, about: &str, text: &str, stored: &str) -> MinutesEditor {
        let cleaned = clean_input(&text.replace("\r\n", "\n")).replace('\t', "    ");
        let mut editor = TextArea::new(cleaned.split('\n').map(str::to_string).collect());
        editor.set_max_histories(10_000);
        editor.set_wrap_mode(WrapMode::WordOrGlyph);
        editor.set_cursor_line_style(ratatui::style::Style::default());
        editor.set_search_style(theme::selected());
        MinutesEditor {
            meeting,
            about: about.to_string(),
            editor,
            saved: stored.trim_end().to_string(),
            drafted: cleaned.trim_end().to_string(),
            last_draft: None,
            search: None,
            not_found: false,
            runs: UndoRuns::default(),
        }
    }

    pub fn text(&self) -> String {
        self.editor.lines().join("\n")
    }

    pub fn is_dirty(&self) -> bool {
        self.text().trim_end() != self.saved
    }

    pub fn mark_saved(&mut self) {
        self.saved = self.text().trim_end().to_string();
        self.drafted = self.saved.clone();
    }

    /// The text to save as a draft now, if it changed and the last draft is old enough.
    pub fn draft_due(&mut self, now: NaiveDateTime) -> Option<String> {
        let text = self.text();
        if text.trim_end() == self.drafted {
            return None;
        }
        if self
            .last_draft
            .is_some_and(|at| (now - at).num_seconds() < DRAFT_SECONDS)
        {
            return None;
        }
        self.drafted = text.trim_end().to_string();
        self.last_draft = Some(now);
        Some(text)
    }

    pub fn input(&mut self, key: KeyEvent) {
        if let Some(search) = self.search.as_mut() {
            search.input(key);
            self.not_found = false;
        } else {
            use crossterm::event::{KeyCode, KeyModifiers};
            let plain = !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            // The editor's own undo keys go through the runs too.
            if key.modifiers.contains(KeyModifiers::CONTROL) {
                match key.code {
                    KeyCode::Char('u') => return self.undo(),
                    KeyCode::Char('r') => return self.redo(),
                    _ => {}
                }
            }
            let (run, ends) = match key.code {
                KeyCode::Char(c) if plain => (Some(EditRun::Typing), ends_run(c)),
                KeyCode::Backspace | KeyCode::Delete if plain => (Some(EditRun::Deleting), false),
                _ => (None, true),
            };
            if crate::tui::widgets::single_line::edit_key(&mut self.editor, key) {
                self.runs.edited(run, ends);
            } else {
                self.runs.close();
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        let text = clean_input(&text.replace("\r\n", "\n")).replace('\t', "    ");
        if let Some(search) = self.search.as_mut() {
            search.paste(&text);
        } else {
            // The editor records a paste as one step: it is a run of its own.
            if self.editor.insert_str(text) {
                self.runs.edited(None, true);
            }
        }
    }

    /// Undoes the last typing run (or paste, or deletion run).
    pub fn undo(&mut self) {
        match self.runs.take_undo() {
            Some(steps) => {
                for _ in 0..steps {
                    self.editor.undo();
                }
            }
            None => {
                self.editor.undo();
            }
        }
    }

    pub fn redo(&mut self) {
        match self.runs.take_redo() {
            Some(steps) => {
                for _ in 0..steps {
                    self.editor.redo();
                }
            }
            None => {
                self.editor.redo();
            }
        }
    }

    /// Opens the search box (or, when it is open, finds the next match).
    pub fn find(&mut self) {
        match &self.search {
            None => self.search = Some(SingleLine::new()),
            Some(_) => self.find_next(),
        }
    }

    pub fn find_next(&mut self) {
        let Some(search) = &self.search else {
            return;
        };
        let pattern = regex::escape(&search.value());
        if pattern.is_empty() {
            return;
        }
        if self.editor.set_search_pattern(&pattern).is_ok() {
            self.not_found = !self.editor.search_forward(false);
        }
    }

    /// Closes the search box; says whether it was open.
    pub fn close_search(&mut self) -> bool {
        let open = self.search.is_some();
        self.search = None;
        let _ = self.editor.set_search_pattern("");
        open
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        if area.height < 3 {
            return None;
        }
        let ratatui_textarea::DataCursor(line, col) = self.editor.cursor();
        let chars: usize = self.editor.lines().iter().map(|l| l.chars().count()).sum();
        let status = crate::tr!(
            "minutes.status",
            line = line + 1,
            col = col + 1,
            chars = chars
        );
        let status_style = if self.is_dirty() {
            theme::focus_label()
        } else {
            theme::hint()
        };
        Paragraph::new(Line::styled(
            format!(
                "{status}{}",
                if self.is_dirty() {
                    crate::tr!("minutes.unsaved")
                } else {
                    String::new()
                }
            ),
            status_style,
        ))
        .render(Rect::new(area.x, area.y, area.width, 1), buf);
        let mut text_area = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
        if let Some(search) = &self.search {
            text_area.height -= 1;
            let label = crate::tr!("minutes.find");
            let row = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
            Paragraph::new(label.as_str())
                .style(theme::label())
                .render(row, buf);
            let width = unicode_width::UnicodeWidthStr::width(label.as_str()) as u16 + 1;
            let input = Rect::new(
                row.x + width,
                row.y,
                30.min(row.width.saturating_sub(width)),
                1,
            );
            let caret = search.render(input, buf, true);
            if self.not_found {
                Paragraph::new(crate::tr!("minutes.not_found"))
                    .style(theme::error())
                    .render(
                        Rect::new(
                            input.x + input.width + 1,
                            row.y,
                            row.width.saturating_sub(input.width + width + 1),
                            1,
                        ),
                        buf,
                    );
            }
            render_editor(&self.editor, text_area, buf, false);
            return caret;
        }
        render_editor(&self.editor, text_area, buf, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn typed(editor: &mut MinutesEditor, text: &str) {
        for c in text.chars() {
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            editor.input(KeyEvent::new(code, KeyModifiers::NONE));
        }
    }

    #[test]
    fn undo_takes_back_a_typing_run_not_a_character() {
        let mut editor = MinutesEditor::new(Uuid::nil(), "", "", "");
        typed(&mut editor, "主持人张三，会议决定");
        assert_eq!(editor.text(), "主持人张三，会议决定");
        editor.undo();
        assert_eq!(editor.text(), "主持人张三，", "the run after the comma");
        editor.undo();
        assert_eq!(editor.text(), "");
        editor.redo();
        assert_eq!(editor.text(), "主持人张三，");
        editor.redo();
        assert_eq!(editor.text(), "主持人张三，会议决定");
        // Deleting is a run of its own; a paste is one step.
        for _ in 0..4 {
            editor.input(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        }
        editor.paste("增设夜间停车位");
        assert_eq!(editor.text(), "主持人张三，增设夜间停车位");
        editor.undo();
        assert_eq!(editor.text(), "主持人张三，");
        editor.undo();
        assert_eq!(editor.text(), "主持人张三，会议决定");
        // A move of the caret ends a run.
        typed(&mut editor, "通过");
        editor.input(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE));
        typed(&mut editor, "一致");
        editor.undo();
        assert_eq!(editor.text(), "主持人张三，会议决定通过");
    }
}
