//! The bottom bar: the keys that work here, from the key map's table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use crate::tui::keymap::{self, KeyContext};
use crate::tui::theme;

/// Draws as many `key label` pairs as fit on one line.
pub fn render(context: KeyContext, area: Rect, buf: &mut Buffer) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    for (keys, label) in keymap::bar(context) {
        let label = crate::tr!(label);
        let width = keys.width() + label.width() + 3;
        if used + width > area.width as usize {
            break;
        }
        spans.push(Span::styled(keys, theme::key()));
        spans.push(Span::raw(format!(" {label}  ")));
        used += width;
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}
