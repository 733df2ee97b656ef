//! Demo mediation cases: walk-ins, police and court referrals over the past year, with their
//! sessions, outcomes (most end in an agreement) and follow-ups, in realistic proportions.

use chrono::Duration;
use rand::Rng;

use crate::demo::intake::COMPOUNDS;
use crate::demo::{pick, DemoContext, DemoKind, GIVEN_FEMALE, GIVEN_MALE, SURNAMES};
use crate::domain::case::{
    CaseEvent, CaseFields, CaseFollowUp, CaseSource, Fulfilment, JudicialConfirmation,
    MediationCase, Outcome, Party, PartyRole, Session,
};
use crate::domain::RecordKind;
use crate::store::{next_case_number, StoreResult, Writer};

/// Dispute types with their share (out of 100), facts and agreed terms.
const DISPUTES: &[(&str, u32, &str, &str)] = &[
    (
        "邻里纠纷",
        30,
        "楼上住户装修导致楼下天花板开裂渗水，双方就维修和赔偿协商未果",
        "被申请人负责修复申请人家天花板，并一次性补偿申请人人民币3000元",
    ),
    (
        "物业纠纷",
        18,
        "业主以电梯长期故障为由拒交物业费，物业公司要求补缴",
        "物业公司一个月内完成电梯维修，业主补缴物业费的百分之八十",
    ),
    (
        "婚姻家庭",
        14,
        "子女之间就老人赡养费用分担发生争执",
        "三名子女每月各承担赡养费800元，轮流照料老人",
    ),
    (
        "损害赔偿",
        12,
        "停车位争执引发肢体冲突，一方受轻微伤",
        "被申请人赔偿申请人医药费、误工费共计2500元",
    ),
    (
        "劳动争议",
        9,
        "装修工人被拖欠工资两个月",
        "被申请人于约定期限内支付拖欠工资6400元",
    ),
    (
        "合同纠纷",
        7,
        "房屋租赁合同提前解除，押金退还发生争议",
        "出租人退还押金的一半计1500元，双方解除合同",
    ),
    (
        "消费纠纷",
        5,
        "预付卡商家停业，消费者要求退还余额",
        "商家分两期退还余额1200元",
    ),
    (
        "土地承包",
        5,
        "承包地边界不清，相邻农户发生争执",
        "按村委会测量的界线重新埋设界桩，双方不再争议",
    ),
];

const POLICE: &[&str] = &["青溪派出所", "城关派出所", "河西派出所"];
const COURTS: &[&str] = &["清河县人民法院青溪人民法庭", "清河县人民法院"];

pub struct CaseDemo;

impl DemoKind for CaseDemo {
    fn kind(&self) -> RecordKind {
        RecordKind::Case
    }

    fn weight(&self) -> u32 {
        1
    }

    fn generate(&self, ctx: &mut DemoContext, writer: &mut Writer<'_>) -> StoreResult<()> {
        let mut case = demo_case(ctx);
        case.meta.id = ctx.next_id();
        case.case_no = next_case_number(
            writer,
            &ctx.case_policy.pattern,
            &ctx.station_code,
            case.year(),
        )?;
        writer.insert(case)?;
        Ok(())
    }
}

fn person(ctx: &mut DemoContext) -> String {
    let rng = &mut ctx.rng;
    let female = rng.random_bool(0.45);
    let given = if female {
        pick(rng, GIVEN_FEMALE)
    } else {
        pick(rng, GIVEN_MALE)
    };
    format!("{}{given}", pick(rng, SURNAMES))
}

fn phone(ctx: &mut DemoContext) -> String {
    format!(
        "13{}{:08}",
        ctx.rng.random_range(0..10),
        ctx.rng.random_range(0..100_000_000u32)
    )
}

