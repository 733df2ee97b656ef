//! Registering a walk-in quickly (category, request, save), editing a visit, the handling steps
//! of the closed loop, and the list's filter — all built on the shared form widget.

use chrono::{NaiveDate, NaiveDateTime};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::Widget;
use uuid::Uuid;

use crate::domain::dates::parse_date_time;
use crate::domain::intake::Satisfaction;
use crate::domain::{Gender, Intake, IntakeEvent, IntakeFields, IntakeState};
use crate::i18n::{field_label, validation_message};
use crate::store::{DueFilter, IntakeFilter, Store, StoreError, StoreResult};
use crate::text::sanitize;
use crate::tui::theme;
use crate::tui::widgets::form::{Choice, Field, Form};

const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

fn mask_resident_id_or_empty(id: &str) -> String {
    if id.is_empty() {
        String::new()
    } else {
        crate::domain::validate::mask_resident_id(id)
    }
}

/// The quick-entry form (new visit) and the edit form (existing visit).
pub struct IntakeForm {
    pub form: Form,
    pub editing: Option<Uuid>,
    /// Earlier visits of the same person (重复来访).
    pub returning: Vec<Intake>,
    /// Other visits this month from the same address about the same thing.
    pub same_place: i64,
    /// The stored ID number of the visit being edited; the form shows it masked and keeps it
    /// unless the field is changed.
    original_id: String,
}

fn none_choice() -> Choice {
    Choice::new("", crate::tr!("form.none"))
}

impl IntakeForm {
    /// `members` are the active members `(id, name)`; `on_duty` is preselected for a new visit.
    pub fn new(
        intake: Option<&Intake>,
        categories: &[String],
        members: &[(Uuid, String)],
        on_duty: Option<Uuid>,
        now: NaiveDateTime,
    ) -> IntakeForm {
        let blank = IntakeFields {
            visited_at: now,
            visitors: 1,
            member_id: on_duty,
            ..IntakeFields::default()
        };
        let f = intake.map(|i| i.fields.clone()).unwrap_or(blank);
        let mut category_choices = vec![none_choice()];
        category_choices.extend(categories.iter().map(|c| Choice::same(c)));
        if !f.category.is_empty() && !categories.contains(&f.category) {
            category_choices.push(Choice::same(&f.category));
        }
        let mut member_choices = vec![none_choice()];
        member_choices.extend(Choice::pairs(members));
        let genders = Gender::ALL
            .iter()
            .map(|g| Choice::new(g.as_str(), crate::tr!(g.key())))
            .collect();
        let member_value = f.member_id.map(|m| m.to_string()).unwrap_or_default();
        let form = Form::new(vec![
            Field::choice(
                "category",
                field_label("category"),
                category_choices,
                &f.category,
            )
            .required(),
            Field::multiline("request", field_label("request"), &f.request, 4).required(),
            Field::text("visitor_name", field_label("visitor_name"), &f.visitor_name)
                .with_hint(crate::tr!("intakes.anonymous_hint")),
            Field::text("phone", field_label("phone"), &f.phone),
            Field::choice("gender", field_label("gender"), genders, f.gender.as_str()),
            // The ID number is shown in full only in the detail view.
            Field::text(
                "id_number",
                field_label("id_number"),
                &mask_resident_id_or_empty(&f.id_number),
            ),
            Field::text("address", field_label("address"), &f.address),
            Field::text("visitors", field_label("visitors"), &f.visitors.to_string()).required(),
            Field::text(
                "visited_at",
                field_label("visited_at"),
                &f.visited_at.format(TIME_FORMAT).to_string(),
            )
            .required(),
            Field::choice(
                "member",
                field_label("member"),
                member_choices,
                &member_value,
            ),
        ]);
        IntakeForm {
            form,
            editing: intake.map(|i| i.meta.id),
            returning: Vec::new(),
            same_place: 0,
            original_id: f.id_number,
        }
    }

    /// The ID number the form stands for: the stored one while its mask is untouched.
    fn id_number(&self) -> String {
        let typed = self.form.value("id_number");
        if !self.original_id.is_empty()
            && typed.trim() == mask_resident_id_or_empty(&self.original_id)
        {
            self.original_id.clone()
        } else {
            typed
        }
    }

    pub fn title(&self) -> String {
        if self.editing.is_some() {
            crate::tr!("intakes.edit_title")
        } else {
            crate::tr!("intakes.new_title")
        }
    }

    /// Looks up earlier visits of this person and of this place; run after each change.
    pub fn refresh_context(&mut self, store: &Store, today: NaiveDate) -> StoreResult<()> {
        let f = &self.form;
        let id_number = self.id_number();
        self.returning = store.returning_visits(
            &f.value("phone"),
            &id_number,
            &f.value("visitor_name"),
            self.editing,
            3,
        )?;
        self.same_place = store.same_place_this_month(
            &f.value("address"),
            &f.value("category"),
            today,
            self.editing,
        )?;
        Ok(())
    }

