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
