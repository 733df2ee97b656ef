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
mod tests {
    use super::*;

    /// The end of the year: every step of the tests has happened by then.
    fn now() -> chrono::NaiveDateTime {
        day(12, 31).and_hms_opt(12, 0, 0).unwrap_or_default()
    }

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

    #[test]
    fn the_steps_offered_are_the_steps_the_rules_allow() {
        let accepted = case();
        let on = day(11, 5);
        assert!(accepted.allows(CaseAction::Session, on));
        assert!(!accepted.allows(CaseAction::FollowUp, on));
        assert!(!accepted.allows(CaseAction::Archive, on));
        let mediating = accepted
            .apply(session(on), now())
            .unwrap_or_else(|_| case());
        assert!(mediating.allows(CaseAction::Conclude, on));
        assert!(mediating.next_actions(on).contains(&CaseAction::Session));
        assert!(!mediating.next_actions(on).contains(&CaseAction::Archive));
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
            .apply(session(day(11, 5)), now())
            .and_then(|c| {
                c.apply(
                    CaseEvent::Conclude {
                        on: day(11, 10),
                        outcome: success(),
                    },
                    now(),
                )
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
        let c = case().apply(session(day(11, 5)), now()).unwrap();
        assert_eq!(c.state, CaseState::Mediating);
        let c = c.apply(session(day(11, 4)), now()).unwrap();
        assert_eq!(c.sessions.len(), 2);
        assert_eq!(
            c.sessions[0].on,
            day(11, 4),
            "sessions are kept in date order"
        );
        let c = c
            .apply(
                CaseEvent::Conclude {
                    on: day(11, 10),
                    outcome: success(),
                },
                now(),
            )
            .unwrap();
        assert_eq!(c.state, CaseState::Concluded);
        assert_eq!(c.next_due(), Some(day(12, 10)), "follow-up at the deadline");
        assert_eq!(c.judicial_deadline(), Some(day(12, 10)));
        let c = c
            .apply(
                CaseEvent::Judicial(JudicialConfirmation {
                    applied: true,
                    on: Some(day(11, 20)),
                }),
                now(),
            )
            .unwrap();
        assert_eq!(c.state, CaseState::Concluded);
        let c = c
            .apply(
                CaseEvent::FollowUp(CaseFollowUp {
                    on: day(12, 11),
                    fulfilment: Some(Fulfilment::Fulfilled),
                    note: "已修复，款已付".into(),
                    next_on: None,
                }),
                now(),
            )
            .unwrap();
        assert_eq!(c.state, CaseState::FollowedUp);
        assert_eq!(c.fulfilment(), Some(Fulfilment::Fulfilled));
        assert_eq!(c.next_due(), None);
        let c = c.apply(CaseEvent::Archive, now()).unwrap();
        assert_eq!(c.state, CaseState::Archived);
    }

    #[test]
    fn every_refused_transition_says_why() {
        let open = case();
        // Agreement without any session.
        assert_eq!(
            open.apply(
                CaseEvent::Conclude {
                    on: day(11, 3),
                    outcome: success()
                },
                now()
            ),
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
            open.apply(follow_up.clone(), now()),
            Err(CaseRefusal::NotFrom(CaseState::Accepted))
        );
        assert_eq!(
            open.apply(CaseEvent::Archive, now()),
            Err(CaseRefusal::NotFrom(CaseState::Accepted))
        );
        assert_eq!(
            open.apply(
                CaseEvent::Judicial(JudicialConfirmation {
                    applied: true,
                    on: None
                }),
                now()
            ),
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
            open.apply(extend(false, day(12, 20)), now()),
            Err(CaseRefusal::NoConsent)
        );
        assert_eq!(
            open.apply(extend(true, day(12, 1)), now()),
            Err(CaseRefusal::NotLater)
        );
        let extended = open.apply(extend(true, day(12, 20)), now()).unwrap();
        assert_eq!(extended.due, day(12, 20));
        assert_eq!(extended.extensions.len(), 1);
        // Sessions before the case was received.
        assert_eq!(
            open.apply(session(day(10, 1)), now()),
            Err(CaseRefusal::Time(
                crate::domain::timeline::TimeRefusal::Before {
                    field: "date",
                    at: day(10, 1),
                    step: crate::domain::timeline::Step::Acceptance,
                    follows: open.fields.received_on,
                }
            ))
        );
        // A session in the future, and a conclusion before the last session.
        let later = chrono::NaiveDate::from_ymd_opt(2027, 5, 1).unwrap_or_default();
        assert!(matches!(
            open.apply(session(later), now()),
            Err(CaseRefusal::Time(
                crate::domain::timeline::TimeRefusal::Future { .. }
            ))
        ));
        let mut received_later = fields();
        received_later.received_on = later;
        assert!(received_later
            .validate(now())
            .is_err_and(|e| e.iter().any(|(field, _)| *field == CaseField::ReceivedOn)));
        let met = open.apply(session(day(11, 20)), now()).unwrap();
        assert!(matches!(
            met.apply(
                CaseEvent::Conclude {
                    on: day(11, 19),
                    outcome: success(),
                },
                now()
            ),
            Err(CaseRefusal::Time(
                crate::domain::timeline::TimeRefusal::Before {
                    step: crate::domain::timeline::Step::Session,
                    ..
                }
            ))
        ));
        // After conclusion: no sessions, no extension, no second conclusion.
        let done = concluded();
        assert_eq!(
            done.apply(session(day(11, 12)), now()),
            Err(CaseRefusal::NotFrom(CaseState::Concluded))
        );
        assert_eq!(
            done.apply(extend(true, day(12, 30)), now()),
            Err(CaseRefusal::NotFrom(CaseState::Concluded))
        );
        assert_eq!(
            done.apply(CaseEvent::Archive, now()),
            Err(CaseRefusal::NotFrom(CaseState::Concluded))
        );
        // An agreement's follow-up must say how it was fulfilled.
        assert_eq!(
            done.apply(follow_up, now()),
            Err(CaseRefusal::FulfilmentMissing)
        );
        // A failed case has no fulfilment.
        let failed = case()
            .apply(
                CaseEvent::Conclude {
                    on: day(11, 4),
                    outcome: Outcome::Withdrawn {
                        reason: "申请人撤回".into(),
                    },
                },
                now(),
            )
            .unwrap();
        assert_eq!(failed.next_due(), Some(day(11, 11)));
        assert_eq!(
            failed.apply(
                CaseEvent::FollowUp(CaseFollowUp {
                    on: day(11, 12),
                    fulfilment: Some(Fulfilment::Fulfilled),
                    note: String::new(),
                    next_on: None,
                }),
                now()
            ),
            Err(CaseRefusal::NotAnAgreement)
        );
        // Archived is the end.
        let archived = failed
            .apply(
                CaseEvent::FollowUp(CaseFollowUp {
                    on: day(11, 12),
                    fulfilment: None,
                    note: String::new(),
                    next_on: None,
                }),
                now(),
            )
            .and_then(|c| c.apply(CaseEvent::Archive, now()))
            .unwrap();
        for event in [session(day(11, 20)), CaseEvent::Archive] {
            assert_eq!(
                archived.apply(event, now()),
                Err(CaseRefusal::NotFrom(CaseState::Archived))
            );
        }
    }

    #[test]
    fn an_agreement_needs_its_terms_and_a_deadline_not_before_it() {
        let mediating = case().apply(session(day(11, 5)), now()).unwrap();
        let bad_terms = mediating.apply(
            CaseEvent::Conclude {
                on: day(11, 10),
                outcome: Outcome::Success {
                    terms: "  ".into(),
                    method: "现金".into(),
                    deadline: day(11, 30),
                },
            },
            now(),
        );
        assert!(matches!(bad_terms, Err(CaseRefusal::Invalid("terms", _))));
        let bad_deadline = mediating.apply(
            CaseEvent::Conclude {
                on: day(11, 10),
                outcome: Outcome::Success {
                    terms: "赔偿".into(),
                    method: "现金".into(),
                    deadline: day(11, 9),
                },
            },
            now(),
        );
        assert!(matches!(
            bad_deadline,
            Err(CaseRefusal::Invalid("deadline", _))
        ));
    }

    #[test]
    fn partly_fulfilled_agreements_come_back() {
        let c = concluded()
            .apply(
                CaseEvent::FollowUp(CaseFollowUp {
                    on: day(12, 11),
                    fulfilment: Some(Fulfilment::Partly),
                    note: "已付一半".into(),
                    next_on: Some(day(12, 25)),
                }),
                now(),
            )
            .unwrap();
        assert_eq!(c.next_due(), Some(day(12, 25)));
        assert!(c.is_overdue(day(12, 26)));
        let c = c
            .apply(
                CaseEvent::FollowUp(CaseFollowUp {
                    on: day(12, 26),
                    fulfilment: Some(Fulfilment::Fulfilled),
                    note: String::new(),
                    next_on: None,
                }),
                now(),
            )
            .unwrap();
        assert_eq!(c.fulfilment(), Some(Fulfilment::Fulfilled));
        assert_eq!(c.follow_ups.len(), 2);
    }

    #[test]
    fn fields_need_both_sides_and_a_mediator() {
        assert!(fields().validate(now()).is_ok());
        let mut f = fields();
        f.parties.retain(|p| p.role == PartyRole::Applicant);
        f.mediators.clear();
        let errors = f.validate(now()).unwrap_err();
        let named: Vec<CaseField> = errors.iter().map(|(n, _)| *n).collect();
        assert!(named.contains(&CaseField::PartyName(1)), "{named:?}");
        assert!(named.contains(&CaseField::Mediators), "{named:?}");
        let mut f = fields();
        f.source = CaseSource::Police;
        assert!(f.validate(now()).is_err(), "a referral names its unit");
        f.referring_unit = "城关派出所".into();
        assert!(f.validate(now()).is_ok());
        let mut f = fields();
        f.mediators = vec![Uuid::from_u128(1); 4];
        assert_eq!(f.validate(now()).map(|f| f.mediators.len()), Ok(1));
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
