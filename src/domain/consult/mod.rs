//! Consultations (协商议事) through the six-step loop — 收集议题 → 确定议题 → 深入调研 → 开展协商 →
//! 成果报送 → 办理反馈 — their meetings with minutes and recommendations, and public-opinion
//! reports (社情民意信息). The rules are here; the store and the screens only ask.

mod fields;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::record::RecordMeta;
use super::validate::{self, ValidationError};

pub const TEXT_MAX: usize = 20_000;

/// The six steps of a topic's loop.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum TopicStep {
    /// 收集议题
    #[default]
    Collected,
    /// 确定议题
    Decided,
    /// 深入调研
    Researched,
    /// 开展协商
    Consulted,
    /// 成果报送
    Submitted,
    /// 办理反馈 (the loop is complete)
    Completed,
}

named_enum!(TopicStep, "topic_step", [
    Collected => "collected",
    Decided => "decided",
    Researched => "researched",
    Consulted => "consulted",
    Submitted => "submitted",
    Completed => "completed",
]);

/// Where a topic came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TopicSource {
    /// Residents' visits (linked intakes).
    #[default]
    Intakes,
    /// A member proposed it.
    Member,
    /// 乡镇党委政府交办
    PartyGovernment,
    Other,
}

named_enum!(TopicSource, "topic_source", [
    Intakes => "intakes",
    Member => "member",
    PartyGovernment => "party_government",
    Other => "other",
]);

/// 确定议题: when and by whom the topic was decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub on: NaiveDate,
    pub by: String,
}

/// 调研记录
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResearchNote {
    pub on: NaiveDate,
    /// Who went, as typed.
    pub members: String,
    pub findings: String,
}

/// A consultation topic (议题).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    #[serde(flatten)]
    pub meta: RecordMeta,
    pub title: String,
    pub description: String,
    pub source: TopicSource,
    /// The proposing member, the body that assigned it, or what "other" means.
    pub source_note: String,
    /// Intakes it was made from.
    pub intakes: Vec<Uuid>,
    pub step: TopicStep,
    pub decision: Option<Decision>,
    pub research: Vec<ResearchNote>,
}

/// 协商形式
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MeetingForm {
    /// 座谈式协商
    #[default]
    Symposium,
    /// 现场协商
    OnSite,
    /// 网络协商
    Online,
    /// 小板凳协商
    Bench,
    Other,
}

named_enum!(MeetingForm, "meeting_form", [
    Symposium => "symposium",
    OnSite => "on_site",
    Online => "online",
    Bench => "bench",
    Other => "other",
]);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Present,
    Absent,
    Leave,
}

named_enum!(Attendance, "attendance", [
    Present => "present",
    Absent => "absent",
    Leave => "leave",
]);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberAttendance {
    pub member_id: Uuid,
    pub attendance: Attendance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuestRole {
    /// 居民代表
    Resident,
    /// 部门负责人
    Official,
    /// 专家
    Expert,
    Other,
}

named_enum!(GuestRole, "guest_role", [
    Resident => "resident",
    Official => "official",
    Expert => "expert",
    Other => "other",
]);

impl GuestRole {
    /// Reads the role as people type it: 居民代表, 部门, 专家…
    pub fn from_text(text: &str) -> GuestRole {
        let t = text.trim();
        if t.contains("居民") || t.contains("群众") || t.eq_ignore_ascii_case("resident") {
            GuestRole::Resident
        } else if t.contains("部门")
            || t.contains("官员")
            || t.contains("负责")
            || t.eq_ignore_ascii_case("official")
        {
            GuestRole::Official
        } else if t.contains("专家") || t.eq_ignore_ascii_case("expert") {
            GuestRole::Expert
        } else {
            GuestRole::Other
        }
    }
}

/// A participant who is not a member: residents' representatives, officials, experts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guest {
    pub name: String,
    pub organisation: String,
    pub role: GuestRole,
}

/// 报送
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub to: String,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Adoption {
    Adopted,
    Partly,
    NotAdopted,
}

named_enum!(Adoption, "adoption", [
    Adopted => "adopted",
    Partly => "partly",
    NotAdopted => "not_adopted",
]);

/// 办理反馈
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationFeedback {
    pub on: NaiveDate,
    pub from: String,
    pub result: Adoption,
    pub text: String,
}

