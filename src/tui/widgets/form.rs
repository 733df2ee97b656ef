//! The form widget every record kind uses: labelled fields, movement, required marks, inline
//! validation messages, selection lists with type-to-filter, dates, multi-line text, a
//! dirty-check. It knows nothing about records: a screen builds it and reads values back.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};
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
            FieldKind::Multiline(rows) => {
                let width = usize::from(width.max(2));
                let wrapped: usize = self
                    .editor
                    .lines()
                    .iter()
                    .map(|line| (line.width() + 1).div_ceil(width))
                    .sum();
                (wrapped.min(usize::from(u16::MAX)) as u16).clamp(rows, rows + MULTILINE_GROWTH)
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
    pub fn jump_section(&mut self, step: isize) {
        let Some((index, _)) = self.section() else {
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
                field.editor.input(key);
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

    /// Draws the form into `area` and returns where the caret is, for the IME.
    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Caret {
        let label_width = self
            .fields
            .iter()
            .map(|f| f.label.width() + 2)
            .max()
            .unwrap_or(8)
            .min(area.width as usize / 3) as u16;
        // Room for the editor, and to its right ~30 columns for the message or hint.
        let editor_width = area
            .width
            .saturating_sub(label_width + 1)
            .saturating_sub(30)
            .clamp(16, 48)
            .min(area.width.saturating_sub(label_width));
        // A long form scrolls: the first fields give way until the focused one fits.
        // A multi-line field takes the whole width while it has nothing to say beside it.
        let full_width = area.width.saturating_sub(label_width + 1).max(editor_width);
        let width_of = |f: &Field| match f.kind {
            FieldKind::Multiline(_)
                if f.error.is_none() && (f.hint.is_none() || !f.value().is_empty()) =>
            {
                full_width
            }
            _ => editor_width,
        };
        let heights: Vec<u16> = self.fields.iter().map(|f| f.height(width_of(f))).collect();
        // A form in sections shows the sections' titles, the current one marked, and its
        // fields only.
        let mut area = area;
        let mut range = 0..self.fields.len();
        if let Some((current, fields)) = self.section() {
            let mut spans = Vec::new();
            for (index, (start, title)) in self.sections.iter().enumerate() {
                let end = self
                    .sections
                    .get(index + 1)
                    .map(|(at, _)| *at)
                    .unwrap_or(self.fields.len());
                // A section with something to fix says so in its title.
                let wrong = self.fields[*start..end].iter().any(|f| f.error.is_some());
                let style = if index == current {
                    theme::selected()
                } else if wrong {
                    theme::error()
                } else {
                    theme::hint()
                };
                let mark = if wrong { "!" } else { "" };
                spans.push(Span::styled(format!(" {}{mark} ", sanitize(title)), style));
                spans.push(Span::raw(" "));
            }
            spans.push(Span::styled(
                crate::tr!("form.sections_keys"),
                theme::hint(),
            ));
            Paragraph::new(Line::from(spans)).render(Rect::new(area.x, area.y, area.width, 1), buf);
            area = Rect::new(
                area.x,
                area.y + 2.min(area.height),
                area.width,
                area.height.saturating_sub(2),
            );
            range = fields;
        }
        let mut first = range.start;
        while first < self.focus
            && heights[first..=self.focus.min(heights.len().saturating_sub(1))]
                .iter()
                .sum::<u16>()
                > area.height
        {
            first += 1;
        }
        let mut y = area.y;
        let mut caret = None;
        let mut dropdown = None;
        for (index, field) in self.fields.iter().enumerate().take(range.end).skip(first) {
            let height = heights[index];
            if y + height > area.y + area.height {
                break;
            }
            let focused = index == self.focus;
            let marker = if field.required { "*" } else { " " };
            let label_style = if focused {
                theme::focus_label()
            } else {
                theme::label()
            };
            Paragraph::new(Line::from(vec![
                Span::styled(marker, theme::required()),
                Span::styled(sanitize(&field.label).into_owned(), label_style),
            ]))
            .render(Rect::new(area.x, y, label_width, 1), buf);
            let editor_area = Rect::new(area.x + label_width, y, width_of(field), height);
            let after_x = editor_area.x + editor_area.width + 1;
            let after = Rect::new(after_x, y, (area.x + area.width).saturating_sub(after_x), 1);
            match &field.kind {
                FieldKind::Choice { options, selected } => {
                    let no_match = crate::tr!("form.no_match");
                    let label = options
                        .get(*selected)
                        .map(|o| o.label.as_str())
                        .unwrap_or(no_match.as_str());
                    let filter = field.editor.lines().join("");
                    let text = if focused {
                        format!("< {} >", sanitize(label))
                    } else {
                        sanitize(label).into_owned()
                    };
                    let style = if focused {
                        theme::editor_focus()
                    } else {
                        theme::editor()
                    };
                    Paragraph::new(text).style(style).render(editor_area, buf);
                    if focused {
                        // What is wrong comes first (a filter that matched nothing leaves
                        // the choice empty), then the filter typed.
                        let filter = format!("{} {}", crate::tr!("form.filter"), sanitize(&filter));
                        let (shown, style) = match &field.error {
                            Some(error) => (format!("! {error}  {filter}"), theme::error()),
                            None => (filter, theme::hint()),
                        };
                        Paragraph::new(shown.as_str())
                            .style(style)
                            .render(after, buf);
                        dropdown = Some((index, editor_area));
                        caret = Some(Position::new(
                            (after.x + shown.width() as u16)
                                .min(area.x + area.width.saturating_sub(1)),
                            y,
                        ));
                    }
                }
                FieldKind::Toggle(on) => {
                    let text = if *on {
                        crate::tr!("form.yes")
                    } else {
                        crate::tr!("form.no")
                    };
                    let style = if focused {
                        theme::editor_focus()
                    } else {
                        theme::editor()
                    };
                    Paragraph::new(format!("[{}] {text}", if *on { "x" } else { " " }))
                        .style(style)
                        .render(editor_area, buf);
                }
                _ => {
                    let at = render_editor(&field.editor, editor_area, buf, focused);
                    if focused {
                        caret = at;
                    }
                }
            }
            if dropdown.map(|d| d.0) != Some(index) {
                if let Some(error) = &field.error {
                    Paragraph::new(format!("! {error}"))
                        .style(theme::error())
                        .render(after, buf);
                } else if let (Some(hint), true) = (&field.hint, field.value().is_empty()) {
                    Paragraph::new(hint.as_str())
                        .style(theme::hint())
                        .render(after, buf);
                }
            }
            y += height;
        }
        if let Some((index, editor_area)) = dropdown {
            self.render_dropdown(index, editor_area, area, buf);
        }
        caret
    }

    /// The options under a focused selection field, the chosen one highlighted.
    fn render_dropdown(&self, index: usize, editor_area: Rect, area: Rect, buf: &mut Buffer) {
        let field = &self.fields[index];
        let FieldKind::Choice { options, selected } = &field.kind else {
            return;
        };
        let matches = field.matches();
        let room = (area.y + area.height).saturating_sub(editor_area.y + 1);
        let rows = (matches.len() as u16).min(6).min(room);
        if rows == 0 {
            return;
        }
        let at = matches.iter().position(|i| i == selected).unwrap_or(0);
        let start = at.saturating_sub(rows as usize - 1);
        let popup = Rect::new(editor_area.x, editor_area.y + 1, editor_area.width, rows);
        Clear.render(popup, buf);
        for (row, option_index) in matches.iter().skip(start).take(rows as usize).enumerate() {
            let option = &options[*option_index];
            let style = if option_index == selected {
                theme::selected()
            } else {
                theme::popup()
            };
            Paragraph::new(format!(" {}", sanitize(&option.label)))
                .style(style)
                .render(
                    Rect::new(popup.x, popup.y + row as u16, popup.width, 1),
                    buf,
                );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn sample() -> Form {
        Form::new(vec![
            Field::text("name", "姓名".into(), "").required(),
            Field::choice(
                "sector",
                "界别".into(),
                vec![
                    Choice::same("经济界"),
                    Choice::same("教育界"),
                    Choice::same("医药卫生界"),
                ],
                "教育界",
            ),
            Field::date("day", "日期".into(), ""),
            Field::multiline("notes", "备注".into(), "", 3),
            Field::toggle("mediator", "调解员".into(), false),
        ])
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
    }

    #[test]
    fn movement_wraps_around() {
        let mut form = sample();
        assert_eq!(form.context(), KeyContext::FormText);
        form.next_field();
        assert_eq!(form.context(), KeyContext::FormChoice);
        form.prev_field();
        form.prev_field();
        assert_eq!(form.focus, 4);
        assert_eq!(form.context(), KeyContext::FormToggle);
        form.next_field();
        assert_eq!(form.focus, 0);
    }

    #[test]
    fn required_and_dates_are_checked_and_the_first_bad_field_gets_focus() {
        let mut form = sample();
        form.focus_field("day");
        for c in "2026-02-30".chars() {
            form.input(key(c));
        }
        form.focus_field("notes");
        assert!(!form.check(today()));
        assert_eq!(form.focus, 0);
        assert!(form.fields[0].error.is_some());
        assert!(form.fields[2].error.is_some());
        form.input(key('张'));
        assert!(
            form.fields[0].error.is_none(),
            "typing clears the field's error"
        );
        form.focus_field("day");
        for _ in 0..10 {
            form.input(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        }
        for c in "今天".chars() {
            form.input(key(c));
        }
        assert!(form.check(today()));
    }

    #[test]
    fn dirty_check_follows_values_not_keystrokes() {
        let mut form = sample();
        assert!(!form.is_dirty());
        form.input(key('李'));
        assert!(form.is_dirty());
        form.input(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        assert!(!form.is_dirty());
        form.focus_field("mediator");
        form.cycle_option(1);
        assert!(form.is_dirty());
        form.mark_saved();
        assert!(!form.is_dirty());
    }

    #[test]
    fn selection_lists_filter_as_you_type() {
        let mut form = sample();
        form.focus_field("sector");
        assert_eq!(form.value("sector"), "教育界");
        form.input(key('医'));
        assert_eq!(form.value("sector"), "医药卫生界");
        form.next_field();
        assert_eq!(form.value("sector"), "医药卫生界");
        form.prev_field();
        // Pinyin initials filter too.
        for c in "jj".chars() {
            form.input(key(c));
        }
        assert_eq!(form.value("sector"), "经济界");
        form.cycle_option(1);
        assert_eq!(form.value("sector"), "经济界", "only one option matches jj");
        // A filter that matches nothing leaves nothing chosen, not the old choice.
        form.input(key('q'));
        assert!(form.fields[1].matches().is_empty());
        assert_eq!(form.value("sector"), "");
        form.input(KeyEvent::new(
            crossterm::event::KeyCode::Backspace,
            crossterm::event::KeyModifiers::NONE,
        ));
        assert_eq!(form.value("sector"), "经济界");
    }

    #[test]
    fn paste_is_text_and_single_lines_stay_single() {
        let mut form = sample();
        form.paste("张三\n李四\x1b[2J");
        assert_eq!(form.value("name"), "张三 李四[2J");
        assert_eq!(form.focus, 0, "a pasted newline does not move or submit");
        form.focus_field("notes");
        form.paste("第一行\r\n第二行");
        assert_eq!(form.value("notes"), "第一行\n第二行");
    }

    #[test]
    fn multiline_enter_is_a_new_line() {
        let mut form = sample();
        form.focus_field("notes");
        form.input(key('一'));
        form.input(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        form.input(key('二'));
        assert_eq!(form.value("notes"), "一\n二");
        form.focus_field("name");
        form.input(key('甲'));
        form.input(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(form.value("name"), "甲");
    }

    #[test]
    fn the_caret_sits_after_wide_characters() {
        let mut form = sample();
        for c in "张三".chars() {
            form.input(key(c));
        }
        let area = Rect::new(0, 0, 60, 10);
        let mut buf = Buffer::empty(area);
        let caret = form.render(area, &mut buf).unwrap_or_default();
        // Label column: "*姓名" is the widest label ("*" + 4 columns + 2 of padding → 6).
        let label_width = "调解员".width() as u16 + 2;
        assert_eq!(caret, Position::new(label_width + 4, 0));
    }
}
