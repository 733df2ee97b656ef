//! The station passphrase asked full-screen before the desk opens: to open the encrypted file
//! (a wrong one is said and asked again), and on the first run to set one, proposed, typed
//! twice, a weak one refused; in Chinese and in English, with the keys on the bar and in F1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use crossterm::event::KeyCode;
use stationdesk::i18n::{set_thread_language, Language};
use stationdesk::store::{self, Unlock};
use stationdesk::tui::action::Action;
use stationdesk::tui::keymap::{action_for, KeyContext};
use stationdesk::tui::screens::unlock::{UnlockScreen, UnlockStep};

use common::screen::{key, render_unlock};

/// A key as the desk's key map turns it into an action, given to the screen.
fn press(screen: &mut UnlockScreen, code: KeyCode) -> UnlockStep {
    match action_for(screen.context(), key(code)) {
        Some(action) => screen.update(action),
        None => UnlockStep::Stay,
    }
}

fn type_text(screen: &mut UnlockScreen, text: &str) {
    for c in text.chars() {
        screen.update(Action::Input(key(KeyCode::Char(c))));
    }
}

#[test]
fn a_wrong_passphrase_is_said_and_the_right_one_opens_the_file() {
    set_thread_language(Language::Chinese);
    let fx = common::Fixture::new();
    drop(fx.station());
    let slots = store::Slots::load(&store::keys_path(&fx.path)).unwrap();
    let mut screen = UnlockScreen::open(slots);
    let shown = render_unlock(&screen, 80, 24);
    assert!(shown.contains("请输入工作站口令"), "{shown}");
    assert!(
        shown.contains("Enter 打开") && shown.contains("F1 帮助"),
        "{shown}"
    );
    type_text(&mut screen, "not the passphrase");
    assert!(matches!(
        press(&mut screen, KeyCode::Enter),
        UnlockStep::Stay
    ));
    let shown = render_unlock(&screen, 80, 24);
    assert!(shown.contains("口令不对"), "{shown}");
    // The typed passphrase is never drawn.
    assert!(!shown.contains("not the passphrase"), "{shown}");
    press(&mut screen, KeyCode::F(1));
    assert_eq!(screen.context(), KeyContext::Help);
    assert!(render_unlock(&screen, 80, 24).contains("打开"));
    press(&mut screen, KeyCode::Esc);
    type_text(&mut screen, common::PASSPHRASE);
    let UnlockStep::Done(unlock) = press(&mut screen, KeyCode::Enter) else {
        panic!("the right passphrase did not open it");
    };
    assert!(matches!(unlock, Unlock::Key(_)));
    assert!(store::Store::open(&fx.path, &unlock).is_ok());
    // Esc leaves without opening anything.
    let slots = store::Slots::load(&store::keys_path(&fx.path)).unwrap();
    let mut screen = UnlockScreen::open(slots);
    assert!(matches!(press(&mut screen, KeyCode::Esc), UnlockStep::Quit));
}

#[test]
fn a_new_station_passphrase_is_proposed_typed_twice_and_a_weak_one_refused() {
    set_thread_language(Language::Chinese);
    let mut screen = UnlockScreen::new_station();
    let shown = render_unlock(&screen, 80, 24);
    let proposal = match &screen.mode {
        stationdesk::tui::screens::unlock::UnlockMode::New { proposal } => proposal.clone(),
        _ => panic!("not a new station"),
    };
    assert!(shown.contains(&proposal), "{shown}");
    assert!(shown.contains("F2 换一个口令"), "{shown}");
    press(&mut screen, KeyCode::F(2));
    let shown = render_unlock(&screen, 80, 24);
    assert!(!shown.contains(&proposal) || proposal.is_empty(), "{shown}");
    // All digits: refused, said, and nothing set.
    type_text(&mut screen, "12345678901");
    assert!(matches!(
        press(&mut screen, KeyCode::Enter),
        UnlockStep::Stay
    ));
    assert!(render_unlock(&screen, 80, 24).contains("不能全是数字"));
    // A good one typed twice, the second differently: said, asked again.
    let mut screen = UnlockScreen::new_station();
    type_text(&mut screen, "meihua shanlu dongfeng");
    press(&mut screen, KeyCode::Enter);
    type_text(&mut screen, "meihua shanlu dongfenq");
    assert!(matches!(
        press(&mut screen, KeyCode::Enter),
        UnlockStep::Stay
    ));
    assert!(render_unlock(&screen, 80, 24).contains("两次输入的口令不一样"));
    type_text(&mut screen, "meihua shanlu dongfeng");
    let UnlockStep::Done(Unlock::Passphrase(set)) = press(&mut screen, KeyCode::Enter) else {
        panic!("the passphrase was not set");
    };
    assert_eq!(set.as_str(), "meihua shanlu dongfeng");
}

#[test]
fn the_question_reads_in_english_too() {
    set_thread_language(Language::English);
    let screen = UnlockScreen::new_station();
    let shown = render_unlock(&screen, 80, 24);
    assert!(
        shown.contains("Set a passphrase for the station"),
        "{shown}"
    );
    assert!(
        shown.contains("Station passphrase") && shown.contains("Once more"),
        "{shown}"
    );
    assert!(shown.contains("F1 help"), "{shown}");
}