    /// Checks and saves; `Ok(None)` when the form shows what to fix.
    pub fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Intake>, StoreError> {
        if !self.form.check(now.date()) {
            return Ok(None);
        }
        let mut ok = true;
        let visited_at = match parse_date_time(&self.form.value("visited_at"), now) {
            Ok(at) => at,
            Err(e) => {
                self.form.set_error("visited_at", validation_message(&e));
                ok = false;
                now
            }
        };
        let visitors = match self.form.value("visitors").trim().parse::<u32>() {
            Ok(n) if (1..=999).contains(&n) => n,
            _ => {
                self.form
                    .set_error("visitors", crate::tr!("intakes.visitors_invalid"));
                ok = false;
                1
            }
        };
        let fields = IntakeFields {
            visited_at,
            visitor_name: self.form.value("visitor_name"),
            gender: Gender::parse(&self.form.value("gender")).unwrap_or_default(),
            phone: self.form.value("phone"),
            id_number: self.id_number(),
            address: self.form.value("address"),
            visitors,
            category: self.form.value("category"),
            request: self.form.value("request"),
            member_id: Uuid::parse_str(&self.form.value("member")).ok(),
        };
        if let Err(problems) = fields.validate(now) {
            for (field, problem) in problems {
                self.form.set_error(field, validation_message(&problem));
            }
            ok = false;
        }
        if !ok {
            self.form.focus_first_error();
            return Ok(None);
        }
        let saved = match self.editing {
            Some(id) => store.edit_intake(id, &fields)?,
            None => store.add_intake(&fields)?,
        };
        self.form.mark_saved();
        Ok(Some(saved))
    }

    /// The form, and under it what the desk knows of this person and place.
    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        // The panel under the form takes rows only when it has something to say.
        let panel_rows = if self.returning.is_empty() && self.same_place == 0 {
            0
        } else {
            5u16.min(area.height / 3)
        };
        let form_area = Rect::new(
            area.x,
            area.y,
            area.width,
            area.height.saturating_sub(panel_rows),
        );
        let caret = self.form.render(form_area, buf);
        let mut lines = Vec::new();
        if !self.returning.is_empty() {
            lines.push(Line::styled(
                crate::tr!("intakes.returning", count = self.returning.len()),
                theme::focus_label(),
            ));
            for earlier in &self.returning {
                lines.push(Line::raw(format!(
                    "  {}  {}  {}  {}",
                    earlier.fields.visited_at.format("%Y-%m-%d"),
                    sanitize(&earlier.fields.category),
                    crate::tr!(earlier.state.key()),
                    sanitize(&earlier.summary(24)),
                )));
            }
        }
        if self.same_place > 0 {
            lines.push(Line::styled(
                crate::tr!("intakes.same_place", count = self.same_place),
                theme::focus_label(),
            ));
        }
        let panel = Rect::new(area.x, area.y + form_area.height, area.width, panel_rows);
        crate::tui::widgets::wrapped::paragraph(lines, panel.width).render(panel, buf);
        caret
    }
}

/// Which handling step an event form records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    AnswerOnTheSpot,
    Refer,
    Feedback,
    FollowUp,
    Reopen,
}

/// A small form for one handling step.
pub struct EventForm {
    pub kind: EventKind,
    pub intake: Uuid,
    pub form: Form,
    /// The visit it is about, in a few words, for the title.
    pub about: String,
}

impl EventForm {
    pub fn new(kind: EventKind, intake: Uuid, today: NaiveDate) -> EventForm {
        let date = || {
            Field::date(
                "date",
                field_label("date"),
                &today.format("%Y-%m-%d").to_string(),
            )
            .required()
        };
        let fields = match kind {
            EventKind::AnswerOnTheSpot => vec![
                Field::multiline("answer", field_label("answer"), "", 4).required(),
                date(),
            ],
            EventKind::Refer => vec![
                Field::text("department", field_label("department"), "").required(),
                date(),
            ],
            EventKind::Feedback => vec![
                Field::multiline("feedback", field_label("feedback"), "", 4).required(),
                date(),
            ],
            EventKind::FollowUp => vec![
                Field::choice(
                    "satisfaction",
                    field_label("satisfaction"),
                    Satisfaction::ALL
                        .iter()
                        .map(|s| Choice::new(s.as_str(), crate::tr!(s.key())))
                        .collect(),
                    Satisfaction::Satisfied.as_str(),
                ),
                Field::multiline("note", field_label("note"), "", 3),
                date(),
            ],
            EventKind::Reopen => {
                vec![Field::multiline("reason", field_label("reason"), "", 3).required()]
            }
        };
        EventForm {
            kind,
            intake,
            form: Form::new(fields),
            about: String::new(),
        }
    }

