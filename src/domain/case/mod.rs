//! A mediation case (矛盾纠纷调解): 受理 → 调解中 → 已结案 → 回访 → 归档. Members serve as
//! part-time people's mediators; the rules of what may happen when are here, the store and the
//! screens only ask.

mod fields;

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
    /// A date before the case was received.
    BeforeReceived,
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
            CaseRefusal::BeforeReceived => "case.refused_before_received",
        }
    }
}

/// Days a case has before it should be concluded (setting `case_days`).
pub const DEFAULT_CASE_DAYS: u32 = 30;

/// Days the parties have to apply for judicial confirmation after signing.
pub const JUDICIAL_DAYS: i64 = 30;

/// Parses an amount of money as people type it: `3000`, `3,000`, `3000.5`, `３０００元`,
/// `3000 元`. Empty is `None`.
pub fn parse_amount(text: &str) -> Result<Option<i64>, ValidationError> {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            other => other,
        })
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '元' | '¥' | '￥'))
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let (whole, fraction) = match cleaned.split_once('.') {
        Some((w, f)) => (w, f),
        None => (cleaned.as_str(), ""),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || (!fraction.is_empty() && !digits(fraction)) || fraction.len() > 2 {
        return Err(ValidationError::Amount);
    }
    let yuan: i64 = whole.parse().map_err(|_| ValidationError::Amount)?;
    let fen: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    yuan.checked_mul(100)
        .and_then(|y| y.checked_add(fen))
        .filter(|v| *v <= 100_000_000_000)
        .map(Some)
        .ok_or(ValidationError::Amount)
}

/// An amount in fen as yuan, `3000` or `3000.50`.
pub fn format_amount(fen: i64) -> String {
    if fen % 100 == 0 {
        format!("{}", fen / 100)
    } else {
        format!("{}.{:02}", fen / 100, fen % 100)
    }
}

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
}

impl CaseFields {
    /// Checks and normalises; each error names its field.
    pub fn validate(&self) -> Result<CaseFields, Vec<(CaseField, ValidationError)>> {
        let mut errors: Vec<(CaseField, ValidationError)> = Vec::new();
        let mut checked = self.clone();
        fn text(
            errors: &mut Vec<(CaseField, ValidationError)>,
            field: CaseField,
            value: &str,
            max: usize,
            required: bool,
        ) -> String {
            let result = if required {
                validate::required_text(value, max)
            } else {
                validate::optional_text(value, max)
            };
            result.unwrap_or_else(|e| {
                errors.push((field, e));
                value.to_string()
            })
        }
        let e = &mut errors;
        checked.dispute_type = text(e, CaseField::DisputeType, &self.dispute_type, 40, true);
        checked.referring_unit = text(
            e,
            CaseField::ReferringUnit,
            &self.referring_unit,
            100,
            self.source.is_referral(),
        );
        checked.referral_no = text(e, CaseField::ReferralNo, &self.referral_no, 60, false);
        let mut parties = Vec::new();
        for (index, party) in self.parties.iter().enumerate() {
            let mut p = party.clone();
            p.name = text(e, CaseField::PartyName(index), &party.name, 40, true);
            p.contact = text(
                e,
                CaseField::PartyContact(index),
                &party.contact,
                100,
                false,
            );
            validate::keep(
                &mut p.id_number,
                CaseField::PartyId(index),
                validate::resident_id(&party.id_number),
                e,
            );
            parties.push(p);
        }
        checked.parties = parties;
        validate::keep(
            &mut checked.facts,
            CaseField::Facts,
            validate::required_multiline(&self.facts, TEXT_MAX),
            &mut errors,
        );
        validate::keep(
            &mut checked.points,
            CaseField::Points,
            validate::optional_multiline(&self.points, TEXT_MAX),
            &mut errors,
        );
        let has = |role: PartyRole| self.parties.iter().any(|p| p.role == role);
        if !has(PartyRole::Applicant) {
            errors.push((CaseField::PartyName(0), ValidationError::ApplicantMissing));
        } else if !has(PartyRole::Respondent) {
            errors.push((CaseField::PartyName(1), ValidationError::RespondentMissing));
        }
        let mut mediators = Vec::new();
        for id in &self.mediators {
            if !mediators.contains(id) {
                mediators.push(*id);
            }
        }
        if mediators.is_empty() || mediators.len() > 3 {
            errors.push((CaseField::Mediators, ValidationError::Mediators));
        }
        checked.mediators = mediators;
        if let Some(fen) = self.amount_fen {
            if fen < 0 {
                errors.push((CaseField::Amount, ValidationError::Amount));
            }
        }
        if errors.is_empty() {
            Ok(checked)
        } else {
            Err(errors)
        }
    }

