//! The key table: which keys do what, in which context. Data, read by the mechanism in
//! `keymap`; the key bar and the help overlay are made from it, in its order.

use crossterm::event::{KeyCode, KeyModifiers};

use super::{Binding, Key, KeyContext};
use crate::tui::action::Action;

const F1: Key = Key::plain(KeyCode::F(1));
const QMARK: Key = Key::ch('?');
const F10: Key = Key::plain(KeyCode::F(10));
const ESC: Key = Key::plain(KeyCode::Esc);
const ENTER: Key = Key::plain(KeyCode::Enter);
const UP: Key = Key::plain(KeyCode::Up);
const DOWN: Key = Key::plain(KeyCode::Down);
const LEFT: Key = Key::plain(KeyCode::Left);
const RIGHT: Key = Key::plain(KeyCode::Right);
const TAB: Key = Key::plain(KeyCode::Tab);
const BACKTAB: Key = Key {
    code: KeyCode::BackTab,
    modifiers: KeyModifiers::NONE,
};
const PGUP: Key = Key::plain(KeyCode::PageUp);
const PGDN: Key = Key::plain(KeyCode::PageDown);
const HOME: Key = Key::plain(KeyCode::Home);
const END: Key = Key::plain(KeyCode::End);
const CTRL_S: Key = Key::ctrl('s');

macro_rules! bind {
    ($ctx:ident, [$($key:expr),+], $action:expr, $label:literal, $bar:literal) => {
        Binding {
            context: KeyContext::$ctx,
            keys: {
                const KEYS: &[Key] = &[$($key),+];
                KEYS
            },
            action: $action,
            label: $label,
            in_bar: $bar,
        }
    };
}

