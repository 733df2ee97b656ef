//! Centred popups: the help overlay, confirmations, messages.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use crate::tui::keymap::{self, KeyContext};
use crate::tui::theme;

/// A rectangle of at most `width` × `height`, centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// Clears `area` for a popup so that its borders stay whole whatever stood under it: a wide
/// (Chinese) character just left of the area, whose right half reaches into it, is cleared too
/// (a terminal would draw it over the popup's left border), and so is one cut at the right
/// edge.
pub fn clear(area: Rect, buf: &mut Buffer) {
    use ratatui::layout::Position;
    Clear.render(area, buf);
    for y in area.top()..area.bottom() {
        if area.x > buf.area.x {
            if let Some(cell) = buf.cell_mut(Position::new(area.x - 1, y)) {
                if cell.symbol().width() > 1 {
                    cell.set_symbol(" ");
                }
            }
        }
        // The cell after the area held the right half of a character now cleared.
        if let Some(cell) = buf.cell_mut(Position::new(area.right(), y)) {
            if cell.symbol().is_empty() {
                cell.set_symbol(" ");
            }
        }
    }
}

/// ASCII borders: box-drawing characters can take two columns in terminals set up for Chinese.
pub fn block(title: &str) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(ratatui::symbols::border::Set {
            top_left: "+",
            top_right: "+",
            bottom_left: "+",
            bottom_right: "+",
            vertical_left: "|",
            vertical_right: "|",
            horizontal_top: "-",
            horizontal_bottom: "-",
        })
        .title(Span::styled(format!(" {title} "), theme::title()))
        .style(theme::popup())
}

/// Every key of `context`, with what it does.
pub fn render_help(context: KeyContext, area: Rect, buf: &mut Buffer) {
    let rows = keymap::help(context);
    let key_width = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(4);
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|(keys, label)| {
            Line::from(vec![
                Span::styled(format!(" {keys:<key_width$} "), theme::focus_label()),
                Span::raw(format!(" {}", crate::tr!(*label))),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(" {}", crate::tr!("help.footer")),
        theme::hint(),
    ));
    let width = lines.iter().map(Line::width).max().unwrap_or(20) as u16 + 4;
    let popup = centered(area, width.max(30), lines.len() as u16 + 2);
    clear(popup, buf);
    Paragraph::new(lines)
        .block(block(&crate::tr!("help.title")))
        .render(popup, buf);
}

/// A question with yes / no keys.
pub fn render_confirm(question: &str, hint: &str, area: Rect, buf: &mut Buffer) {
    let width = (question.width().max(hint.width()) as u16 + 6).min(area.width);
    let popup = centered(area, width.max(30), 6);
    clear(popup, buf);
    super::wrapped::paragraph(
        vec![
            Line::raw(""),
            Line::raw(format!(" {question}")),
            Line::raw(""),
            Line::styled(format!(" {hint}"), theme::hint()),
        ],
        popup.width.saturating_sub(2),
    )
    .block(block(&crate::tr!("confirm.title")))
    .render(popup, buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Position;
    use ratatui::style::Style;

    #[test]
    fn a_popup_clears_the_wide_character_that_reaches_into_it() {
        let area = Rect::new(0, 0, 20, 2);
        let mut buf = Buffer::empty(area);
        for y in 0..2 {
            buf.set_string(0, y, "欧阳秀珍欧阳秀珍欧阳", Style::default());
        }
        // From an odd column: the character at columns 4-5 reaches into it, and the one at
        // 12-13 is cut at its right edge.
        let popup = Rect::new(5, 0, 8, 2);
        clear(popup, &mut buf);
        for y in 0..2 {
            assert_eq!(buf[Position::new(4, y)].symbol(), " ", "row {y}");
            assert_eq!(buf[Position::new(13, y)].symbol(), " ", "row {y}");
            assert_eq!(
                buf[Position::new(2, y)].symbol(),
                "阳",
                "row {y}: left alone"
            );
        }
    }
}
