//! Forms of the consultation desk: a topic, a meeting, a report, and the small steps (decide,
//! research, recommendation, submission, feedback, a report's result).

use chrono::{NaiveDate, NaiveDateTime};
use uuid::Uuid;

use crate::domain::consult::{
    Adoption, Attendance, Guest, GuestRole, Instruction, InstructionLevel, Meeting, MeetingForm,
    MemberAttendance, RecommendationFeedback, Report, ReportResult, ResearchNote, Topic,
    TopicEvent, TopicSource,
};
use crate::domain::dates::parse_date_time;
use crate::domain::RecordMeta;
use crate::i18n::{field_label, validation_message};
use crate::store::{Store, StoreError};
use crate::tui::widgets::form::{Choice, Field, Form};

const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

fn choices<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    key: impl Fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice::new(value(*v), crate::tr!(key(*v))))
        .collect()
}

/// Shows a store refusal about a field beside it; other errors go back to the message line.
fn show_refusal(form: &mut Form, err: StoreError) -> Result<Option<()>, StoreError> {
    match err {
        StoreError::ConsultRefused(crate::domain::consult::ConsultRefusal::Invalid(
            field,
            problem,
        )) if form.field(field).is_some() => {
            form.set_error(field, validation_message(&problem));
            form.focus_first_error();
            Ok(None)
        }
        StoreError::InvalidFields(problems)
            if problems.iter().all(|(f, _)| form.field(f).is_some()) =>
        {
            for (field, problem) in problems {
                form.set_error(&field, validation_message(&problem));
            }
            form.focus_first_error();
            Ok(None)
        }
        other => Err(other),
    }
}

/// A new topic (from intakes or not), or an edited one.
pub struct TopicForm {
    pub form: Form,
    pub editing: Option<Topic>,
    pub intakes: Vec<Uuid>,
}

impl TopicForm {
    pub fn new(topic: Option<&Topic>, intakes: Vec<Uuid>, suggested: (&str, &str)) -> TopicForm {
        let (title, description) = topic
            .map(|t| (t.title.as_str(), t.description.as_str()))
            .unwrap_or(suggested);
        let source = topic.map(|t| t.source).unwrap_or(if intakes.is_empty() {
            TopicSource::Member
        } else {
            TopicSource::Intakes
        });
        TopicForm {
            form: Form::new(vec![
                Field::text("title", field_label("title"), title).required(),
                Field::multiline("description", field_label("description"), description, 6),
                Field::choice(
                    "topic_source",
                    field_label("topic_source"),
                    choices(&TopicSource::ALL, TopicSource::as_str, TopicSource::key),
                    source.as_str(),
                ),
                Field::text(
                    "source_note",
                    field_label("source_note"),
                    topic.map(|t| t.source_note.as_str()).unwrap_or(""),
                )
                .with_hint(crate::tr!("topics.source_hint")),
            ]),
            intakes: topic.map(|t| t.intakes.clone()).unwrap_or(intakes),
            editing: topic.cloned(),
        }
    }

    pub fn title(&self) -> String {
        if self.editing.is_some() {
            crate::tr!("topics.edit_title")
        } else if self.intakes.is_empty() {
            crate::tr!("topics.new_title")
        } else {
            crate::tr!("topics.from_intakes_title", count = self.intakes.len())
        }
    }

    pub fn save(
        &mut self,
        store: &mut Store,
        today: NaiveDate,
    ) -> Result<Option<Topic>, StoreError> {
        if !self.form.check(today) {
            return Ok(None);
        }
        let f = &self.form;
        let source = TopicSource::parse(&f.value("topic_source")).unwrap_or_default();
        let fresh = match Topic::new(
            &f.value("title"),
            &f.value("description"),
            source,
            &f.value("source_note"),
            self.intakes.clone(),
        ) {
            Ok(t) => t,
            Err(e) => {
                show_refusal(&mut self.form, StoreError::ConsultRefused(e))?;
                return Ok(None);
            }
        };
        let saved = match &self.editing {
            Some(old) => {
                let mut next = old.clone();
                next.title = fresh.title;
                next.description = fresh.description;
                next.source = fresh.source;
                next.source_note = fresh.source_note;
                store.update(&next)?
            }
            None => store.add_topic(fresh)?,
        };
        self.form.mark_saved();
        Ok(Some(saved))
    }
}