pub(super) fn build_table() -> Vec<Binding> {
    use Action::*;
    let mut table = vec![
        // The home screen: the top level.
        bind!(
            Home,
            [Key::plain(KeyCode::F(3))],
            QuickEntry,
            "keys.quick_entry",
            true
        ),
        bind!(Home, [Key::ch('v')], OpenIntakes, "keys.intakes", true),
        bind!(
            Home,
            [Key::ch('/'), Key::ctrl('f')],
            OpenSearch,
            "keys.search",
            true
        ),
        bind!(Home, [Key::ch('c')], OpenCases, "keys.cases", true),
        bind!(Home, [Key::ch('r')], OpenRoster, "keys.roster", true),
        bind!(Home, [Key::ch('k')], OpenConsult, "keys.consult", true),
        bind!(Home, [Key::ch('m')], OpenMembers, "keys.members", true),
        bind!(
            Home,
            [Key::ch('a')],
            OpenActivities,
            "keys.activities",
            true
        ),
        bind!(Home, [Key::ch('t')], OpenStats, "keys.month_stats", true),
        bind!(Home, [Key::ch('e')], OpenExport, "keys.export", true),
        bind!(Home, [Key::ch('d')], OpenDocuments, "keys.documents", true),
        bind!(Home, [Key::ch('s')], SignIn, "keys.sign_in", true),
        bind!(Home, [Key::ch('o')], SignOut, "keys.sign_out", true),
        bind!(Home, [Key::ch('l')], Lock, "keys.lock", true),
        bind!(Home, [Key::ch('g')], OpenSettings, "keys.settings", true),
        bind!(Home, [F1, QMARK], Help, "keys.help", true),
        bind!(Home, [Key::ch('q'), F10], Quit, "keys.quit", true),
        // Record lists (the member registry).
        bind!(List, [ENTER], Open, "keys.member_record", true),
        bind!(List, [Key::plain(KeyCode::F(2))], Edit, "keys.edit", true),
        bind!(
            List,
            [Key::plain(KeyCode::F(7))],
            OpenAssessment,
            "keys.assessment",
            true
        ),
        bind!(
            List,
            [Key::plain(KeyCode::F(3))],
            QuickEntry,
            "keys.quick_entry",
            false
        ),
        bind!(List, [Key::ctrl('f')], OpenSearch, "keys.search", false),
        bind!(
            List,
            [Key::plain(KeyCode::Insert), Key::ctrl('n')],
            New,
            "keys.new",
            true
        ),
        bind!(
            List,
            [Key::plain(KeyCode::F(4))],
            ToggleActive,
            "keys.toggle_active",
            true
        ),
        bind!(
            List,
            [Key::plain(KeyCode::Delete), Key::plain(KeyCode::F(8))],
            Delete,
            "keys.delete",
            true
        ),
        bind!(
            List,
            [Key::plain(KeyCode::F(6))],
            ToggleDeletedView,
            "keys.deleted_view",
            true
        ),
        // The intake list.
        bind!(IntakeList, [ENTER], Open, "keys.open", true),
        bind!(
            IntakeList,
            [Key::plain(KeyCode::F(3)), Key::plain(KeyCode::Insert)],
            QuickEntry,
            "keys.quick_entry",
            true
        ),
        bind!(
            IntakeList,
            [Key::plain(KeyCode::F(4))],
            Filter,
            "keys.filter",
            true
        ),
        bind!(
            IntakeList,
            [Key::plain(KeyCode::F(5))],
            ToggleUrgent,
            "keys.urgent",
            true
        ),
        bind!(
            IntakeList,
            [Key::ch('/'), Key::ctrl('f')],
            OpenSearch,
            "keys.search",
            true
        ),
        bind!(
            IntakeList,
            [Key::ch('x')],
            WriteRegister,
            "keys.register",
            false
        ),
        bind!(IntakeList, [Key::ch(' ')], ToggleMark, "keys.mark", false),
        bind!(
            IntakeList,
            [Key::ch('t')],
            TopicFromIntakes,
            "keys.topic_from_intakes",
            false
        ),
        bind!(
            IntakeList,
            [Key::ch('p')],
            ReportFromIntakes,
            "keys.report_from_intakes",
            false
        ),
        // One intake.
        bind!(
            IntakeDetail,
            [Key::ch('1')],
            AnswerOnTheSpot,
            "keys.answer_on_spot",
            true
        ),
        bind!(IntakeDetail, [Key::ch('2')], Refer, "keys.refer", true),
        bind!(
            IntakeDetail,
            [Key::ch('8')],
            CloseFromCase,
            "keys.close_from_case",
            false
        ),
        bind!(
            IntakeDetail,
            [Key::ch('3')],
            RecordFeedback,
            "keys.feedback",
            true
        ),
        bind!(
            IntakeDetail,
            [Key::ch('4')],
            RecordFollowUp,
            "keys.follow_up",
            true
        ),
        bind!(
            IntakeDetail,
            [Key::ch('5')],
            CloseIntake,
            "keys.close_intake",
            true
        ),
        bind!(IntakeDetail, [Key::ch('6')], Reopen, "keys.reopen", true),
        bind!(
            IntakeDetail,
            [Key::ch('7')],
            ConvertToCase,
            "keys.convert_case",
            true
        ),
        bind!(
            IntakeDetail,
            [Key::plain(KeyCode::F(2))],
            Edit,
            "keys.edit",
            true
        ),
        bind!(
            IntakeDetail,
            [Key::plain(KeyCode::Delete), Key::plain(KeyCode::F(8))],
            Delete,
            "keys.delete",
            false
        ),
        bind!(
            IntakeDetail,
            [Key::plain(KeyCode::F(3))],
            QuickEntry,
            "keys.quick_entry",
            false
        ),
        bind!(
            IntakeDetail,
            [Key::ch('/'), Key::ctrl('f')],
            OpenSearch,
            "keys.search",
            false
        ),
        // Consultations.
        bind!(Consult, [ENTER], Open, "keys.open", true),
        bind!(
            Consult,
            [
                Key::plain(KeyCode::Insert),
                Key::plain(KeyCode::F(2)),
                Key::ctrl('n')
            ],
            New,
            "keys.new",
            true
        ),
        bind!(Consult, [Key::ch('1')], ShowTab(1), "keys.tab_topics", true),
        bind!(
            Consult,
            [Key::ch('2')],
            ShowTab(2),
            "keys.tab_meetings",
            true
        ),
        bind!(
            Consult,
            [Key::ch('3')],
            ShowTab(3),
            "keys.tab_reports",
            true
        ),
        bind!(
            Consult,
            [Key::ch('/'), Key::ctrl('f')],
            OpenSearch,
            "keys.search",
            false
        ),
        // One topic.
        bind!(
            TopicDetail,
            [Key::ch('d')],
            DecideTopic,
            "keys.decide_topic",
            true
        ),
        bind!(TopicDetail, [Key::ch('r')], Research, "keys.research", true),
        bind!(
            TopicDetail,
            [Key::ch('m')],
            NewMeeting,
            "keys.new_meeting",
            true
        ),
        bind!(
            TopicDetail,
            [Key::ch('n')],
            AdvanceTopic,
            "keys.advance_topic",
            true
        ),
        bind!(
            TopicDetail,
            [Key::ch('a')],
            AnswerVisits,
            "keys.answer_visits",
            true
        ),
        bind!(
            TopicDetail,
            [Key::ch('o')],
            ReopenClosed,
            "keys.topic_reopen",
            false
        ),
        bind!(
            TopicDetail,
            [Key::plain(KeyCode::F(2))],
            Edit,
            "keys.edit",
            true
        ),
        // One meeting.
        bind!(
            MeetingDetail,
            [Key::ch('e')],
            EditMinutes,
            "keys.edit_minutes",
            true
        ),
        bind!(
            MeetingDetail,
            [Key::ch('a')],
            AddRecommendation,
            "keys.add_recommendation",
            true
        ),
        bind!(
            MeetingDetail,
            [Key::ch('s')],
            SubmitRecommendation,
            "keys.submit_recommendation",
            true
        ),
        bind!(
            MeetingDetail,
            [Key::ch('f')],
            RecommendationFeedback,
            "keys.recommendation_feedback",
            true
        ),
        bind!(
            MeetingDetail,
            [Key::ch('w')],
            WriteMinutes,
            "keys.write_minutes",
            true
        ),
        bind!(
            MeetingDetail,
            [Key::plain(KeyCode::F(2))],
            Edit,
            "keys.edit",
            true
        ),
        bind!(MeetingDetail, [UP], Up, "keys.prev_recommendation", false),
        bind!(
            MeetingDetail,
            [DOWN],
            Down,
            "keys.next_recommendation",
            false
        ),
        bind!(MeetingDetail, [PGUP], PageUp, "keys.page_up", false),
        bind!(MeetingDetail, [PGDN], PageDown, "keys.page_down", false),
        bind!(MeetingDetail, [F1, QMARK], Help, "keys.help", true),
        bind!(MeetingDetail, [ESC], Back, "keys.back", true),
        bind!(MeetingDetail, [F10], Quit, "keys.quit", false),
        // One report.
        bind!(
            ReportDetail,
            [Key::ch('s')],
            SubmitReport,
            "keys.submit_report",
            true
        ),
        bind!(
            ReportDetail,
            [Key::ch('o')],
            ReportResult,
            "keys.report_result",
            true
        ),
        bind!(
            ReportDetail,
            [Key::ch('a')],
            AnswerVisits,
            "keys.answer_visits",
            true
        ),
        bind!(
            ReportDetail,
            [Key::plain(KeyCode::F(2))],
            Edit,
            "keys.edit",
            true
        ),
        // The minutes editor: typing is text; these keys are commands.
        bind!(MinutesEditor, [CTRL_S], Save, "keys.save", true),
        bind!(MinutesEditor, [Key::ctrl('z')], Undo, "keys.undo", true),
        bind!(MinutesEditor, [Key::ctrl('y')], Redo, "keys.redo", true),
        bind!(MinutesEditor, [Key::ctrl('f')], Find, "keys.find", true),
        bind!(MinutesEditor, [F1], Help, "keys.help", true),
        bind!(MinutesEditor, [ESC], Back, "keys.leave_form", true),
        bind!(MinutesEditor, [F10], Quit, "keys.quit", false),
        bind!(
            MinutesSearch,
            [ENTER, Key::ctrl('f')],
            Find,
            "keys.find_next",
            true
        ),
        bind!(MinutesSearch, [CTRL_S], Save, "keys.save", true),
        bind!(MinutesSearch, [ESC], Back, "keys.close_find", true),
        bind!(MinutesSearch, [F1], Help, "keys.help", true),
        // The roster's month grid.
        bind!(Roster, [ENTER], Open, "keys.open_day", true),
        bind!(Roster, [Key::ch('g')], Generate, "keys.generate", true),
        bind!(
            Roster,
            [Key::ch('t')],
            ToggleReport,
            "keys.duty_report",
            true
        ),
        bind!(
            Roster,
            [Key::ch('x')],
            ExportRoster,
            "keys.export_roster",
            true
        ),
        bind!(Roster, [PGUP], PageUp, "keys.prev_month", true),
        bind!(Roster, [PGDN], PageDown, "keys.next_month", true),
        bind!(Roster, [HOME], First, "keys.today", false),
        bind!(Roster, [UP], Up, "keys.prev_week", false),
        bind!(Roster, [DOWN], Down, "keys.next_week", false),
        bind!(Roster, [LEFT], Left, "keys.prev_day", false),
        bind!(Roster, [RIGHT], Right, "keys.next_day", false),
        bind!(
            Roster,
            [Key::plain(KeyCode::F(3))],
            QuickEntry,
            "keys.quick_entry",
            false
        ),
        bind!(Roster, [F1, QMARK], Help, "keys.help", true),
        bind!(Roster, [ESC], Back, "keys.back", true),
        bind!(Roster, [F10], Quit, "keys.quit", false),
        // One day of the roster.
        bind!(
            RosterDay,
            [Key::plain(KeyCode::Insert), Key::ch('a')],
            AddShift,
            "keys.add_shift",
            true
        ),
        bind!(
            RosterDay,
            [Key::ch('s')],
            SwapShift,
            "keys.swap_shift",
            true
        ),
        bind!(
            RosterDay,
            [Key::ch('l')],
            LeaveShift,
            "keys.leave_shift",
            true
        ),
        bind!(
            RosterDay,
            [Key::plain(KeyCode::Delete), Key::plain(KeyCode::F(8))],
            Delete,
            "keys.remove_shift",
            true
        ),
        bind!(RosterDay, [UP], Up, "keys.up", false),
        bind!(RosterDay, [DOWN], Down, "keys.down", false),
        bind!(RosterDay, [LEFT], Left, "keys.prev_day", false),
        bind!(RosterDay, [RIGHT], Right, "keys.next_day", false),
        bind!(RosterDay, [F1, QMARK], Help, "keys.help", true),
        bind!(RosterDay, [ESC], Back, "keys.back", true),
        bind!(RosterDay, [F10], Quit, "keys.quit", false),
        // The duty report.
        bind!(
            RosterReport,
            [Key::ch('y')],
            ToggleYear,
            "keys.month_year",
            true
        ),
        bind!(RosterReport, [ENTER], Open, "keys.member_record", true),
        bind!(RosterReport, [UP], Up, "keys.up", false),
        bind!(RosterReport, [DOWN], Down, "keys.down", false),
        bind!(RosterReport, [PGUP], PageUp, "keys.prev_month", true),
        bind!(RosterReport, [PGDN], PageDown, "keys.next_month", true),
        bind!(RosterReport, [F1, QMARK], Help, "keys.help", true),
        bind!(RosterReport, [ESC, Key::ch('t')], Back, "keys.back", true),
        bind!(RosterReport, [F10], Quit, "keys.quit", false),
        // A rotation's preview.
        bind!(
            RosterPreview,
            [ENTER, Key::ch('y')],
            Choose,
            "keys.apply_rotation",
            true
        ),
        bind!(RosterPreview, [F1], Help, "keys.help", true),
        bind!(RosterPreview, [ESC], Back, "keys.back_to_form", true),
        bind!(RosterPreview, [F10], Quit, "keys.quit", false),
        // A member's record, the assessment, the records behind a figure, the month.
        bind!(MemberRecord, [ENTER], Open, "keys.records_behind", true),
        bind!(MemberRecord, [LEFT], Left, "keys.prev_year", true),
        bind!(MemberRecord, [RIGHT], Right, "keys.next_year", true),
        bind!(
            MemberRecord,
            [Key::ch('y')],
            ToggleYear,
            "keys.year_term",
            true
        ),
        bind!(
            MemberRecord,
            [Key::ch('w')],
            WriteRecord,
            "keys.write_record",
            true
        ),
        bind!(Assessment, [ENTER], Open, "keys.member_record", true),
        bind!(Assessment, [Key::ch('s')], Sort, "keys.sort", true),
        bind!(Assessment, [LEFT], Left, "keys.prev_year", true),
        bind!(Assessment, [RIGHT], Right, "keys.next_year", true),
        bind!(
            Assessment,
            [Key::ch('w')],
            WriteRecord,
            "keys.write_xlsx",
            true
        ),
        bind!(RecordsBehind, [ENTER], Open, "keys.open", true),
        bind!(MonthStats, [LEFT], Left, "keys.prev_month", true),
        bind!(MonthStats, [RIGHT], Right, "keys.next_month", true),
        bind!(
            MonthStats,
            [Key::ch('w')],
            WriteRecord,
            "keys.write_xlsx",
            true
        ),
        // Members' activities.
        bind!(ActivityList, [ENTER], Open, "keys.open", true),
        bind!(
            ActivityList,
            [
                Key::plain(KeyCode::Insert),
                Key::plain(KeyCode::F(2)),
                Key::ctrl('n')
            ],
            New,
            "keys.new_activity",
            true
        ),
        bind!(
            ActivityList,
            [Key::ch('/'), Key::ctrl('f')],
            OpenSearch,
            "keys.search",
            true
        ),
        bind!(
            ActivityList,
            [Key::plain(KeyCode::F(3))],
            QuickEntry,
            "keys.quick_entry",
            false
        ),
        bind!(
            ActivityDetail,
            [Key::plain(KeyCode::F(2))],
            Edit,
            "keys.edit",
            true
        ),
        bind!(
            ActivityDetail,
            [Key::plain(KeyCode::Delete), Key::plain(KeyCode::F(8))],
            Delete,
            "keys.delete",
            true
        ),
        // The mediation case list.
        bind!(CaseList, [ENTER], Open, "keys.open", true),
        bind!(
            CaseList,
            [
                Key::plain(KeyCode::Insert),
                Key::plain(KeyCode::F(2)),
                Key::ctrl('n')
            ],
            New,
            "keys.new_case",
            true
        ),
        bind!(
            CaseList,
            [Key::plain(KeyCode::F(4))],
            Filter,
            "keys.filter",
            true
        ),
        bind!(
            CaseList,
            [Key::plain(KeyCode::F(5))],
            ToggleUrgent,
            "keys.overdue_cases",
            true
        ),
        bind!(
            CaseList,
            [Key::ch('/'), Key::ctrl('f')],
            OpenSearch,
            "keys.search",
            true
        ),
        bind!(
            CaseList,
            [Key::plain(KeyCode::F(3))],
            QuickEntry,
            "keys.quick_entry",
            false
        ),
        // One mediation case.
        bind!(
            CaseDetail,
            [Key::ch('1')],
            RecordSession,
            "keys.case_session",
            true
        ),
        bind!(
            CaseDetail,
            [Key::ch('2')],
            ExtendCase,
            "keys.case_extend",
            true
        ),
        bind!(
            CaseDetail,
            [Key::ch('3')],
            ConcludeCase,
            "keys.case_conclude",
            true
        ),
        bind!(
            CaseDetail,
            [Key::ch('4')],
            CaseFollowUp,
            "keys.case_follow_up",
            true
        ),
        bind!(
            CaseDetail,
            [Key::ch('5')],
            JudicialConfirmation,
            "keys.case_judicial",
            true
        ),
        bind!(
            CaseDetail,
            [Key::ch('6')],
            ArchiveCase,
            "keys.case_archive",
            true
        ),
        bind!(
            CaseDetail,
            [Key::ch('7')],
            ReopenClosed,
            "keys.case_reopen",
            false
        ),
        bind!(
            CaseDetail,
            [Key::ch('w')],
            WriteAgreement,
            "keys.write_agreement",
            true
        ),
        bind!(
            CaseDetail,
            [Key::plain(KeyCode::F(2))],
            Edit,
            "keys.edit",
            true
        ),
        bind!(
            CaseDetail,
            [Key::plain(KeyCode::Delete), Key::plain(KeyCode::F(8))],
            Delete,
            "keys.delete",
            false
        ),
        bind!(
            CaseDetail,
            [Key::ch('/'), Key::ctrl('f')],
            OpenSearch,
            "keys.search",
            false
        ),
        bind!(
            CaseDetail,
            [Key::plain(KeyCode::F(3))],
            QuickEntry,
            "keys.quick_entry",
            false
        ),
        // The export screen.
        bind!(Export, [ENTER], Choose, "keys.export_now", true),
        bind!(Export, [Key::ch('a')], ToggleAll, "keys.export_all", true),
        bind!(
            Export,
            [Key::ch('p')],
            TogglePlaintext,
            "keys.export_plaintext",
            true
        ),
        bind!(
            Export,
            [Key::ch('h')],
            ToggleHistory,
            "keys.export_history",
            true
        ),
        bind!(
            Export,
            [Key::ctrl('c')],
            StopExport,
            "keys.stop_export",
            false
        ),
        bind!(Export, [UP], Up, "keys.up", false),
        bind!(Export, [DOWN], Down, "keys.down", false),
        bind!(Export, [F1, QMARK], Help, "keys.help", true),
        bind!(Export, [ESC], Back, "keys.back", true),
        bind!(Export, [F10], Quit, "keys.quit", false),
        // The documents screen, and the popup after writing one.
        bind!(
            Documents,
            [ENTER, Key::ch('o')],
            OpenFile,
            "keys.open_file",
            true
        ),
        bind!(
            Documents,
            [Key::ch('p')],
            PrintFile,
            "keys.print_file",
            true
        ),
        bind!(
            DocumentReady,
            [Key::ch('o'), ENTER],
            OpenFile,
            "keys.open_file",
            true
        ),
        bind!(
            DocumentReady,
            [Key::ch('p')],
            PrintFile,
            "keys.print_file",
            true
        ),
        bind!(
            DocumentReady,
            [Key::ch('d')],
            OpenDocuments,
            "keys.documents",
            true
        ),
        bind!(DocumentReady, [ESC], Back, "keys.close", true),
        bind!(DocumentReady, [F1], Help, "keys.help", true),
        // The search box.
        bind!(Search, [ENTER], Open, "keys.open", true),
        bind!(Search, [UP], Up, "keys.up", true),
        bind!(Search, [DOWN], Down, "keys.down", true),
        bind!(Search, [F1], Help, "keys.help", true),
        bind!(Search, [ESC], Back, "keys.close", true),
        // The recycle bin.
        bind!(
            DeletedList,
            [Key::plain(KeyCode::F(7)), ENTER],
            Restore,
            "keys.restore",
            true
        ),
        bind!(
            DeletedList,
            [Key::plain(KeyCode::F(6))],
            ToggleDeletedView,
            "keys.live_view",
            true
        ),
        bind!(
            DeletedList,
            [Key::plain(KeyCode::F(3))],
            QuickEntry,
            "keys.quick_entry",
            false
        ),
        bind!(
            DeletedList,
            [Key::ch('/'), Key::ctrl('f')],
            OpenSearch,
            "keys.search",
            false
        ),
    ];
    // Forms: the same keys for every kind of field, plus what each kind adds.
    for ctx in [
        KeyContext::FormText,
        KeyContext::FormMultiline,
        KeyContext::FormChoice,
        KeyContext::FormToggle,
    ] {
        table.push(Binding {
            context: ctx,
            keys: &[CTRL_S],
            action: Save,
            label: "keys.save",
            in_bar: true,
        });
        let next: &'static [Key] = match ctx {
            KeyContext::FormMultiline => &[TAB],
            KeyContext::FormText => &[TAB, DOWN, ENTER],
            _ => &[TAB, DOWN, ENTER],
        };
        let prev: &'static [Key] = match ctx {
            KeyContext::FormMultiline => &[BACKTAB],
            _ => &[BACKTAB, UP],
        };
        table.push(Binding {
            context: ctx,
            keys: next,
            action: NextField,
            label: "keys.next_field",
            in_bar: true,
        });
        table.push(Binding {
            context: ctx,
            keys: prev,
            action: PrevField,
            label: "keys.prev_field",
            in_bar: false,
        });
        table.push(Binding {
            context: ctx,
            keys: &[PGDN],
            action: NextSection,
            label: "keys.next_section",
            in_bar: false,
        });
        table.push(Binding {
            context: ctx,
            keys: &[PGUP],
            action: PrevSection,
            label: "keys.prev_section",
            in_bar: false,
        });
        match ctx {
            KeyContext::FormChoice => {
                table.push(bind!(
                    FormChoice,
                    [LEFT],
                    PrevOption,
                    "keys.prev_option",
                    true
                ));
                table.push(bind!(
                    FormChoice,
                    [RIGHT],
                    NextOption,
                    "keys.next_option",
                    true
                ));
            }
            KeyContext::FormToggle => {
                table.push(bind!(
                    FormToggle,
                    [Key::ch(' '), LEFT, RIGHT],
                    NextOption,
                    "keys.toggle",
                    true
                ));
            }
            _ => {}
        }
        table.push(Binding {
            context: ctx,
            keys: &[F1],
            action: Help,
            label: "keys.help",
            in_bar: true,
        });
        table.push(Binding {
            context: ctx,
            keys: &[ESC],
            action: Back,
            label: "keys.leave_form",
            in_bar: true,
        });
        table.push(Binding {
            context: ctx,
            keys: &[F10],
            action: Quit,
            label: "keys.quit",
            in_bar: false,
        });
    }
    table.extend([
        bind!(Picker, [ENTER], Choose, "keys.choose", true),
        bind!(Picker, [UP], Up, "keys.up", false),
        bind!(Picker, [DOWN], Down, "keys.down", false),
        bind!(Picker, [F1], Help, "keys.help", true),
        bind!(Picker, [ESC], Back, "keys.cancel", true),
        bind!(Pin, [ENTER], Choose, "keys.confirm_pin", true),
        bind!(Pin, [ESC], Back, "keys.cancel", true),
        bind!(Unlock, [ENTER], Choose, "keys.open_station", true),
        bind!(Unlock, [F1], Help, "keys.help", true),
        bind!(Unlock, [ESC, F10], Quit, "keys.quit", true),
        bind!(NewPassphrase, [ENTER], Choose, "keys.set_passphrase", true),
        bind!(NewPassphrase, [TAB], NextField, "keys.next_field", true),
        bind!(
            NewPassphrase,
            [BACKTAB],
            PrevField,
            "keys.prev_field",
            false
        ),
        bind!(
            NewPassphrase,
            [Key::plain(KeyCode::F(2))],
            Generate,
            "keys.new_proposal",
            true
        ),
        bind!(NewPassphrase, [F1], Help, "keys.help", true),
        bind!(NewPassphrase, [ESC, F10], Quit, "keys.quit", true),
        bind!(Confirm, [Key::ch('y'), ENTER], Yes, "keys.yes", true),
        bind!(Confirm, [Key::ch('n')], No, "keys.no", true),
        bind!(Confirm, [ESC], Back, "keys.cancel", true),
        bind!(
            Help,
            [ESC, F1, QMARK, Key::ch('q')],
            Back,
            "keys.close_help",
            true
        ),
        bind!(Lock, [ENTER, Key::ch('s')], SignIn, "keys.unlock", true),
        bind!(Lock, [F10], Quit, "keys.quit", true),
        // The county desk.
        bind!(
            CountyStations,
            [ENTER],
            Open,
            "keys.open_county_station",
            true
        ),
        bind!(
            CountyStations,
            [Key::ch('/'), Key::ctrl('f')],
            OpenSearch,
            "keys.search",
            true
        ),
        bind!(
            CountyStations,
            [Key::ch('m')],
            OpenMembers,
            "keys.county_members",
            true
        ),
        bind!(
            CountyStations,
            [Key::ch('i')],
            ImportFolder,
            "keys.import_folder",
            true
        ),
        bind!(
            CountyStations,
            [Key::ch('h')],
            OpenStats,
            "keys.hot_issues",
            true
        ),
        bind!(CountyStations, [Key::ch('s')], Sort, "keys.sort", true),
        bind!(CountyHot, [ENTER], Open, "keys.requests_behind", true),
        bind!(
            CountyHot,
            [Key::ch('1')],
            ShowTab(1),
            "keys.hot_by_month",
            true
        ),
        bind!(
            CountyHot,
            [Key::ch('2')],
            ShowTab(2),
            "keys.hot_by_station",
            true
        ),
        bind!(
            CountyHot,
            [Key::ch('3')],
            ShowTab(3),
            "keys.hot_growing",
            true
        ),
        bind!(CountyHot, [LEFT], Left, "keys.prev_year", true),
        bind!(CountyHot, [RIGHT], Right, "keys.next_year", true),
        bind!(
            CountyHot,
            [Key::ch('p')],
            TopicFromIntakes,
            "keys.propose_topic",
            true
        ),
        bind!(
            CountyHot,
            [Key::ch('t')],
            OpenConsult,
            "keys.county_topics",
            true
        ),
        bind!(
            CountyHot,
            [Key::ch('w')],
            WriteRecord,
            "keys.write_xlsx",
            true
        ),
        bind!(CountyRequests, [ENTER], Open, "keys.open", true),
        bind!(CountyStations, [F1, QMARK], Help, "keys.help", true),
        bind!(CountyStations, [F10, Key::ch('q')], Quit, "keys.quit", true),
        bind!(
            CountyStation,
            [Key::ch('1')],
            ShowTab(1),
            "keys.tab_figures",
            true
        ),
        bind!(
            CountyStation,
            [Key::ch('2')],
            ShowTab(2),
            "keys.tab_members",
            true
        ),
        bind!(
            CountyStation,
            [Key::ch('3')],
            ShowTab(3),
            "keys.tab_bundles",
            true
        ),
        bind!(CountyStation, [TAB], NextSection, "keys.next_tab", false),
        bind!(
            CountyStation,
            [Key::ch('/'), Key::ctrl('f')],
            OpenSearch,
            "keys.search_station",
            true
        ),
        bind!(CountyMembers, [ENTER], Open, "keys.open", true),
        bind!(CountyMembers, [Key::ch('s')], Sort, "keys.sort", true),
        bind!(
            CountyMembers,
            [Key::ch('g')],
            Filter,
            "keys.filter_grade",
            true
        ),
        bind!(
            CountyMembers,
            [Key::ch('t')],
            FilterSector,
            "keys.filter_sector",
            true
        ),
        bind!(
            CountyMembers,
            [Key::ch('c')],
            FilterStation,
            "keys.filter_station",
            true
        ),
        bind!(CountySearch, [ENTER], Open, "keys.open", true),
        bind!(
            CountySearch,
            [Key::plain(KeyCode::F(3))],
            FilterStation,
            "keys.search_in_station",
            true
        ),
        bind!(
            CountySearch,
            [Key::plain(KeyCode::F(4))],
            FilterPeriod,
            "keys.filter_period",
            true
        ),
        bind!(CountySearch, [UP], Up, "keys.up", false),
        bind!(CountySearch, [DOWN], Down, "keys.down", false),
        bind!(CountySearch, [PGUP], PageUp, "keys.page_up", false),
        bind!(CountySearch, [PGDN], PageDown, "keys.page_down", false),
        bind!(CountySearch, [F1], Help, "keys.help", true),
        bind!(CountySearch, [ESC], Back, "keys.back", true),
        bind!(CountySearch, [F10], Quit, "keys.quit", true),
        bind!(CountyFolder, [ENTER], Choose, "keys.look_in_folder", true),
        bind!(CountyFolder, [F1], Help, "keys.help", true),
        bind!(CountyFolder, [ESC], Back, "keys.back", true),
        bind!(CountyFolder, [F10], Quit, "keys.quit", true),
        bind!(CountyImport, [ENTER], Choose, "keys.import_start", true),
        bind!(
            CountyImport,
            [Key::ch('r')],
            ConfirmReinstall,
            "keys.confirm_reinstall",
            true
        ),
        bind!(CountyReason, [ENTER], Choose, "keys.confirm_pin", true),
        bind!(CountyReason, [F1], Help, "keys.help", true),
        bind!(CountyReason, [ESC], Back, "keys.cancel", true),
        bind!(CountyReason, [F10], Quit, "keys.quit", true),
    ]);
    for context in [
        KeyContext::CountyStation,
        KeyContext::CountyMembers,
        KeyContext::CountyImport,
        KeyContext::CountyEntries,
        KeyContext::CountyHot,
        KeyContext::CountyRequests,
    ] {
        table.extend(moves(context, false, true));
        table.extend(leaving(context));
    }
    table.extend(moves(KeyContext::CountyStations, false, true));
    table.extend(moves(KeyContext::CountyRecord, true, false));
    table.extend(leaving(KeyContext::CountyRecord));
    table.push(bind!(
        CountyMemberRecord,
        [Key::ch('h')],
        Action::ToggleHistory,
        "keys.records_behind_grade",
        true
    ));
    table.extend(moves(KeyContext::CountyMemberRecord, false, false));
    table.extend(leaving(KeyContext::CountyMemberRecord));
    for context in [
        KeyContext::List,
        KeyContext::IntakeList,
        KeyContext::CaseList,
        KeyContext::ActivityList,
        KeyContext::Assessment,
        KeyContext::RecordsBehind,
        KeyContext::DeletedList,
        KeyContext::Documents,
    ] {
        table.extend(moves(context, false, true));
        table.extend(leaving(context));
    }
    table.extend(moves(KeyContext::Consult, false, false));
    table.extend(moves(KeyContext::MemberRecord, false, false));
    table.extend(leaving(KeyContext::MemberRecord));
    table.extend(leaving(KeyContext::Consult));
    for context in [
        KeyContext::IntakeDetail,
        KeyContext::CaseDetail,
        KeyContext::TopicDetail,
        KeyContext::ReportDetail,
        KeyContext::ActivityDetail,
        KeyContext::MonthStats,
    ] {
        table.extend(moves(context, true, false));
        table.extend(leaving(context));
    }
    table
}

