//! A mediation case (矛盾纠纷调解): 受理 → 调解中 → 已结案 → 回访 → 归档. Members serve as
//! part-time people's mediators; the rules of what may happen when are here, the store and the
//! screens only ask.

mod fields;
mod numbers;
mod rules;

pub use rules::CaseAction;

pub use numbers::{
    case_number, format_amount, parse_amount, pattern_is_valid, DEFAULT_CASE_PATTERN,
};

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::intake::{Intake, Link};
use super::record::{RecordKind, RecordMeta};
use super::validate::{self, ValidationError};

pub const TEXT_MAX: usize = 8000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 受理
    #[default]
    Accepted,
    /// 调解中
    Mediating,
    /// 已结案
    Concluded,
    /// 回访
    FollowedUp,
    /// 归档
    Archived,
}

named_enum!(CaseState, "case_state", [
    Accepted => "accepted",
    Mediating => "mediating",
    Concluded => "concluded",
    FollowedUp => "followed_up",
    Archived => "archived",
]);

impl CaseState {
    /// Still being mediated: the due date counts.
    pub fn is_open(self) -> bool {
        matches!(self, CaseState::Accepted | CaseState::Mediating)
    }
}

/// Where a case came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CaseSource {
    /// 来访 (a walk-in intake, linked)
    #[default]
    WalkIn,
    /// 警调联动: referred by a police station
    Police,
    /// 诉前调解: referred by a court before litigation
    Court,
    Other,
}

named_enum!(CaseSource, "case_source", [
    WalkIn => "walk_in",
    Police => "police",
    Court => "court",
    Other => "other",
]);

impl CaseSource {
    /// Referrals name the referring unit.
    pub fn is_referral(self) -> bool {
        matches!(self, CaseSource::Police | CaseSource::Court)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    /// 申请人
    #[default]
    Applicant,
    /// 被申请人
    Respondent,
    /// 第三人
    ThirdParty,
}

named_enum!(PartyRole, "party_role", [
    Applicant => "applicant",
    Respondent => "respondent",
    ThirdParty => "third_party",
]);

/// 当事人
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Party {
    pub role: PartyRole,
    pub name: String,
    /// Phone or address.
    pub contact: String,
    /// 公民身份号码, optional.
    pub id_number: String,
}

/// 调解记录: one sitting of the mediation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub on: NaiveDate,
    pub place: String,
    /// Who attended, as typed (parties, mediators, others).
    pub attendees: String,
    pub notes: String,
}

/// How the mediation ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// 调解成功, with the agreement.
    Success {
        terms: String,
        /// 履行方式
        method: String,
        /// 履行期限
        deadline: NaiveDate,
    },
    /// 调解不成功
    Failed { reason: String },
    /// 当事人撤回
    Withdrawn { reason: String },
    /// 终止调解并引导诉讼
    Litigation { reason: String },
    /// 转其他部门
    Transferred { department: String },
}

impl Outcome {
    pub fn key(&self) -> &'static str {
        match self {
            Outcome::Success { .. } => "case_outcome.success",
            Outcome::Failed { .. } => "case_outcome.failed",
            Outcome::Withdrawn { .. } => "case_outcome.withdrawn",
            Outcome::Litigation { .. } => "case_outcome.litigation",
            Outcome::Transferred { .. } => "case_outcome.transferred",
        }
    }

    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Success { .. })
    }

    /// The outcome's own text: the agreed terms, the reason, the department.
    pub fn text(&self) -> &str {
        match self {
            Outcome::Success { terms, .. } => terms,
            Outcome::Failed { reason }
            | Outcome::Withdrawn { reason }
            | Outcome::Litigation { reason } => reason,
            Outcome::Transferred { department } => department,
        }
    }
}

/// 履行情况
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fulfilment {
    Fulfilled,
    Partly,
    NotFulfilled,
}

named_enum!(Fulfilment, "fulfilment", [
    Fulfilled => "fulfilled",
    Partly => "partly",
    NotFulfilled => "not_fulfilled",
]);

/// 延期: needs both parties' consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub on: NaiveDate,
    pub new_due: NaiveDate,
    pub reason: String,
}

/// 回访
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFollowUp {
    pub on: NaiveDate,
    /// For an agreement: how far it has been carried out.
    pub fulfilment: Option<Fulfilment>,
    pub note: String,
    /// When to look again (partly or not fulfilled).
    pub next_on: Option<NaiveDate>,
}

/// 司法确认: after signing, the parties may jointly apply to a court within 30 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudicialConfirmation {
    pub applied: bool,
    pub on: Option<NaiveDate>,
}