/// 协商成果: one recommendation of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub text: String,
    pub submission: Option<Submission>,
    pub feedback: Option<RecommendationFeedback>,
}

/// A consultation meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    #[serde(flatten)]
    pub meta: RecordMeta,
    pub held_at: NaiveDateTime,
    pub place: String,
    pub form: MeetingForm,
    pub host: String,
    pub topics: Vec<Uuid>,
    pub members: Vec<MemberAttendance>,
    pub guests: Vec<Guest>,
    /// 会议纪要
    pub minutes: String,
    pub recommendations: Vec<Recommendation>,
}

/// Attendance of the members invited to a meeting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttendanceCounts {
    pub present: usize,
    pub absent: usize,
    pub leave: usize,
    pub guests: usize,
}

impl Meeting {
    pub fn attendance(&self) -> AttendanceCounts {
        let count = |a: Attendance| self.members.iter().filter(|m| m.attendance == a).count();
        AttendanceCounts {
            present: count(Attendance::Present),
            absent: count(Attendance::Absent),
            leave: count(Attendance::Leave),
            guests: self.guests.len(),
        }
    }

    /// Held by `now` (a meeting planned for later is not yet a consultation).
    pub fn is_held(&self, now: NaiveDateTime) -> bool {
        self.held_at <= now
    }
}

/// 社情民意信息的采用情况
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ReportResult {
    #[default]
    Pending,
    /// 采用, with a leader's instruction (批示) if any.
    Adopted {
        instruction: Option<Instruction>,
    },
    NotAdopted,
}

/// 领导批示
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instruction {
    /// Who gave it (e.g. 县委书记).
    pub by: String,
    pub level: InstructionLevel,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstructionLevel {
    Township,
    County,
    City,
    Provincial,
    National,
}

named_enum!(InstructionLevel, "instruction_level", [
    Township => "township",
    County => "county",
    City => "city",
    Provincial => "provincial",
    National => "national",
]);

/// A public-opinion report (社情民意信息).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    #[serde(flatten)]
    pub meta: RecordMeta,
    pub title: String,
    pub body: String,
    pub authors: Vec<Uuid>,
    pub intakes: Vec<Uuid>,
    pub topics: Vec<Uuid>,
    pub submitted_on: Option<NaiveDate>,
    pub submitted_to: String,
    pub result: ReportResult,
}

/// Something done to a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopicEvent {
    /// 确定议题
    Decide { on: NaiveDate, by: String },
    /// A research note (深入调研).
    Research(ResearchNote),
    /// To the next step, if its condition holds.
    Advance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsultRefusal {
    NotFrom(TopicStep),
    /// A field is invalid.
    Invalid(&'static str, ValidationError),
    /// Decided needs a decision (date and who).
    NoDecision,
    /// Research needs a research note.
    NoResearch,
    /// Consulted needs a held meeting on the topic.
    NoMeeting,
    /// Submitted needs recommendations, each sent somewhere.
    NotSubmitted,
    /// Completed needs feedback on each recommendation.
    NoFeedback,
    /// The loop is complete.
    Complete,
    /// Feedback before the recommendation was sent, or a report result before submission.
    NotSent,
}

impl ConsultRefusal {
    pub fn key(&self) -> &'static str {
        match self {
            ConsultRefusal::NotFrom(_) => "consult.refused_state",
            ConsultRefusal::Invalid(..) => "consult.refused_invalid",
            ConsultRefusal::NoDecision => "consult.refused_no_decision",
            ConsultRefusal::NoResearch => "consult.refused_no_research",
            ConsultRefusal::NoMeeting => "consult.refused_no_meeting",
            ConsultRefusal::NotSubmitted => "consult.refused_not_submitted",
            ConsultRefusal::NoFeedback => "consult.refused_no_feedback",
            ConsultRefusal::Complete => "consult.refused_complete",
            ConsultRefusal::NotSent => "consult.refused_not_sent",
        }
    }
}

fn text(field: &'static str, value: &str, max: usize) -> Result<String, ConsultRefusal> {
    validate::required_text(value, max).map_err(|e| ConsultRefusal::Invalid(field, e))
}

fn multiline(field: &'static str, value: &str) -> Result<String, ConsultRefusal> {
    validate::required_multiline(value, TEXT_MAX).map_err(|e| ConsultRefusal::Invalid(field, e))
}

