//! The one key map: which key does what in which context. The key bar and the help overlay are
//! generated from the same table, so they always say what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

mod table;

/// Where the keyboard focus is; each context has its own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    Home,
    /// A record list with type-to-filter.
    List,
    /// The recycle bin view of a list.
    DeletedList,
    /// The intake list (no typing: filters are a form).
    IntakeList,
    /// One intake with its history.
    IntakeDetail,
    /// Consultations: the 4+X and the three lists.
    Consult,
    /// One topic.
    TopicDetail,
    /// One meeting.
    MeetingDetail,
    /// One public-opinion report.
    ReportDetail,
    /// The full-screen minutes editor.
    MinutesEditor,
    /// The search box of the minutes editor.
    MinutesSearch,
    /// The roster's month grid.
    Roster,
    /// One day of the roster.
    RosterDay,
    /// The duty report.
    RosterReport,
    /// A rotation's preview, waiting to be applied.
    RosterPreview,
    /// The mediation case list.
    CaseList,
    /// One mediation case with its sessions and history.
    CaseDetail,
    /// Members' activities (履职活动).
    ActivityList,
    /// One activity.
    ActivityDetail,
    /// A member's record (履职档案).
    MemberRecord,
    /// The year's assessment table.
    Assessment,
    /// The records behind a figure of a record.
    RecordsBehind,
    /// The month's figures.
    MonthStats,
    /// The search box and its results.
    Search,
    /// The county export screen.
    Export,
    /// The documents the desk wrote.
    Documents,
    /// The popup after a document was written.
    DocumentReady,
    /// A form whose focused field is a single-line text.
    FormText,
    /// A form whose focused field is multi-line text.
    FormMultiline,
    /// A form whose focused field is a selection list.
    FormChoice,
    /// A form whose focused field is yes/no.
    FormToggle,
    /// A list to pick from (sign-in).
    Picker,
    /// The PIN prompt.
    Pin,
    /// The station passphrase, before the desk opens.
    Unlock,
    /// A new station passphrase (the first run), typed twice.
    NewPassphrase,
    Confirm,
    Help,
    Lock,
    /// The county desk: every station.
    CountyStations,
    /// The county desk: one station.
    CountyStation,
    /// The county desk: members across the county.
    CountyMembers,
    /// The county desk: search across every station.
    CountySearch,
    /// The county desk: one record, read-only.
    CountyRecord,
    /// The county desk: a member's record.
    CountyMemberRecord,
    /// The county desk: the records behind a member's grade.
    CountyEntries,
    /// The county desk: what the county is asking about (热点诉求).
    CountyHot,
    /// The county desk: visits behind a figure, or the proposed topics.
    CountyRequests,
    /// The county desk: the folder to import from, being typed.
    CountyFolder,
    /// The county desk: a folder's bundles, their import.
    CountyImport,
    /// The county desk: why a station is re-installed under its code, being typed.
    CountyReason,
}

/// One key and its name as shown to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            modifiers: KeyModifiers::NONE,
        }
    }

    const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            modifiers: KeyModifiers::CONTROL,
        }
    }

    const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    fn matches(&self, event: &KeyEvent) -> bool {
        let mut modifiers = event.modifiers;
        // Shift is part of the character for printable keys, and BackTab carries it too.
        if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        let code = match event.code {
            KeyCode::Char(c) if self.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        code == self.code && modifiers == self.modifiers
    }

    /// The key's name on the key bar and in help.
    pub fn label(&self) -> String {
        let name = match self.code {
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::Up => "Up".to_string(),
            KeyCode::Down => "Down".to_string(),
            KeyCode::Left => "Left".to_string(),
            KeyCode::Right => "Right".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::Insert => "Ins".to_string(),
            KeyCode::Delete => "Del".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            other => format!("{other:?}"),
        };
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", name.to_uppercase())
        } else {
            name
        }
    }
}

/// A row of the key table.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: KeyContext,
    pub keys: &'static [Key],
    pub action: Action,
    /// Locale key of what the action does.
    pub label: &'static str,
    /// Shown on the key bar (every binding is in the help overlay).
    pub in_bar: bool,
}

/// The whole key table, built once. Order is the order of the key bar and the help overlay.
pub fn bindings() -> &'static [Binding] {
    static TABLE: std::sync::OnceLock<Vec<Binding>> = std::sync::OnceLock::new();
    TABLE.get_or_init(table::build_table)
}

/// Whether typing goes to a text editor in this context.
fn takes_text(context: KeyContext) -> bool {
    matches!(
        context,
        KeyContext::List
            | KeyContext::FormText
            | KeyContext::FormMultiline
            | KeyContext::FormChoice
            | KeyContext::Picker
            | KeyContext::Pin
            | KeyContext::Unlock
            | KeyContext::NewPassphrase
            | KeyContext::Search
            | KeyContext::MinutesEditor
            | KeyContext::MinutesSearch
            | KeyContext::CountySearch
            | KeyContext::CountyFolder
            | KeyContext::CountyReason
    )
}

/// Turns a key press into an action in `context`.
pub fn action_for(context: KeyContext, key: KeyEvent) -> Option<Action> {
    for binding in bindings().iter().filter(|b| b.context == context) {
        if binding.keys.iter().any(|k| k.matches(&key)) {
            return Some(binding.action.clone());
        }
    }
    if takes_text(context) {
        let editing = matches!(
            key.code,
            KeyCode::Char(_)
                | KeyCode::Backspace
                | KeyCode::Delete
                | KeyCode::Left
                | KeyCode::Right
                | KeyCode::Home
                | KeyCode::End
                | KeyCode::Up
                | KeyCode::Down
                | KeyCode::Enter
                | KeyCode::Tab
        );
        if editing {
            return Some(Action::Input(key));
        }
    }
    None
}