    /// A case pre-filled from a walk-in intake: the visitor is the applicant, the request the
    /// facts.
    pub fn from_intake(intake: &Intake, dispute_type: &str, today: NaiveDate) -> CaseFields {
        let f = &intake.fields;
        let contact = [f.phone.as_str(), f.address.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        CaseFields {
            received_on: today,
            source: CaseSource::WalkIn,
            dispute_type: dispute_type.to_string(),
            parties: vec![
                Party {
                    role: PartyRole::Applicant,
                    name: f.visitor_name.clone(),
                    contact,
                    id_number: f.id_number.clone(),
                },
                Party {
                    role: PartyRole::Respondent,
                    ..Party::default()
                },
            ],
            facts: f.request.clone(),
            mediators: f.member_id.into_iter().collect(),
            ..CaseFields::default()
        }
    }
}

/// Fills a case-number pattern: `{station}`, `{year}`, `{seq}` (three digits at least) or
/// `{seq:N}` (N digits at least).
pub fn case_number(pattern: &str, station_code: &str, year: i32, seq: i64) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &rest[start + 1..start + end];
        match name {
            "station" => out.push_str(station_code),
            "year" => out.push_str(&year.to_string()),
            "seq" => out.push_str(&format!("{seq:03}")),
            other => match other
                .strip_prefix("seq:")
                .and_then(|n| n.parse::<usize>().ok())
            {
                Some(width) => out.push_str(&format!("{seq:0width$}", width = width.min(12))),
                None => out.push_str(&rest[start..start + end + 1]),
            },
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

pub const DEFAULT_CASE_PATTERN: &str = "{station}-{year}-{seq}";

/// Whether a pattern can number cases without collisions: it needs `{seq}` and `{year}`
/// (sequences restart each year).
pub fn pattern_is_valid(pattern: &str) -> bool {
    (pattern.contains("{seq}") || pattern.contains("{seq:")) && pattern.contains("{year}")
}

impl MediationCase {
    /// A new case, accepted, due `case_days` after it was received.
    pub fn register(case_no: String, fields: CaseFields, case_days: u32) -> MediationCase {
        let due = fields.received_on + Duration::days(i64::from(case_days));
        MediationCase {
            meta: RecordMeta::unsaved(),
            case_no,
            fields,
            state: CaseState::Accepted,
            due,
            extensions: Vec::new(),
            sessions: Vec::new(),
            outcome: None,
            concluded_on: None,
            follow_ups: Vec::new(),
            judicial: None,
            links: Vec::new(),
        }
    }

    /// The year whose sequence numbers the case.
    pub fn year(&self) -> i32 {
        self.fields.received_on.year()
    }

    /// Applies `event`, or says why it is not allowed now.
    pub fn apply(&self, event: CaseEvent) -> Result<MediationCase, CaseRefusal> {
        use CaseState::*;
        let mut next = self.clone();
        let refuse = || CaseRefusal::NotFrom(self.state);
        let received = self.fields.received_on;
        let not_before = |on: NaiveDate| {
            if on < received {
                Err(CaseRefusal::BeforeReceived)
            } else {
                Ok(())
            }
        };
        let multiline = |field: &'static str, value: &str, required: bool| {
            if required {
                validate::required_multiline(value, TEXT_MAX)
            } else {
                validate::optional_multiline(value, TEXT_MAX)
            }
            .map_err(|e| CaseRefusal::Invalid(field, e))
        };
        match event {
            CaseEvent::RecordSession(session) => {
                if !self.state.is_open() {
                    return Err(refuse());
                }
                not_before(session.on)?;
                let place = validate::optional_text(&session.place, 100)
                    .map_err(|e| CaseRefusal::Invalid("place", e))?;
                let attendees = validate::optional_text(&session.attendees, 200)
                    .map_err(|e| CaseRefusal::Invalid("attendees", e))?;
                let notes = multiline("notes", &session.notes, true)?;
                next.sessions.push(Session {
                    on: session.on,
                    place,
                    attendees,
                    notes,
                });
                next.sessions.sort_by_key(|s| s.on);
                next.state = Mediating;
            }
            CaseEvent::Extend {
                on,
                new_due,
                both_consent,
                reason,
            } => {
                if !self.state.is_open() {
                    return Err(refuse());
                }
                if !both_consent {
                    return Err(CaseRefusal::NoConsent);
                }
                if new_due <= self.due {
                    return Err(CaseRefusal::NotLater);
                }
                let reason = multiline("extend_reason", &reason, true)?;
                next.extensions.push(Extension {
                    on,
                    new_due,
                    reason,
                });
                next.due = new_due;
            }
            CaseEvent::Conclude { on, outcome } => {
                if !self.state.is_open() {
                    return Err(refuse());
                }
                not_before(on)?;
                let outcome = match outcome {
                    Outcome::Success {
                        terms,
                        method,
                        deadline,
                    } => {
                        if self.sessions.is_empty() {
                            return Err(CaseRefusal::NoSession);
                        }
                        if deadline < on {
                            return Err(CaseRefusal::Invalid(
                                "deadline",
                                ValidationError::DateOrder,
                            ));
                        }
                        Outcome::Success {
                            terms: multiline("terms", &terms, true)?,
                            method: validate::required_text(&method, 200)
                                .map_err(|e| CaseRefusal::Invalid("method", e))?,
                            deadline,
                        }
                    }
                    Outcome::Failed { reason } => Outcome::Failed {
                        reason: multiline("reason", &reason, false)?,
                    },
                    Outcome::Withdrawn { reason } => Outcome::Withdrawn {
                        reason: multiline("reason", &reason, false)?,
                    },
                    Outcome::Litigation { reason } => Outcome::Litigation {
                        reason: multiline("reason", &reason, false)?,
                    },
                    Outcome::Transferred { department } => Outcome::Transferred {
                        department: validate::required_text(&department, 100)
                            .map_err(|e| CaseRefusal::Invalid("department", e))?,
                    },
                };
                next.outcome = Some(outcome);
                next.concluded_on = Some(on);
                next.state = Concluded;
            }
            CaseEvent::FollowUp(follow_up) => {
                if !matches!(self.state, Concluded | FollowedUp) {
                    return Err(refuse());
                }
                let success = self.outcome.as_ref().is_some_and(Outcome::is_success);
                match (success, follow_up.fulfilment) {
                    (true, None) => return Err(CaseRefusal::FulfilmentMissing),
                    (false, Some(_)) => return Err(CaseRefusal::NotAnAgreement),
                    _ => {}
                }
                if self.concluded_on.is_some_and(|c| follow_up.on < c) {
                    return Err(CaseRefusal::Invalid("date", ValidationError::DateOrder));
                }
                if follow_up.next_on.is_some_and(|n| n <= follow_up.on) {
                    return Err(CaseRefusal::Invalid("next_on", ValidationError::DateOrder));
                }
                let note = multiline("note", &follow_up.note, false)?;
                next.follow_ups.push(CaseFollowUp { note, ..follow_up });
                next.state = FollowedUp;
            }
            CaseEvent::Judicial(judicial) => {
                if !self.outcome.as_ref().is_some_and(Outcome::is_success) {
                    return Err(CaseRefusal::NotAnAgreement);
                }
                if self.state == Archived {
                    return Err(refuse());
                }
                let judicial = JudicialConfirmation {
                    on: judicial.on.filter(|_| judicial.applied),
                    applied: judicial.applied,
                };
                if let (Some(on), Some(concluded)) = (judicial.on, self.concluded_on) {
                    if on < concluded {
                        return Err(CaseRefusal::Invalid("date", ValidationError::DateOrder));
                    }
                }
                next.judicial = Some(judicial);
            }
            CaseEvent::Archive => {
                if self.state != FollowedUp {
                    return Err(refuse());
                }
                next.state = Archived;
            }
        }
        Ok(next)
    }

    /// The date something is owed: the conclusion while open, the next follow-up after.
    pub fn next_due(&self) -> Option<NaiveDate> {
        match self.state {
            CaseState::Accepted | CaseState::Mediating => Some(self.due),
            CaseState::Concluded => self.follow_up_planned(),
            CaseState::FollowedUp => self.follow_ups.last().and_then(|f| f.next_on),
            CaseState::Archived => None,
        }
    }

    /// When the first follow-up is planned: the fulfilment deadline of an agreement, else a
    /// week after conclusion.
    fn follow_up_planned(&self) -> Option<NaiveDate> {
        match &self.outcome {
            Some(Outcome::Success { deadline, .. }) => Some(*deadline),
            Some(_) => self.concluded_on.map(|c| c + Duration::days(7)),
            None => None,
        }
    }

    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.next_due().is_some_and(|due| due < today)
    }

