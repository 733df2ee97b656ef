//! A one-line text input (filters, the PIN prompt) on top of ratatui-textarea, so that Chinese
//! widths and the caret position are right.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::widgets::Widget;
use ratatui_textarea::TextArea;

use crate::text::clean_input;
use crate::tui::theme;

#[derive(Clone)]
pub struct SingleLine {
    editor: TextArea<'static>,
}

impl Default for SingleLine {
    fn default() -> SingleLine {
        SingleLine::new()
    }
}

impl SingleLine {
    pub fn new() -> SingleLine {
        let mut editor = TextArea::default();
        editor.set_cursor_line_style(Style::default());
        SingleLine { editor }
    }

    pub fn masked() -> SingleLine {
        let mut line = SingleLine::new();
        line.editor.set_mask_char('*');
        line
    }

    pub fn value(&self) -> String {
        clean_input(&self.editor.lines().join(" "))
    }

    pub fn is_empty(&self) -> bool {
        self.editor.is_empty()
    }

    pub fn clear(&mut self) {
        let masked = self.editor.mask_char().is_some();
        *self = if masked {
            SingleLine::masked()
        } else {
            SingleLine::new()
        };
    }

    /// Applies a key; returns whether the text changed. Enter, Up and Down are not for a
    /// single line and are ignored.
    pub fn input(&mut self, key: KeyEvent) -> bool {
        if matches!(
            key.code,
            KeyCode::Enter | KeyCode::Up | KeyCode::Down | KeyCode::Tab
        ) {
            return false;
        }
        let before = self.value();
        self.editor.input(key);
        self.value() != before
    }

    pub fn paste(&mut self, text: &str) -> bool {
        let cleaned = clean_input(text).replace(['\n', '\r', '\t'], " ");
        self.editor.insert_str(cleaned)
    }

    /// Draws the input and returns the caret's position.
    pub fn render(&self, area: Rect, buf: &mut Buffer, focused: bool) -> Option<Position> {
        render_editor(&self.editor, area, buf, focused)
    }
}

/// A key for a multi-line editor, moving over its text as it is wrapped on the screen: Up and
/// Down by the rows shown (the editor's own), Home and End to the start and end of the row
/// shown, Ctrl-Home and Ctrl-End to the start and end of the whole text, Ctrl-Left/Right by
/// word; Shift with any of them selects; Ctrl-C, Ctrl-X and Ctrl-V copy, cut and paste. Every
/// other key is the editor's (PgUp/PgDn, Backspace, typing).
/// Returns whether the text changed.
pub fn edit_key(editor: &mut TextArea<'static>, key: KeyEvent) -> bool {
    use crossterm::event::KeyModifiers;
    use ratatui_textarea::CursorMove;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    let select = |editor: &mut TextArea<'static>| {
        if shift {
            if editor.selection_range().is_none() {
                editor.start_selection();
            }
        } else {
            editor.cancel_selection();
        }
    };
    match key.code {
        KeyCode::Home if ctrl => {
            select(editor);
            editor.move_cursor(CursorMove::Jump(0, 0));
        }
        KeyCode::End if ctrl => {
            select(editor);
            let last = editor.lines().len().saturating_sub(1);
            let chars = editor.lines().get(last).map_or(0, |l| l.chars().count());
            editor.move_cursor(CursorMove::Jump(
                u16::try_from(last).unwrap_or(u16::MAX),
                u16::try_from(chars).unwrap_or(u16::MAX),
            ));
        }
        KeyCode::Home => {
            select(editor);
            // Back along the row shown until its first column.
            for _ in 0..u16::MAX {
                let at = editor.screen_cursor();
                if at.col == 0 {
                    break;
                }
                editor.move_cursor(CursorMove::Back);
                if editor.screen_cursor().row != at.row {
                    editor.move_cursor(CursorMove::Forward);
                    break;
                }
            }
        }
        KeyCode::End => {
            select(editor);
            // Forward along the row shown until the next step would leave it.
            for _ in 0..u16::MAX {
                let at = editor.screen_cursor();
                editor.move_cursor(CursorMove::Forward);
                let now = editor.screen_cursor();
                if now.row != at.row {
                    editor.move_cursor(CursorMove::Back);
                    break;
                }
                if now.col == at.col {
                    break;
                }
            }
        }
        // Copy, cut and paste as people know them (within the desk: the editor's own clipboard;
        // the terminal's paste brings text from elsewhere).
        KeyCode::Char('c') if ctrl => editor.copy(),
        KeyCode::Char('x') if ctrl => return editor.cut(),
        KeyCode::Char('v') if ctrl => return editor.paste(),
        KeyCode::Left | KeyCode::Right if ctrl => {
            select(editor);
            let ratatui_textarea::DataCursor(row, col) = editor.cursor();
            let line: Vec<char> = editor
                .lines()
                .get(row)
                .map(|l| l.chars().collect())
                .unwrap_or_default();
            let to = if key.code == KeyCode::Right {
                if col >= line.len() && row + 1 < editor.lines().len() {
                    (row + 1, 0)
                } else {
                    (row, next_word(&line, col))
                }
            } else if col == 0 && row > 0 {
                let above = editor.lines().get(row - 1).map_or(0, |l| l.chars().count());
                (row - 1, above)
            } else {
                (row, previous_word(&line, col))
            };
            // Step by characters, as Left and Right do.
            let steps = if to.0 == row { to.1.abs_diff(col) } else { 1 };
            let step = if key.code == KeyCode::Right {
                CursorMove::Forward
            } else {
                CursorMove::Back
            };
            for _ in 0..steps {
                editor.move_cursor(step);
            }
        }
        _ => return editor.input(key),
    }
    false
}