/// What the duty member types about the dispute.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseFields {
    pub received_on: NaiveDate,
    pub source: CaseSource,
    /// The police station or court that referred the case.
    pub referring_unit: String,
    /// Its referral document number (移交单号).
    pub referral_no: String,
    /// 纠纷类型, from `assets/lists/dispute_types.txt`.
    pub dispute_type: String,
    pub parties: Vec<Party>,
    /// 纠纷事实
    pub facts: String,
    /// 争议焦点
    pub points: String,
    /// 涉及金额, in fen (1/100 yuan).
    pub amount_fen: Option<i64>,
    /// One to three mediators, members flagged as mediators.
    pub mediators: Vec<Uuid>,
}

/// A case and everything that happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediationCase {
    #[serde(flatten)]
    pub meta: RecordMeta,
    /// 案件编号, assigned at registration and never reused.
    pub case_no: String,
    #[serde(flatten)]
    pub fields: CaseFields,
    pub state: CaseState,
    /// When mediation should be concluded (received + 30 days, or as extended).
    pub due: NaiveDate,
    pub extensions: Vec<Extension>,
    pub sessions: Vec<Session>,
    pub outcome: Option<Outcome>,
    pub concluded_on: Option<NaiveDate>,
    pub follow_ups: Vec<CaseFollowUp>,
    pub judicial: Option<JudicialConfirmation>,
    pub links: Vec<Link>,
    /// Each time a concluded case was reopened: why, by whom, when, and the conclusion it
    /// set aside. Oldest first.
    #[serde(default)]
    pub reopenings: Vec<CaseReopening>,
}

/// A concluded case reopened (重新打开) by a signed-in member with a written reason. The
/// conclusion it set aside is kept here; the case's figures no longer count it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReopening {
    pub on: NaiveDate,
    /// Who reopened it (the member signed in at the desk).
    pub by: String,
    pub reason: String,
    /// What the conclusion was, set aside.
    pub outcome: Option<Outcome>,
    pub concluded_on: Option<NaiveDate>,
    pub follow_ups: Vec<CaseFollowUp>,
    pub judicial: Option<JudicialConfirmation>,
}

/// Something done to a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseEvent {
    /// A session took place (受理 → 调解中 on the first).
    RecordSession(Session),
    /// The due date moves, with both parties' consent.
    Extend {
        on: NaiveDate,
        new_due: NaiveDate,
        both_consent: bool,
        reason: String,
    },
    /// 结案 with an outcome.
    Conclude { on: NaiveDate, outcome: Outcome },
    /// 回访, with fulfilment for an agreement.
    FollowUp(CaseFollowUp),
    /// Whether the parties applied for judicial confirmation.
    Judicial(JudicialConfirmation),
    /// 归档
    Archive,
    /// 重新打开: back to mediation, with a written reason, by whom (the store says who).
    Reopen {
        on: NaiveDate,
        by: String,
        reason: String,
    },
}

/// Why an event was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseRefusal {
    NotFrom(CaseState),
    /// A field of the event is invalid.
    Invalid(&'static str, ValidationError),
    /// An agreement needs at least one session first.
    NoSession,
    /// An extension needs both parties' consent.
    NoConsent,
    /// An extension must move the due date later.
    NotLater,
    /// Fulfilment and judicial confirmation are for agreements only.
    NotAnAgreement,
    /// The follow-up of an agreement says how it was fulfilled.
    FulfilmentMissing,
    /// A date in the future, or before the step it follows.
    Time(crate::domain::timeline::TimeRefusal),
}

impl From<crate::domain::timeline::TimeRefusal> for CaseRefusal {
    fn from(refusal: crate::domain::timeline::TimeRefusal) -> CaseRefusal {
        CaseRefusal::Time(refusal)
    }
}

impl CaseRefusal {
    pub fn key(&self) -> &'static str {
        match self {
            CaseRefusal::NotFrom(_) => "case.refused_state",
            CaseRefusal::Invalid(..) => "case.refused_invalid",
            CaseRefusal::NoSession => "case.refused_no_session",
            CaseRefusal::NoConsent => "case.refused_no_consent",
            CaseRefusal::NotLater => "case.refused_not_later",
            CaseRefusal::NotAnAgreement => "case.refused_not_agreement",
            CaseRefusal::FulfilmentMissing => "case.refused_fulfilment",
            CaseRefusal::Time(_) => "case.refused_time",
        }
    }
}

/// Days a case has before it should be concluded (setting `case_days`).
pub const DEFAULT_CASE_DAYS: u32 = 30;

/// Days the parties have to apply for judicial confirmation after signing.
pub const JUDICIAL_DAYS: i64 = 30;

/// Which field of a case a problem is about. Parties are counted from 0 among those given;
/// where a field sits on a form is the form's business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseField {
    DisputeType,
    ReferringUnit,
    ReferralNo,
    PartyName(usize),
    PartyContact(usize),
    PartyId(usize),
    Facts,
    Points,
    Mediators,
    Amount,
    /// The day the case was received: not in the future.
    ReceivedOn,
}

#[cfg(test)]
mod tests;