/// The key bar of a context: `(keys, label key)` pairs.
pub fn bar(context: KeyContext) -> Vec<(String, &'static str)> {
    let mut bar: Vec<(String, &'static str)> = bindings()
        .iter()
        .filter(|b| b.context == context && b.in_bar)
        .map(|b| {
            (
                b.keys.iter().map(Key::label).collect::<Vec<_>>().join("/"),
                b.label,
            )
        })
        .collect();
    // Help first, so that it is on the bar however narrow the window.
    bar.sort_by_key(|(_, label)| *label != "keys.help");
    bar
}

/// The keys a multi-line editor takes itself (not actions of the key table), for the help
/// overlay: what each does is the editor's (`widgets::single_line::edit_key`).
const EDITING_KEYS: [(&str, &str); 6] = [
    ("Up / Down", "keys.edit_rows"),
    ("Home / End", "keys.edit_row_ends"),
    ("Ctrl-Home / Ctrl-End", "keys.edit_text_ends"),
    ("Ctrl-Left / Ctrl-Right", "keys.edit_word"),
    ("Shift + Up/Down/Left/Right", "keys.edit_select"),
    ("Ctrl-C / Ctrl-X / Ctrl-V", "keys.edit_clipboard"),
];

/// Every binding of a context, for the help overlay; a text editor's own keys after them.
pub fn help(context: KeyContext) -> Vec<(String, &'static str)> {
    let mut rows: Vec<(String, &'static str)> = bindings()
        .iter()
        .filter(|b| b.context == context)
        .map(|b| {
            (
                b.keys
                    .iter()
                    .map(Key::label)
                    .collect::<Vec<_>>()
                    .join(" / "),
                b.label,
            )
        })
        .collect();
    if matches!(
        context,
        KeyContext::FormMultiline | KeyContext::MinutesEditor
    ) {
        rows.extend(
            EDITING_KEYS
                .iter()
                .map(|(keys, label)| (keys.to_string(), *label)),
        );
        // In the minutes editor PgUp/PgDn page the text; in a form too, unless it has
        // sections, which they go between (their own row above).
        rows.push(("PgUp / PgDn".to_string(), "keys.edit_page"));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn the_same_key_means_different_things_by_context() {
        let q = press(KeyCode::Char('q'));
        assert_eq!(action_for(KeyContext::Home, q), Some(Action::Quit));
        assert_eq!(action_for(KeyContext::List, q), Some(Action::Input(q)));
        assert_eq!(action_for(KeyContext::FormText, q), Some(Action::Input(q)));
        let question = press(KeyCode::Char('?'));
        assert_eq!(action_for(KeyContext::List, question), Some(Action::Help));
        assert_eq!(
            action_for(KeyContext::FormText, question),
            Some(Action::Input(question))
        );
    }

    #[test]
    fn forms_move_and_save() {
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(action_for(KeyContext::FormText, ctrl_s), Some(Action::Save));
        assert_eq!(
            action_for(KeyContext::FormMultiline, ctrl_s),
            Some(Action::Save)
        );
        assert_eq!(
            action_for(KeyContext::FormText, press(KeyCode::Tab)),
            Some(Action::NextField)
        );
        assert_eq!(
            action_for(
                KeyContext::FormText,
                KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
            ),
            Some(Action::PrevField)
        );
        assert_eq!(
            action_for(KeyContext::FormText, press(KeyCode::Up)),
            Some(Action::PrevField)
        );
        assert_eq!(
            action_for(KeyContext::FormText, press(KeyCode::Enter)),
            Some(Action::NextField)
        );
        // In a multi-line field Enter is a new line and the arrows move inside the text.
        let enter = press(KeyCode::Enter);
        assert_eq!(
            action_for(KeyContext::FormMultiline, enter),
            Some(Action::Input(enter))
        );
        let up = press(KeyCode::Up);
        assert_eq!(
            action_for(KeyContext::FormMultiline, up),
            Some(Action::Input(up))
        );
        assert_eq!(
            action_for(KeyContext::FormChoice, press(KeyCode::Right)),
            Some(Action::NextOption)
        );
        assert_eq!(
            action_for(KeyContext::FormText, press(KeyCode::Esc)),
            Some(Action::Back)
        );
    }

    #[test]
    fn help_and_quit_everywhere_they_should_be() {
        for ctx in [
            KeyContext::Home,
            KeyContext::List,
            KeyContext::FormText,
            KeyContext::Picker,
        ] {
            assert_eq!(
                action_for(ctx, press(KeyCode::F(1))),
                Some(Action::Help),
                "{ctx:?}"
            );
        }
        assert_eq!(
            action_for(KeyContext::FormMultiline, press(KeyCode::F(10))),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(KeyContext::Lock, press(KeyCode::Char('m'))),
            None
        );
    }

    #[test]
    fn the_bar_is_made_from_the_table() {
        let bar = bar(KeyContext::Home);
        assert!(bar.contains(&("F1/?".to_string(), "keys.help")));
        assert!(bar.contains(&("q/F10".to_string(), "keys.quit")));
        let help = help(KeyContext::List);
        assert!(help
            .iter()
            .any(|(k, l)| k == "Ins / Ctrl-N" && *l == "keys.new"));
    }

    #[test]
    fn every_label_has_a_message_in_both_languages() {
        use crate::i18n::{set_thread_language, Language};
        for language in [Language::Chinese, Language::English] {
            set_thread_language(language);
            for binding in bindings() {
                let text = crate::tr!(binding.label);
                assert!(
                    !text.contains(binding.label),
                    "missing {} in {language:?}",
                    binding.label
                );
            }
        }
    }
}
