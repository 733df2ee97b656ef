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

/// Draws a ratatui-textarea editor in the desk's styles and returns where its caret is on
/// screen (in display columns, so after Chinese characters too), when it has the focus.
pub fn render_editor(
    editor: &TextArea<'static>,
    area: Rect,
    buf: &mut Buffer,
    focused: bool,
) -> Option<Position> {
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
