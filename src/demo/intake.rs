//! Demo intakes: walk-ins over the past year, in realistic proportions of categories and of
//! where each one stands in its closed loop.

use chrono::{Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::demo::{pick, DemoContext, DemoKind, GIVEN_FEMALE, GIVEN_MALE, SURNAMES};
use crate::domain::intake::Satisfaction;
use crate::domain::{Gender, Intake, IntakeEvent, IntakeFields, RecordKind};
use crate::store::{StoreResult, Writer};

/// Categories with their share of visits (out of 100) and what residents say about them.
const CATEGORIES: &[(&str, u32, &[&str])] = &[
    (
        "交通出行/停车",
        16,
        &[
            "小区院子围起来以后没地方停车，晚上只能停到马路边被贴条",
            "小区门口的路口早晚高峰太堵，希望加个信号灯",
            "公交站点撤了以后老人出行不方便",
            "楼下车位被外来车辆长期占用",
        ],
    ),
    (
        "物业管理",
        14,
        &[
            "物业费涨了但电梯经常坏，维修拖了一个多月",
            "楼道堆满杂物，物业不管，怕出火灾",
            "小区垃圾清运不及时，夏天有臭味",
            "物业更换没有征求业主意见",
        ],
    ),
    (
        "民生保障",
        12,
        &[
            "老旧小区改造什么时候能轮到我们楼",
            "冬天暖气不热，家里只有十四五度",
            "自来水经常停水，也不提前通知",
            "家门口的路灯坏了两个月没人修",
        ],
    ),
    (
        "邻里纠纷",
        9,
        &[
            "楼上装修把我家天花板弄裂了，协商不成",
            "邻居在楼道里养狗，晚上一直叫",
            "隔壁空调外机对着我家窗户，噪音很大",
        ],
    ),
    (
        "社会保障",
        8,
        &[
            "退休金认证在手机上操作不会，想请人帮忙",
            "医保异地报销的手续不清楚",
            "低保申请材料交了三个月还没有消息",
        ],
    ),
    (
        "医疗卫生",
        7,
        &[
            "社区卫生服务站人手不够，排队时间长",
            "希望社区能定期给老人做免费体检",
        ],
    ),
    (
        "教育",
        7,
        &["孩子上学接送路上没有人行横道", "希望学校放学后能有托管服务"],
    ),
    (
        "就业创业",
        6,
        &[
            "下岗以后想学点技术，不知道去哪里报名培训",
            "想开个小店，营业执照怎么办理",
        ],
    ),
    (
        "劳动纠纷",
        5,
        &[
            "在工地干了半年活，老板拖欠工资不给",
            "公司不给交社保，辞职后怎么维权",
        ],
    ),
    (
        "生态环境",
        5,
        &[
            "河里的水有臭味，怀疑有人偷排污水",
            "附近工厂晚上排烟，气味很大",
        ],
    ),
    (
        "法律咨询",
        5,
        &[
            "房子继承的事情兄弟之间有分歧，想咨询一下法律规定",
            "签了合同对方不履行怎么办",
        ],
    ),
    ("企业发展", 3, &["小微企业贷款难，希望了解有没有扶持政策"]),
    (
        "意见建议",
        2,
        &[
            "建议在社区广场加装健身器材",
            "建议把社区图书室开放时间延长到晚上",
        ],
    ),
    ("其他", 1, &["想了解委员工作站能帮忙办什么事"]),
];

pub(crate) const COMPOUNDS: &[&str] = &[
    "幸福里小区",
    "和平新村",
    "纺织厂宿舍",
    "建设路12号院",
    "东风小区",
    "滨河花园",
    "粮站家属院",
    "青溪镇上街村",
    "青溪镇下街村",
    "实验小学宿舍",
    "供销社老楼",
    "阳光佳苑",
];

const DEPARTMENTS: &[&str] = &[
    "街道城管科",
    "社区居委会",
    "县住建局",
    "县人社局",
    "县生态环境局",
    "派出所",
    "县交通运输局",
    "物业公司",
];

/// A resident ID number with a valid check character.
pub(crate) fn resident_id(rng: &mut ChaCha8Rng, born: NaiveDate) -> String {
    let body = format!(
        "3301{:02}{}{:03}",
        rng.random_range(1..30),
        born.format("%Y%m%d"),
        rng.random_range(0..1000)
    );
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{body}{}", CHECK[(sum % 11) as usize])
}

pub(crate) struct IntakeDemo;

impl DemoKind for IntakeDemo {
    fn kind(&self) -> RecordKind {
        RecordKind::Intake
    }

    fn weight(&self) -> u32 {
        10
    }

    fn generate(&self, ctx: &mut DemoContext, writer: &mut Writer<'_>) -> StoreResult<()> {
        let mut intake = demo_intake(ctx);
        intake.meta.id = ctx.next_id();
        writer.insert(intake)?;
        Ok(())
    }
}

/// One plausible visit and how far it has come.
pub fn demo_intake(ctx: &mut DemoContext) -> Intake {
    let rng = &mut ctx.rng;
    // Visits arrive in the order of time over the past year (a little jitter within a day or
    // two), as at a real desk — which also keeps the time indexes growing at their end.
    let age_days = ((1.0 - ctx.progress) * 364.0) as i64;
    let age_days = (age_days - rng.random_range(0..2)).clamp(0, 364);
    let day = ctx.today - Duration::days(age_days);
    let visited_at = day
        .and_hms_opt(rng.random_range(8..17), rng.random_range(0..60), 0)
        .unwrap_or_default();
    // A visit of today came before now: at 12:02, not at 13:47.
    let visited_at = if visited_at > ctx.now {
        ctx.now - Duration::minutes(rng.random_range(1..30))
    } else {
        visited_at
    };
    let day = visited_at.date();
    let roll = rng.random_range(0..100u32);
    let mut acc = 0;
    let (category, _, requests) = CATEGORIES
        .iter()
        .find(|(_, share, _)| {
            acc += share;
            roll < acc
        })
        .unwrap_or(&CATEGORIES[0]);
    let female = rng.random_bool(0.5);
    let anonymous = rng.random_bool(0.2);
    let visitor_name = if anonymous {
        String::new()
    } else {
        let surname = pick(rng, SURNAMES);
        match rng.random_range(0..3) {
            0 => format!("{surname}{}", if female { "阿姨" } else { "大爷" }),
            1 => format!("{surname}{}", if female { "女士" } else { "先生" }),
            _ => format!(
                "{surname}{}",
                if female {
                    pick(rng, GIVEN_FEMALE)
                } else {
                    pick(rng, GIVEN_MALE)
                }
            ),
        }
    };
    let phone = if !anonymous && rng.random_bool(0.7) {
        format!(
            "13{}{:08}",
            rng.random_range(0..10),
            rng.random_range(0..100_000_000u32)
        )
    } else {
        String::new()
    };
    let id_number = if !anonymous && rng.random_bool(0.15) {
        let born = NaiveDate::from_ymd_opt(
            rng.random_range(1940..2000),
            rng.random_range(1..13),
            rng.random_range(1..29),
        )
        .unwrap_or_default();
        resident_id(rng, born)
    } else {
        String::new()
    };
    let visitors = if rng.random_bool(0.08) {
        rng.random_range(2..12)
    } else {
        1
    };
    let request = requests.choose(rng).copied().unwrap_or("").to_string();
    let fields = IntakeFields {
        visited_at,
        visitor_name,
        gender: if anonymous {
            Gender::Unspecified
        } else if female {
            Gender::Female
        } else {
            Gender::Male
        },
        phone,
        id_number,
        address: pick(rng, COMPOUNDS).to_string(),
        visitors,
        category: category.to_string(),
        request,
        member_id: ctx.member_ids.choose(rng).copied(),
    };
    let policy = ctx.due_policy;
    let mut intake = Intake::register(fields, policy);
    // How far along: old visits are mostly closed, recent ones still open.
    let progress = match age_days {
        0..=2 => rng.random_range(0..3),
        3..=14 => rng.random_range(0..5),
        15..=45 => rng.random_range(1..6),
        _ => {
            if rng.random_bool(0.85) {
                5
            } else {
                rng.random_range(1..5)
            }
        }
    };
    let on = |offset: i64| day + Duration::days(offset);
    let steps: Vec<IntakeEvent> = if rng.random_bool(0.3) {
        // Answered on the spot.
        vec![IntakeEvent::AnswerOnTheSpot {
            answer: "当场解释了相关政策和办理渠道".into(),
            on: day,
        }]
    } else {
        vec![
            IntakeEvent::Refer {
                department: pick(rng, DEPARTMENTS).to_string(),
                on: on(1),
            },
            IntakeEvent::RecordFeedback {
                on: on(rng.random_range(3..15)),
                text: "已将部门办理结果告知来访人".into(),
            },
        ]
    };
    let satisfaction = *[
        Satisfaction::Satisfied,
        Satisfaction::Satisfied,
        Satisfaction::BasicallySatisfied,
        Satisfaction::Dissatisfied,
    ]
    .choose(rng)
    .unwrap_or(&Satisfaction::Satisfied);
    let mut all = steps;
    all.push(IntakeEvent::RecordFollowUp {
        on: on(rng.random_range(15..25)),
        satisfaction,
        note: "电话回访".into(),
    });
    all.push(IntakeEvent::Close);
    let wanted = (progress as usize).min(all.len());
    for event in all.into_iter().take(wanted) {
        // The steps stop where the rules refuse one: a reply not yet due is not in the future.
        match intake.apply(event, policy, ctx.now) {
            Ok(next) => intake = next,
            Err(_) => break,
        }
    }
    intake
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn demo_ids_pass_their_checksum_and_intakes_validate() {
        let mut ctx = DemoContext::for_tests(ChaCha8Rng::seed_from_u64(3));
        for _ in 0..300 {
            let intake = demo_intake(&mut ctx);
            assert!(
                intake.fields.validate(ctx.now).is_ok(),
                "{:?}",
                intake.fields
            );
        }
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let born = NaiveDate::from_ymd_opt(1960, 5, 1).unwrap_or_default();
        for _ in 0..50 {
            let id = resident_id(&mut rng, born);
            assert!(crate::domain::validate::resident_id(&id).is_ok(), "{id}");
        }
    }
}
