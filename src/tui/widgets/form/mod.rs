//! The form widget every record kind uses: labelled fields, movement, required marks, inline
//! validation messages, selection lists with type-to-filter, dates, multi-line text, a
//! dirty-check. It knows nothing about records: a screen builds it and reads values back.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use ratatui_textarea::TextArea;
use unicode_width::UnicodeWidthStr;

use crate::domain::dates::parse_date;
use crate::text::{clean_input, sanitize};
use crate::tui::keymap::KeyContext;
use crate::tui::theme;
use crate::tui::widgets::single_line::render_editor;

/// One option of a selection field: the stored value and what people see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// The label's pinyin search key, made once: filtering runs on every keystroke.
    search_key: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Choice {
        let label = label.into();
        Choice {
            value: value.into(),
            search_key: crate::domain::pinyin_key::phrase_key(&label),
            label,
        }
    }

    /// An option whose value is its label (sector lists and the like).
    pub fn same(text: &str) -> Choice {
        Choice::new(text, text)
    }

    /// Options from `(value, label)` pairs, such as `(member id, name)`.
    pub fn pairs<V: ToString>(pairs: &[(V, String)]) -> Vec<Choice> {
        pairs
            .iter()
            .map(|(value, label)| Choice::new(value.to_string(), label.clone()))
            .collect()
    }
}

#[derive(Debug, Clone)]
pub enum FieldKind {
    Text,
    /// Shown as dots (PINs).
    Secret,
    /// A date, typed as `2026-11-22`, `20261122`, `11-22`, `今天`…
    Date,
    /// Multi-line text; the number is the rows it takes on screen.
    Multiline(u16),
    /// One of a list; typing filters it.
    Choice {
        options: Vec<Choice>,
        selected: usize,
    },
    Toggle(bool),
}

/// A field of a form.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub required: bool,
    pub kind: FieldKind,
    /// The text typed (for text, secret, date, multi-line) or the filter (selection fields).
    pub editor: TextArea<'static>,
    pub error: Option<String>,
    /// A short note shown after an empty field (e.g. "leave empty to keep").
    pub hint: Option<String>,
    /// The rows it had when last drawn: what PgUp/PgDn page a multi-line field by.
    shown_rows: std::cell::Cell<u16>,
}

/// A selection field whose filter matches no option has nothing chosen.
pub const NOTHING_CHOSEN: usize = usize::MAX;

/// How many rows a multi-line field may grow by as text is typed; beyond, it scrolls.
pub const MULTILINE_GROWTH: u16 = 4;

fn editor_with(text: &str) -> TextArea<'static> {
    // Stored text may have come from a bundle or an older version: no control characters or
    // bidi overrides reach the terminal through an editor either.
    let text = clean_input(text).replace('\t', " ");
    let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut editor = TextArea::new(lines);
    editor.set_cursor_line_style(Style::default());
    editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
    editor.move_cursor(ratatui_textarea::CursorMove::End);
    editor
}

impl Field {
    pub fn text(name: &'static str, label: String, value: &str) -> Field {
        Field {
            name,
            label,
            required: false,
            kind: FieldKind::Text,
            editor: editor_with(value),
            error: None,
            hint: None,
            shown_rows: std::cell::Cell::new(1),
        }
    }

    pub fn secret(name: &'static str, label: String) -> Field {
        let mut field = Field::text(name, label, "");
        field.kind = FieldKind::Secret;
        field.editor.set_mask_char('*');
        field
    }

    pub fn date(name: &'static str, label: String, value: &str) -> Field {
        let mut field = Field::text(name, label, value);
        field.kind = FieldKind::Date;
        field
    }

    /// Notes the rows the field was drawn with.
    pub(super) fn shown(&self, rows: u16) {
        self.shown_rows.set(rows);
    }

    pub fn multiline(name: &'static str, label: String, value: &str, rows: u16) -> Field {
        let mut field = Field::text(name, label, value);
        field.kind = FieldKind::Multiline(rows.max(2));
        // Long text wraps by display width over the field's rows (Chinese has no spaces, so a
        // line breaks between characters where it must).
        field
            .editor
            .set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        field
    }

