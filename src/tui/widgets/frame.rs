//! The frame of a screen: its title line, and its body with a margin.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::tui::theme;

/// A screen's body with a margin: two columns each side and a row above.
pub fn inset(area: Rect) -> Rect {
    Rect::new(
        area.x + 2,
        area.y + 1,
        area.width.saturating_sub(4),
        area.height.saturating_sub(1),
    )
}

/// A screen's title line.
pub fn draw_title(text: &str, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    Paragraph::new(Line::styled(format!(" {text}"), theme::title())).render(area, buf);
}
