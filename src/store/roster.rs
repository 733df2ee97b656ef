//! Duty shifts (委员值班): storage, applying a rotation, sign-in and missed shifts, swaps and
//! leave, and the duty counts (the rules are in `domain::roster`).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::Value;
use rusqlite::{params, Row};
use uuid::Uuid;

use super::codec::parse_code;
use super::codec::{conversion, date_value, required_date, DATE_FORMAT};
use super::error::{StoreError, StoreResult};
use super::record::{meta_in_field, not_found, RecordTable};
use super::{parse_uuid, Store};
use crate::domain::roster::{
    parse_slots, HolidayCalendar, Preview, Shift, ShiftEvent, ShiftState, Slot,
};
use crate::domain::RecordMeta;

const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

fn time_value(time: Option<NaiveDateTime>) -> Value {
    time.map(|t| Value::Text(t.format(TIME_FORMAT).to_string()))
        .unwrap_or(Value::Null)
}

fn parse_time(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<NaiveDateTime>> {
    let text: Option<String> = row.get(index)?;
    text.map(|t| NaiveDateTime::parse_from_str(&t, TIME_FORMAT).map_err(|e| conversion(index, e)))
        .transpose()
}

fn uuid_value(id: Option<Uuid>) -> Value {
    id.map(|i| Value::Text(i.to_string()))
        .unwrap_or(Value::Null)
}

impl RecordTable for Shift {
    const TABLE: &'static str = "shift";
    const COLUMNS: &'static [&'static str] = &[
        "date",
        "slot",
        "member_id",
        "state",
        "signed_in_at",
        "signed_out_at",
        "swap_with",
        "replaces",
        "reason",
    ];

    meta_in_field!();

    /// A shift is found by what was typed about it (the reason for a swap or leave).
    fn search_head(&self) -> crate::domain::search::SearchHead {
        let date = self.date.format("%Y-%m-%d").to_string();
        crate::domain::search::SearchHead {
            title: date.clone(),
            date,
            snippet: self.reason.chars().take(40).collect(),
            words: Vec::new(),
        }
    }

    fn values(&self) -> Vec<Value> {
        vec![
            date_value(Some(self.date)),
            Value::Text(self.slot.as_str().to_string()),
            Value::Text(self.member_id.to_string()),
            Value::Text(self.state.as_str().to_string()),
            time_value(self.signed_in_at),
            time_value(self.signed_out_at),
            uuid_value(self.swap_with),
            uuid_value(self.replaces),
            Value::Text(self.reason.clone()),
        ]
    }

    fn from_row(meta: RecordMeta, row: &Row<'_>) -> rusqlite::Result<Shift> {
        let optional_uuid = |index: usize| -> rusqlite::Result<Option<Uuid>> {
            let text: Option<String> = row.get(index)?;
            text.as_deref().map(parse_uuid).transpose()
        };
        Ok(Shift {
            meta,
            date: required_date(row, 6)?,
            slot: parse_code(row, 7, Slot::parse)?,
            member_id: parse_uuid(&row.get::<_, String>(8)?)?,
            state: parse_code(row, 9, ShiftState::parse)?,
            signed_in_at: parse_time(row, 10)?,
            signed_out_at: parse_time(row, 11)?,
            swap_with: optional_uuid(12)?,
            replaces: optional_uuid(13)?,
            reason: row.get(14)?,
        })
    }
}

impl Store {
    /// The station's slots (setting `roster_slots`: `day`, or `morning,afternoon`).
    pub fn roster_slots(&self) -> StoreResult<Vec<Slot>> {
        Ok(parse_slots(
            &self
                .setting("roster_slots")?
                .unwrap_or_else(|| "morning,afternoon".to_string()),
        ))
    }

    /// The holiday calendar: the station's `lists/holidays.txt`, else the built-in one.
    pub fn holiday_calendar(&self) -> HolidayCalendar {
        HolidayCalendar::parse(&self.choice_list("holidays").join("\n")).0
    }

