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
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .block(block(&crate::tr!("help.title")))
        .render(popup, buf);
}

/// A question with yes / no keys.
pub fn render_confirm(question: &str, hint: &str, area: Rect, buf: &mut Buffer) {
    let width = (question.width().max(hint.width()) as u16 + 6).min(area.width);
    let popup = centered(area, width.max(30), 6);
    Clear.render(popup, buf);
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
