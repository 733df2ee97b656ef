//! A visitor intake (来访接待) and its closed loop: 已登记 → 办理中 → 已答复 → 已回访 → 已办结, with
//! reopening. The transitions are rules here; the store and the screens only ask.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
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

impl IntakeFields {
    /// Checks and normalises as of `now` (a visit is not in the future); each error names its
    /// field.
    pub fn validate(
        &self,
        now: NaiveDateTime,
    ) -> Result<IntakeFields, Vec<(&'static str, ValidationError)>> {
        let mut errors = Vec::new();
        let mut checked = self.clone();
        if timeline::happened_at("visited_at", self.visited_at, now).is_err() {
            errors.push(("visited_at", ValidationError::Future));
        }
        validate::keep(
            &mut checked.visitor_name,
            "visitor_name",
            validate::optional_text(&self.visitor_name, 40),
            &mut errors,
        );
        validate::keep(
            &mut checked.phone,
            "phone",
            validate::phone(&self.phone),
            &mut errors,
        );
        validate::keep(
            &mut checked.id_number,
            "id_number",
            validate::resident_id(&self.id_number),
            &mut errors,
        );
        validate::keep(
            &mut checked.address,
            "address",
            validate::optional_text(&self.address, 200),
            &mut errors,
        );
        if self.visitors == 0 || self.visitors > 999 {
            errors.push(("visitors", ValidationError::Choice));
        }
        validate::keep(
            &mut checked.category,
            "category",
            validate::required_text(&self.category, 40),
            &mut errors,
        );
        validate::keep(
            &mut checked.request,
            "request",
            validate::required_multiline(&self.request, REQUEST_MAX),
            &mut errors,
        );
        if errors.is_empty() {
            Ok(checked)
        } else {
            Err(errors)
        }
    }

    /// 集体访
    pub fn is_group_visit(&self) -> bool {
        self.visitors > 1
    }
}

fn text(field: &'static str, value: &str) -> Result<String, IntakeRefusal> {
    validate::required_multiline(value, REQUEST_MAX).map_err(|e| IntakeRefusal::Invalid(field, e))
}

impl Intake {
    /// A new intake, registered, with its reply due date.
    pub fn register(fields: IntakeFields, policy: DuePolicy) -> Intake {
        let reply_due = fields.visited_at.date() + Duration::days(i64::from(policy.reply_days));
        Intake {
            meta: RecordMeta::unsaved(),
            fields,
            state: IntakeState::Registered,
            handling: None,
            feedback: None,
            follow_up: None,
            reply_due,
            follow_up_due: None,
            reopen_reason: None,
            links: Vec::new(),
        }
    }

