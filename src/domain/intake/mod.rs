//! A visitor intake (来访接待) and its closed loop: 已登记 → 办理中 → 已答复 → 已回访 → 已办结, with
//! reopening. The transitions are rules here; the store and the screens only ask.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::fields::{date, local_time, opt_date, Described, Field, Lookup};
use super::member::Gender;
use super::record::{RecordKind, RecordMeta};
use super::timeline::{self, Step, TimeRefusal};
use super::validate::{self, ValidationError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum IntakeState {
    /// 已登记
    #[default]
    Registered,
    /// 办理中
    InProgress,
    /// 已答复
    Answered,
    /// 已回访
    FollowedUp,
    /// 已办结
    Closed,
}

named_enum!(IntakeState, "intake_state", [
    Registered => "registered",
    InProgress => "in_progress",
    Answered => "answered",
    FollowedUp => "followed_up",
    Closed => "closed",
]);

impl IntakeState {
    /// Still waiting for an answer to the resident.
    pub fn awaits_reply(self) -> bool {
        matches!(self, IntakeState::Registered | IntakeState::InProgress)
    }
}

/// 回访满意度
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
}

named_enum!(Satisfaction, "satisfaction", [
    Satisfied => "satisfied",
    BasicallySatisfied => "basically_satisfied",
    Dissatisfied => "dissatisfied",
]);

/// How the station handled the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum Handling {
    /// 当场答复, with the answer given.
    OnTheSpot { answer: String },
    /// 转交有关部门.
    Referred { department: String, on: NaiveDate },
    /// Turned into a mediation case, a consultation topic, a public-opinion report or a
    /// proposal lead; the link is in [`Intake::links`].
    Converted { to: RecordKind, id: Uuid },
}

/// 反馈: what the resident was told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    pub on: NaiveDate,
    pub text: String,
}

/// 回访: the follow-up visit or call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub on: NaiveDate,
    pub satisfaction: Satisfaction,
    pub note: String,
}

/// A link to a record made from (or for) this intake; the other record links back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub kind: RecordKind,
    pub id: Uuid,
}

/// What the duty member types about the visit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IntakeFields {
    pub visited_at: NaiveDateTime,
    /// Empty for an anonymous visit.
    pub visitor_name: String,
    pub gender: Gender,
    pub phone: String,
    /// 公民身份号码, optional; masked everywhere except the detail view.
    pub id_number: String,
    /// Address or residential community.
    pub address: String,
    /// Number of visitors (集体访 when more than one).
    pub visitors: u32,
    /// 诉求类别
    pub category: String,
    /// The request in the resident's words.
    pub request: String,
    /// The receiving member.
    pub member_id: Option<Uuid>,
}

/// A visit and everything that happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    #[serde(flatten)]
    pub meta: RecordMeta,
    #[serde(flatten)]
    pub fields: IntakeFields,
    pub state: IntakeState,
    pub handling: Option<Handling>,
    pub feedback: Option<Feedback>,
    pub follow_up: Option<FollowUp>,
    /// When the reply to the resident is due.
    pub reply_due: NaiveDate,
    /// When the follow-up is due (set once the resident has been answered).
    pub follow_up_due: Option<NaiveDate>,
    /// Why it was last reopened.
    pub reopen_reason: Option<String>,
    pub links: Vec<Link>,
}

/// Reply and follow-up periods, in days (settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DuePolicy {
    pub reply_days: u32,
    pub follow_up_days: u32,
}

impl Default for DuePolicy {
    fn default() -> DuePolicy {
        DuePolicy {
            reply_days: 15,
            follow_up_days: 7,
        }
    }
}

/// Something done to an intake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntakeEvent {
    /// Handling starts (办理中): referred, or being looked into.
    Refer { department: String, on: NaiveDate },
    /// Answered on the spot: the answer is the feedback too (已答复).
    AnswerOnTheSpot { answer: String, on: NaiveDate },
    /// Turned into another record (办理中, linked).
    Convert { to: RecordKind, id: Uuid },
    /// The resident was told the outcome (已答复).
    RecordFeedback { on: NaiveDate, text: String },
    /// 回访 with satisfaction (已回访).
    RecordFollowUp {
        on: NaiveDate,
        satisfaction: Satisfaction,
        note: String,
    },
    /// 办结
    Close,
    /// A visit handed over to a case that has been concluded: the resident is told the
    /// outcome and the visit is closed in one step (the case keeps its own follow-up).
    CloseFromCase { on: NaiveDate, text: String },
    /// Reopened with a reason (办理中).
    Reopen { reason: String },
}

/// The steps of a visit's handling, as the desk offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeStep {
    AnswerOnTheSpot,
    Refer,
    Feedback,
    FollowUp,
    Close,
    Reopen,
    ToCase,
    CloseFromCase,
}

