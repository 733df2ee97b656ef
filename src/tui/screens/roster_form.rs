//! Forms of the roster: generating a rotation, and one shift (add, swap, leave).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, Weekday};
use uuid::Uuid;

use crate::domain::dates::parse_date;
use crate::domain::roster::{generate, month_shifted, Pattern, Preview, RotationPlan, Slot};
use crate::i18n::field_label;
use crate::store::{Store, StoreError};
use crate::tui::widgets::form::{Choice, Field, Form};

/// What a rotation form hands back: the preview to show, and its plan.
pub struct RotationDraft {
    pub plan: RotationPlan,
    pub preview: Preview,
}

pub struct RotationForm {
    pub form: Form,
    /// Active members `(id, name)`, to read the member list back.
    members: Vec<(Uuid, String)>,
}

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

impl RotationForm {
    /// A rotation for the month after `month_of`, with every active member taking part.
    pub fn new(members: &[(Uuid, String)], month_of: NaiveDate) -> RotationForm {
        let (from, to) = month_shifted(month_of, 0);
        let patterns = [
            ("daily", "pattern.daily"),
            ("weekly", "pattern.weekly"),
            ("weekday", "pattern.weekday"),
            ("per_slot", "pattern.per_slot"),
        ]
        .iter()
        .map(|(v, k)| Choice::new(*v, crate::tr!(*k)))
        .collect();
        let names: Vec<String> = members.iter().map(|(_, n)| n.clone()).collect();
        RotationForm {
            form: Form::new(vec![
                Field::date("from", field_label("period_from"), &date_text(from)).required(),
                Field::date("to", field_label("period_to"), &date_text(to)).required(),
                Field::choice("pattern", field_label("pattern"), patterns, "daily"),
                Field::text("per_slot", field_label("per_slot"), "1"),
                Field::toggle("skip_sat", field_label("skip_sat"), true),
                Field::toggle("skip_sun", field_label("skip_sun"), true),
                Field::toggle("holidays", field_label("use_holidays"), true),
                Field::multiline(
                    "members",
                    field_label("rotation_members"),
                    &names.join("\n"),
                    5,
                )
                .required()
                .with_hint(crate::tr!("rotation.members_hint")),
                Field::multiline("unavailable", field_label("unavailable"), "", 3)
                    .with_hint(crate::tr!("rotation.unavailable_hint")),
            ]),
            members: members.to_vec(),
        }
    }

    fn member_named(&self, name: &str) -> Option<Uuid> {
        self.members
            .iter()
            .find(|(_, n)| n == name.trim())
            .map(|(id, _)| *id)
    }

    /// Reads the plan and works out the preview; `Ok(None)` when the form shows what to fix.
    pub fn preview(
        &mut self,
        store: &Store,
        today: NaiveDate,
    ) -> Result<Option<RotationDraft>, StoreError> {
        if !self.form.check(today) {
            return Ok(None);
        }
        let f = &self.form;
        // Both are required: the check above has read them.
        let (Some(from), Some(to)) = (f.date("from", today), f.date("to", today)) else {
            return Ok(None);
        };
        let mut problems: Vec<(&'static str, String)> = Vec::new();
        let mut members = Vec::new();
        for line in f.value("members").lines().filter(|l| !l.trim().is_empty()) {
            match self.member_named(line) {
                Some(id) => members.push(id),
                None => problems.push((
                    "members",
                    crate::tr!("rotation.unknown_member", name = line.trim()),
                )),
            }
        }
        let mut unavailable: BTreeMap<Uuid, BTreeSet<NaiveDate>> = BTreeMap::new();
        for line in f
            .value("unavailable")
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let mut words = line.split_whitespace();
            let name = words.next().unwrap_or("");
            let Some(id) = self.member_named(name) else {
                problems.push((
                    "unavailable",
                    crate::tr!("rotation.unknown_member", name = name),
                ));
                continue;
            };
            for word in words {
                match parse_date(word, from) {
                    Ok(date) => {
                        unavailable.entry(id).or_default().insert(date);
                    }
                    Err(_) => {
                        problems.push(("unavailable", crate::tr!("rotation.bad_date", text = word)))
                    }
                }
            }
        }
        let per_slot = f.value("per_slot").trim().parse::<usize>().unwrap_or(0);
        let pattern = match f.value("pattern").as_str() {
            "weekly" => Pattern::WeeklyTurn,
            "weekday" => Pattern::FixedWeekday,
            "per_slot" => Pattern::PerSlot(per_slot),
            _ => Pattern::DailyTurn,
        };
        let mut skip = Vec::new();
        if f.value("skip_sat") == "1" {
            skip.push(Weekday::Sat);
        }
        if f.value("skip_sun") == "1" {
            skip.push(Weekday::Sun);
        }
        let plan = RotationPlan {
            from,
            to,
            members,
            pattern,
            slots: store.roster_slots()?,
            skip_weekdays: skip,
            use_holidays: f.value("holidays") == "1",
            unavailable,
        };
        if !problems.is_empty() {
            for (field, message) in problems {
                self.form.set_error(field, message);
            }
            self.form.focus_first_error();
            return Ok(None);
        }
        let existing = store.shifts_between(plan.from.min(today), plan.to)?;
        match generate(&plan, &store.holiday_calendar(), &existing, today) {
            Ok(preview) => Ok(Some(RotationDraft { plan, preview })),
            Err(e) => {
                let field = match e {
                    crate::domain::roster::PlanError::NoMembers => "members",
                    crate::domain::roster::PlanError::TooManyPerSlot => "per_slot",
                    _ => "to",
                };
                self.form.set_error(field, crate::tr!(e.key()));
                self.form.focus_first_error();
                Ok(None)
            }
        }
    }
}

