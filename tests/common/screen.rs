//! Drawing the desk into ratatui's TestBackend, and insta snapshots of the result.

use ratatui::backend::TestBackend;
use ratatui::layout::Position;
use ratatui::Terminal;
use stationdesk::tui::app::App;
use stationdesk::tui::view;
use unicode_width::UnicodeWidthStr;

/// The screen as text, one line a row, wide characters once, and where the cursor was put.
pub fn render(app: &App, width: u16, height: u16) -> (String, Option<Position>) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    // A sentinel position: if drawing does not place the cursor, it stays here.
    let sentinel = Position::new(width - 1, height - 1);
    terminal.set_cursor_position(sentinel).expect("cursor");
    terminal.draw(|f| view::draw(f, app)).expect("draw");
    let cursor = Some(terminal.get_cursor_position().expect("cursor")).filter(|p| *p != sentinel);
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..height {
        let mut skip = 0;
        let mut line = String::new();
        for x in 0..width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            line.push_str(symbol);
            skip = symbol.width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    (out, cursor)
}

/// Compares a screen with `tests/snapshots/<name>.snap`.
pub fn snapshot(name: &str, screen: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, screen);
    });
}
