//! The lock screen: no personal data, only the station, the time and how to unlock.

use chrono::{DateTime, Local};
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::text::sanitize;
use crate::tui::theme;

pub fn render(station_name: &str, now: DateTime<Local>, area: Rect, buf: &mut Buffer) {
    let lines = vec![
        Line::styled(sanitize(station_name).into_owned(), theme::title()),
        Line::raw(""),
        Line::raw(now.format("%Y-%m-%d %H:%M").to_string()),
        Line::raw(""),
        Line::styled(crate::tr!("lock.locked"), theme::focus_label()),
        Line::raw(crate::tr!("lock.how")),
    ];
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    Paragraph::new(lines).alignment(Alignment::Center).render(
        Rect::new(
            area.x,
            top,
            area.width,
            area.height.saturating_sub(top - area.y),
        ),
        buf,
    );
}