    /// The last day to apply for judicial confirmation.
    pub fn judicial_deadline(&self) -> Option<NaiveDate> {
        match (&self.outcome, self.concluded_on) {
            (Some(Outcome::Success { .. }), Some(on)) => Some(on + Duration::days(JUDICIAL_DAYS)),
            _ => None,
        }
    }

    /// The latest fulfilment recorded.
    pub fn fulfilment(&self) -> Option<Fulfilment> {
        self.follow_ups.iter().rev().find_map(|f| f.fulfilment)
    }

    /// "张三 与 李四" — the parties as a title.
    pub fn title(&self) -> String {
        let names = |role: PartyRole| {
            self.fields
                .parties
                .iter()
                .filter(|p| p.role == role)
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        };
        let applicants = names(PartyRole::Applicant);
        let respondents = names(PartyRole::Respondent);
        match (applicants.is_empty(), respondents.is_empty()) {
            (false, false) => format!("{applicants} / {respondents}"),
            (false, true) => applicants,
            (true, false) => respondents,
            (true, true) => String::new(),
        }
    }

    /// Links an intake to the case (both sides keep the link).
    pub fn link(&mut self, kind: RecordKind, id: Uuid) {
        if !self.links.iter().any(|l| l.id == id) {
            self.links.push(Link { kind, id });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }

    fn fields() -> CaseFields {
        CaseFields {
            received_on: day(11, 2),
            source: CaseSource::WalkIn,
            dispute_type: "邻里纠纷".into(),
            parties: vec![
                Party {
                    role: PartyRole::Applicant,
                    name: "刘志强".into(),
                    contact: "13900001111".into(),
                    id_number: String::new(),
                },
                Party {
                    role: PartyRole::Respondent,
                    name: "陈海".into(),
                    ..Party::default()
                },
            ],
            facts: "楼上装修导致楼下天花板开裂".into(),
            mediators: vec![Uuid::from_u128(7)],
            ..CaseFields::default()
        }
    }

    fn case() -> MediationCase {
        MediationCase::register("S1-2026-001".into(), fields(), DEFAULT_CASE_DAYS)
    }

    fn session(on: NaiveDate) -> CaseEvent {
        CaseEvent::RecordSession(Session {
            on,
            place: "工作站调解室".into(),
            attendees: "双方当事人".into(),
            notes: "双方陈述".into(),
        })
    }

    fn success() -> Outcome {
        Outcome::Success {
            terms: "陈海负责修复并赔偿3000元".into(),
            method: "一次性支付".into(),
            deadline: day(12, 10),
        }
    }

    fn concluded() -> MediationCase {
        case()
            .apply(session(day(11, 5)))
            .and_then(|c| {
                c.apply(CaseEvent::Conclude {
                    on: day(11, 10),
                    outcome: success(),
                })
            })
            .unwrap_or_else(|_| case())
    }

    #[test]
    fn a_new_case_is_due_in_thirty_days() {
        let c = case();
        assert_eq!(c.state, CaseState::Accepted);
        assert_eq!(c.due, day(12, 2));
        assert!(!c.is_overdue(day(12, 2)));
        assert!(c.is_overdue(day(12, 3)));
    }

    #[test]
    fn the_happy_path_through_every_state() {
        let c = case().apply(session(day(11, 5))).unwrap();
        assert_eq!(c.state, CaseState::Mediating);
        let c = c.apply(session(day(11, 4))).unwrap();
        assert_eq!(c.sessions.len(), 2);
        assert_eq!(
            c.sessions[0].on,
            day(11, 4),
            "sessions are kept in date order"
        );
        let c = c
            .apply(CaseEvent::Conclude {
                on: day(11, 10),
                outcome: success(),
            })
            .unwrap();
        assert_eq!(c.state, CaseState::Concluded);
        assert_eq!(c.next_due(), Some(day(12, 10)), "follow-up at the deadline");
        assert_eq!(c.judicial_deadline(), Some(day(12, 10)));
        let c = c
            .apply(CaseEvent::Judicial(JudicialConfirmation {
                applied: true,
                on: Some(day(11, 20)),
            }))
            .unwrap();
        assert_eq!(c.state, CaseState::Concluded);
        let c = c
            .apply(CaseEvent::FollowUp(CaseFollowUp {
                on: day(12, 11),
                fulfilment: Some(Fulfilment::Fulfilled),
                note: "已修复，款已付".into(),
                next_on: None,
            }))
            .unwrap();
        assert_eq!(c.state, CaseState::FollowedUp);
        assert_eq!(c.fulfilment(), Some(Fulfilment::Fulfilled));
        assert_eq!(c.next_due(), None);
        let c = c.apply(CaseEvent::Archive).unwrap();
        assert_eq!(c.state, CaseState::Archived);
    }

    #[test]
    fn every_refused_transition_says_why() {
        let open = case();
        // Agreement without any session.
        assert_eq!(
            open.apply(CaseEvent::Conclude {
                on: day(11, 3),
                outcome: success()
            }),
            Err(CaseRefusal::NoSession)
        );
        // Follow-up, judicial confirmation and archive before conclusion.
        let follow_up = CaseEvent::FollowUp(CaseFollowUp {
            on: day(11, 3),
            fulfilment: None,
            note: String::new(),
            next_on: None,
        });
        assert_eq!(
            open.apply(follow_up.clone()),
            Err(CaseRefusal::NotFrom(CaseState::Accepted))
        );
        assert_eq!(
            open.apply(CaseEvent::Archive),
            Err(CaseRefusal::NotFrom(CaseState::Accepted))
        );
        assert_eq!(
            open.apply(CaseEvent::Judicial(JudicialConfirmation {
                applied: true,
                on: None
            })),
            Err(CaseRefusal::NotAnAgreement)
        );
        // Extensions: consent and a later date.
        let extend = |consent, new_due| CaseEvent::Extend {
            on: day(11, 20),
            new_due,
            both_consent: consent,
            reason: "需要鉴定".into(),
        };
        assert_eq!(
            open.apply(extend(false, day(12, 20))),
            Err(CaseRefusal::NoConsent)
        );
        assert_eq!(
            open.apply(extend(true, day(12, 1))),
            Err(CaseRefusal::NotLater)
        );
        let extended = open.apply(extend(true, day(12, 20))).unwrap();
        assert_eq!(extended.due, day(12, 20));
        assert_eq!(extended.extensions.len(), 1);
        // Sessions before the case was received.
        assert_eq!(
            open.apply(session(day(10, 1))),
            Err(CaseRefusal::BeforeReceived)
        );
        // After conclusion: no sessions, no extension, no second conclusion.
        let done = concluded();
        assert_eq!(
            done.apply(session(day(11, 12))),
            Err(CaseRefusal::NotFrom(CaseState::Concluded))
        );
        assert_eq!(
            done.apply(extend(true, day(12, 30))),
            Err(CaseRefusal::NotFrom(CaseState::Concluded))
        );
        assert_eq!(
            done.apply(CaseEvent::Archive),
            Err(CaseRefusal::NotFrom(CaseState::Concluded))
        );
        // An agreement's follow-up must say how it was fulfilled.
        assert_eq!(done.apply(follow_up), Err(CaseRefusal::FulfilmentMissing));
        // A failed case has no fulfilment.
        let failed = case()
            .apply(CaseEvent::Conclude {
                on: day(11, 4),
                outcome: Outcome::Withdrawn {
                    reason: "申请人撤回".into(),
                },
            })
            .unwrap();
        assert_eq!(failed.next_due(), Some(day(11, 11)));
        assert_eq!(
            failed.apply(CaseEvent::FollowUp(CaseFollowUp {
                on: day(11, 12),
                fulfilment: Some(Fulfilment::Fulfilled),
                note: String::new(),
                next_on: None,
            })),
            Err(CaseRefusal::NotAnAgreement)
        );
        // Archived is the end.
        let archived = failed
            .apply(CaseEvent::FollowUp(CaseFollowUp {
                on: day(11, 12),
                fulfilment: None,
                note: String::new(),
                next_on: None,
            }))
            .and_then(|c| c.apply(CaseEvent::Archive))
            .unwrap();
        for event in [session(day(11, 20)), CaseEvent::Archive] {
            assert_eq!(
                archived.apply(event),
                Err(CaseRefusal::NotFrom(CaseState::Archived))
            );
        }
    }

    #[test]
    fn an_agreement_needs_its_terms_and_a_deadline_not_before_it() {
        let mediating = case().apply(session(day(11, 5))).unwrap();
        let bad_terms = mediating.apply(CaseEvent::Conclude {
            on: day(11, 10),
            outcome: Outcome::Success {
                terms: "  ".into(),
                method: "现金".into(),
                deadline: day(11, 30),
            },
        });
        assert!(matches!(bad_terms, Err(CaseRefusal::Invalid("terms", _))));
        let bad_deadline = mediating.apply(CaseEvent::Conclude {
            on: day(11, 10),
            outcome: Outcome::Success {
                terms: "赔偿".into(),
                method: "现金".into(),
                deadline: day(11, 9),
            },
        });
        assert!(matches!(
            bad_deadline,
            Err(CaseRefusal::Invalid("deadline", _))
        ));
    }

    #[test]
    fn partly_fulfilled_agreements_come_back() {
        let c = concluded()
            .apply(CaseEvent::FollowUp(CaseFollowUp {
                on: day(12, 11),
                fulfilment: Some(Fulfilment::Partly),
                note: "已付一半".into(),
                next_on: Some(day(12, 25)),
            }))
            .unwrap();
        assert_eq!(c.next_due(), Some(day(12, 25)));
        assert!(c.is_overdue(day(12, 26)));
        let c = c
            .apply(CaseEvent::FollowUp(CaseFollowUp {
                on: day(12, 26),
                fulfilment: Some(Fulfilment::Fulfilled),
                note: String::new(),
                next_on: None,
            }))
            .unwrap();
        assert_eq!(c.fulfilment(), Some(Fulfilment::Fulfilled));
        assert_eq!(c.follow_ups.len(), 2);
    }

    #[test]
    fn fields_need_both_sides_and_a_mediator() {
        assert!(fields().validate().is_ok());
        let mut f = fields();
        f.parties.retain(|p| p.role == PartyRole::Applicant);
        f.mediators.clear();
        let errors = f.validate().unwrap_err();
        let named: Vec<CaseField> = errors.iter().map(|(n, _)| *n).collect();
        assert!(named.contains(&CaseField::PartyName(1)), "{named:?}");
        assert!(named.contains(&CaseField::Mediators), "{named:?}");
        let mut f = fields();
        f.source = CaseSource::Police;
        assert!(f.validate().is_err(), "a referral names its unit");
        f.referring_unit = "城关派出所".into();
        assert!(f.validate().is_ok());
        let mut f = fields();
        f.mediators = vec![Uuid::from_u128(1); 4];
        assert_eq!(f.validate().map(|f| f.mediators.len()), Ok(1));
    }

    #[test]
    fn amounts_are_read_as_people_write_them() {
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount("3000"), Ok(Some(300_000)));
        assert_eq!(parse_amount("3,000元"), Ok(Some(300_000)));
        assert_eq!(parse_amount("３０００"), Ok(Some(300_000)));
        assert_eq!(parse_amount("12.5"), Ok(Some(1_250)));
        assert_eq!(parse_amount("12.05"), Ok(Some(1_205)));
        assert!(parse_amount("12.345").is_err());
        assert!(parse_amount("三千").is_err());
        assert!(parse_amount("-5").is_err());
        assert_eq!(format_amount(300_000), "3000");
        assert_eq!(format_amount(1_205), "12.05");
    }

