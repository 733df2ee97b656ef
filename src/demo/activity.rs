//! Demo activities: a year of members' work away from the desk. Members differ in how much
//! they do — a few do a great deal, most do what is asked, a few hardly anything — so that
//! their records have content and the year's assessment shows every grade.

use chrono::{Datelike, Duration};
use rand::seq::IndexedRandom;
use rand::Rng;

use crate::demo::DemoContext;
use crate::domain::activity::{Activity, Proposal, PROPOSAL};
use crate::domain::RecordMeta;
use crate::store::{StoreResult, Writer};

/// `(kind, titles)`: what a member of a township station does in a year.
const WORK: &[(&str, &[&str])] = &[
    (
        PROPOSAL,
        &[
            "关于加快老旧小区加装电梯的提案",
            "关于完善农村养老服务体系的提案",
            "关于规范校外培训机构管理的提案",
            "关于改善城乡公交接驳的提案",
        ],
    ),
    (
        "视察",
        &[
            "视察镇农贸市场改造进展",
            "视察乡村道路硬化工程",
            "视察社区养老服务中心",
        ],
    ),
    (
        "调研",
        &[
            "调研城郊村集体经济发展",
            "调研小区物业管理现状",
            "调研义务教育阶段课后服务",
        ],
    ),
    (
        "培训学习",
        &["参加县政协委员履职培训", "参加界别专题学习会"],
    ),
    (
        "办实事",
        &[
            "协调修复市场路路灯",
            "为独居老人上门检查燃气",
            "组织义诊进社区",
        ],
    ),
    (
        "读书",
        &[
            "读《习近平谈治国理政》第四卷",
            "读《乡土中国》",
            "读《人民政协概论》",
        ],
    ),
    (
        "联系界别群众",
        &["走访界别群众听取意见", "召开界别群众座谈会"],
    ),
    ("履职述职", &["年度履职述职"]),
];

/// How much a member does in a year: the share of the year's kinds they take part in, and
/// how many times each.
fn diligence(index: usize) -> (f64, u32) {
    match index % 5 {
        // A few members do a great deal.
        0 => (1.0, 3),
        // Hardly anything.
        4 => (0.1, 1),
        // Most do what is asked.
        _ => (0.75, 1),
    }
}

/// Writes the year's activities; returns how many.
pub fn demo_activities(ctx: &mut DemoContext, writer: &mut Writer<'_>) -> StoreResult<usize> {
    let year_start = ctx
        .today
        .with_month(1)
        .and_then(|d| d.with_day(1))
        .unwrap_or(ctx.today);
    let span = (ctx.today - year_start).num_days().max(1);
    let members = ctx.member_ids.clone();
    let mut written = 0;
    for (index, member) in members.iter().enumerate() {
        let (share, times) = diligence(index);
        for (kind, titles) in WORK {
            if !ctx.rng.random_bool(share) {
                continue;
            }
            for _ in 0..ctx.rng.random_range(1..=times) {
                let on = year_start + Duration::days(ctx.rng.random_range(0..=span));
                let mut taking_part = vec![*member];
                // Trips and research are made together.
                if matches!(*kind, "视察" | "调研") {
                    if let Some(other) = members.choose(&mut ctx.rng) {
                        if other != member {
                            taking_part.push(*other);
                        }
                    }
                }
                let title = titles.choose(&mut ctx.rng).copied().unwrap_or("履职活动");
                let proposal = (*kind == PROPOSAL).then(|| {
                    let filed = ctx.rng.random_bool(0.8);
                    Proposal {
                        number: if filed {
                            format!("第{}号", ctx.rng.random_range(1..=240))
                        } else {
                            String::new()
                        },
                        filed,
                        answered: filed && ctx.rng.random_bool(0.6),
                    }
                });
                let activity = Activity {
                    meta: RecordMeta {
                        id: ctx.next_id(),
                        ..RecordMeta::unsaved()
                    },
                    on,
                    kind: kind.to_string(),
                    members: taking_part,
                    title: title.to_string(),
                    description: format!("{title}，形成书面材料报工作站。"),
                    proposal,
                };
                writer.insert(activity)?;
                written += 1;
            }
        }
    }
    Ok(written)
}