    /// A selection field; `value` picks the initial option (the first when not found).
    pub fn choice(name: &'static str, label: String, options: Vec<Choice>, value: &str) -> Field {
        let selected = options.iter().position(|o| o.value == value).unwrap_or(0);
        let mut field = Field::text(name, label, "");
        field.kind = FieldKind::Choice { options, selected };
        field
    }

    pub fn toggle(name: &'static str, label: String, on: bool) -> Field {
        let mut field = Field::text(name, label, "");
        field.kind = FieldKind::Toggle(on);
        field
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn with_hint(mut self, hint: String) -> Field {
        self.hint = Some(hint);
        self
    }

    /// The field's value: the text, the chosen option's value, or `1`/`0`.
    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Choice { options, selected } => options
                .get(*selected)
                .map(|o| o.value.clone())
                .unwrap_or_default(),
            FieldKind::Toggle(on) => if *on { "1" } else { "0" }.to_string(),
            FieldKind::Multiline(_) => clean_input(&self.editor.lines().join("\n")),
            _ => clean_input(&self.editor.lines().join(" ")),
        }
    }

    fn filter(&self) -> String {
        self.editor.lines().join("").trim().to_lowercase()
    }

    /// The options a selection field shows for its filter, as indices into its options.
    pub fn matches(&self) -> Vec<usize> {
        let FieldKind::Choice { options, .. } = &self.kind else {
            return Vec::new();
        };
        let filter = self.filter();
        options
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                filter.is_empty()
                    || o.label.to_lowercase().contains(&filter)
                    || o.value.to_lowercase().contains(&filter)
                    || crate::domain::pinyin_key::matches(&filter, &o.label, &o.search_key)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Rows the field takes in an editor `width` columns wide: a multi-line field grows with
    /// its wrapped text from its own rows up to [`MULTILINE_GROWTH`] more.
    fn height(&self, width: u16) -> u16 {
        match self.kind {
            FieldKind::Multiline(rows) => self
                .wrapped_rows(width)
                .clamp(rows, rows + MULTILINE_GROWTH),
            _ => 1,
        }
    }

    /// Rows the whole text takes wrapped `width` columns wide (at least the field's own).
    pub(super) fn wrapped_rows(&self, width: u16) -> u16 {
        match self.kind {
            FieldKind::Multiline(rows) => {
                let width = usize::from(width.max(2));
                let wrapped: usize = self
                    .editor
                    .lines()
                    .iter()
                    .map(|line| (line.width() + 1).div_ceil(width))
                    .sum();
                (wrapped.min(usize::from(u16::MAX)) as u16).max(rows)
            }
            _ => 1,
        }
    }
}

/// A form: fields, the focused one, and the values it started with.
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
    initial: Vec<String>,
    /// For a long form: where each section starts, and its title. The form shows one section
    /// at a time, with the sections' titles above it.
    sections: Vec<(usize, String)>,
}

/// Where the focused editor's caret is on screen after drawing.
pub type Caret = Option<Position>;

impl Form {
    pub fn new(fields: Vec<Field>) -> Form {
        let initial = fields.iter().map(Field::value).collect();
        Form {
            fields,
            focus: 0,
            initial,
            sections: Vec::new(),
        }
    }

    /// The form in sections: `(first field's name, title)` each, in order. Tab still goes
    /// through every field; PgDn and PgUp go to the next or previous section.
    pub fn with_sections(mut self, sections: &[(&str, String)]) -> Form {
        self.sections = sections
            .iter()
            .filter_map(|(name, title)| {
                let at = self.fields.iter().position(|f| f.name == *name)?;
                Some((at, title.clone()))
            })
            .collect();
        self.sections.sort_by_key(|(at, _)| *at);
        if let Some(first) = self.sections.first_mut() {
            first.0 = 0;
        }
        self
    }