/// The movement keys of a list (↑ ↓ PgUp PgDn, and Home End when `ends`) or, with
/// `scrolling`, of a detail view.
fn moves(context: KeyContext, scrolling: bool, ends: bool) -> Vec<Binding> {
    let (up, down) = if scrolling {
        ("keys.scroll_up", "keys.scroll_down")
    } else {
        ("keys.up", "keys.down")
    };
    let mut keys: Vec<(&'static [Key], Action, &'static str)> = vec![
        (&[UP], Action::Up, up),
        (&[DOWN], Action::Down, down),
        (&[PGUP], Action::PageUp, "keys.page_up"),
        (&[PGDN], Action::PageDown, "keys.page_down"),
    ];
    if ends {
        keys.push((&[HOME], Action::First, "keys.first"));
        keys.push((&[END], Action::Last, "keys.last"));
    }
    keys.into_iter()
        .map(|(keys, action, label)| Binding {
            context,
            keys,
            action,
            label,
            in_bar: false,
        })
        .collect()
}

/// What every screen has: F1 (and `?`) help, Esc back, F10 quit.
fn leaving(context: KeyContext) -> Vec<Binding> {
    vec![
        Binding {
            context,
            keys: &[F1, QMARK],
            action: Action::Help,
            label: "keys.help",
            in_bar: true,
        },
        Binding {
            context,
            keys: &[ESC],
            action: Action::Back,
            label: "keys.back",
            in_bar: true,
        },
        Binding {
            context,
            keys: &[F10],
            action: Action::Quit,
            label: "keys.quit",
            in_bar: false,
        },
    ]
}