impl Topic {
    pub fn new(
        title: &str,
        description: &str,
        source: TopicSource,
        source_note: &str,
        intakes: Vec<Uuid>,
    ) -> Result<Topic, ConsultRefusal> {
        Ok(Topic {
            meta: RecordMeta::unsaved(),
            title: text("title", title, 100)?,
            description: validate::optional_multiline(description, TEXT_MAX)
                .map_err(|e| ConsultRefusal::Invalid("description", e))?,
            source,
            source_note: validate::optional_text(source_note, 100)
                .map_err(|e| ConsultRefusal::Invalid("source_note", e))?,
            intakes,
            step: TopicStep::Collected,
            decision: None,
            research: Vec::new(),
        })
    }

    /// The meetings held on this topic, of `meetings`.
    fn held<'a>(&self, meetings: &'a [Meeting], now: NaiveDateTime) -> Vec<&'a Meeting> {
        meetings
            .iter()
            .filter(|m| m.topics.contains(&self.meta.id) && m.is_held(now))
            .collect()
    }

    /// Applies `event`; `meetings` are the station's meetings on this topic (for the checks of
    /// consulted, submitted and completed).
    pub fn apply(
        &self,
        event: TopicEvent,
        meetings: &[Meeting],
        now: NaiveDateTime,
    ) -> Result<Topic, ConsultRefusal> {
        use TopicStep::*;
        let mut next = self.clone();
        match event {
            TopicEvent::Decide { on, by } => {
                if self.step != Collected {
                    return Err(ConsultRefusal::NotFrom(self.step));
                }
                next.decision = Some(Decision {
                    on,
                    by: text("decided_by", &by, 100)?,
                });
                next.step = Decided;
            }
            TopicEvent::Research(note) => {
                if self.step == Collected {
                    return Err(ConsultRefusal::NoDecision);
                }
                if self.step == Completed {
                    return Err(ConsultRefusal::Complete);
                }
                next.research.push(ResearchNote {
                    on: note.on,
                    members: validate::optional_text(&note.members, 200)
                        .map_err(|e| ConsultRefusal::Invalid("research_members", e))?,
                    findings: multiline("findings", &note.findings)?,
                });
                next.research.sort_by_key(|n| n.on);
                if self.step == Decided {
                    next.step = Researched;
                }
            }
            TopicEvent::Advance => {
                let held = self.held(meetings, now);
                let recommendations: Vec<&Recommendation> =
                    held.iter().flat_map(|m| m.recommendations.iter()).collect();
                next.step = match self.step {
                    Collected => return Err(ConsultRefusal::NoDecision),
                    Decided => {
                        if self.research.is_empty() {
                            return Err(ConsultRefusal::NoResearch);
                        }
                        Researched
                    }
                    Researched => {
                        if held.is_empty() {
                            return Err(ConsultRefusal::NoMeeting);
                        }
                        Consulted
                    }
                    Consulted => {
                        if recommendations.is_empty()
                            || recommendations.iter().any(|r| r.submission.is_none())
                        {
                            return Err(ConsultRefusal::NotSubmitted);
                        }
                        Submitted
                    }
                    Submitted => {
                        if recommendations.is_empty()
                            || recommendations.iter().any(|r| r.feedback.is_none())
                        {
                            return Err(ConsultRefusal::NoFeedback);
                        }
                        Completed
                    }
                    Completed => return Err(ConsultRefusal::Complete),
                };
            }
        }
        Ok(next)
    }
}

impl Recommendation {
    pub fn new(text_: &str) -> Result<Recommendation, ConsultRefusal> {
        Ok(Recommendation {
            text: multiline("recommendation", text_)?,
            submission: None,
            feedback: None,
        })
    }

    pub fn submit(&self, to: &str, on: NaiveDate) -> Result<Recommendation, ConsultRefusal> {
        let mut next = self.clone();
        next.submission = Some(Submission {
            to: text("submitted_to", to, 100)?,
            on,
        });
        Ok(next)
    }

    pub fn record_feedback(
        &self,
        feedback: RecommendationFeedback,
    ) -> Result<Recommendation, ConsultRefusal> {
        let Some(sent) = &self.submission else {
            return Err(ConsultRefusal::NotSent);
        };
        if feedback.on < sent.on {
            return Err(ConsultRefusal::Invalid("date", ValidationError::DateOrder));
        }
        let mut next = self.clone();
        next.feedback = Some(RecommendationFeedback {
            from: text("feedback_from", &feedback.from, 100)?,
            text: validate::optional_multiline(&feedback.text, TEXT_MAX)
                .map_err(|e| ConsultRefusal::Invalid("feedback_text", e))?,
            ..feedback
        });
        Ok(next)
    }
}