    pub fn title(&self) -> String {
        crate::tr!(match self.kind {
            EventKind::AnswerOnTheSpot => "keys.answer_on_spot",
            EventKind::Refer => "keys.refer",
            EventKind::Feedback => "keys.feedback",
            EventKind::FollowUp => "keys.follow_up",
            EventKind::Reopen => "keys.reopen",
        })
    }

    /// Applies the step; `Ok(None)` when the form (or the rules) say what is wrong.
    pub fn save(
        &mut self,
        store: &mut Store,
        today: NaiveDate,
    ) -> Result<Option<Intake>, StoreError> {
        if !self.form.check(today) {
            return Ok(None);
        }
        // Steps without a date of their own (a reopening) happen today.
        let Some(on) = self.form.step_date("date", today) else {
            return Ok(None);
        };
        let f = &self.form;
        let event = match self.kind {
            EventKind::AnswerOnTheSpot => IntakeEvent::AnswerOnTheSpot {
                answer: f.value("answer"),
                on,
            },
            EventKind::Refer => IntakeEvent::Refer {
                department: f.value("department"),
                on,
            },
            EventKind::Feedback => IntakeEvent::RecordFeedback {
                on,
                text: f.value("feedback"),
            },
            EventKind::FollowUp => IntakeEvent::RecordFollowUp {
                on,
                satisfaction: Satisfaction::parse(&f.value("satisfaction"))
                    .unwrap_or(Satisfaction::Satisfied),
                note: f.value("note"),
            },
            EventKind::Reopen => IntakeEvent::Reopen {
                reason: f.value("reason"),
            },
        };
        match store.intake_event(self.intake, event) {
            Ok(saved) => {
                self.form.mark_saved();
                Ok(Some(saved))
            }
            // A date the rules refuse is said beside the date, with both dates named.
            Err(StoreError::Refused(crate::domain::IntakeRefusal::Time(refusal)))
                if self.form.show_time_refusal(&refusal) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// The intake list's filter.
pub struct FilterForm {
    pub form: Form,
}

impl FilterForm {
    pub fn new(
        current: &IntakeFilter,
        categories: &[String],
        members: &[(Uuid, String)],
    ) -> FilterForm {
        let all = || Choice::new("", crate::tr!("intakes.all"));
        let mut states = vec![all()];
        states.extend(
            IntakeState::ALL
                .iter()
                .map(|s| Choice::new(s.as_str(), crate::tr!(s.key()))),
        );
        let mut category_choices = vec![all()];
        category_choices.extend(categories.iter().map(|c| Choice::same(c)));
        let mut member_choices = vec![all()];
        member_choices.extend(Choice::pairs(members));
        let dues = vec![
            Choice::new("all", crate::tr!("intakes.all")),
            Choice::new("urgent", crate::tr!("intakes.due_urgent")),
            Choice::new("overdue", crate::tr!("intakes.due_overdue")),
            Choice::new("today", crate::tr!("intakes.due_today")),
        ];
        let due_value = match current.due {
            DueFilter::All => "all",
            DueFilter::Urgent => "urgent",
            DueFilter::Overdue => "overdue",
            DueFilter::DueToday => "today",
        };
        let date_text = |d: Option<NaiveDate>| {
            d.map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        FilterForm {
            form: Form::new(vec![
                Field::choice(
                    "state",
                    crate::tr!("intakes.col_state"),
                    states,
                    current.state.map(|s| s.as_str()).unwrap_or(""),
                ),
                Field::choice(
                    "category",
                    field_label("category"),
                    category_choices,
                    current.category.as_deref().unwrap_or(""),
                ),
                Field::choice(
                    "member",
                    field_label("member"),
                    member_choices,
                    &current.member.map(|m| m.to_string()).unwrap_or_default(),
                ),
                Field::date("from", crate::tr!("intakes.from"), &date_text(current.from)),
                Field::date("to", crate::tr!("intakes.to"), &date_text(current.to)),
                Field::choice("due", crate::tr!("intakes.col_due"), dues, due_value),
            ]),
        }
    }

    /// The filter the form describes, or `None` when a date is wrong (marked in the form).
    pub fn filter(&mut self, today: NaiveDate) -> Option<IntakeFilter> {
        if !self.form.check(today) {
            return None;
        }
        let f = &self.form;
        let date = |name: &str| f.date(name, today);
        Some(IntakeFilter {
            state: IntakeState::parse(&f.value("state")),
            category: Some(f.value("category")).filter(|c| !c.is_empty()),
            member: Uuid::parse_str(&f.value("member")).ok(),
            from: date("from"),
            to: date("to"),
            due: match f.value("due").as_str() {
                "urgent" => DueFilter::Urgent,
                "overdue" => DueFilter::Overdue,
                "today" => DueFilter::DueToday,
                _ => DueFilter::All,
            },
        })
    }
}