/// What a shift form does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShiftFormKind {
    Add,
    Swap,
    Leave,
}

pub struct ShiftForm {
    pub kind: ShiftFormKind,
    pub form: Form,
    pub date: NaiveDate,
    /// The shift swapped or left (not for Add).
    pub shift: Option<Uuid>,
}

impl ShiftForm {
    pub fn new(
        kind: ShiftFormKind,
        date: NaiveDate,
        shift: Option<Uuid>,
        slots: &[Slot],
        members: &[(Uuid, String)],
    ) -> ShiftForm {
        let member_choices = || Choice::pairs(members);
        let fields = match kind {
            ShiftFormKind::Add => vec![
                Field::choice(
                    "slot",
                    field_label("slot"),
                    slots
                        .iter()
                        .map(|s| Choice::new(s.as_str(), crate::tr!(s.key())))
                        .collect(),
                    "",
                ),
                Field::choice("member", field_label("duty_member"), member_choices(), "")
                    .required(),
            ],
            ShiftFormKind::Swap => vec![
                Field::choice("member", field_label("swap_with"), member_choices(), "").required(),
                Field::text("reason", field_label("swap_reason"), "").required(),
            ],
            ShiftFormKind::Leave => {
                vec![Field::text("reason", field_label("leave_reason"), "").required()]
            }
        };
        ShiftForm {
            kind,
            form: Form::new(fields),
            date,
            shift,
        }
    }

    pub fn title(&self) -> String {
        crate::tr!(match self.kind {
            ShiftFormKind::Add => "keys.add_shift",
            ShiftFormKind::Swap => "keys.swap_shift",
            ShiftFormKind::Leave => "keys.leave_shift",
        })
    }

    pub fn save(&mut self, store: &mut Store, today: NaiveDate) -> Result<Option<()>, StoreError> {
        if !self.form.check(today) {
            return Ok(None);
        }
        let member = Uuid::parse_str(&self.form.value("member")).ok();
        match (self.kind, self.shift, member) {
            (ShiftFormKind::Add, _, Some(member)) => {
                let slot = Slot::parse(&self.form.value("slot")).unwrap_or(Slot::Day);
                store.add_shift(self.date, slot, member)?;
            }
            (ShiftFormKind::Swap, Some(shift), Some(member)) => {
                store.swap_shift(shift, member, &self.form.value("reason"))?;
            }
            (ShiftFormKind::Leave, Some(shift), _) => {
                store.shift_event(
                    shift,
                    crate::domain::roster::ShiftEvent::Leave {
                        reason: self.form.value("reason"),
                    },
                )?;
            }
            _ => return Ok(None),
        }
        self.form.mark_saved();
        Ok(Some(()))
    }
}
