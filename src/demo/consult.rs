//! Demo consultations: a year of topics through the six-step loop, meetings with minutes and
//! recommendations (most with feedback), and public-opinion reports, some adopted.

use chrono::{Datelike, Duration};
use rand::Rng;

use crate::demo::DemoContext;
use crate::domain::consult::{
    Adoption, Attendance, Decision, Guest, GuestRole, Instruction, InstructionLevel, Meeting,
    MeetingForm, MemberAttendance, Recommendation, RecommendationFeedback, Report, ReportResult,
    ResearchNote, Submission, Topic, TopicSource, TopicStep,
};
use crate::domain::RecordMeta;
use crate::store::{StoreResult, Writer};

const TOPICS: &[(&str, &str, &[&str])] = &[
    (
        "幸福里小区停车难",
        "老旧小区改造后院内车位减少，居民晚间停车困难，多次来访反映。",
        &[
            "与周边学校协商夜间共享停车位",
            "在小区东侧空地施划临时停车位",
            "规范外来车辆进入管理",
        ],
    ),
    (
        "市场路路灯年久失修",
        "市场路十余盏路灯损坏，夜间照明不足，存在安全隐患。",
        &["尽快修复损坏路灯", "将市场路路灯纳入定期巡检"],
    ),
    (
        "老年助餐服务点建设",
        "社区高龄独居老人较多，就餐不便。",
        &["依托社区服务中心开设助餐点", "对高龄老人给予餐费补贴"],
    ),
    (
        "农贸市场周边环境整治",
        "早市占道经营，垃圾清运不及时。",
        &["划定临时摊位区域", "增加早市后垃圾清运频次"],
    ),
    (
        "加装电梯协调难",
        "多层住宅加装电梯，低层住户意见不一。",
        &["制定加装电梯补偿参考标准", "组织楼栋议事会逐栋协商"],
    ),
    (
        "校门口上下学交通拥堵",
        "小学门口接送车辆乱停，早晚高峰拥堵。",
        &["设置临时停车接送区", "协调交警高峰时段疏导"],
    ),
];

const REPORTS: &[(&str, &str)] = &[
    (
        "关于市场路路灯长期损坏问题的社情民意信息",
        "市场路路灯损坏两个多月，群众夜间出行不便，建议尽快修复。",
    ),
    (
        "关于老旧小区加装电梯补偿标准的建议",
        "加装电梯中低层住户补偿缺乏参考标准，建议出台指导意见。",
    ),
    (
        "关于农村留守老人助餐服务的建议",
        "农村留守老人就餐难，建议推广邻里互助助餐模式。",
    ),
    (
        "关于规范校外培训机构收费的建议",
        "部分校外培训机构预收费过高，建议加强资金监管。",
    ),
    (
        "关于改善公交站点设置的建议",
        "公交站点撤并后老人出行不便，建议恢复部分站点。",
    ),
    (
        "关于农贸市场食品安全监管的建议",
        "早市流动摊贩食品来源不明，建议加强抽检。",
    ),
];