    #[test]
    fn case_numbers_follow_the_pattern() {
        assert_eq!(
            case_number(DEFAULT_CASE_PATTERN, "CG01", 2026, 7),
            "CG01-2026-007"
        );
        assert_eq!(
            case_number("{station}调{year}第{seq:4}号", "CG01", 2026, 12),
            "CG01调2026第0012号"
        );
        assert_eq!(case_number("{year}-{seq}", "X", 2026, 1234), "2026-1234");
        assert_eq!(case_number("{odd}-{seq}", "X", 2026, 1), "{odd}-001");
        assert!(pattern_is_valid(DEFAULT_CASE_PATTERN));
        assert!(!pattern_is_valid("{station}-{seq}"));
    }

    #[test]
    fn a_case_from_an_intake_takes_the_visitor_and_request() {
        let intake = Intake::register(
            crate::domain::IntakeFields {
                visited_at: day(11, 2).and_hms_opt(9, 0, 0).unwrap_or_default(),
                visitor_name: "刘志强".into(),
                phone: "13900001111".into(),
                visitors: 1,
                category: "邻里关系".into(),
                request: "楼上装修，我家天花板裂了".into(),
                member_id: Some(Uuid::from_u128(9)),
                ..crate::domain::IntakeFields::default()
            },
            crate::domain::DuePolicy::default(),
        );
        let f = CaseFields::from_intake(&intake, "邻里纠纷", day(11, 3));
        assert_eq!(f.parties[0].name, "刘志强");
        assert_eq!(f.parties[0].contact, "13900001111");
        assert_eq!(f.parties[1].role, PartyRole::Respondent);
        assert_eq!(f.facts, "楼上装修，我家天花板裂了");
        assert_eq!(f.mediators, vec![Uuid::from_u128(9)]);
    }
}
