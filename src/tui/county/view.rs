//! Drawing the county desk: the status line (the county database and the clock), the top
//! screen's title and body, the message line and the key bar, then the popups. Only draws.

use ratatui::layout::Position;
use ratatui::Frame;

use super::CountyApp;
use crate::text::sanitize;
use crate::tui::view::{draw_message, status_line, Areas, MIN_HEIGHT, MIN_WIDTH};
use crate::tui::widgets::keybar;

pub fn draw(frame: &mut Frame<'_>, app: &CountyApp) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        crate::tui::view::draw_too_small(frame, area);
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
    let left = format!(
        " {}  |  {}",
        crate::tr!("county_desk.status"),
        sanitize(&shown_target(app.desk.db.target()))
    );
    status_line(&left, app.desk.now, status, buf);

    let mut caret: Option<Position> = None;
    if let Some(layer) = app.layers().filter(|l| !l.is_popup()).last() {
        caret = layer.draw(&app.desk, title, body, buf);
    }
    draw_message(app.message.as_ref(), message, buf);
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