    /// Applies `event` as of `now`, or says why it is not allowed: for the visit's state, for
    /// what is typed, or for its date (not in the future, not before the step it follows).
    pub fn apply(
        &self,
        event: IntakeEvent,
        policy: DuePolicy,
        now: NaiveDateTime,
    ) -> Result<Intake, IntakeRefusal> {
        use IntakeState::*;
        let mut next = self.clone();
        // Every dated step follows the latest step already recorded (the visit, its referral,
        // its reply — after a reopening, the earlier reply too). Checked once the state allows
        // the step: a step the state refuses says so first.
        let (step, latest) = self.latest_step();
        let after_visit = |on: NaiveDate| timeline::happened_after("date", on, now, step, latest);
        let refuse = || IntakeRefusal::NotFrom(self.state);
        let follow_up_due =
            |on: NaiveDate| Some(on + Duration::days(i64::from(policy.follow_up_days)));
        match event {
            IntakeEvent::Refer { department, on } => {
                if !self.state.awaits_reply() {
                    return Err(refuse());
                }
                let department = validate::required_text(&department, 100)
                    .map_err(|e| IntakeRefusal::Invalid("department", e))?;
                after_visit(on)?;
                next.handling = Some(Handling::Referred { department, on });
                next.state = InProgress;
            }
            IntakeEvent::AnswerOnTheSpot { answer, on } => {
                if !self.state.awaits_reply() {
                    return Err(refuse());
                }
                let answer = text("answer", &answer)?;
                after_visit(on)?;
                next.handling = Some(Handling::OnTheSpot {
                    answer: answer.clone(),
                });
                next.feedback = Some(Feedback { on, text: answer });
                next.follow_up_due = follow_up_due(on);
                next.state = Answered;
            }
            IntakeEvent::Convert { to, id } => {
                if !self.state.awaits_reply() || to == RecordKind::Intake {
                    return Err(refuse());
                }
                next.handling = Some(Handling::Converted { to, id });
                if !next.links.iter().any(|l| l.id == id) {
                    next.links.push(Link { kind: to, id });
                }
                next.state = InProgress;
            }
            IntakeEvent::RecordFeedback { on, text: feedback } => {
                // Feedback follows handling: a registered intake is handled first.
                if self.state != InProgress {
                    return Err(refuse());
                }
                let feedback = text("feedback", &feedback)?;
                after_visit(on)?;
                next.feedback = Some(Feedback { on, text: feedback });
                next.follow_up_due = follow_up_due(on);
                next.state = Answered;
            }
            IntakeEvent::RecordFollowUp {
                on,
                satisfaction,
                note,
            } => {
                if self.state != Answered {
                    return Err(refuse());
                }
                let note = validate::optional_text(&note, REQUEST_MAX)
                    .map_err(|e| IntakeRefusal::Invalid("note", e))?;
                after_visit(on)?;
                next.follow_up = Some(FollowUp {
                    on,
                    satisfaction,
                    note,
                });
                next.state = FollowedUp;
            }
            IntakeEvent::Close => {
                if self.state != FollowedUp {
                    return Err(refuse());
                }
                next.state = Closed;
            }
            IntakeEvent::CloseFromCase { on, text: outcome } => {
                if !self.is_handed_over() {
                    return Err(refuse());
                }
                let outcome = text("feedback", &outcome)?;
                after_visit(on)?;
                next.feedback = Some(Feedback { on, text: outcome });
                next.follow_up_due = None;
                next.state = Closed;
            }
            IntakeEvent::Reopen { reason } => {
                if !matches!(self.state, Answered | FollowedUp | Closed) {
                    return Err(refuse());
                }
                let reason = text("reason", &reason)?;
                next.reopen_reason = Some(reason);
                next.follow_up = None;
                next.follow_up_due = None;
                next.state = InProgress;
            }
        }
        Ok(next)
    }

    /// The latest dated step recorded, and its day: what the next step may not come before.
    fn latest_step(&self) -> (Step, NaiveDate) {
        let mut latest = (Step::Visit, self.fields.visited_at.date());
        if let Some(Handling::Referred { on, .. }) = &self.handling {
            if *on >= latest.1 {
                latest = (Step::Referral, *on);
            }
        }
        if let Some(reply) = &self.feedback {
            if reply.on >= latest.1 {
                latest = (Step::Reply, reply.on);
            }
        }
        latest
    }

    /// Whether the rules allow `step` from this visit's state (its form may still find fault
    /// with what is typed). Asked of [`Intake::apply`] itself, so the two never disagree.
    pub fn allows(&self, step: IntakeStep) -> bool {
        // The probe is dated the visit's day and asked as of the end of time, so that only the
        // state can refuse it.
        let on = self.fields.visited_at.date();
        !matches!(
            self.apply(step.probe(on), DuePolicy::default(), NaiveDateTime::MAX),
            Err(IntakeRefusal::NotFrom(_))
        )
    }

    /// The steps the rules allow now, in the desk's order.
    pub fn next_steps(&self) -> Vec<IntakeStep> {
        IntakeStep::ALL
            .into_iter()
            .filter(|s| self.allows(*s))
            .collect()
    }

    /// Handed over to another record (a case, a topic, a report), whose own clock runs.
    pub fn is_handed_over(&self) -> bool {
        self.state == IntakeState::InProgress
            && matches!(self.handling, Some(Handling::Converted { .. }))
    }

    /// The next date something is owed: the reply while it awaits one, the follow-up after;
    /// nothing while it is handed over to another record.
    pub fn due(&self) -> Option<NaiveDate> {
        due_of(
            self.state,
            self.is_handed_over(),
            self.reply_due,
            self.follow_up_due,
        )
    }

    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.due().is_some_and(|due| due < today)
    }

    pub fn is_due_today(&self, today: NaiveDate) -> bool {
        self.due() == Some(today)
    }

    /// A one-line summary of the request.
    pub fn summary(&self, max_chars: usize) -> String {
        let flat: String = self
            .fields
            .request
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let mut out: String = flat.trim().chars().take(max_chars).collect();
        if flat.trim().chars().count() > max_chars {
            out.push('…');
        }
        out
    }
}

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