/// What a word is made of, for Ctrl-Left/Right: a run of Han characters, of letters, of digits
/// (Chinese has no spaces, so a sentence is not one word); each mark is a word of its own.
fn word_class(c: char) -> u8 {
    let han = matches!(
        c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF
    );
    if c.is_whitespace() {
        0
    } else if han {
        1
    } else if c.is_numeric() {
        2
    } else if c.is_alphabetic() {
        3
    } else {
        4
    }
}

/// Where the next word starts after `col` (or the line's end).
fn next_word(line: &[char], col: usize) -> usize {
    let mut at = col.min(line.len());
    if let Some(&c) = line.get(at) {
        let class = word_class(c);
        at += 1;
        if class != 4 {
            while line.get(at).is_some_and(|&c| word_class(c) == class) {
                at += 1;
            }
        }
    }
    while line.get(at).is_some_and(|&c| word_class(c) == 0) {
        at += 1;
    }
    at
}

/// Where the word before `col` starts.
fn previous_word(line: &[char], col: usize) -> usize {
    let mut at = col.min(line.len());
    while at > 0 && word_class(line[at - 1]) == 0 {
        at -= 1;
    }
    if at == 0 {
        return 0;
    }
    let class = word_class(line[at - 1]);
    at -= 1;
    if class != 4 {
        while at > 0 && word_class(line[at - 1]) == class {
            at -= 1;
        }
    }
    at
}

/// The start of `text` within `width` columns, ending in `⋯` when the rest does not fit.
pub fn start_of(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('⋯');
    out
}

/// Draws a ratatui-textarea editor in the desk's styles and returns where its caret is on
/// screen (in display columns, so after Chinese characters too), when it has the focus.
pub fn render_editor(
    editor: &TextArea<'static>,
    area: Rect,
    buf: &mut Buffer,
    focused: bool,
) -> Option<Position> {
    // Without the caret, a one-row field shows the start of its text, whatever it was scrolled
    // to while typed; a longer text ends in `⋯`, so that nothing looks lost.
    if !focused && area.height == 1 && area.width > 1 {
        let first = editor.lines().first().cloned().unwrap_or_default();
        let text = match editor.mask_char() {
            Some(mask) => mask.to_string().repeat(first.chars().count()),
            None => crate::text::sanitize(&first).into_owned(),
        };
        buf.set_style(area, theme::editor());
        ratatui::text::Line::styled(start_of(&text, usize::from(area.width)), theme::editor())
            .render(area, buf);
        return None;
    }
    let original = editor;
    let mut editor = editor.clone();
    editor.set_style(if focused {
        theme::editor_focus()
    } else {
        theme::editor()
    });
    editor.set_cursor_style(if focused {
        theme::cursor()
    } else {
        theme::editor()
    });
    (&editor).render(area, buf);
    // The editor itself learns the area too (the copy drawn above keeps what it learns): its
    // rows as wrapped there are what Up, Down, Home and End move over.
    let mut scratch = Buffer::empty(area);
    original.render(area, &mut scratch);
    if !focused || area.width == 0 || area.height == 0 {
        return None;
    }
    let at = editor.screen_cursor();
    let (top, left) = editor.scroll_offset();
    let x = area.x + (at.col as u16).saturating_sub(left);
    let y = area.y + (at.row as u16).saturating_sub(top);
    Some(Position::new(
        x.min(area.x + area.width - 1),
        y.min(area.y + area.height - 1),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row's text without the cells a wide character covers.
    fn row(buf: &Buffer) -> String {
        buf.content()
            .iter()
            .map(|c| c.symbol())
            .collect::<String>()
            .replace(' ', "")
    }

    #[test]
    fn words_are_runs_of_han_letters_or_digits() {
        let line: Vec<char> = "医疗费1860元，误工费 abc".chars().collect();
        assert_eq!(next_word(&line, 0), 3, "医疗费 | 1860");
        assert_eq!(next_word(&line, 3), 7, "1860 | 元");
        assert_eq!(next_word(&line, 7), 8, "元 | ，");
        assert_eq!(next_word(&line, 8), 9, "， | 误工费");
        assert_eq!(next_word(&line, 9), 13, "误工费 and the space | abc");
        assert_eq!(next_word(&line, 13), 16);
        assert_eq!(previous_word(&line, 16), 13);
        assert_eq!(previous_word(&line, 13), 9);
        assert_eq!(previous_word(&line, 7), 3);
        assert_eq!(previous_word(&line, 3), 0);
    }

    #[test]
    fn a_field_that_loses_the_caret_shows_its_start_and_marks_the_rest() {
        let mut field = SingleLine::new();
        field.paste("关于加快解决幸福里小区停车难问题的建议");
        let area = Rect::new(0, 0, 20, 1);
        let mut buf = Buffer::empty(area);
        assert_eq!(field.render(area, &mut buf, false), None);
        let shown = row(&buf);
        assert!(shown.starts_with("关于加快"), "{shown}");
        assert!(shown.ends_with('⋯'), "{shown}");
        assert!(!shown.contains("建议"), "{shown}");
        // A short value is shown whole, a masked one stays masked.
        assert_eq!(start_of("停车", 20), "停车");
        let mut pin = SingleLine::masked();
        pin.paste("1234");
        let mut buf = Buffer::empty(area);
        pin.render(area, &mut buf, false);
        assert!(row(&buf).starts_with("****"), "{}", row(&buf));
    }
}