impl Report {
    pub fn new(
        title: &str,
        body: &str,
        authors: Vec<Uuid>,
        intakes: Vec<Uuid>,
        topics: Vec<Uuid>,
    ) -> Result<Report, ConsultRefusal> {
        if authors.is_empty() {
            return Err(ConsultRefusal::Invalid(
                "authors",
                ValidationError::Required,
            ));
        }
        Ok(Report {
            meta: RecordMeta::unsaved(),
            title: text("title", title, 100)?,
            body: multiline("body", body)?,
            authors,
            intakes,
            topics,
            submitted_on: None,
            submitted_to: String::new(),
            result: ReportResult::Pending,
        })
    }

    pub fn submit(&self, to: &str, on: NaiveDate) -> Result<Report, ConsultRefusal> {
        let mut next = self.clone();
        next.submitted_to = text("submitted_to", to, 100)?;
        next.submitted_on = Some(on);
        Ok(next)
    }

    pub fn record_result(&self, result: ReportResult) -> Result<Report, ConsultRefusal> {
        if self.submitted_on.is_none() {
            return Err(ConsultRefusal::NotSent);
        }
        let mut next = self.clone();
        next.result = match result {
            ReportResult::Adopted {
                instruction: Some(i),
            } => ReportResult::Adopted {
                instruction: Some(Instruction {
                    by: text("instruction_by", &i.by, 100)?,
                    level: i.level,
                    text: validate::optional_multiline(&i.text, TEXT_MAX)
                        .map_err(|e| ConsultRefusal::Invalid("instruction_text", e))?,
                }),
            },
            other => other,
        };
        Ok(next)
    }
}

/// The year's "4+X": consultations held and reports submitted against the quotas.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quota {
    pub year: i32,
    pub consultations: usize,
    pub consultations_quota: usize,
    pub reports: usize,
    pub reports_quota: usize,
}

/// Counts the meetings held in `now`'s year up to `now`, and the reports submitted that year.
pub fn quota(
    meetings: &[Meeting],
    reports: &[Report],
    now: NaiveDateTime,
    consultations_quota: usize,
    reports_quota: usize,
) -> Quota {
    let year = now.date().year();
    Quota {
        year,
        consultations: meetings
            .iter()
            .filter(|m| m.held_at.date().year() == year && m.is_held(now))
            .count(),
        consultations_quota,
        reports: reports
            .iter()
            .filter(|r| {
                r.submitted_on
                    .is_some_and(|d| d.year() == year && d <= now.date())
            })
            .count(),
        reports_quota,
    }
}