impl IntakeStep {
    pub const ALL: [IntakeStep; 8] = [
        IntakeStep::AnswerOnTheSpot,
        IntakeStep::Refer,
        IntakeStep::Feedback,
        IntakeStep::FollowUp,
        IntakeStep::Close,
        IntakeStep::Reopen,
        IntakeStep::ToCase,
        IntakeStep::CloseFromCase,
    ];

    /// The step as an event with nothing filled in: the rules refuse it for the state, or
    /// for its empty fields (which means the state allows it).
    fn probe(self, on: NaiveDate) -> IntakeEvent {
        match self {
            IntakeStep::AnswerOnTheSpot => IntakeEvent::AnswerOnTheSpot {
                answer: String::new(),
                on,
            },
            IntakeStep::Refer => IntakeEvent::Refer {
                department: String::new(),
                on,
            },
            IntakeStep::Feedback => IntakeEvent::RecordFeedback {
                on,
                text: String::new(),
            },
            IntakeStep::FollowUp => IntakeEvent::RecordFollowUp {
                on,
                satisfaction: Satisfaction::Satisfied,
                note: String::new(),
            },
            IntakeStep::Close => IntakeEvent::Close,
            IntakeStep::Reopen => IntakeEvent::Reopen {
                reason: String::new(),
            },
            IntakeStep::ToCase => IntakeEvent::Convert {
                to: RecordKind::Case,
                id: Uuid::nil(),
            },
            IntakeStep::CloseFromCase => IntakeEvent::CloseFromCase {
                on,
                text: String::new(),
            },
        }
    }
}

/// Why an event was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntakeRefusal {
    /// Not allowed from this state.
    NotFrom(IntakeState),
    /// A field of the event is invalid.
    Invalid(&'static str, ValidationError),
    /// A date in the future, or before the step it follows.
    Time(TimeRefusal),
}

impl From<TimeRefusal> for IntakeRefusal {
    fn from(refusal: TimeRefusal) -> IntakeRefusal {
        IntakeRefusal::Time(refusal)
    }
}

impl IntakeRefusal {
    pub fn key(&self) -> &'static str {
        match self {
            IntakeRefusal::NotFrom(_) => "intake.refused_state",
            IntakeRefusal::Invalid(..) => "intake.refused_invalid",
            IntakeRefusal::Time(_) => "intake.refused_time",
        }
    }
}

pub const REQUEST_MAX: usize = 4000;

/// When a visit owes something next, from its stored parts — the one definition of "due" and
/// so of "overdue" (due before today), which the desk and the county (reading a bundle's
/// records) both use: the reply while it awaits one, the follow-up after, nothing while it is
/// handed over to another record whose own clock runs.
pub fn due_of(
    state: IntakeState,
    handed_over: bool,
    reply_due: NaiveDate,
    follow_up_due: Option<NaiveDate>,
) -> Option<NaiveDate> {
    if handed_over {
        return None;
    }
    match state {
        IntakeState::Registered | IntakeState::InProgress => Some(reply_due),
        IntakeState::Answered => follow_up_due,
        IntakeState::FollowedUp | IntakeState::Closed => None,
    }
}

/// The residential compound of an address, for "same compound, same category": what comes
/// before the building and flat (`老街小区3幢201`, `老街小区 5幢` → `老街小区`), ending after a
/// compound's name (小区, 花园, 社区, 新村, 家园, 公寓, 苑, 里) when there is one.
pub fn compound_of(address: &str) -> String {
    let address = address.trim();
    let mut end = address.len();
    for (at, c) in address.char_indices() {
        if c.is_ascii_digit() || c.is_whitespace() || "-#—（(,，、".contains(c) {
            end = at;
            break;
        }
    }
    let head = &address[..end];
    const ENDINGS: [&str; 8] = ["小区", "花园", "社区", "新村", "家园", "公寓", "苑", "里"];
    let cut = ENDINGS
        .iter()
        .filter_map(|e| head.find(e).map(|at| at + e.len()))
        .filter(|at| *at >= 2 * 3)
        .min()
        .unwrap_or(head.len());
    head[..cut].trim().to_string()
}

/// The first and last day of the month of `day` (the roster's month arithmetic, shared).
pub fn month_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    super::roster::month_shifted(day, 0)
}

/// What the resident of a visit handed over to another record is told once that record has
/// its result: the result, as data; the sentence is the caller's (`messages::handover_reply`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handover {
    /// A mediation case, concluded: its number and its outcome's word (a message key).
    Case {
        number: String,
        outcome: &'static str,
    },
    /// A consultation topic whose loop is complete.
    Topic { title: String },
    /// A public-opinion report with its result known.
    Report { title: String, adopted: bool },
}

mod fields;
mod rules;
#[cfg(test)]
mod tests;
