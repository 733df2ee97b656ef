//! `stationdesk demo`: realistic, generated Simplified Chinese data, the same for the same seed.
//!
//! Each record kind contributes a [`DemoKind`]; the generator spreads `--records` across the
//! kinds by weight and writes them in batched transactions.

mod activity;
mod case;
mod consult;
pub mod county;
mod intake;
mod roster;

/// The passphrase of the station files `county demo` makes (they are demo data, and the
/// county opens them through their escrow slots too).
pub const DEMO_PASSPHRASE: &str = "demo station passphrase";

use rand::seq::IndexedRandom;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::domain::lists::{entries, PARTIES, SECTORS};
use crate::domain::{Gender, Level, Member, MemberFields, RecordKind, StationSetup};
use crate::store::{Store, StoreResult, Writer};

/// Records written per transaction.
pub const BATCH: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    pub seed: u64,
    /// Members of the station's registry.
    pub members: usize,
    /// Desk records spread across the kinds that generate them.
    pub records: usize,
}

impl Default for DemoOptions {
    fn default() -> DemoOptions {
        DemoOptions {
            seed: 1,
            members: 40,
            records: 1_000,
        }
    }
}

/// What a demo run wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub station_created: bool,
    pub counts: Vec<(RecordKind, usize)>,
}

/// State shared by the generators of one run.
pub struct DemoContext {
    pub rng: ChaCha8Rng,
    /// The registry's members, for records that refer to them.
    pub member_ids: Vec<Uuid>,
    /// The day the demo is made: records are spread over the year before it.
    pub today: chrono::NaiveDate,
    /// The moment the demo is made: nothing it records happened later (the domain's date
    /// rules refuse it, as they refuse it at the desk).
    pub now: chrono::NaiveDateTime,
    /// How far through its share the kind being generated is, 0.0 to 1.0, so that records
    /// come in the order of time, as they would at a real desk.
    pub progress: f64,
    pub due_policy: crate::domain::DuePolicy,
    /// Members who serve as mediators.
    pub mediator_ids: Vec<Uuid>,
    /// For case numbers.
    pub station_code: String,
    pub case_policy: crate::store::CasePolicy,
    id_clock: u64,
    /// Added to every id's time: the records a station already holds (ms), so that a second
    /// demo on the same file, of the same seed, makes other ids.
    id_offset: u64,
}

impl DemoContext {
    /// A context for generator tests: no members, today 2026-11-22.
    #[cfg(test)]
    pub(crate) fn for_tests(rng: ChaCha8Rng) -> DemoContext {
        DemoContext {
            rng,
            member_ids: Vec::new(),
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
            now: chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
                .and_then(|d| d.and_hms_opt(12, 2, 0))
                .unwrap_or_default(),
            progress: 0.5,
            due_policy: crate::domain::DuePolicy::default(),
            mediator_ids: Vec::new(),
            station_code: "QX01".into(),
            case_policy: crate::store::CasePolicy::default(),
            id_clock: 0,
            id_offset: 0,
        }
    }

    /// A UUIDv7 made from the seeded generator, so that a seed gives the same ids too. Its
    /// time is when a desk would have made the record: through the year before `today` as
    /// the demo's progress goes (never backwards), as ids are made over the days at a real
    /// desk. (Ids a millisecond apart from one moment put a county demo's 1.4 million records
    /// on one day, which no county has.)
    pub fn next_id(&mut self) -> Uuid {
        self.id_clock = (self.id_clock + 1).max(self.made_ms());
        let mut random = [0u8; 10];
        self.rng.fill_bytes(&mut random);
        uuid::Builder::from_unix_timestamp_millis(self.id_clock, &random).into_uuid()
    }
}

impl DemoContext {
    /// When, in ms since 1970 (UTC), a record made at the demo's progress was entered.
    fn made_ms(&self) -> u64 {
        const YEAR_MS: f64 = 365.0 * 86_400_000.0;
        let start = (self.today - chrono::Duration::days(365))
            .and_hms_opt(0, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp_millis().max(0) as u64);
        start + (self.progress.clamp(0.0, 1.0) * YEAR_MS) as u64 + self.id_offset
    }
}

