use super::*;
use crossterm::event::{KeyCode, KeyModifiers};

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn sample() -> Form {
    // Labels from the locale files, in Chinese whatever another test chose.
    crate::i18n::set_thread_language(crate::i18n::Language::Chinese);
    Form::new(vec![
        Field::text("name", crate::tr!("field.name"), "").required(),
        Field::choice(
            "sector",
            crate::tr!("field.sector"),
            vec![
                Choice::same("经济界"),
                Choice::same("教育界"),
                Choice::same("医药卫生界"),
            ],
            "教育界",
        ),
        Field::date("day", crate::tr!("field.date"), ""),
        Field::multiline("notes", crate::tr!("field.notes"), "", 3),
        Field::toggle("mediator", crate::tr!("field.mediator1"), false),
    ])
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
}

#[test]
fn movement_wraps_around() {
    let mut form = sample();
    assert_eq!(form.context(), KeyContext::FormText);
    form.next_field();
    assert_eq!(form.context(), KeyContext::FormChoice);
    form.prev_field();
    form.prev_field();
    assert_eq!(form.focus, 4);
    assert_eq!(form.context(), KeyContext::FormToggle);
    form.next_field();
    assert_eq!(form.focus, 0);
}

#[test]
fn required_and_dates_are_checked_and_the_first_bad_field_gets_focus() {
    let mut form = sample();
    form.focus_field("day");
    for c in "2026-02-30".chars() {
        form.input(key(c));
    }
    form.focus_field("notes");
    assert!(!form.check(today()));
    assert_eq!(form.focus, 0);
    assert!(form.fields[0].error.is_some());
    assert!(form.fields[2].error.is_some());
    form.input(key('张'));
    assert!(
        form.fields[0].error.is_none(),
        "typing clears the field's error"
    );
    form.focus_field("day");
    for _ in 0..10 {
        form.input(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }
    for c in "今天".chars() {
        form.input(key(c));
    }
    assert!(form.check(today()));
}

#[test]
fn dirty_check_follows_values_not_keystrokes() {
    let mut form = sample();
    assert!(!form.is_dirty());
    form.input(key('李'));
    assert!(form.is_dirty());
    form.input(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    assert!(!form.is_dirty());
    form.focus_field("mediator");
    form.cycle_option(1);
    assert!(form.is_dirty());
    form.mark_saved();
    assert!(!form.is_dirty());
}

#[test]
fn selection_lists_filter_as_you_type() {
    let mut form = sample();
    form.focus_field("sector");
    assert_eq!(form.value("sector"), "教育界");
    form.input(key('医'));
    assert_eq!(form.value("sector"), "医药卫生界");
    form.next_field();
    assert_eq!(form.value("sector"), "医药卫生界");
    form.prev_field();
    // Pinyin initials filter too.
    for c in "jj".chars() {
        form.input(key(c));
    }
    assert_eq!(form.value("sector"), "经济界");
    form.cycle_option(1);
    assert_eq!(form.value("sector"), "经济界", "only one option matches jj");
    // A filter that matches nothing leaves nothing chosen, not the old choice.
    form.input(key('q'));
    assert!(form.fields[1].matches().is_empty());
    assert_eq!(form.value("sector"), "");
    form.input(KeyEvent::new(
        crossterm::event::KeyCode::Backspace,
        crossterm::event::KeyModifiers::NONE,
    ));
    assert_eq!(form.value("sector"), "经济界");
}

#[test]
fn paste_is_text_and_single_lines_stay_single() {
    let mut form = sample();
    form.paste("张三\n李四\x1b[2J");
    assert_eq!(form.value("name"), "张三 李四[2J");
    assert_eq!(form.focus, 0, "a pasted newline does not move or submit");
    form.focus_field("notes");
    form.paste("第一行\r\n第二行");
    assert_eq!(form.value("notes"), "第一行\n第二行");
}

#[test]
fn multiline_enter_is_a_new_line() {
    let mut form = sample();
    form.focus_field("notes");
    form.input(key('一'));
    form.input(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    form.input(key('二'));
    assert_eq!(form.value("notes"), "一\n二");
    form.focus_field("name");
    form.input(key('甲'));
    form.input(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert_eq!(form.value("name"), "甲");
}

#[test]
fn the_caret_sits_after_wide_characters() {
    let mut form = sample();
    for c in "张三".chars() {
        form.input(key(c));
    }
    let area = Rect::new(0, 0, 60, 10);
    let mut buf = Buffer::empty(area);
    let caret = form.render(area, &mut buf).unwrap_or_default();
    // Label column: "调解记录" is the widest label (8 columns + 2 of padding).
    let label_width = crate::tr!("field.notes").width() as u16 + 2;
    assert_eq!(caret, Position::new(label_width + 4, 0));
}