    /// The section the focused field is in, and the range of fields it has.
    pub fn section(&self) -> Option<(usize, std::ops::Range<usize>)> {
        if self.sections.is_empty() {
            return None;
        }
        let index = self
            .sections
            .iter()
            .rposition(|(at, _)| *at <= self.focus)
            .unwrap_or(0);
        let start = self.sections[index].0;
        let end = self
            .sections
            .get(index + 1)
            .map(|(at, _)| *at)
            .unwrap_or(self.fields.len());
        Some((index, start..end))
    }

    /// The titles of the sections, in order.
    pub fn section_titles(&self) -> Vec<&str> {
        self.sections.iter().map(|(_, t)| t.as_str()).collect()
    }

    /// Moves to the first field of the next (`+1`) or previous (`-1`) section.
    /// PgDn / PgUp: the next or previous section; in a form without sections, a page of the
    /// focused multi-line field's text.
    pub fn jump_section(&mut self, step: isize) {
        let Some((index, _)) = self.section() else {
            if let Some(field) = self.fields.get_mut(self.focus) {
                if matches!(field.kind, FieldKind::Multiline(_)) {
                    // By the rows shown, less one kept in view, as a word processor pages.
                    let rows = field.shown_rows.get().saturating_sub(1).max(1);
                    let by = if step > 0 {
                        ratatui_textarea::CursorMove::Down
                    } else {
                        ratatui_textarea::CursorMove::Up
                    };
                    for _ in 0..rows {
                        field.editor.move_cursor(by);
                    }
                }
            }
            return;
        };
        let count = self.sections.len() as isize;
        let next = (index as isize + step).rem_euclid(count) as usize;
        self.commit_choice();
        self.focus = self.sections[next].0;
    }

