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
    (text_of(terminal.backend().buffer()), cursor)
}

/// Compares a screen with `tests/snapshots/<name>.snap`.
pub fn snapshot(name: &str, screen: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, screen);
    });
}

/// A key press without modifiers.
pub fn key(code: crossterm::event::KeyCode) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)
}

/// Ctrl and a letter.
pub fn ctrl(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char(c),
        crossterm::event::KeyModifiers::CONTROL,
    )
}

/// Types text a character at a time, as committed IME text arrives.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle_key(key(crossterm::event::KeyCode::Char(c)));
    }
}

/// Monday 2026-11-23, 09:30 local: the desk's clock in UI tests.
pub fn morning() -> chrono::DateTime<chrono::Local> {
    use chrono::TimeZone;
    chrono::Local
        .with_ymd_and_hms(2026, 11, 23, 9, 30, 0)
        .single()
        .expect("a plain local time")
}

/// Signs in the first active member, as a duty member does before changing anything, and
/// clears what the desk said about it.
pub fn on_duty(app: &mut App) {
    let member = app
        .desk
        .store
        .members_after(&stationdesk::store::MemberFilter::default(), None, 1)
        .expect("members")
        .into_iter()
        .next()
        .expect("a member to sign in");
    app.sign_in(member.meta.id, &member.fields.name);
    app.message = None;
}

/// A change asked while nobody is signed in opens the sign-in list first: the first member
/// in it signs in (Enter), and the change goes on.
pub fn sign_in_when_asked(app: &mut App) {
    let (screen, _) = render(app, app.desk.size.0, app.desk.size.1);
    assert!(
        screen.contains("先签到，再办理") || screen.contains("Sign in first"),
        "the sign-in list was not asked for:\n{screen}"
    );
    app.handle_key(key(crossterm::event::KeyCode::Enter));
    assert!(app.desk.signed_in.is_some(), "nobody signed in");
}

/// The full-screen passphrase question as text, as [`render`] gives the desk.
pub fn render_unlock(
    screen: &stationdesk::tui::screens::unlock::UnlockScreen,
    width: u16,
    height: u16,
) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|f| screen.draw(f)).expect("draw");
    text_of(terminal.backend().buffer())
}

/// A drawn buffer as text, one line a row, wide characters once.
fn text_of(buffer: &ratatui::buffer::Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut skip = 0;
        let mut line = String::new();
        for x in 0..area.width {
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
    out
}

/// The county desk drawn as text, one line a row.
pub fn render_county(app: &stationdesk::tui::county::CountyApp, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| stationdesk::tui::county::draw(f, app))
        .expect("draw");
    text_of(terminal.backend().buffer())
}