/// A meeting: when, where, how, who, on what.
pub struct MeetingEditForm {
    pub form: Form,
    pub editing: Option<Meeting>,
    members: Vec<(Uuid, String)>,
}

impl MeetingEditForm {
    pub fn new(
        meeting: Option<&Meeting>,
        topic: Option<Uuid>,
        topics: &[(Uuid, String)],
        members: &[(Uuid, String)],
        host: &str,
        now: NaiveDateTime,
    ) -> MeetingEditForm {
        let name = |id: &Uuid| {
            members
                .iter()
                .find(|(m, _)| m == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        };
        let with = |a: Attendance| {
            meeting
                .map(|m| {
                    m.members
                        .iter()
                        .filter(|x| x.attendance == a)
                        .map(|x| name(&x.member_id))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default()
        };
        let guests = meeting
            .map(|m| {
                m.guests
                    .iter()
                    .map(|g| {
                        format!(
                            "{} {} {}",
                            g.name,
                            if g.organisation.is_empty() {
                                "-"
                            } else {
                                &g.organisation
                            },
                            g.role_shown(|r| crate::tr!(r.key()))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        let mut topic_choices = vec![Choice::new("", crate::tr!("form.none"))];
        topic_choices.extend(Choice::pairs(topics));
        let topic_value = |n: usize| {
            meeting
                .and_then(|m| m.topics.get(n).copied())
                .or(if n == 0 { topic } else { None })
                .map(|t| t.to_string())
                .unwrap_or_default()
        };
        MeetingEditForm {
            form: Form::new(vec![
                Field::text(
                    "held_at",
                    field_label("held_at"),
                    &meeting
                        .map(|m| m.held_at)
                        .unwrap_or(now)
                        .format(TIME_FORMAT)
                        .to_string(),
                )
                .required(),
                Field::text(
                    "place",
                    field_label("place"),
                    meeting
                        .map(|m| m.place.clone())
                        .unwrap_or_else(|| crate::tr!("meetings.default_place"))
                        .as_str(),
                )
                .required(),
                Field::choice(
                    "meeting_form",
                    field_label("meeting_form"),
                    choices(&MeetingForm::ALL, MeetingForm::as_str, MeetingForm::key),
                    meeting.map(|m| m.form).unwrap_or_default().as_str(),
                ),
                Field::text(
                    "host",
                    field_label("host"),
                    meeting.map(|m| m.host.as_str()).unwrap_or(host),
                )
                .required(),
                Field::choice(
                    "topic1",
                    field_label("topic1"),
                    topic_choices.clone(),
                    &topic_value(0),
                )
                .required(),
                Field::choice(
                    "topic2",
                    field_label("topic2"),
                    topic_choices,
                    &topic_value(1),
                ),
                Field::multiline(
                    "present",
                    field_label("present"),
                    &with(Attendance::Present),
                    3,
                )
                .with_hint(crate::tr!("meetings.names_hint")),
                Field::multiline(
                    "leave",
                    field_label("on_leave"),
                    &with(Attendance::Leave),
                    2,
                ),
                Field::multiline(
                    "absent",
                    field_label("absent"),
                    &with(Attendance::Absent),
                    2,
                ),
                Field::multiline("guests", field_label("guests"), &guests, 3)
                    .with_hint(crate::tr!("meetings.guests_hint")),
            ]),
            editing: meeting.cloned(),
            members: members.to_vec(),
        }
    }

    pub fn title(&self) -> String {
        if self.editing.is_some() {
            crate::tr!("meetings.edit_title")
        } else {
            crate::tr!("meetings.new_title")
        }
    }

    pub fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Meeting>, StoreError> {
        if !self.form.check(now.date()) {
            return Ok(None);
        }
        let held_at = match parse_date_time(&self.form.value("held_at"), now) {
            Ok(at) => Some(at),
            Err(e) => {
                self.form.set_error("held_at", validation_message(&e));
                None
            }
        };
        let mut attendance = Vec::new();
        let mut ok = held_at.is_some();
        for (field, a) in [
            ("present", Attendance::Present),
            ("leave", Attendance::Leave),
            ("absent", Attendance::Absent),
        ] {
            match super::member_names::members_named(&mut self.form, field, &self.members) {
                Some(ids) => attendance.extend(ids.into_iter().map(|member_id| MemberAttendance {
                    member_id,
                    attendance: a,
                })),
                None => ok = false,
            }
        }
        let guests: Vec<Guest> = self
            .form
            .value("guests")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                let typed = words.get(2..).map(|w| w.join(" ")).unwrap_or_default();
                let role = if typed.is_empty() {
                    GuestRole::Other
                } else {
                    GuestRole::from_text(&typed)
                };
                Guest {
                    name: words.first().copied().unwrap_or("").to_string(),
                    organisation: words
                        .get(1)
                        .copied()
                        .filter(|o| *o != "-")
                        .unwrap_or("")
                        .to_string(),
                    role,
                    role_text: typed,
                }
            })
            .collect();
        if !ok {
            self.form.focus_first_error();
            return Ok(None);
        }
        let topics: Vec<Uuid> = ["topic1", "topic2"]
            .iter()
            .filter_map(|f| Uuid::parse_str(&self.form.value(f)).ok())
            .fold(Vec::new(), |mut acc, id| {
                if !acc.contains(&id) {
                    acc.push(id);
                }
                acc
            });
        let base = self.editing.clone().unwrap_or(Meeting {
            meta: RecordMeta::unsaved(),
            held_at: now,
            place: String::new(),
            form: MeetingForm::default(),
            host: String::new(),
            topics: Vec::new(),
            members: Vec::new(),
            guests: Vec::new(),
            minutes: String::new(),
            recommendations: Vec::new(),
        });
        let meeting = Meeting {
            held_at: held_at.unwrap_or(now),
            place: crate::text::clean_input(self.form.value("place").trim()).to_string(),
            form: MeetingForm::parse(&self.form.value("meeting_form")).unwrap_or_default(),
            host: crate::text::clean_input(self.form.value("host").trim()).to_string(),
            topics,
            members: attendance,
            guests,
            ..base
        };
        match store.save_meeting(meeting) {
            Ok(saved) => {
                self.form.mark_saved();
                Ok(Some(saved))
            }
            Err(e) => show_refusal(&mut self.form, e).map(|_| None),
        }
    }
}

/// A public-opinion report, new (perhaps drafted from visits) or edited.
pub struct ReportForm {
    pub form: Form,
    pub editing: Option<Report>,
    pub intakes: Vec<Uuid>,
    members: Vec<(Uuid, String)>,
}

impl ReportForm {
    pub fn new(
        report: Option<&Report>,
        draft: (&str, &str),
        intakes: Vec<Uuid>,
        authors: &str,
        members: &[(Uuid, String)],
        topics: &[(Uuid, String)],
    ) -> ReportForm {
        let mut topic_choices = vec![Choice::new("", crate::tr!("form.none"))];
        topic_choices.extend(Choice::pairs(topics));
        let author_names = report
            .map(|r| {
                r.authors
                    .iter()
                    .filter_map(|a| members.iter().find(|(m, _)| m == a).map(|(_, n)| n.clone()))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_else(|| authors.to_string());
        ReportForm {
            form: Form::new(vec![
                Field::text(
                    "title",
                    field_label("title"),
                    report.map(|r| r.title.as_str()).unwrap_or(draft.0),
                )
                .required(),
                Field::multiline(
                    "body",
                    field_label("body"),
                    report.map(|r| r.body.as_str()).unwrap_or(draft.1),
                    10,
                )
                .required(),
                Field::multiline("authors", field_label("authors"), &author_names, 2)
                    .required()
                    .with_hint(crate::tr!("meetings.names_hint")),
                Field::choice(
                    "topic",
                    field_label("topic1"),
                    topic_choices,
                    &report
                        .and_then(|r| r.topics.first())
                        .map(Uuid::to_string)
                        .unwrap_or_default(),
                ),
            ]),
            intakes: report.map(|r| r.intakes.clone()).unwrap_or(intakes),
            editing: report.cloned(),
            members: members.to_vec(),
        }
    }

    pub fn title(&self) -> String {
        if self.editing.is_some() {
            crate::tr!("reports.edit_title")
        } else if self.intakes.is_empty() {
            crate::tr!("reports.new_title")
        } else {
            crate::tr!("reports.from_intakes_title", count = self.intakes.len())
        }
    }

    pub fn save(
        &mut self,
        store: &mut Store,
        today: NaiveDate,
    ) -> Result<Option<Report>, StoreError> {
        if !self.form.check(today) {
            return Ok(None);
        }
        let Some(authors) =
            super::member_names::members_named(&mut self.form, "authors", &self.members)
        else {
            self.form.focus_first_error();
            return Ok(None);
        };
        let topics: Vec<Uuid> = Uuid::parse_str(&self.form.value("topic"))
            .ok()
            .into_iter()
            .collect();
        let fresh = match Report::new(
            &self.form.value("title"),
            &self.form.value("body"),
            authors,
            self.intakes.clone(),
            topics,
        ) {
            Ok(r) => r,
            Err(e) => {
                show_refusal(&mut self.form, StoreError::ConsultRefused(e))?;
                return Ok(None);
            }
        };
        let saved = match &self.editing {
            Some(old) => {
                let mut next = old.clone();
                next.title = fresh.title;
                next.body = fresh.body;
                next.authors = fresh.authors;
                next.topics = fresh.topics;
                store.update(&next)?
            }
            None => store.add_report(fresh)?,
        };
        self.form.mark_saved();
        Ok(Some(saved))
    }
}

/// Which small step a step form records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Decide,
    Research,
    Recommendation,
    Submit,
    Feedback,
    ReportSubmit,
    ReportResult,
    /// A completed topic reopened, with the reason.
    Reopen,
}

/// One small step on a topic, a meeting's recommendation or a report.
pub struct StepForm {
    pub kind: StepKind,
    /// The topic, meeting or report.
    pub target: Uuid,
    /// The recommendation of a meeting.
    pub index: usize,
    pub form: Form,
    /// The person at the desk said yes to a reopening.
    confirmed: bool,
}

impl StepForm {
    pub fn new(kind: StepKind, target: Uuid, index: usize, today: NaiveDate) -> StepForm {
        let date = || {
            Field::date(
                "date",
                field_label("date"),
                &today.format("%Y-%m-%d").to_string(),
            )
            .required()
        };
        let fields = match kind {
            StepKind::Decide => vec![
                date(),
                Field::text("decided_by", field_label("decided_by"), "")
                    .required()
                    .with_hint(crate::tr!("topics.decided_by_hint")),
            ],
            StepKind::Research => vec![
                date(),
                Field::text("research_members", field_label("research_members"), ""),
                Field::multiline("findings", field_label("findings"), "", 6).required(),
            ],
            StepKind::Recommendation => {
                vec![
                    Field::multiline("recommendation", field_label("recommendation"), "", 4)
                        .required(),
                ]
            }
            StepKind::Reopen => vec![
                Field::multiline("reason", field_label("reopen_reason"), "", 4).required(),
                date(),
            ],
            StepKind::Submit | StepKind::ReportSubmit => vec![
                Field::text("submitted_to", field_label("submitted_to"), "").required(),
                date(),
            ],
            StepKind::Feedback => vec![
                date(),
                Field::text("feedback_from", field_label("feedback_from"), "").required(),
                Field::choice(
                    "adoption",
                    field_label("adoption"),
                    choices(&Adoption::ALL, Adoption::as_str, Adoption::key),
                    "adopted",
                ),
                Field::multiline("feedback_text", field_label("feedback_text"), "", 3),
            ],
            StepKind::ReportResult => vec![
                Field::choice(
                    "result",
                    field_label("report_result"),
                    vec![
                        Choice::new("adopted", crate::tr!("reports.adopted")),
                        Choice::new("not_adopted", crate::tr!("reports.not_adopted")),
                    ],
                    "adopted",
                ),
                Field::text("instruction_by", field_label("instruction_by"), "")
                    .with_hint(crate::tr!("reports.instruction_hint")),
                Field::choice(
                    "level",
                    field_label("instruction_level"),
                    choices(
                        &InstructionLevel::ALL,
                        InstructionLevel::as_str,
                        InstructionLevel::key,
                    ),
                    "county",
                ),
                Field::multiline("instruction_text", field_label("instruction_text"), "", 3),
            ],
        };
        StepForm {
            kind,
            target,
            index,
            form: Form::new(fields),
            confirmed: false,
        }
    }

    /// Reopening a completed loop says what it records and asks once, when what is typed
    /// passes the form's checks.
    pub fn question(&mut self, today: NaiveDate) -> Option<String> {
        if self.kind != StepKind::Reopen || std::mem::take(&mut self.confirmed) {
            return None;
        }
        if !self.form.check(today) {
            return None;
        }
        let date = self.form.date("date", today)?;
        Some(crate::tr!(
            "topics.confirm_reopen",
            date = date.format("%Y-%m-%d")
        ))
    }

    /// The question was answered yes.
    pub fn confirm(&mut self) {
        self.confirmed = true;
    }

    pub fn title(&self) -> String {
        crate::tr!(match self.kind {
            StepKind::Decide => "keys.decide_topic",
            StepKind::Research => "keys.research",
            StepKind::Recommendation => "keys.add_recommendation",
            StepKind::Submit => "keys.submit_recommendation",
            StepKind::Feedback => "keys.recommendation_feedback",
            StepKind::ReportSubmit => "keys.submit_report",
            StepKind::ReportResult => "keys.report_result",
            StepKind::Reopen => "keys.topic_reopen",
        })
    }

    pub fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<()>, StoreError> {
        let today = now.date();
        if !self.form.check(today) {
            return Ok(None);
        }
        let Some(on) = self.form.step_date("date", today) else {
            return Ok(None);
        };
        let f = &self.form;
        let result = match self.kind {
            StepKind::Decide => store
                .topic_event(
                    self.target,
                    TopicEvent::Decide {
                        on,
                        by: f.value("decided_by"),
                    },
                    now,
                )
                .map(|_| ()),
            StepKind::Reopen => store
                .topic_event(
                    self.target,
                    TopicEvent::Reopen {
                        on,
                        by: String::new(),
                        reason: f.value("reason"),
                    },
                    now,
                )
                .map(|_| ()),
            StepKind::Research => store
                .topic_event(
                    self.target,
                    TopicEvent::Research(ResearchNote {
                        on,
                        members: f.value("research_members"),
                        findings: f.value("findings"),
                    }),
                    now,
                )
                .map(|_| ()),
            StepKind::Recommendation => store
                .add_recommendation(self.target, &f.value("recommendation"))
                .map(|_| ()),
            StepKind::Submit => store
                .submit_recommendation(self.target, self.index, &f.value("submitted_to"), on)
                .map(|_| ()),
            StepKind::Feedback => store
                .recommendation_feedback(
                    self.target,
                    self.index,
                    RecommendationFeedback {
                        on,
                        from: f.value("feedback_from"),
                        result: Adoption::parse(&f.value("adoption")).unwrap_or(Adoption::Adopted),
                        text: f.value("feedback_text"),
                    },
                )
                .map(|_| ()),
            StepKind::ReportSubmit => {
                let to = f.value("submitted_to");
                store
                    .change_report(self.target, |r| r.submit(&to, on, now))
                    .map(|_| ())
            }
            StepKind::ReportResult => {
                let result = if f.value("result") == "adopted" {
                    let by = f.value("instruction_by");
                    ReportResult::Adopted {
                        instruction: (!by.trim().is_empty()).then(|| Instruction {
                            by,
                            level: InstructionLevel::parse(&f.value("level"))
                                .unwrap_or(InstructionLevel::County),
                            text: f.value("instruction_text"),
                        }),
                    }
                } else {
                    ReportResult::NotAdopted
                };
                store
                    .change_report(self.target, |r| r.record_result(result))
                    .map(|_| ())
            }
        };
        match result {
            Ok(()) => {
                self.form.mark_saved();
                Ok(Some(()))
            }
            Err(e) => show_refusal(&mut self.form, e),
        }
    }
}