/// A record kind's part in the demo.
pub trait DemoKind {
    fn kind(&self) -> RecordKind;
    /// Its share of `--records`, relative to the other kinds' weights.
    fn weight(&self) -> u32;
    fn generate(&self, ctx: &mut DemoContext, writer: &mut Writer<'_>) -> StoreResult<()>;
}

/// How the demo makes records of a kind.
enum DemoPlan {
    /// The registry: `--members` of them, before everything else refers to them.
    Registry,
    /// A share of `--records`, interleaved with the other kinds that share them.
    Share(Box<dyn DemoKind>),
    /// A year of the station's roster, made once.
    RosterYear,
    /// Made with the year's consultations (topics, their meetings, reports from visits).
    Consultations,
}

/// Every kind's demo: the match has no catch-all, so a kind added to the registry must say
/// here how the demo makes it (the test of `tests/kinds.rs` asks for demo records of each).
fn plan_of(kind: RecordKind) -> DemoPlan {
    match kind {
        RecordKind::Member => DemoPlan::Registry,
        RecordKind::Intake => DemoPlan::Share(Box::new(crate::demo::intake::IntakeDemo)),
        RecordKind::Case => DemoPlan::Share(Box::new(crate::demo::case::CaseDemo)),
        RecordKind::Shift => DemoPlan::RosterYear,
        RecordKind::Topic | RecordKind::Meeting | RecordKind::Report | RecordKind::Activity => {
            DemoPlan::Consultations
        }
    }
}

/// The kinds that share `--records`, by weight.
fn desk_kinds() -> Vec<Box<dyn DemoKind>> {
    RecordKind::ALL
        .into_iter()
        .filter_map(|kind| match plan_of(kind) {
            DemoPlan::Share(demo) => Some(demo),
            DemoPlan::Registry | DemoPlan::RosterYear | DemoPlan::Consultations => None,
        })
        .collect()
}

/// Fills the store, initialising a demo station first if it has none. `progress` is told
/// (records written, records planned) after each batch.
pub fn run(
    store: &mut Store,
    options: &DemoOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> StoreResult<DemoSummary> {
    run_as_of(store, options, crate::clock::today(), progress)
}

/// [`run`] as if the day were `today`: the records are spread over the year before it (the
/// county demo makes a station's years one after the other this way).
pub fn run_as_of(
    store: &mut Store,
    options: &DemoOptions,
    today: chrono::NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> StoreResult<DemoSummary> {
    let mut summary = DemoSummary::default();
    if store.station()?.is_none() {
        store.init_station(&StationSetup {
            name: "青溪镇政协委员工作站".into(),
            code: "QX01".into(),
            county: "清河县".into(),
            county_recipient: String::new(),
        })?;
        store.set_town("青溪镇")?;
        summary.station_created = true;
    }
    store.enter_bulk_mode()?;
    // The counts are rebuilt once at the end rather than kept row by row (twice the time),
    // and the big tables' indexes are made once at the end (a third of the time).
    store.suspend_counts()?;
    store.suspend_indexes()?;
    let previous_actor = store.actor().to_string();
    store.set_actor("demo");
    let result = generate(store, options, today, progress, &mut summary);
    store.set_actor(&previous_actor);
    store.resume_indexes()?;
    store.resume_counts()?;
    result.map(|_| summary)
}

/// The moment a demo made as of `today` is made: now, when that is today; else the end of
/// that day.
fn demo_now(today: chrono::NaiveDate) -> chrono::NaiveDateTime {
    let now = crate::clock::local_now();
    if now.date() == today {
        now
    } else {
        today.and_hms_opt(23, 59, 59).unwrap_or(now)
    }
}

fn generate(
    store: &mut Store,
    options: &DemoOptions,
    today: chrono::NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
    summary: &mut DemoSummary,
) -> StoreResult<()> {
    // The registry the other kinds refer to: the members already there, then the new ones.
    let existing = store.members_after(&crate::store::MemberFilter::default(), None, 1_000)?;
    let mut ctx = DemoContext {
        rng: ChaCha8Rng::seed_from_u64(options.seed),
        member_ids: Vec::new(),
        today,
        now: demo_now(today),
        progress: 0.0,
        due_policy: store.due_policy()?,
        mediator_ids: Vec::new(),
        station_code: store.station()?.map(|s| s.code).unwrap_or_default(),
        case_policy: store.case_policy()?,
        id_clock: 0,
        id_offset: store.last_rev()?.max(0) as u64,
    };
    ctx.member_ids.extend(existing.iter().map(|m| m.meta.id));
    ctx.mediator_ids.extend(
        existing
            .iter()
            .filter(|m| m.fields.mediator && m.fields.active)
            .map(|m| m.meta.id),
    );
    let total = options.members + options.records;
    let mut done = 0;
    // The registry first: every other kind refers to members.
    let registry = MemberDemo;
    for chunk_start in (0..options.members).step_by(BATCH) {
        let n = BATCH.min(options.members - chunk_start);
        store.write(|w| {
            for _ in 0..n {
                registry.generate(&mut ctx, w)?;
            }
            Ok(())
        })?;
        done += n;
        progress(done, total);
    }
    summary.counts.push((RecordKind::Member, options.members));

    // A year of duty shifts, once: a station has one roster.
    let no_shifts = store.count_shifts()? == 0;
    if no_shifts && options.members > 0 {
        let calendar = store.holiday_calendar();
        let shifts = store.write(|w| crate::demo::roster::demo_shifts(&mut ctx, w, &calendar))?;
        summary.counts.push((RecordKind::Shift, shifts));
        let (topics, meetings, reports) =
            store.write(|w| crate::demo::consult::demo_consultations(&mut ctx, w))?;
        summary.counts.push((RecordKind::Topic, topics));
        summary.counts.push((RecordKind::Meeting, meetings));
        summary.counts.push((RecordKind::Report, reports));
        let activities = store.write(|w| crate::demo::activity::demo_activities(&mut ctx, w))?;
        summary.counts.push((RecordKind::Activity, activities));
    }

    let kinds = desk_kinds();
    let weights: u32 = kinds.iter().map(|k| k.weight()).sum::<u32>().max(1);
    let mut plan: Vec<usize> = kinds
        .iter()
        .map(|k| options.records * k.weight() as usize / weights as usize)
        .collect();
    let planned: usize = plan.iter().sum();
    if let Some(first) = plan.first_mut() {
        *first += options.records - planned;
    }
    let mut remaining = plan.clone();
    let mut left = options.records;
    while left > 0 {
        let n = BATCH.min(left);
        store.write(|w| {
            for _ in 0..n {
                // Interleave kinds in proportion to what each still has to write.
                let pick = ctx.rng.random_range(0..remaining.iter().sum::<usize>());
                let mut acc = 0;
                let index = remaining
                    .iter()
                    .position(|r| {
                        acc += r;
                        pick < acc
                    })
                    .unwrap_or(0);
                remaining[index] -= 1;
                ctx.progress = 1.0 - remaining[index] as f64 / plan[index].max(1) as f64;
                kinds[index].generate(&mut ctx, w)?;
            }
            Ok(())
        })?;
        left -= n;
        done += n;
        progress(done, total);
    }
    for (kind, count) in kinds.iter().zip(plan) {
        if let Some(entry) = summary.counts.iter_mut().find(|(k, _)| *k == kind.kind()) {
            entry.1 += count;
        } else {
            summary.counts.push((kind.kind(), count));
        }
    }
    Ok(())
}

pub(crate) const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "单", "解", "欧阳", "司马",
];
pub(crate) const GIVEN_MALE: &[&str] = &[
    "建国", "建华", "志强", "国庆", "海涛", "文斌", "永明", "德明", "立新", "卫东", "振华", "春生",
    "伟", "强", "军", "磊", "勇", "杰", "涛", "斌",
];
pub(crate) const GIVEN_FEMALE: &[&str] = &[
    "秀兰", "桂英", "玉梅", "丽华", "淑珍", "晓燕", "红梅", "海燕", "美玲", "雪梅", "静", "敏",
    "丽", "娟", "霞", "艳", "芳", "婷",
];
const SPECIALTIES: &[&str] = &[
    "全科医学",
    "法律服务",
    "中小学教育",
    "农业技术推广",
    "企业管理",
    "财务会计",
    "城乡规划",
    "社区治理",
    "养老服务",
    "环境保护",
    "文化旅游",
    "电子商务",
    "建筑工程",
    "心理咨询",
    "劳动保障",
];

/// Members of the registry.
struct MemberDemo;

impl DemoKind for MemberDemo {
    fn kind(&self) -> RecordKind {
        RecordKind::Member
    }

    fn weight(&self) -> u32 {
        1
    }

    fn generate(&self, ctx: &mut DemoContext, writer: &mut Writer<'_>) -> StoreResult<()> {
        let fields = demo_member(&mut ctx.rng);
        let mut member = Member::new(fields);
        member.meta.id = ctx.next_id();
        let member = writer.insert(member)?;
        ctx.member_ids.push(member.meta.id);
        if member.fields.mediator && member.fields.active {
            ctx.mediator_ids.push(member.meta.id);
        }
        Ok(())
    }
}

pub(crate) fn pick<'a, T: ?Sized>(rng: &mut ChaCha8Rng, items: &'a [&'a T]) -> &'a T {
    items.choose(rng).copied().unwrap_or(items[0])
}

/// The sector and party lists, read once.
fn choice_lists() -> &'static (Vec<String>, Vec<String>) {
    static LISTS: std::sync::OnceLock<(Vec<String>, Vec<String>)> = std::sync::OnceLock::new();
    LISTS.get_or_init(|| (entries(SECTORS), entries(PARTIES)))
}

/// One plausible member.
pub fn demo_member(rng: &mut ChaCha8Rng) -> MemberFields {
    let female = rng.random_bool(0.42);
    let given = if female {
        pick(rng, GIVEN_FEMALE)
    } else {
        pick(rng, GIVEN_MALE)
    };
    let name = format!("{}{}", pick(rng, SURNAMES), given);
    let (sectors, parties) = choice_lists();
    let sector = sectors.choose(rng).cloned().unwrap_or_default();
    // About a third of members are 中共党员; the rest spread over the other affiliations.
    let party = if rng.random_bool(0.35) {
        parties.first().cloned().unwrap_or_default()
    } else {
        parties.choose(rng).cloned().unwrap_or_default()
    };
    let level = match rng.random_range(0..100) {
        0..=74 => Level::County,
        75..=91 => Level::City,
        92..=98 => Level::Provincial,
        _ => Level::National,
    };
    let prefix = pick(
        rng,
        &[
            "138", "139", "150", "151", "158", "186", "187", "135", "133", "177",
        ],
    );
    let phone = format!("{prefix}{:08}", rng.random_range(0..100_000_000u32));
    let specialties = pick(rng, SPECIALTIES).to_string();
    let mediator = specialties == "法律服务" || rng.random_bool(0.15);
    MemberFields {
        name,
        gender: if female { Gender::Female } else { Gender::Male },
        sector,
        level,
        party,
        phone,
        specialties,
        mediator,
        active: rng.random_bool(0.95),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_valid_and_deterministic() {
        let mut a = ChaCha8Rng::seed_from_u64(7);
        let mut b = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            let left = demo_member(&mut a);
            assert_eq!(left, demo_member(&mut b));
            assert!(left.validate().is_ok(), "{left:?}");
        }
    }
}
