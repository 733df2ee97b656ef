//! Drawing: the shell (status line, title, message, key bar) around the current screen, then
//! the popups. Only draws; changes nothing.

use chrono::Datelike;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::app::{App, SHELL_ROWS};
use super::screens::lock;
use super::theme;
use super::widgets::keybar;
use crate::domain::dates::weekday_key;
use crate::text::sanitize;

/// The smallest terminal the desk lays out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, area);
        return;
    }
    let buf = frame.buffer_mut();
    let Areas {
        status,
        title,
        body,
        message,
        keys,
    } = Areas::of(area);

    draw_status(app, status, buf);
    let mut caret: Option<Position> = None;
    // The top layer that fills the body; the popups above it are drawn over it.
    let filling = app.layers().filter(|l| !l.is_popup()).last();
    if app.locked {
        let name = app
            .desk
            .station
            .as_ref()
            .map(|s| s.name.as_str())
            .unwrap_or("");
        lock::render(name, app.desk.now, body, buf);
    } else if let Some(layer) = filling {
        caret = layer.draw(&app.desk, title, body, buf);
    }
    draw_message(app.message.as_ref(), message, buf);
    for popup in app.layers().filter(|l| l.is_popup()) {
        caret = popup.draw(&app.desk, title, body, buf);
    }
    keybar::render(app.context(), keys, buf);
    if let Some(position) = caret {
        // The real terminal cursor sits at the caret, so that the IME's candidate window
        // appears where the user types.
        frame.set_cursor_position(position);
    }
}

fn draw_status(app: &App, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    let station = app
        .desk
        .station
        .as_ref()
        .map(|s| sanitize(&s.name).into_owned())
        .unwrap_or_else(|| crate::tr!("status.no_station"));
    let who = if app.locked {
        crate::tr!("status.locked")
    } else {
        match &app.desk.signed_in {
            Some(s) => crate::tr!("status.on_duty", name = sanitize(&s.name)),
            None => crate::tr!("status.nobody"),
        }
    };
    status_line(&format!(" {station}  |  {who}"), app.desk.now, area, buf);
}

/// The rows of a desk's window: status, title, body, message, key bar.
pub(crate) struct Areas {
    pub status: Rect,
    pub title: Rect,
    pub body: Rect,
    pub message: Rect,
    pub keys: Rect,
}

impl Areas {
    /// The rows of `area` (at least the smallest size the desks lay out for).
    pub(crate) fn of(area: Rect) -> Areas {
        Areas {
            status: Rect::new(area.x, area.y, area.width, 1),
            title: Rect::new(area.x, area.y + 1, area.width, 1),
            body: Rect::new(area.x, area.y + 2, area.width, area.height - SHELL_ROWS),
            message: Rect::new(area.x, area.y + area.height - 2, area.width, 1),
            keys: Rect::new(area.x, area.y + area.height - 1, area.width, 1),
        }
    }
}

/// The status line: `left` (cut to fit) and the clock on the right.
pub(crate) fn status_line(
    left: &str,
    now: chrono::DateTime<chrono::Local>,
    area: Rect,
    buf: &mut ratatui::buffer::Buffer,
) {
    let clock = format!(
        "{} {} {}",
        now.format("%Y-%m-%d"),
        crate::tr!(weekday_key(now.weekday())),
        now.format("%H:%M")
    );
    let room = (area.width as usize).saturating_sub(clock.width() + 2);
    let left = crate::tui::widgets::single_line::start_of(left, room);
    let pad = (area.width as usize).saturating_sub(left.width() + clock.width() + 1);
    Paragraph::new(Line::from(vec![
        Span::raw(left),
        Span::raw(" ".repeat(pad)),
        Span::raw(clock),
        Span::raw(" "),
    ]))
    .style(theme::status())
    .render(area, buf);
}

/// The message line: what the last key led to, red when it went wrong.
pub(crate) fn draw_message(
    message: Option<&super::layer::Message>,
    area: Rect,
    buf: &mut ratatui::buffer::Buffer,
) {
    if let Some(msg) = message {
        let style = if msg.error {
            theme::error()
        } else {
            theme::success()
        };
        Paragraph::new(sanitize(&msg.text).into_owned())
            .style(style)
            .render(area, buf);
    }
}

pub(crate) fn draw_too_small(frame: &mut Frame<'_>, area: Rect) {
    let text = crate::tr!(
        "too_small",
        width = area.width,
        height = area.height,
        min_width = MIN_WIDTH,
        min_height = MIN_HEIGHT
    );
    crate::tui::widgets::wrapped::paragraph(vec![Line::raw(text)], area.width)
        .style(theme::focus_label())
        .render(area, frame.buffer_mut());
}
