//! Consultations (协商议事) through the six-step loop — 收集议题 → 确定议题 → 深入调研 → 开展协商 →
//! 成果报送 → 办理反馈 — their meetings with minutes and recommendations, and public-opinion
//! reports (社情民意信息). The rules are here; the store and the screens only ask.

mod fields;
mod quota;
mod rules;

pub use quota::{draft_report, meeting_counts, quota, report_counts, Quota, STANDARD_QUOTAS};

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
    /// Each time its completed loop was reopened: when, by whom, why. Oldest first.
    #[serde(default)]
    pub reopenings: Vec<TopicReopening>,
}

/// A completed topic reopened (重新打开) by a signed-in member with a written reason: it goes
/// back to 成果报送, waiting again for the feedback on its recommendations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicReopening {
    pub on: NaiveDate,
    pub by: String,
    pub reason: String,
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
    /// The kind of role, for counting.
    pub role: GuestRole,
    /// The role as typed (`物业经理`), shown and printed as it is; empty in records from before
    /// it was kept, which show the kind.
    #[serde(default)]
    pub role_text: String,
}

impl Guest {
    /// The role as people read it: as typed, else the kind's name (in `language`'s words via
    /// `name_of`).
    pub fn role_shown(&self, name_of: impl Fn(GuestRole) -> String) -> String {
        if self.role_text.trim().is_empty() {
            name_of(self.role)
        } else {
            self.role_text.trim().to_string()
        }
    }
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
    /// 重新打开 a completed loop, with a written reason, by whom (the store says who).
    Reopen {
        on: NaiveDate,
        by: String,
        reason: String,
    },
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
    /// A date in the future, or before the step it follows.
    Time(crate::domain::timeline::TimeRefusal),
}

impl From<crate::domain::timeline::TimeRefusal> for ConsultRefusal {
    fn from(refusal: crate::domain::timeline::TimeRefusal) -> ConsultRefusal {
        ConsultRefusal::Time(refusal)
    }
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
            ConsultRefusal::Time(_) => "consult.refused_time",
        }
    }
}

fn text(field: &'static str, value: &str, max: usize) -> Result<String, ConsultRefusal> {
    validate::required_text(value, max).map_err(|e| ConsultRefusal::Invalid(field, e))
}

fn multiline(field: &'static str, value: &str) -> Result<String, ConsultRefusal> {
    validate::required_multiline(value, TEXT_MAX).map_err(|e| ConsultRefusal::Invalid(field, e))
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

    /// The end of the year: feedback dated in December has happened by then.
    fn year_end() -> NaiveDateTime {
        day(12, 31).and_hms_opt(17, 0, 0).unwrap_or_default()
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
                role_text: String::new(),
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
            .submit("街道办事处", day(11, 21), day(11, 20), now())
            .unwrap();
        assert_eq!(
            advance(&t, std::slice::from_ref(&held)),
            Err(ConsultRefusal::NotSubmitted)
        );
        held.recommendations[1] = held.recommendations[1]
            .submit("街道办事处", day(11, 21), day(11, 20), now())
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
            .record_feedback(feedback(Adoption::Adopted), year_end())
            .unwrap();
        assert_eq!(
            advance(&t, std::slice::from_ref(&held)),
            Err(ConsultRefusal::NoFeedback)
        );
        held.recommendations[1] = held.recommendations[1]
            .record_feedback(feedback(Adoption::NotAdopted), year_end())
            .unwrap();
        let t = advance(&t, std::slice::from_ref(&held)).unwrap();
        assert_eq!(t.step, TopicStep::Completed);
        assert_eq!(advance(&t, &[held]), Err(ConsultRefusal::Complete));
    }

    #[test]
    fn feedback_needs_a_submission_first() {
        let r = Recommendation::new("施划停车位").unwrap();
        assert_eq!(
            r.record_feedback(
                RecommendationFeedback {
                    on: day(12, 1),
                    from: "街道".into(),
                    result: Adoption::Adopted,
                    text: String::new(),
                },
                year_end()
            ),
            Err(ConsultRefusal::NotSent)
        );
        // Sent before the meeting, or in the future: refused.
        assert!(r
            .submit("街道", day(11, 1), day(11, 20), year_end())
            .is_err());
        assert!(r.submit("街道", day(12, 1), day(11, 20), now()).is_err());
        let sent = r
            .submit("街道", day(12, 1), day(11, 20), year_end())
            .unwrap();
        assert!(matches!(
            sent.record_feedback(
                RecommendationFeedback {
                    on: day(11, 1),
                    from: "街道".into(),
                    result: Adoption::Adopted,
                    text: String::new(),
                },
                year_end()
            ),
            Err(ConsultRefusal::Time(
                crate::domain::timeline::TimeRefusal::Before { .. }
            ))
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
        let sent = r.submit("县政协", day(9, 1), now()).unwrap();
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