/// A report drafted from visits: a title from their most common category, and a body in the
/// usual three parts (基本情况, 原因分析, 意见建议) with the residents' words as the facts.
pub fn draft_report(intakes: &[&super::Intake]) -> (String, String) {
    let mut categories: Vec<(&str, usize)> = Vec::new();
    for intake in intakes {
        let c = intake.fields.category.as_str();
        match categories.iter_mut().find(|(k, _)| *k == c) {
            Some(entry) => entry.1 += 1,
            None => categories.push((c, 1)),
        }
    }
    categories.sort_by_key(|c| std::cmp::Reverse(c.1));
    let topic = categories
        .first()
        .map(|(c, _)| c.rsplit('/').next().unwrap_or(c))
        .unwrap_or("群众反映");
    let title = format!("关于{topic}问题的社情民意信息");
    let mut body = format!(
        "一、基本情况\n近期，本委员工作站接待群众来访{}件，反映{topic}方面的问题：\n",
        intakes.len()
    );
    for (n, intake) in intakes.iter().enumerate() {
        let f = &intake.fields;
        let place = if f.address.is_empty() {
            String::new()
        } else {
            format!("{}群众", f.address)
        };
        body.push_str(&format!(
            "{}. {}，{}反映：{}\n",
            n + 1,
            f.visited_at.format("%Y年%m月%d日"),
            place,
            f.request.trim()
        ));
    }
    body.push_str("二、原因分析\n\n三、意见建议\n");
    (title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }

    fn now() -> NaiveDateTime {
        day(11, 23).and_hms_opt(9, 0, 0).unwrap_or_default()
    }

    fn topic() -> Topic {
        let mut t = Topic::new(
            "小区停车难",
            "院子围起来以后没地方停车",
            TopicSource::Intakes,
            "",
            vec![Uuid::from_u128(5)],
        )
        .unwrap_or_else(|_| unreachable!());
        t.meta.id = Uuid::from_u128(1);
        t
    }

    fn meeting(topic: Uuid, at: NaiveDateTime) -> Meeting {
        Meeting {
            meta: RecordMeta::unsaved(),
            held_at: at,
            place: "工作站".into(),
            form: MeetingForm::Symposium,
            host: "李秀兰".into(),
            topics: vec![topic],
            members: vec![
                MemberAttendance {
                    member_id: Uuid::from_u128(10),
                    attendance: Attendance::Present,
                },
                MemberAttendance {
                    member_id: Uuid::from_u128(11),
                    attendance: Attendance::Leave,
                },
                MemberAttendance {
                    member_id: Uuid::from_u128(12),
                    attendance: Attendance::Present,
                },
            ],
            guests: vec![Guest {
                name: "张主任".into(),
                organisation: "街道办".into(),
                role: GuestRole::Official,
            }],
            minutes: "会议纪要".into(),
            recommendations: Vec::new(),
        }
    }

    fn research() -> TopicEvent {
        TopicEvent::Research(ResearchNote {
            on: day(11, 10),
            members: "李秀兰、王建国".into(),
            findings: "小区内有空地可改建车位".into(),
        })
    }

    #[test]
    fn the_loop_runs_in_order_and_each_step_needs_its_proof() {
        let t = topic();
        let advance =
            |t: &Topic, meetings: &[Meeting]| t.apply(TopicEvent::Advance, meetings, now());
        assert_eq!(advance(&t, &[]), Err(ConsultRefusal::NoDecision));
        assert_eq!(
            t.apply(research(), &[], now()),
            Err(ConsultRefusal::NoDecision)
        );
        let t = t
            .apply(
                TopicEvent::Decide {
                    on: day(11, 5),
                    by: "工作站联席会".into(),
                },
                &[],
                now(),
            )
            .unwrap();
        assert_eq!(t.step, TopicStep::Decided);
        assert_eq!(advance(&t, &[]), Err(ConsultRefusal::NoResearch));
        let t = t.apply(research(), &[], now()).unwrap();
        assert_eq!(t.step, TopicStep::Researched);
        // Not consulted without a meeting — nor with one still to come, or on another topic.
        assert_eq!(advance(&t, &[]), Err(ConsultRefusal::NoMeeting));
        let later = meeting(
            t.meta.id,
            day(12, 1).and_hms_opt(9, 0, 0).unwrap_or_default(),
        );
        let other = meeting(
            Uuid::from_u128(99),
            day(11, 20).and_hms_opt(9, 0, 0).unwrap_or_default(),
        );
        assert_eq!(advance(&t, &[later, other]), Err(ConsultRefusal::NoMeeting));
        let mut held = meeting(
            t.meta.id,
            day(11, 20).and_hms_opt(15, 0, 0).unwrap_or_default(),
        );
        let t = advance(&t, std::slice::from_ref(&held)).unwrap();
        assert_eq!(t.step, TopicStep::Consulted);
        // Submitted needs recommendations, each sent.
        assert_eq!(
            advance(&t, std::slice::from_ref(&held)),
            Err(ConsultRefusal::NotSubmitted)
        );
        held.recommendations = vec![
            Recommendation::new("与学校共享夜间车位").unwrap(),
            Recommendation::new("施划停车位").unwrap(),
        ];
        held.recommendations[0] = held.recommendations[0]
            .submit("街道办事处", day(11, 21))
            .unwrap();
        assert_eq!(
            advance(&t, std::slice::from_ref(&held)),
            Err(ConsultRefusal::NotSubmitted)
        );
        held.recommendations[1] = held.recommendations[1]
            .submit("街道办事处", day(11, 21))
            .unwrap();
        let t = advance(&t, std::slice::from_ref(&held)).unwrap();
        assert_eq!(t.step, TopicStep::Submitted);
        // Completed needs feedback on each recommendation.
        let feedback = |result| RecommendationFeedback {
            on: day(12, 30),
            from: "街道办事处".into(),
            result,
            text: String::new(),
        };
        held.recommendations[0] = held.recommendations[0]
            .record_feedback(feedback(Adoption::Adopted))
            .unwrap();
        assert_eq!(
            advance(&t, std::slice::from_ref(&held)),
            Err(ConsultRefusal::NoFeedback)
        );
        held.recommendations[1] = held.recommendations[1]
            .record_feedback(feedback(Adoption::NotAdopted))
            .unwrap();
        let t = advance(&t, std::slice::from_ref(&held)).unwrap();
        assert_eq!(t.step, TopicStep::Completed);
        assert_eq!(advance(&t, &[held]), Err(ConsultRefusal::Complete));
    }

    #[test]
    fn feedback_needs_a_submission_first() {
        let r = Recommendation::new("施划停车位").unwrap();
        assert_eq!(
            r.record_feedback(RecommendationFeedback {
                on: day(12, 1),
                from: "街道".into(),
                result: Adoption::Adopted,
                text: String::new(),
            }),
            Err(ConsultRefusal::NotSent)
        );
        let sent = r.submit("街道", day(12, 1)).unwrap();
        assert!(matches!(
            sent.record_feedback(RecommendationFeedback {
                on: day(11, 1),
                from: "街道".into(),
                result: Adoption::Adopted,
                text: String::new(),
            }),
            Err(ConsultRefusal::Invalid("date", _))
        ));
    }

    #[test]
    fn attendance_is_counted() {
        let m = meeting(Uuid::from_u128(1), now());
        assert_eq!(
            m.attendance(),
            AttendanceCounts {
                present: 2,
                absent: 0,
                leave: 1,
                guests: 1
            }
        );
        assert_eq!(GuestRole::from_text("居民代表"), GuestRole::Resident);
        assert_eq!(GuestRole::from_text("住建部门"), GuestRole::Official);
        assert_eq!(GuestRole::from_text("专家"), GuestRole::Expert);
    }

    #[test]
    fn four_plus_x_counts_this_years_held_meetings_and_submitted_reports() {
        let t = Uuid::from_u128(1);
        let at = |m, d| day(m, d).and_hms_opt(9, 0, 0).unwrap_or_default();
        let last_year = NaiveDate::from_ymd_opt(2025, 12, 20)
            .unwrap_or_default()
            .and_hms_opt(9, 0, 0)
            .unwrap_or_default();
        let meetings = vec![
            meeting(t, at(3, 1)),
            meeting(t, at(6, 1)),
            meeting(t, at(11, 20)),
            meeting(t, last_year),
            meeting(t, at(12, 5)),
        ];
        let report = |submitted: Option<NaiveDate>| {
            let mut r = Report::new("标题", "正文", vec![t], vec![], vec![]).unwrap();
            r.submitted_on = submitted;
            r
        };
        let reports = vec![
            report(Some(day(2, 1))),
            report(Some(day(11, 1))),
            report(None),
            report(NaiveDate::from_ymd_opt(2025, 11, 1)),
        ];
        let q = quota(&meetings, &reports, now(), 4, 10);
        assert_eq!(q.consultations, 3);
        assert_eq!(q.reports, 2);
        assert_eq!(
            (q.consultations_quota, q.reports_quota, q.year),
            (4, 10, 2026)
        );
    }

    #[test]
    fn a_report_needs_an_author_and_is_adopted_after_submission() {
        assert!(matches!(
            Report::new("标题", "正文", vec![], vec![], vec![]),
            Err(ConsultRefusal::Invalid("authors", _))
        ));
        let r = Report::new(
            "路灯",
            "市场路路灯坏了",
            vec![Uuid::from_u128(1)],
            vec![],
            vec![],
        )
        .unwrap();
        let adopted = ReportResult::Adopted { instruction: None };
        assert_eq!(
            r.record_result(adopted.clone()),
            Err(ConsultRefusal::NotSent)
        );
        let sent = r.submit("县政协", day(9, 1)).unwrap();
        let done = sent
            .record_result(ReportResult::Adopted {
                instruction: Some(Instruction {
                    by: "县长".into(),
                    level: InstructionLevel::County,
                    text: "请住建局尽快修复".into(),
                }),
            })
            .unwrap();
        assert!(matches!(
            done.result,
            ReportResult::Adopted {
                instruction: Some(_)
            }
        ));
    }
}