    /// Live shifts from `from` to `to` (inclusive), by date, slot and member.
    pub fn shifts_between(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Shift>> {
        let sql = format!(
            "SELECT {} FROM shift WHERE deleted_at IS NULL AND date >= ?1 AND date <= ?2
             ORDER BY date, slot, created_at, id",
            Shift::select_list()
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows = stmt
            .query_map(
                params![
                    from.format(DATE_FORMAT).to_string(),
                    to.format(DATE_FORMAT).to_string()
                ],
                Shift::read_row,
            )?
            .collect::<Result<Vec<_>, _>>()?;
        // Slots in the order of the day (the column sorts them by name).
        rows.sort_by_key(|s| (s.date, s.slot));
        Ok(rows)
    }

    /// Applies a previewed rotation in one transaction: the replaced shifts go to the recycle
    /// bin, the new ones are added. Returns how many were added.
    pub fn apply_rotation(&mut self, preview: &Preview) -> StoreResult<usize> {
        self.write(|w| {
            for id in &preview.replaced {
                // Only what is still a plain scheduled shift: someone may have signed in since.
                if let Some(shift) = w.get_any::<Shift>(*id)? {
                    if shift.state == ShiftState::Scheduled
                        && shift.replaces.is_none()
                        && shift.meta.deleted_at.is_none()
                    {
                        w.delete::<Shift>(*id)?;
                    }
                }
            }
            for (date, slot, member) in &preview.shifts {
                w.insert(Shift::scheduled(*date, *slot, *member))?;
            }
            Ok(preview.shifts.len())
        })
        .and_then(|count| {
            self.apply_early_sign_ins()?;
            Ok(count)
        })
    }

    /// Adds one scheduled shift by hand.
    pub fn add_shift(&mut self, date: NaiveDate, slot: Slot, member: Uuid) -> StoreResult<Shift> {
        if self.get::<crate::domain::Member>(member)?.is_none() {
            return Err(not_found::<crate::domain::Member>(member));
        }
        let shift = self.insert(Shift::scheduled(date, slot, member))?;
        self.apply_early_sign_ins()?;
        Ok(self.get::<Shift>(shift.meta.id)?.unwrap_or(shift))
    }

    /// Applies an event to a shift, or says why not.
    pub fn shift_event(&mut self, id: Uuid, event: ShiftEvent) -> StoreResult<Shift> {
        self.write(|w| {
            let shift = w
                .get_any::<Shift>(id)?
                .ok_or_else(|| not_found::<Shift>(id))?;
            let next = shift.apply(event).map_err(StoreError::ShiftRefused)?;
            w.update(&next)
        })
    }

    /// 调班: `with` takes the shift over; the old one is marked swapped (with the reason, in the
    /// audit log) and a new one for `with` covers it. Both in one transaction.
    pub fn swap_shift(&mut self, id: Uuid, with: Uuid, reason: &str) -> StoreResult<Shift> {
        if self.get::<crate::domain::Member>(with)?.is_none() {
            return Err(not_found::<crate::domain::Member>(with));
        }
        self.write(|w| {
            let shift = w
                .get_any::<Shift>(id)?
                .ok_or_else(|| not_found::<Shift>(id))?;
            let swapped = shift
                .apply(ShiftEvent::Swap {
                    with,
                    reason: reason.to_string(),
                })
                .map_err(StoreError::ShiftRefused)?;
            w.update(&swapped)?;
            let mut cover = Shift::scheduled(shift.date, shift.slot, with);
            cover.replaces = Some(id);
            cover.reason = swapped.reason.clone();
            w.insert(cover)
        })
    }

    /// Minutes before a slot starts from which signing in counts for it (setting
    /// `signin_window`, 10 to 240, default 60).
    pub fn sign_in_window(&self) -> StoreResult<i64> {
        Ok(self
            .setting("signin_window")?
            // Written only by the settings, which check it; a value out of range is the
            // standard hour rather than no sign-in at all.
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|m| (10..=240).contains(m))
            .unwrap_or(DEFAULT_SIGNIN_WINDOW))
    }

    /// A member signs in at the desk: their scheduled shift of today that they came for is
    /// marked attended with the time — one whose slot starts within the sign-in window from
    /// now and has not ended, the nearest start first (at 08:00 the morning, never the
    /// afternoon). `None` when they have none.
    ///
    /// A sign-in on a day that has no roster yet is kept, and applied to the shift it would
    /// have marked when that day's shifts are generated or added.
    pub fn sign_in_shift(&mut self, member: Uuid, at: NaiveDateTime) -> StoreResult<Option<Shift>> {
        let marked = self.mark_signed_in(member, at)?;
        if marked.is_none() && self.shifts_between(at.date(), at.date())?.is_empty() {
            let mut early = self.early_sign_ins()?;
            early.retain(|(_, when)| when.date() == at.date());
            early.push((member, at));
            self.keep_early_sign_ins(&early)?;
        }
        Ok(marked)
    }

    /// Sign-ins of days that had no roster when they were made: `(member, when)`.
    fn early_sign_ins(&self) -> StoreResult<Vec<(Uuid, NaiveDateTime)>> {
        // Unreadable is an error: a sign-in silently dropped would show as a missed shift.
        Ok(self
            .setting(EARLY_SIGN_INS)?
            .map(|text| serde_json::from_str(&text))
            .transpose()?
            .unwrap_or_default())
    }

    fn keep_early_sign_ins(&mut self, early: &[(Uuid, NaiveDateTime)]) -> StoreResult<()> {
        let text =
            serde_json::to_string(early).map_err(|e| StoreError::BadRecord(e.to_string()))?;
        self.set_setting(EARLY_SIGN_INS, &text)
    }

    /// Applies the kept sign-ins to the shifts that now exist for their day.
    fn apply_early_sign_ins(&mut self) -> StoreResult<()> {
        let early = self.early_sign_ins()?;
        if early.is_empty() {
            return Ok(());
        }
        let mut left = Vec::new();
        for (member, at) in early {
            if self.mark_signed_in(member, at)?.is_none()
                && self.shifts_between(at.date(), at.date())?.is_empty()
            {
                left.push((member, at));
            }
        }
        self.keep_early_sign_ins(&left)
    }

    /// Marks the shift `member` came for at `at`, if there is one.
    fn mark_signed_in(&mut self, member: Uuid, at: NaiveDateTime) -> StoreResult<Option<Shift>> {
        let today = at.date();
        let window = chrono::Duration::minutes(self.sign_in_window()?);
        let candidates: Vec<Shift> = self
            .shifts_between(today, today)?
            .into_iter()
            .filter(|s| {
                s.member_id == member
                    && s.state == ShiftState::Scheduled
                    && s.slot.start_on(s.date) - window <= at
                    && s.slot.end_on(s.date) >= at
            })
            .collect();
        let Some(shift) = candidates
            .into_iter()
            .min_by_key(|s| (s.slot.start_on(s.date) - at).num_minutes().abs())
        else {
            return Ok(None);
        };
        self.shift_event(shift.meta.id, ShiftEvent::SignIn { at })
            .map(Some)
    }

    /// A member signs out: their attended shift of today still open gets the time.
    pub fn sign_out_shift(
        &mut self,
        member: Uuid,
        at: NaiveDateTime,
    ) -> StoreResult<Option<Shift>> {
        let today = at.date();
        let open = self.shifts_between(today, today)?.into_iter().find(|s| {
            s.member_id == member && s.state == ShiftState::Attended && s.signed_out_at.is_none()
        });
        match open {
            Some(shift) => self
                .shift_event(shift.meta.id, ShiftEvent::SignOut { at })
                .map(Some),
            None => Ok(None),
        }
    }

    /// Marks missed (缺岗) every scheduled shift whose slot ended before `now` with nobody
    /// signed in. Returns how many were marked. Cheap when there is nothing to mark.
    pub fn mark_missed(&mut self, now: NaiveDateTime) -> StoreResult<usize> {
        let sql = format!(
            "SELECT {} FROM shift WHERE deleted_at IS NULL AND state = 'scheduled' AND date <= ?1",
            Shift::select_list()
        );
        let due: Vec<Shift> = self
            .conn()
            .prepare_cached(&sql)?
            .query_map(
                [now.date().format(DATE_FORMAT).to_string()],
                Shift::read_row,
            )?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|s| s.slot.end_on(s.date) < now)
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        self.write(|w| {
            let mut marked = 0;
            for shift in &due {
                if let Ok(next) = shift.apply(ShiftEvent::MarkMissed { now }) {
                    w.update(&next)?;
                    marked += 1;
                }
            }
            Ok(marked)
        })
    }