pub fn month_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap_or(day);
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    let last = next.and_then(|n| n.pred_opt()).unwrap_or(first);
    (first, last)
}

/// A visit's fields as people read them (the bundle's columns, the search).
impl Described for Intake {
    const KIND: RecordKind = RecordKind::Intake;
    fn known_as(&self, l: &dyn Lookup) -> String {
        let visitor = if self.fields.visitor_name.is_empty() {
            l.word("intakes.anonymous")
        } else {
            self.fields.visitor_name.clone()
        };
        format!(
            "{} {visitor} {}",
            date(self.fields.visited_at.date()),
            self.fields.category
        )
    }
    fn fields() -> &'static [Field<Intake>] {
        crate::fields_of!(
            Intake,
            [
                Field::whole("visited_at", "来访时间", "Visited", |i, _| {
                    local_time(i.fields.visited_at)
                }),
                Field::typed("visitor_name", "来访人", "Visitor", |i| {
                    &i.fields.visitor_name
                }),
                Field::shown("gender", "性别", "Gender", |i, l| {
                    l.word(i.fields.gender.key())
                }),
                Field::personal("phone", "电话", "Phone", |i| &i.fields.phone),
                Field::personal("id_number", "身份证号", "ID number", |i| {
                    &i.fields.id_number
                }),
                Field::typed("address", "住址/小区", "Address", |i| &i.fields.address),
                Field::shown("visitors", "来访人数", "Visitors", |i, _| {
                    i.fields.visitors.to_string()
                }),
                Field::typed("category", "诉求类别", "Category", |i| {
                    &i.fields.category
                }),
                Field::typed("request", "诉求内容", "Request", |i| &i.fields.request),
                Field::shown("member", "接待委员", "Received by", |i, l| {
                    i.fields
                        .member_id
                        .map(|id| l.member(id))
                        .unwrap_or_default()
                }),
                Field::shown("state", "办理状态", "State", |i, l| {
                    l.word(i.state.key())
                }),
                Field::parts(
                    "handling",
                    "办理情况",
                    "Handling",
                    handling_text,
                    |i| match &i.handling {
                        Some(Handling::OnTheSpot { answer }) => vec![answer.as_str()],
                        Some(Handling::Referred { department, .. }) => vec![department.as_str()],
                        _ => Vec::new(),
                    },
                ),
                Field::parts(
                    "feedback",
                    "反馈",
                    "Feedback",
                    |i, _| {
                        i.feedback
                            .as_ref()
                            .map(|f| format!("{} {}", date(f.on), f.text))
                            .unwrap_or_default()
                    },
                    |i| i.feedback.iter().map(|f| f.text.as_str()).collect(),
                ),
                Field::parts(
                    "follow_up",
                    "回访",
                    "Follow-up",
                    |i, l| {
                        i.follow_up
                            .as_ref()
                            .map(|f| {
                                format!(
                                    "{} {} {}",
                                    date(f.on),
                                    l.word(f.satisfaction.key()),
                                    f.note
                                )
                                .trim_end()
                                .to_string()
                            })
                            .unwrap_or_default()
                    },
                    |i| i.follow_up.iter().map(|f| f.note.as_str()).collect(),
                ),
                Field::shown("reply_due", "答复期限", "Reply due", |i, _| {
                    date(i.reply_due)
                }),
                Field::shown("follow_up_due", "回访期限", "Follow-up due", |i, _| {
                    opt_date(i.follow_up_due)
                }),
                Field::typed(
                    "reopen_reason",
                    "重新办理原因",
                    "Reopened because",
                    |i| i.reopen_reason.as_deref().unwrap_or(""),
                ),
                Field::shown("links", "关联记录", "Linked records", |i, l| {
                    i.links
                        .iter()
                        .map(|link| {
                            format!(
                                "{} {}",
                                l.word(link.kind.key()),
                                l.record(link.kind, link.id)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("、")
                }),
            ]
        )
    }
}

fn handling_text(i: &Intake, l: &dyn Lookup) -> String {
    match &i.handling {
        None => String::new(),
        Some(Handling::OnTheSpot { answer }) => {
            format!("{}：{answer}", l.word("handling.on_the_spot"))
        }
        Some(Handling::Referred { department, on }) => {
            format!(
                "{}：{department}（{}）",
                l.word("handling.referred"),
                date(*on)
            )
        }
        Some(Handling::Converted { to, id }) => format!(
            "{}{}：{}",
            l.word("handling.converted"),
            l.word(to.key()),
            l.record(*to, *id)
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_steps_offered_are_the_steps_the_rules_allow() {
        use super::*;
        let fields = IntakeFields {
            visited_at: NaiveDate::from_ymd_opt(2026, 11, 2)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .unwrap_or_default(),
            visitors: 1,
            category: "物业管理".into(),
            request: "电梯坏了".into(),
            ..IntakeFields::default()
        };
        let registered = Intake::register(fields, DuePolicy::default());
        assert_eq!(
            registered.next_steps(),
            [
                IntakeStep::AnswerOnTheSpot,
                IntakeStep::Refer,
                IntakeStep::ToCase
            ]
        );
        let mut handed = registered.clone();
        handed.handling = Some(Handling::Converted {
            to: RecordKind::Case,
            id: Uuid::nil(),
        });
        handed.state = IntakeState::InProgress;
        assert!(handed.allows(IntakeStep::CloseFromCase));
        assert!(!registered.allows(IntakeStep::CloseFromCase));
        let mut answered = registered;
        answered.state = IntakeState::Answered;
        assert_eq!(
            answered.next_steps(),
            [IntakeStep::FollowUp, IntakeStep::Reopen]
        );
    }

    #[test]
    fn addresses_of_one_compound_have_one_compound() {
        use super::compound_of;
        for address in [
            "老街小区",
            "老街小区3幢201",
            "老街小区 5幢",
            " 老街小区-2-301",
        ] {
            assert_eq!(compound_of(address), "老街小区", "{address}");
        }
        assert_eq!(compound_of("幸福里3号楼502"), "幸福里");
        assert_eq!(compound_of("东风小区东门"), "东风小区");
        assert_eq!(compound_of("青溪镇中心街"), "青溪镇中心街");
        assert_eq!(compound_of(""), "");
    }

    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }

    fn fields() -> IntakeFields {
        IntakeFields {
            visited_at: day(11, 2).and_hms_opt(9, 30, 0).unwrap_or_default(),
            visitor_name: "王大爷".into(),
            phone: "13900001111".into(),
            visitors: 1,
            category: "交通出行/停车".into(),
            request: "小区院子围起来以后没地方停车".into(),
            ..IntakeFields::default()
        }
    }

    /// The end of November: every step of the tests has happened by then.
    fn now() -> NaiveDateTime {
        day(11, 30).and_hms_opt(12, 0, 0).unwrap_or_default()
    }

    fn policy() -> DuePolicy {
        DuePolicy::default()
    }

    fn registered() -> Intake {
        Intake::register(fields(), policy())
    }

    fn refer() -> IntakeEvent {
        IntakeEvent::Refer {
            department: "街道城管科".into(),
            on: day(11, 3),
        }
    }

    fn feedback() -> IntakeEvent {
        IntakeEvent::RecordFeedback {
            on: day(11, 10),
            text: "已协调学校夜间共享车位".into(),
        }
    }

    fn follow_up() -> IntakeEvent {
        IntakeEvent::RecordFollowUp {
            on: day(11, 15),
            satisfaction: Satisfaction::Satisfied,
            note: String::new(),
        }
    }

    fn reopen() -> IntakeEvent {
        IntakeEvent::Reopen {
            reason: "车位又被占了".into(),
        }
    }

    fn convert() -> IntakeEvent {
        IntakeEvent::Convert {
            to: RecordKind::Case,
            id: Uuid::nil(),
        }
    }

    fn on_spot() -> IntakeEvent {
        IntakeEvent::AnswerOnTheSpot {
            answer: "解释了停车收费政策".into(),
            on: day(11, 2),
        }
    }

    fn in_state(state: IntakeState) -> Intake {
        let mut intake = registered();
        intake.state = state;
        intake
    }

    #[test]
    fn steps_are_not_in_the_future_nor_before_the_step_they_follow() {
        use crate::domain::timeline::{Step, TimeRefusal};
        let p = policy();
        let now = day(11, 20).and_hms_opt(9, 0, 0).unwrap_or_default();
        // A visit a month ahead is refused by its fields.
        let mut ahead = fields();
        ahead.visited_at = NaiveDate::from_ymd_opt(2027, 1, 5)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap_or_default();
        assert!(ahead
            .validate(now)
            .is_err_and(|e| e.contains(&("visited_at", ValidationError::Future))));
        assert!(fields().validate(now).is_ok());
        // A referral before the visit, a reply a week ahead, a follow-up before its reply.
        let early = IntakeEvent::Refer {
            department: "街道城管科".into(),
            on: day(11, 1),
        };
        assert_eq!(
            registered().apply(early, p, now),
            Err(IntakeRefusal::Time(TimeRefusal::Before {
                field: "date",
                at: day(11, 1),
                step: Step::Visit,
                follows: day(11, 2)
            }))
        );
        let referred = registered()
            .apply(refer(), p, now)
            .unwrap_or_else(|_| registered());
        let ahead = IntakeEvent::RecordFeedback {
            on: day(11, 27),
            text: "已答复".into(),
        };
        assert!(matches!(
            referred.apply(ahead, p, now),
            Err(IntakeRefusal::Time(TimeRefusal::Future {
                field: "date",
                ..
            }))
        ));
        let before_referral = IntakeEvent::RecordFeedback {
            on: day(11, 2),
            text: "已答复".into(),
        };
        assert!(matches!(
            referred.apply(before_referral, p, now),
            Err(IntakeRefusal::Time(TimeRefusal::Before {
                step: Step::Referral,
                ..
            }))
        ));
        let answered = referred
            .apply(feedback(), p, now)
            .unwrap_or_else(|_| registered());
        let before_reply = IntakeEvent::RecordFollowUp {
            on: day(11, 9),
            satisfaction: Satisfaction::Satisfied,
            note: String::new(),
        };
        assert_eq!(
            answered.apply(before_reply, p, now),
            Err(IntakeRefusal::Time(TimeRefusal::Before {
                field: "date",
                at: day(11, 9),
                step: Step::Reply,
                follows: day(11, 10)
            }))
        );
        assert!(answered.apply(follow_up(), p, now).is_ok());
        // The state speaks first: a closed visit refuses a reply whatever its date.
        let closed = in_state(IntakeState::Closed);
        assert!(matches!(
            closed.apply(before_referral_again(), p, now),
            Err(IntakeRefusal::NotFrom(IntakeState::Closed))
        ));
    }

    fn before_referral_again() -> IntakeEvent {
        IntakeEvent::AnswerOnTheSpot {
            answer: "解释".into(),
            on: day(10, 1),
        }
    }

    #[test]
    fn the_whole_loop() {
        let p = policy();
        let intake = registered();
        assert_eq!(intake.reply_due, day(11, 17));
        let intake = intake
            .apply(refer(), p, now())
            .unwrap_or_else(|_| registered());
        assert_eq!(intake.state, IntakeState::InProgress);
        let intake = intake
            .apply(feedback(), p, now())
            .unwrap_or_else(|_| registered());
        assert_eq!(intake.state, IntakeState::Answered);
        assert_eq!(intake.follow_up_due, Some(day(11, 17)));
        let intake = intake
            .apply(follow_up(), p, now())
            .unwrap_or_else(|_| registered());
        assert_eq!(intake.state, IntakeState::FollowedUp);
        let intake = intake
            .apply(IntakeEvent::Close, p, now())
            .unwrap_or_else(|_| registered());
        assert_eq!(intake.state, IntakeState::Closed);
        assert_eq!(intake.due(), None);
        let intake = intake
            .apply(reopen(), p, now())
            .unwrap_or_else(|_| registered());
        assert_eq!(intake.state, IntakeState::InProgress);
        assert_eq!(intake.reopen_reason.as_deref(), Some("车位又被占了"));
        assert_eq!(intake.follow_up, None);
    }

    /// Every event from every state: allowed exactly where the table says.
    #[test]
    fn every_transition_is_allowed_or_refused_by_the_rules() {
        use IntakeState::*;
        let events: Vec<(&str, IntakeEvent)> = vec![
            ("refer", refer()),
            ("on_spot", on_spot()),
            ("convert", convert()),
            ("feedback", feedback()),
            ("follow_up", follow_up()),
            ("close", IntakeEvent::Close),
            ("reopen", reopen()),
        ];
        let allowed: &[(IntakeState, &str, IntakeState)] = &[
            (Registered, "refer", InProgress),
            (Registered, "on_spot", Answered),
            (Registered, "convert", InProgress),
            (InProgress, "refer", InProgress),
            (InProgress, "on_spot", Answered),
            (InProgress, "convert", InProgress),
            (InProgress, "feedback", Answered),
            (Answered, "follow_up", FollowedUp),
            (Answered, "reopen", InProgress),
            (FollowedUp, "close", Closed),
            (FollowedUp, "reopen", InProgress),
            (Closed, "reopen", InProgress),
        ];
        for from in IntakeState::ALL {
            for (name, event) in &events {
                let expected = allowed
                    .iter()
                    .find(|(f, e, _)| *f == from && e == name)
                    .map(|(_, _, to)| *to);
                let result = in_state(from).apply(event.clone(), policy(), now());
                match expected {
                    Some(to) => assert_eq!(result.map(|i| i.state), Ok(to), "{from:?} + {name}"),
                    None => assert_eq!(
                        result.map(|i| i.state),
                        Err(IntakeRefusal::NotFrom(from)),
                        "{from:?} + {name} must be refused"
                    ),
                }
            }
        }
    }

    #[test]
    fn events_need_their_text() {
        let empty_reason = IntakeEvent::Reopen {
            reason: "  ".into(),
        };
        assert_eq!(
            in_state(IntakeState::Closed).apply(empty_reason, policy(), now()),
            Err(IntakeRefusal::Invalid("reason", ValidationError::Required))
        );
        let no_department = IntakeEvent::Refer {
            department: String::new(),
            on: day(11, 3),
        };
        assert!(matches!(
            registered().apply(no_department, policy(), now()),
            Err(IntakeRefusal::Invalid("department", _))
        ));
    }

    #[test]
    fn conversion_links_once() {
        let id = Uuid::now_v7();
        let event = IntakeEvent::Convert {
            to: RecordKind::Case,
            id,
        };
        let once = registered()
            .apply(event.clone(), policy(), now())
            .unwrap_or_else(|_| registered());
        let twice = once
            .apply(event, policy(), now())
            .unwrap_or_else(|_| registered());
        assert_eq!(
            twice.links,
            vec![Link {
                kind: RecordKind::Case,
                id
            }]
        );
        assert_eq!(
            twice.handling,
            Some(Handling::Converted {
                to: RecordKind::Case,
                id
            })
        );
    }

    #[test]
    fn due_dates_follow_the_settings() {
        let p = DuePolicy {
            reply_days: 10,
            follow_up_days: 3,
        };
        let intake = Intake::register(fields(), p);
        assert_eq!(intake.reply_due, day(11, 12));
        assert!(!intake.is_overdue(day(11, 12)));
        assert!(intake.is_due_today(day(11, 12)));
        assert!(intake.is_overdue(day(11, 13)));
        let answered = intake
            .apply(on_spot(), p, now())
            .unwrap_or_else(|_| registered());
        assert_eq!(answered.due(), Some(day(11, 5)));
        assert!(answered.is_overdue(day(11, 6)));
        let done = answered
            .apply(follow_up(), p, now())
            .unwrap_or_else(|_| registered());
        assert!(!done.is_overdue(day(12, 31)));
    }

    #[test]
    fn fields_are_validated() {
        let mut bad = fields();
        bad.phone = "123".into();
        bad.id_number = "110105194912310021".into();
        bad.request = " ".into();
        bad.category = String::new();
        bad.visitors = 0;
        let fields: Vec<&str> = bad
            .validate(now())
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(
            fields,
            ["phone", "id_number", "visitors", "category", "request"]
        );
        let mut anonymous = self::fields();
        anonymous.visitor_name = String::new();
        anonymous.phone = String::new();
        assert!(anonymous.validate(now()).is_ok());
    }

    #[test]
    fn summaries_and_months() {
        let mut intake = registered();
        intake.fields.request = "第一行\n第二行很长很长".into();
        assert_eq!(intake.summary(6), "第一行 第二…");
        assert_eq!(month_of(day(2, 10)), (day(2, 1), day(2, 28)));
        assert_eq!(month_of(day(12, 31)).1, day(12, 31));
    }
}