    /// Whether any value differs from what the form started with.
    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.initial)
            .any(|(field, initial)| field.value() != *initial)
    }

    /// Takes the current values as the saved state.
    pub fn mark_saved(&mut self) {
        self.initial = self.fields.iter().map(Field::value).collect();
    }

    pub fn value(&self, name: &str) -> String {
        self.field(name).map(Field::value).unwrap_or_default()
    }

    /// The day of a step's `name` field, after [`Form::check`]: today for a form without such a
    /// field (a step that happens now), `None` after marking the field when it has no day.
    pub fn step_date(&mut self, name: &str, today: NaiveDate) -> Option<NaiveDate> {
        if self.field(name).is_none() {
            return Some(today);
        }
        let day = self.date(name, today);
        if day.is_none() {
            self.set_error(name, crate::tr!("validate.required"));
            self.focus_first_error();
        }
        day
    }

    /// Says a date the rules refused beside its field, naming both dates; false when the form
    /// has no such field (the refusal is then the caller's to say).
    pub fn show_time_refusal(&mut self, refusal: &crate::domain::timeline::TimeRefusal) -> bool {
        if self.field(refusal.field()).is_none() {
            return false;
        }
        self.set_error(refusal.field(), crate::i18n::time_refusal_message(refusal));
        self.focus_first_error();
        true
    }

    /// A date field's day, read by the one date parser relative to `today`: `None` when it is
    /// empty or does not read as a day ([`Form::check`] has said which).
    pub fn date(&self, name: &str, today: NaiveDate) -> Option<NaiveDate> {
        let value = self.value(name);
        if value.trim().is_empty() {
            return None;
        }
        parse_date(&value, today).ok()
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn field_mut(&mut self, name: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.name == name)
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    pub fn focus_field(&mut self, name: &str) {
        if let Some(index) = self.fields.iter().position(|f| f.name == name) {
            self.focus = index;
        }
    }

    /// The key context of the focused field.
    pub fn context(&self) -> KeyContext {
        match self.focused().map(|f| &f.kind) {
            Some(FieldKind::Multiline(_)) => KeyContext::FormMultiline,
            Some(FieldKind::Choice { .. }) => KeyContext::FormChoice,
            Some(FieldKind::Toggle(_)) => KeyContext::FormToggle,
            _ => KeyContext::FormText,
        }
    }

    pub fn next_field(&mut self) {
        self.commit_choice();
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }

    pub fn prev_field(&mut self) {
        self.commit_choice();
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }

    /// Leaving a selection field clears its filter (the choice stays).
    fn commit_choice(&mut self) {
        if let Some(field) = self.fields.get_mut(self.focus) {
            if matches!(field.kind, FieldKind::Choice { .. }) {
                field.editor = editor_with("");
            }
        }
    }

    /// The previous (`-1`) or next (`+1`) option among those the filter shows; flips a toggle.
    pub fn cycle_option(&mut self, step: isize) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        let matches = field.matches();
        match &mut field.kind {
            FieldKind::Choice { selected, .. } => {
                if matches.is_empty() {
                    return;
                }
                let at = matches.iter().position(|i| i == selected);
                let next = match at {
                    Some(at) => (at as isize + step).rem_euclid(matches.len() as isize) as usize,
                    None => 0,
                };
                *selected = matches[next];
            }
            FieldKind::Toggle(on) => *on = !*on,
            _ => {}
        }
    }

    /// A key for the focused field's editor.
    pub fn input(&mut self, key: KeyEvent) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        match field.kind {
            FieldKind::Toggle(_) => return,
            FieldKind::Multiline(_) => {
                crate::tui::widgets::single_line::edit_key(&mut field.editor, key);
            }
            _ => {
                // Single-line editors never take a new line.
                if key.code != crossterm::event::KeyCode::Enter {
                    field.editor.input(key);
                }
            }
        }
        field.error = None;
        self.follow_filter();
    }

    /// Pasted text goes into the focused field as text; single-line fields get spaces for
    /// line breaks. Pasting never submits the form.
    pub fn paste(&mut self, text: &str) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        let cleaned = clean_input(&text.replace("\r\n", "\n").replace('\r', "\n"));
        match field.kind {
            FieldKind::Toggle(_) => return,
            FieldKind::Multiline(_) => {
                field.editor.insert_str(cleaned);
            }
            _ => {
                field.editor.insert_str(cleaned.replace(['\n', '\t'], " "));
            }
        }
        field.error = None;
        self.follow_filter();
    }

    /// In a selection field, typing picks the first option that matches.
    fn follow_filter(&mut self) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        let matches = field.matches();
        if let FieldKind::Choice { selected, .. } = &mut field.kind {
            if !matches.contains(selected) {
                // Nothing matches: nothing is chosen (an old choice would be saved unseen).
                *selected = matches.first().copied().unwrap_or(NOTHING_CHOSEN);
            }
        }
    }

    pub fn set_error(&mut self, name: &str, message: String) {
        if let Some(field) = self.field_mut(name) {
            field.error = Some(message);
        }
    }

    pub fn clear_errors(&mut self) {
        for field in &mut self.fields {
            field.error = None;
        }
    }

    /// The checks every form shares: required fields filled, a choice made where the list has
    /// no empty choice, dates parse. Marks each bad field and focuses the first; returns whether
    /// all passed.
    pub fn check(&mut self, today: NaiveDate) -> bool {
        for field in &mut self.fields {
            let value = field.value();
            // A filter that matched nothing leaves nothing chosen; a list without a "none"
            // option has no empty value to save.
            let unchosen = match &field.kind {
                FieldKind::Choice { options, selected } => {
                    *selected == NOTHING_CHOSEN && !options.iter().any(|o| o.value.is_empty())
                }
                _ => false,
            };
            field.error = if field.required && value.trim().is_empty() {
                Some(crate::tr!("validate.required"))
            } else if unchosen {
                Some(crate::tr!("validate.choose"))
            } else if matches!(field.kind, FieldKind::Date)
                && !value.trim().is_empty()
                && parse_date(&value, today).is_err()
            {
                Some(crate::tr!("validate.date"))
            } else {
                None
            };
        }
        self.focus_first_error();
        self.fields.iter().all(|f| f.error.is_none())
    }

    pub fn focus_first_error(&mut self) {
        if let Some(index) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = index;
        }
    }
}

mod draw;
#[cfg(test)]
mod tests;