    /// Each member's duty record from `from` to `to`: `(member, name, counts)`, by name; members
    /// without shifts are left out.
    pub fn duty_report(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<(Uuid, String, crate::domain::roster::DutyCounts)>> {
        let shifts = self.shifts_between(from, to)?;
        let counts = crate::domain::roster::duty_counts(&shifts);
        let mut rows = Vec::new();
        for (id, c) in counts {
            let name = self
                .get_any::<crate::domain::Member>(id)?
                .map(|m| m.fields.name)
                .unwrap_or_default();
            rows.push((id, name, c));
        }
        rows.sort_by(|a, b| {
            crate::domain::pinyin_key::name_key(&a.1)
                .cmp(&crate::domain::pinyin_key::name_key(&b.1))
        });
        Ok(rows)
    }

    /// Member names by id for the given shifts (deleted members too: history keeps them).
    pub fn shift_names(
        &self,
        shifts: &[Shift],
    ) -> StoreResult<std::collections::HashMap<Uuid, String>> {
        let mut names = std::collections::HashMap::new();
        for shift in shifts {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(shift.member_id) {
                if let Some(member) = self.get_any::<crate::domain::Member>(shift.member_id)? {
                    slot.insert(member.fields.name);
                }
            }
        }
        Ok(names)
    }

    /// How many live shifts the station has.
    pub fn count_shifts(&self) -> StoreResult<i64> {
        Ok(self
            .conn()
            .prepare_cached("SELECT count(*) FROM shift WHERE deleted_at IS NULL")?
            .query_row([], |row| row.get(0))?)
    }

    /// Removes a scheduled shift (to the recycle bin).
    pub fn remove_shift(&mut self, id: Uuid) -> StoreResult<Shift> {
        let shift = self
            .get::<Shift>(id)?
            .ok_or_else(|| not_found::<Shift>(id))?;
        if shift.state != ShiftState::Scheduled {
            return Err(StoreError::ShiftRefused(
                crate::domain::roster::ShiftRefusal::NotFrom(shift.state),
            ));
        }
        self.delete::<Shift>(id)
    }
}

/// Minutes before a slot's start from which a sign-in counts for it, unless set.
pub const DEFAULT_SIGNIN_WINDOW: i64 = 60;

/// The setting that keeps sign-ins made before their day had a roster.
const EARLY_SIGN_INS: &str = "early_sign_ins";