/// One plausible case and how far it has come.
pub fn demo_case(ctx: &mut DemoContext) -> MediationCase {
    let age_days = ((1.0 - ctx.progress) * 364.0) as i64;
    let received_on = ctx.today - Duration::days(age_days.clamp(0, 364));
    let roll = ctx.rng.random_range(0..100u32);
    let mut acc = 0;
    let (dispute_type, _, facts, terms) = DISPUTES
        .iter()
        .find(|(_, share, _, _)| {
            acc += share;
            roll < acc
        })
        .unwrap_or(&DISPUTES[0]);
    let (source, referring_unit, referral_no) = match ctx.rng.random_range(0..100) {
        0..=59 => (CaseSource::WalkIn, String::new(), String::new()),
        60..=84 => (
            CaseSource::Police,
            pick(&mut ctx.rng, POLICE).to_string(),
            format!(
                "警调字〔{}〕{}号",
                received_on.format("%Y"),
                ctx.rng.random_range(1..300)
            ),
        ),
        85..=96 => (
            CaseSource::Court,
            pick(&mut ctx.rng, COURTS).to_string(),
            format!(
                "诉前调字〔{}〕{}号",
                received_on.format("%Y"),
                ctx.rng.random_range(1..500)
            ),
        ),
        _ => (CaseSource::Other, String::new(), String::new()),
    };
    let applicant = person(ctx);
    let mut respondent = person(ctx);
    while respondent == applicant {
        respondent = person(ctx);
    }
    let mut parties = vec![
        Party {
            role: PartyRole::Applicant,
            name: applicant.clone(),
            contact: format!("{} {}", phone(ctx), pick(&mut ctx.rng, COMPOUNDS)),
            id_number: String::new(),
        },
        Party {
            role: PartyRole::Respondent,
            name: respondent.clone(),
            contact: phone(ctx),
            id_number: String::new(),
        },
    ];
    if ctx.rng.random_bool(0.1) {
        parties.push(Party {
            role: PartyRole::ThirdParty,
            name: person(ctx),
            contact: String::new(),
            id_number: String::new(),
        });
    }
    let pool = if ctx.mediator_ids.is_empty() {
        &ctx.member_ids
    } else {
        &ctx.mediator_ids
    };
    let mut mediators = Vec::new();
    let wanted = if ctx.rng.random_bool(0.3) { 2 } else { 1 };
    for _ in 0..wanted {
        if pool.is_empty() {
            break;
        }
        let id = pool[ctx.rng.random_range(0..pool.len())];
        if !mediators.contains(&id) {
            mediators.push(id);
        }
    }
    let amount_fen = if ctx.rng.random_bool(0.6) {
        Some(i64::from(ctx.rng.random_range(5..200u32)) * 10_000)
    } else {
        None
    };
    let fields = CaseFields {
        received_on,
        source,
        referring_unit,
        referral_no,
        dispute_type: dispute_type.to_string(),
        parties,
        facts: facts.to_string(),
        points: "责任划分和赔偿数额".to_string(),
        amount_fen,
        mediators,
    };
    let mut case = MediationCase::register(String::new(), fields, ctx.case_policy.days);
    // How far along: old cases are mostly archived, recent ones still being mediated.
    let stage = match age_days {
        0..=3 => ctx.rng.random_range(0..2),
        4..=30 => ctx.rng.random_range(0..4),
        31..=90 => ctx.rng.random_range(2..5),
        _ => {
            if ctx.rng.random_bool(0.8) {
                4
            } else {
                ctx.rng.random_range(2..5)
            }
        }
    };
    let on = |offset: i64| received_on + Duration::days(offset);
    let sessions = ctx.rng.random_range(1..4);
    let mut events = Vec::new();
    for n in 0..sessions {
        events.push(CaseEvent::RecordSession(Session {
            on: on(2 + n * 5),
            place: "委员工作站调解室".into(),
            attendees: format!("{applicant}、{respondent}"),
            notes: if n == 0 {
                "听取双方陈述，释明相关法律规定，双方各自提出诉求".into()
            } else {
                "背靠背做双方工作，双方同意各让一步".into()
            },
        }));
    }
    let concluded = on(3 + sessions * 5);
    let outcome = match ctx.rng.random_range(0..100) {
        0..=79 => Outcome::Success {
            terms: terms.to_string(),
            method: "当场或分期支付，工作站见证".into(),
            deadline: concluded + Duration::days(30),
        },
        80..=89 => Outcome::Failed {
            reason: "双方分歧较大，未能达成一致".into(),
        },
        90..=94 => Outcome::Withdrawn {
            reason: "双方自行和解，申请人撤回申请".into(),
        },
        95..=97 => Outcome::Litigation {
            reason: "告知当事人可向人民法院起诉".into(),
        },
        _ => Outcome::Transferred {
            department: "镇司法所".into(),
        },
    };
    let success = outcome.is_success();
    events.push(CaseEvent::Conclude {
        on: concluded,
        outcome,
    });
    if success && ctx.rng.random_bool(0.2) {
        events.push(CaseEvent::Judicial(JudicialConfirmation {
            applied: true,
            on: Some(concluded + Duration::days(ctx.rng.random_range(1..20))),
        }));
    }
    let fulfilment = match ctx.rng.random_range(0..100) {
        0..=84 => Fulfilment::Fulfilled,
        85..=94 => Fulfilment::Partly,
        _ => Fulfilment::NotFulfilled,
    };
    events.push(CaseEvent::FollowUp(CaseFollowUp {
        on: concluded + Duration::days(31),
        fulfilment: success.then_some(fulfilment),
        note: "电话回访双方".into(),
        next_on: None,
    }));
    events.push(CaseEvent::Archive);
    // Stages: 0 accepted, 1 mediating, 2 concluded, 3 followed up, 4 archived.
    let sessions = sessions as usize;
    let keep = match stage {
        0 => 0,
        1 => sessions,
        2 => events.len() - 2,
        3 => events.len() - 1,
        _ => events.len(),
    };
    for event in events.into_iter().take(keep) {
        // Nothing may happen after the demo's today.
        let date = match &event {
            CaseEvent::RecordSession(s) => Some(s.on),
            CaseEvent::Conclude { on, .. } => Some(*on),
            CaseEvent::FollowUp(f) => Some(f.on),
            _ => None,
        };
        if date.is_some_and(|d| d > ctx.today) {
            break;
        }
        match case.apply(event, ctx.now) {
            Ok(next) => case = next,
            Err(_) => break,
        }
    }
    case
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn demo_cases_validate_and_spread_over_the_states() {
        let mut ctx = DemoContext::for_tests(ChaCha8Rng::seed_from_u64(5));
        ctx.member_ids = vec![uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2)];
        let mut states = std::collections::HashSet::new();
        for i in 0..300 {
            ctx.progress = f64::from(i) / 300.0;
            let case = demo_case(&mut ctx);
            assert!(case.fields.validate(ctx.now).is_ok(), "{:?}", case.fields);
            states.insert(case.state);
        }
        assert!(states.len() >= 4, "{states:?}");
    }
}
