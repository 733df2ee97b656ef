//! Everything a person can ask of the desk. Keys become actions in one place (`keymap`).

use crossterm::event::KeyEvent;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Quit (asks first when a form has unsaved changes).
    Quit,
    /// Leave the current screen, form or popup.
    Back,
    Help,
    OpenMembers,
    OpenIntakes,
    OpenExport,
    /// The mediation case list.
    OpenCases,
    /// Members' activities (履职活动).
    OpenActivities,
    /// The year's assessment of every member (年度考核).
    OpenAssessment,
    /// The month's figures (月度统计).
    OpenStats,
    /// Write what the screen shows as a document (.docx or .xlsx).
    WriteRecord,
    /// The next order of a table.
    Sort,
    /// The duty roster.
    OpenRoster,
    /// Consultations and public-opinion reports.
    OpenConsult,
    /// One of the consultation tabs: 1 topics, 2 meetings, 3 reports.
    ShowTab(u8),
    DecideTopic,
    Research,
    /// A topic to the next step of its loop.
    AdvanceTopic,
    NewMeeting,
    EditMinutes,
    AddRecommendation,
    SubmitRecommendation,
    RecommendationFeedback,
    /// Write the meeting's minutes (.docx).
    WriteMinutes,
    SubmitReport,
    ReportResult,
    Undo,
    Redo,
    /// Search inside the text (the minutes editor).
    Find,
    /// Mark the highlighted intake (and unmark).
    ToggleMark,
    /// A topic from the marked intakes.
    TopicFromIntakes,
    /// A public-opinion report drafted from the marked intakes.
    ReportFromIntakes,
    /// Generate a rotation.
    Generate,
    /// The duty report instead of the calendar (and back).
    ToggleReport,
    /// The report for the year instead of the month (and back).
    ToggleYear,
    /// Write the month's roster as .ics and .xlsx.
    ExportRoster,
    AddShift,
    SwapShift,
    LeaveShift,
    Left,
    Right,
    /// Turn the intake into a mediation case (转调解).
    ConvertToCase,
    RecordSession,
    ExtendCase,
    ConcludeCase,
    CaseFollowUp,
    JudicialConfirmation,
    ArchiveCase,
    /// Write the mediation agreement (.docx).
    WriteAgreement,
    /// A visit handed over to a concluded case, a completed topic or a report with its outcome:
    /// answered from that result and closed.
    CloseFromCase,
    /// Every visit handed over to this topic or report, answered from its result and closed.
    AnswerVisits,
    /// A concluded case back to mediation, or a completed topic back to 成果报送, with a
    /// written reason.
    ReopenClosed,
    /// The next or previous section of a long form.
    NextSection,
    PrevSection,
    /// The visitor register (来访登记簿) of a period.
    WriteRegister,
    /// The documents screen.
    OpenDocuments,
    /// Open the chosen or just written document with the system's program.
    OpenFile,
    /// Send it to the default printer.
    PrintFile,
    /// Export everything, not only the changes (and back).
    ToggleAll,
    /// A masked plaintext bundle instead of an encrypted one (and back).
    TogglePlaintext,
    /// Past bundles instead of the drives (and back).
    ToggleHistory,
    /// Stop the export that is running (Ctrl-C).
    StopExport,
    /// The quick-entry form for a walk-in, from anywhere.
    QuickEntry,
    /// The one search box, from anywhere.
    OpenSearch,
    /// The intake list's filter form.
    Filter,
    /// The next sector to filter by (the county's members).
    FilterSector,
    /// The next station to filter by (the county's members, the county's search).
    FilterStation,
    /// The next period to keep to (the county's search).
    FilterPeriod,
    /// Import the bundles of a folder (the county desk).
    ImportFolder,
    /// Confirm that a bundle refused for its code is that station re-installed (the county
    /// desk's import), giving the reason.
    ConfirmReinstall,
    /// Only what is overdue or due today.
    ToggleUrgent,
    /// Open the highlighted record.
    Open,
    AnswerOnTheSpot,
    Refer,
    RecordFeedback,
    RecordFollowUp,
    CloseIntake,
    Reopen,
    OpenSettings,
    SignIn,
    SignOut,
    Lock,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    NextField,
    PrevField,
    /// The previous or next option of a selection field, or flip a yes/no field.
    PrevOption,
    NextOption,
    Save,
    New,
    Edit,
    ToggleActive,
    Delete,
    Restore,
    ToggleDeletedView,
    /// Pick the highlighted entry (sign-in list).
    Choose,
    Yes,
    No,
    /// A key for the focused text editor (characters, Backspace, cursor keys…).
    Input(KeyEvent),
    /// Text pasted into the terminal (bracketed paste), inserted as text.
    Paste(String),
}

impl Action {
    /// How many rows a detail view scrolls for this action (a line or a page).
    pub fn scroll_rows(&self) -> Option<i32> {
        match self {
            Action::Up => Some(-1),
            Action::Down => Some(1),
            Action::PageUp => Some(-10),
            Action::PageDown => Some(10),
            _ => None,
        }
    }

    /// How many rows a short list's highlight moves for this action, `page` rows a page (the
    /// first and last row are far enough for any list, which clamps).
    pub fn list_step(&self, page: i64) -> Option<i64> {
        match self {
            Action::Up => Some(-1),
            Action::Down => Some(1),
            Action::PageUp => Some(-page),
            Action::PageDown => Some(page),
            Action::First => Some(i64::MIN / 2),
            Action::Last => Some(i64::MAX / 2),
            _ => None,
        }
    }

    /// Moving through a list: up, down, a page, the first or the last row.
    pub fn is_movement(&self) -> bool {
        matches!(
            self,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::First
                | Action::Last
        )
    }

    /// Whether the action begins a change of the records (opens a form, takes a step, deletes),
    /// which needs someone signed in at the desk.
    pub fn begins_change(&self) -> bool {
        matches!(
            self,
            Action::QuickEntry
                | Action::New
                | Action::Edit
                | Action::ToggleActive
                | Action::Delete
                | Action::Restore
                | Action::AnswerOnTheSpot
                | Action::Refer
                | Action::RecordFeedback
                | Action::RecordFollowUp
                | Action::CloseIntake
                | Action::Reopen
                | Action::ConvertToCase
                | Action::RecordSession
                | Action::ExtendCase
                | Action::ConcludeCase
                | Action::CaseFollowUp
                | Action::JudicialConfirmation
                | Action::ArchiveCase
                | Action::CloseFromCase
                | Action::AnswerVisits
                | Action::ReopenClosed
                | Action::DecideTopic
                | Action::Research
                | Action::AdvanceTopic
                | Action::NewMeeting
                | Action::EditMinutes
                | Action::AddRecommendation
                | Action::SubmitRecommendation
                | Action::RecommendationFeedback
                | Action::SubmitReport
                | Action::ReportResult
                | Action::TopicFromIntakes
                | Action::ReportFromIntakes
                | Action::Generate
                | Action::AddShift
                | Action::SwapShift
                | Action::LeaveShift
                | Action::OpenSettings
        )
    }
}
