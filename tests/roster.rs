//! The duty roster against real SQLite files: applying and re-applying a rotation, sign-in
//! marking attendance, missed-shift detection, swaps and leave, and the per-member counts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use chrono::{NaiveDate, Weekday};
use stationdesk::domain::roster::{
    generate, DutyCounts, Pattern, RotationPlan, Shift, ShiftEvent, ShiftRefusal, ShiftState, Slot,
};
use stationdesk::store::{Store, StoreError};
use uuid::Uuid;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn at(m: u32, d: u32, h: u32, min: u32) -> chrono::NaiveDateTime {
    day(m, d).and_hms_opt(h, min, 0).unwrap()
}

fn members(store: &mut Store, names: &[&str]) -> Vec<Uuid> {
    names
        .iter()
        .map(|n| store.add_member(&common::member(n)).unwrap().meta.id)
        .collect()
}

fn december(members: Vec<Uuid>) -> RotationPlan {
    RotationPlan {
        from: day(12, 1),
        to: day(12, 31),
        members,
        pattern: Pattern::DailyTurn,
        slots: vec![Slot::Morning, Slot::Afternoon],
        skip_weekdays: vec![Weekday::Sat, Weekday::Sun],
        use_holidays: true,
        unavailable: BTreeMap::new(),
    }
}

fn apply(store: &mut Store, plan: &RotationPlan, today: NaiveDate) -> usize {
    let existing = store.shifts_between(plan.from.min(today), plan.to).unwrap();
    let preview = generate(plan, &store.holiday_calendar(), &existing, today).unwrap();
    store.apply_rotation(&preview).unwrap()
}

#[test]
fn regenerating_never_touches_the_past_or_what_was_signed_in() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let ids = members(&mut store, &["李秀兰", "王建国", "张明"]);
    assert_eq!(apply(&mut store, &december(ids.clone()), day(11, 23)), 46);
    // December 1st–9th happen: every shift up to the 8th is signed in, the 9th morning too.
    for shift in store.shifts_between(day(12, 1), day(12, 9)).unwrap() {
        if shift.date < day(12, 9) || shift.slot == Slot::Morning {
            store
                .shift_event(
                    shift.meta.id,
                    ShiftEvent::SignIn {
                        at: shift.slot.start_on(shift.date),
                    },
                )
                .unwrap();
        }
    }
    let before: Vec<Shift> = store.shifts_between(day(12, 1), day(12, 9)).unwrap();
    // On the 9th the station regenerates the month with a fourth member.
    let mut plan = december(ids.clone());
    plan.members.extend(members(&mut store, &["赵敏"]));
    apply(&mut store, &plan, day(12, 9));
    let after: Vec<Shift> = store.shifts_between(day(12, 1), day(12, 9)).unwrap();
    for shift in &before {
        if shift.date < day(12, 9) || shift.state == ShiftState::Attended {
            assert!(
                after.contains(shift),
                "{} {:?} changed by regeneration",
                shift.date,
                shift.slot
            );
        }
    }
    // The 9th afternoon (not signed in) was regenerated; no slot has two shifts.
    let month = store.shifts_between(day(12, 1), day(12, 31)).unwrap();
    let mut per_slot: BTreeMap<(NaiveDate, Slot), usize> = BTreeMap::new();
    for shift in &month {
        *per_slot.entry((shift.date, shift.slot)).or_default() += 1;
    }
    assert!(per_slot.values().all(|n| *n == 1), "{per_slot:?}");
    assert_eq!(per_slot.len(), 46);
}

#[test]
fn signing_in_marks_the_shift_of_the_slot_and_sign_out_closes_it() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let ids = members(&mut store, &["李秀兰", "王建国"]);
    for slot in [Slot::Morning, Slot::Afternoon] {
        store.add_shift(day(12, 1), slot, ids[0]).unwrap();
    }
    // Someone without a shift signs in: nothing to mark.
    assert_eq!(store.sign_in_shift(ids[1], at(12, 1, 9, 0)).unwrap(), None);
    // Early for the morning counts for the morning.
    let morning = store
        .sign_in_shift(ids[0], at(12, 1, 8, 20))
        .unwrap()
        .unwrap();
    assert_eq!(morning.slot, Slot::Morning);
    assert_eq!(morning.signed_in_at, Some(at(12, 1, 8, 20)));
    let out = store
        .sign_out_shift(ids[0], at(12, 1, 12, 5))
        .unwrap()
        .unwrap();
    assert_eq!(out.signed_out_at, Some(at(12, 1, 12, 5)));
    // After lunch: the afternoon.
    let afternoon = store
        .sign_in_shift(ids[0], at(12, 1, 13, 50))
        .unwrap()
        .unwrap();
    assert_eq!(afternoon.slot, Slot::Afternoon);
    assert_eq!(afternoon.state, ShiftState::Attended);
    // Every change is in the audit log.
    assert_eq!(store.history(afternoon.meta.id).unwrap().len(), 2);
}

