//! Drawing the county desk: the status line (the county database and the clock), the top
//! screen's title and body, the message line and the key bar, then the popups. Only draws.

use chrono::Datelike;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::CountyApp;
use crate::domain::dates::weekday_key;
use crate::text::sanitize;
use crate::tui::layer::SHELL_ROWS;
use crate::tui::theme;
use crate::tui::view::{MIN_HEIGHT, MIN_WIDTH};
use crate::tui::widgets::keybar;

pub fn draw(frame: &mut Frame<'_>, app: &CountyApp) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        crate::tui::view::draw_too_small(frame, area);
        return;
    }
    let buf = frame.buffer_mut();
    let status = Rect::new(area.x, area.y, area.width, 1);
    let title = Rect::new(area.x, area.y + 1, area.width, 1);
    let body = Rect::new(area.x, area.y + 2, area.width, area.height - SHELL_ROWS);
    let message = Rect::new(area.x, area.y + area.height - 2, area.width, 1);
    let keys = Rect::new(area.x, area.y + area.height - 1, area.width, 1);

    let left = format!(
        " {}  |  {}",
        crate::tr!("county_desk.status"),
        sanitize(&shown_target(app.desk.db.target()))
    );
    let clock = format!(
        "{} {} {}",
        app.desk.now.format("%Y-%m-%d"),
        crate::tr!(weekday_key(app.desk.now.weekday())),
        app.desk.now.format("%H:%M")
    );
    let room = (area.width as usize).saturating_sub(clock.width() + 2);
    let left = crate::tui::widgets::single_line::start_of(&left, room);
    let pad = (area.width as usize).saturating_sub(left.width() + clock.width() + 1);
    Paragraph::new(Line::from(vec![
        Span::raw(left),
        Span::raw(" ".repeat(pad)),
        Span::raw(clock),
        Span::raw(" "),
    ]))
    .style(theme::status())
    .render(status, buf);

    let mut caret: Option<Position> = None;
    if let Some(layer) = app.layers().filter(|l| !l.is_popup()).last() {
        caret = layer.draw(&app.desk, title, body, buf);
    }
    if let Some(msg) = &app.message {
        let style = if msg.error {
            theme::error()
        } else {
            theme::success()
        };
        Paragraph::new(sanitize(&msg.text).into_owned())
            .style(style)
            .render(message, buf);
    }
    for popup in app.layers().filter(|l| l.is_popup()) {
        caret = popup.draw(&app.desk, title, body, buf);
    }
    keybar::render(app.context(), keys, buf);
    if let Some(position) = caret {
        frame.set_cursor_position(position);
    }
}

/// The county database as the status line names it: a file by its name, a PostgreSQL
/// database by its connection string without the password.
fn shown_target(target: &str) -> String {
    if crate::bundle::is_postgres_target(target) {
        return target.to_string();
    }
    std::path::Path::new(target)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| target.to_string())
}