/// Writes the demo's consultations; returns (topics, meetings, reports).
pub fn demo_consultations(
    ctx: &mut DemoContext,
    writer: &mut Writer<'_>,
) -> StoreResult<(usize, usize, usize)> {
    let members: Vec<uuid::Uuid> = ctx.member_ids.iter().take(12).copied().collect();
    if members.is_empty() {
        return Ok((0, 0, 0));
    }
    let year_start = ctx
        .today
        .with_month(1)
        .and_then(|d| d.with_day(1))
        .unwrap_or(ctx.today);
    let span = (ctx.today - year_start).num_days().max(30);
    let (mut topics, mut meetings, mut reports) = (0, 0, 0);
    for (n, (title, description, recommendations)) in TOPICS.iter().enumerate() {
        let start = year_start + Duration::days(span * n as i64 / TOPICS.len() as i64);
        // Earlier topics have come further round the loop.
        let step = match TOPICS.len() - n {
            6 | 5 => TopicStep::Completed,
            4 => TopicStep::Submitted,
            3 => TopicStep::Consulted,
            2 => TopicStep::Researched,
            _ => TopicStep::Collected,
        };
        let mut topic = Topic {
            meta: RecordMeta::unsaved(),
            title: title.to_string(),
            description: description.to_string(),
            source: if n % 3 == 2 {
                TopicSource::PartyGovernment
            } else {
                TopicSource::Intakes
            },
            source_note: if n % 3 == 2 {
                "镇党委".into()
            } else {
                String::new()
            },
            intakes: Vec::new(),
            step,
            decision: None,
            research: Vec::new(),
            reopenings: Vec::new(),
        };
        topic.meta.id = ctx.next_id();
        if step >= TopicStep::Decided {
            topic.decision = Some(Decision {
                on: start + Duration::days(3),
                by: "工作站委员联席会议".into(),
            });
        }
        if step >= TopicStep::Researched {
            topic.research.push(ResearchNote {
                on: start + Duration::days(10),
                members: "工作站值班委员".into(),
                findings: "实地走访，听取居民和相关部门意见，梳理问题清单。".into(),
            });
        }
        let topic_id = topic.meta.id;
        writer.insert(topic)?;
        topics += 1;
        if step >= TopicStep::Consulted {
            let held_at = (start + Duration::days(20))
                .and_hms_opt(14, 30, 0)
                .unwrap_or_default();
            let mut meeting = Meeting {
                meta: RecordMeta::unsaved(),
                held_at,
                place: "委员工作站议事厅".into(),
                form: [MeetingForm::Symposium, MeetingForm::OnSite, MeetingForm::Bench]
                    [n % 3],
                host: "工作站召集人".into(),
                topics: vec![topic_id],
                members: members
                    .iter()
                    .take(6)
                    .map(|m| MemberAttendance {
                        member_id: *m,
                        attendance: match ctx.rng.random_range(0..10) {
                            0 => Attendance::Leave,
                            1 => Attendance::Absent,
                            _ => Attendance::Present,
                        },
                    })
                    .collect(),
                guests: vec![
                    Guest {
                        name: "居民代表".into(),
                        organisation: "幸福里社区".into(),
                        role: GuestRole::Resident,
                        role_text: "居民代表".into(),
                    },
                    Guest {
                        name: "镇建设办负责人".into(),
                        organisation: "镇建设办".into(),
                        role: GuestRole::Official,
                        role_text: "部门负责人".into(),
                    },
                ],
                minutes: format!(
                    "会议围绕“{title}”开展协商。\n与会委员、居民代表和部门负责人充分发表意见。\n经协商，形成以下建议。"
                ),
                recommendations: recommendations
                    .iter()
                    .map(|text| Recommendation {
                        text: text.to_string(),
                        submission: (step >= TopicStep::Submitted).then(|| Submission {
                            to: "镇人民政府".into(),
                            on: held_at.date() + Duration::days(5),
                        }),
                        feedback: (step >= TopicStep::Completed).then(|| RecommendationFeedback {
                            on: held_at.date() + Duration::days(40),
                            from: "镇人民政府".into(),
                            result: if ctx.rng.random_bool(0.7) {
                                Adoption::Adopted
                            } else {
                                Adoption::Partly
                            },
                            text: "已研究落实".into(),
                        }),
                    })
                    .collect(),
            };
            meeting.meta.id = ctx.next_id();
            writer.insert(meeting)?;
            meetings += 1;
        }
    }
    for (n, (title, body)) in REPORTS.iter().enumerate() {
        let mut report = Report {
            meta: RecordMeta::unsaved(),
            title: title.to_string(),
            body: body.to_string(),
            authors: vec![members[n % members.len()]],
            intakes: Vec::new(),
            topics: Vec::new(),
            submitted_on: None,
            submitted_to: String::new(),
            result: ReportResult::Pending,
        };
        report.meta.id = ctx.next_id();
        if n < 5 {
            report.submitted_on = Some(year_start + Duration::days(span * (n as i64 + 1) / 7));
            report.submitted_to = "县政协".into();
            if n < 2 {
                report.result = ReportResult::Adopted {
                    instruction: (n == 0).then(|| Instruction {
                        by: "县委副书记".into(),
                        level: InstructionLevel::County,
                        text: "请县住建局牵头研究解决".into(),
                    }),
                };
            }
        }
        writer.insert(report)?;
        reports += 1;
    }
    Ok((topics, meetings, reports))
}