#[test]
fn shifts_nobody_came_to_are_marked_missed_after_their_slot() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let ids = members(&mut store, &["李秀兰"]);
    let morning = store.add_shift(day(12, 1), Slot::Morning, ids[0]).unwrap();
    let afternoon = store
        .add_shift(day(12, 1), Slot::Afternoon, ids[0])
        .unwrap();
    let tomorrow = store.add_shift(day(12, 2), Slot::Morning, ids[0]).unwrap();
    assert_eq!(store.mark_missed(at(12, 1, 11, 59)).unwrap(), 0);
    assert_eq!(store.mark_missed(at(12, 1, 12, 1)).unwrap(), 1);
    let state = |store: &Store, id| store.get::<Shift>(id).unwrap().unwrap().state;
    assert_eq!(state(&store, morning.meta.id), ShiftState::Missed);
    assert_eq!(state(&store, afternoon.meta.id), ShiftState::Scheduled);
    assert_eq!(state(&store, tomorrow.meta.id), ShiftState::Scheduled);
    // Marking twice changes nothing more.
    assert_eq!(store.mark_missed(at(12, 1, 12, 2)).unwrap(), 0);
    // A missed shift cannot be signed in afterwards.
    assert!(matches!(
        store.shift_event(
            morning.meta.id,
            ShiftEvent::SignIn {
                at: at(12, 1, 12, 30)
            }
        ),
        Err(StoreError::ShiftRefused(ShiftRefusal::NotFrom(
            ShiftState::Missed
        )))
    ));
}

#[test]
fn swaps_leave_and_the_counts_of_each_member() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let ids = members(&mut store, &["李秀兰", "王建国"]);
    let a = store.add_shift(day(12, 1), Slot::Morning, ids[0]).unwrap();
    let b = store.add_shift(day(12, 2), Slot::Morning, ids[0]).unwrap();
    let c = store.add_shift(day(12, 3), Slot::Morning, ids[0]).unwrap();
    let d = store.add_shift(day(12, 4), Slot::Morning, ids[0]).unwrap();
    let cover = store.swap_shift(a.meta.id, ids[1], "开会").unwrap();
    assert_eq!(cover.member_id, ids[1]);
    assert_eq!(cover.replaces, Some(a.meta.id));
    store
        .shift_event(
            b.meta.id,
            ShiftEvent::Leave {
                reason: "生病".into(),
            },
        )
        .unwrap();
    store
        .shift_event(
            c.meta.id,
            ShiftEvent::SignIn {
                at: at(12, 3, 8, 30),
            },
        )
        .unwrap();
    store
        .shift_event(
            cover.meta.id,
            ShiftEvent::SignIn {
                at: at(12, 1, 8, 30),
            },
        )
        .unwrap();
    store.mark_missed(at(12, 5, 9, 0)).unwrap();
    // Swapping to oneself or a shift already swapped is refused, and nothing changes.
    assert!(matches!(
        store.swap_shift(d.meta.id, ids[0], "x"),
        Err(StoreError::ShiftRefused(ShiftRefusal::NotFrom(_)))
            | Err(StoreError::ShiftRefused(ShiftRefusal::SameMember))
    ));
    assert!(store.swap_shift(a.meta.id, ids[1], "again").is_err());
    let report = store.duty_report(day(12, 1), day(12, 31)).unwrap();
    let by_name: BTreeMap<String, DutyCounts> =
        report.into_iter().map(|(_, n, c)| (n, c)).collect();
    assert_eq!(
        by_name["李秀兰"],
        DutyCounts {
            scheduled: 4,
            served: 1,
            missed: 1,
            swapped: 1,
            leave: 1
        }
    );
    assert_eq!(
        by_name["王建国"],
        DutyCounts {
            scheduled: 1,
            served: 1,
            missed: 0,
            swapped: 0,
            leave: 0
        }
    );
    // Coverage: Dec 1 (covered), 2 (leave, nobody), 3 (served), 4 (missed) → 2 of 4.
    let shifts = store.shifts_between(day(12, 1), day(12, 31)).unwrap();
    assert_eq!(
        stationdesk::domain::roster::coverage(&shifts, at(12, 5, 9, 0)).ratio(),
        Some(0.5)
    );
}
