//! Registering and editing a mediation case, the steps of its course (sessions, extension,
//! conclusion, follow-up, judicial confirmation), and the list's filter.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::domain::case::{
    format_amount, parse_amount, CaseEvent, CaseField, CaseFields, CaseFollowUp, CaseSource,
    CaseState, Fulfilment, JudicialConfirmation, MediationCase, Outcome, Party, PartyRole, Session,
};
use crate::i18n::{field_label, validation_message};
use crate::store::{CaseFilter, Store, StoreError};
use crate::tui::widgets::form::{Choice, Field, Form};

/// Party slots a form can hold.
pub const MAX_PARTIES: usize = 6;

const PARTY_ROLE: [&str; MAX_PARTIES] = [
    "party1_role",
    "party2_role",
    "party3_role",
    "party4_role",
    "party5_role",
    "party6_role",
];
const PARTY_NAME: [&str; MAX_PARTIES] = [
    "party1_name",
    "party2_name",
    "party3_name",
    "party4_name",
    "party5_name",
    "party6_name",
];
const PARTY_CONTACT: [&str; MAX_PARTIES] = [
    "party1_contact",
    "party2_contact",
    "party3_contact",
    "party4_contact",
    "party5_contact",
    "party6_contact",
];
const PARTY_ID: [&str; MAX_PARTIES] = [
    "party1_id",
    "party2_id",
    "party3_id",
    "party4_id",
    "party5_id",
    "party6_id",
];
const MEDIATOR: [&str; 3] = ["mediator1", "mediator2", "mediator3"];

fn masked(id: &str) -> String {
    if id.is_empty() {
        String::new()
    } else {
        crate::domain::validate::mask_resident_id(id)
    }
}

fn date_text(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn none_choice() -> Choice {
    Choice::new("", crate::tr!("form.none"))
}

/// The new-case and edit-case form.
pub struct CaseForm {
    pub form: Form,
    pub editing: Option<Uuid>,
    /// The intake this case is made from (转调解).
    pub from_intake: Option<Uuid>,
    /// Party slots on the form.
    slots: usize,
    /// The stored ID numbers per slot: shown masked, kept while the mask is untouched.
    original_ids: Vec<String>,
}

impl CaseForm {
    /// `mediators` are the members who serve as mediators, `(id, name)`.
    pub fn new(
        case: Option<&MediationCase>,
        prefill: Option<CaseFields>,
        from_intake: Option<Uuid>,
        dispute_types: &[String],
        mediators: &[(Uuid, String)],
        today: NaiveDate,
    ) -> CaseForm {
        let blank = CaseFields {
            received_on: today,
            parties: vec![
                Party {
                    role: PartyRole::Applicant,
                    ..Party::default()
                },
                Party {
                    role: PartyRole::Respondent,
                    ..Party::default()
                },
            ],
            ..CaseFields::default()
        };
        let f = case.map(|c| c.fields.clone()).or(prefill).unwrap_or(blank);
        let sources = CaseSource::ALL
            .iter()
            .map(|s| Choice::new(s.as_str(), crate::tr!(s.key())))
            .collect();
        let mut types = vec![none_choice()];
        types.extend(dispute_types.iter().map(|t| Choice::same(t)));
        if !f.dispute_type.is_empty() && !dispute_types.contains(&f.dispute_type) {
            types.push(Choice::same(&f.dispute_type));
        }
        let mut fields = vec![
            Field::date(
                "received_on",
                field_label("received_on"),
                &date_text(Some(f.received_on)),
            )
            .required(),
            Field::choice("source", field_label("source"), sources, f.source.as_str()),
            Field::text(
                "referring_unit",
                field_label("referring_unit"),
                &f.referring_unit,
            )
            .with_hint(crate::tr!("cases.referring_hint")),
            Field::text("referral_no", field_label("referral_no"), &f.referral_no),
            Field::choice(
                "dispute_type",
                field_label("dispute_type"),
                types,
                &f.dispute_type,
            )
            .required(),
        ];
        let slots = (f.parties.len().max(2) + 1).min(MAX_PARTIES);
        let mut original_ids = Vec::new();
        for slot in 0..slots {
            let party = f.parties.get(slot).cloned().unwrap_or_else(|| Party {
                role: if slot == 1 {
                    PartyRole::Respondent
                } else if slot >= 2 {
                    PartyRole::ThirdParty
                } else {
                    PartyRole::Applicant
                },
                ..Party::default()
            });
            let roles = PartyRole::ALL
                .iter()
                .map(|r| Choice::new(r.as_str(), crate::tr!(r.key())))
                .collect();
            let mut name =
                Field::text(PARTY_NAME[slot], field_label(PARTY_NAME[slot]), &party.name);
            if slot < 2 {
                name = name.required();
            } else {
                name = name.with_hint(crate::tr!("cases.party_optional"));
            }
            fields.push(Field::choice(
                PARTY_ROLE[slot],
                field_label(PARTY_ROLE[slot]),
                roles,
                party.role.as_str(),
            ));
            fields.push(name);
            fields.push(Field::text(
                PARTY_CONTACT[slot],
                field_label(PARTY_CONTACT[slot]),
                &party.contact,
            ));
            fields.push(Field::text(
                PARTY_ID[slot],
                field_label(PARTY_ID[slot]),
                &masked(&party.id_number),
            ));
            original_ids.push(party.id_number);
        }
        fields.push(Field::multiline("facts", field_label("facts"), &f.facts, 4).required());
        fields.push(Field::multiline(
            "points",
            field_label("points"),
            &f.points,
            2,
        ));
        fields.push(Field::text(
            "amount",
            field_label("amount"),
            &f.amount_fen.map(format_amount).unwrap_or_default(),
        ));
        let mut mediator_choices = Choice::pairs(mediators);
        for id in &f.mediators {
            if !mediators.iter().any(|(m, _)| m == id) {
                mediator_choices.push(Choice::new(
                    id.to_string(),
                    crate::tr!("cases.former_mediator"),
                ));
            }
        }
        for (index, name) in MEDIATOR.iter().enumerate() {
            let mut choices = vec![none_choice()];
            choices.extend(mediator_choices.iter().cloned());
            let value = f
                .mediators
                .get(index)
                .map(Uuid::to_string)
                .unwrap_or_default();
            let mut field = Field::choice(name, field_label(name), choices, &value);
            if index == 0 {
                field = field.required();
                if mediators.is_empty() {
                    field = field.with_hint(crate::tr!("cases.no_mediators"));
                }
            }
            fields.push(field);
        }
        let sections = [
            ("received_on", crate::tr!("cases.section_case")),
            (PARTY_ROLE[0], crate::tr!("cases.section_parties")),
            ("facts", crate::tr!("cases.section_dispute")),
            (MEDIATOR[0], crate::tr!("cases.section_mediators")),
        ];
        CaseForm {
            form: Form::new(fields).with_sections(&sections),
            editing: case.map(|c| c.meta.id),
            from_intake,
            slots,
            original_ids,
        }
    }

    pub fn title(&self) -> String {
        if self.editing.is_some() {
            crate::tr!("cases.edit_title")
        } else if self.from_intake.is_some() {
            crate::tr!("cases.from_intake_title")
        } else {
            crate::tr!("cases.new_title")
        }
    }

    /// The fields the form describes, with each included party's form slot.
    fn fields(&mut self, today: NaiveDate) -> (CaseFields, Vec<usize>) {
        let f = &self.form;
        let mut parties = Vec::new();
        let mut slot_of = Vec::new();
        for slot in 0..self.slots {
            let typed_id = f.value(PARTY_ID[slot]);
            let original = self.original_ids.get(slot).cloned().unwrap_or_default();
            let id_number = if !original.is_empty() && typed_id.trim() == masked(&original) {
                original
            } else {
                typed_id
            };
            let party = Party {
                role: PartyRole::parse(&f.value(PARTY_ROLE[slot])).unwrap_or_default(),
                name: f.value(PARTY_NAME[slot]),
                contact: f.value(PARTY_CONTACT[slot]),
                id_number,
            };
            let blank = party.name.trim().is_empty()
                && party.contact.trim().is_empty()
                && party.id_number.trim().is_empty();
            if !blank || slot < 2 {
                parties.push(party);
                slot_of.push(slot);
            }
        }
        let mediators = MEDIATOR
            .iter()
            .filter_map(|name| Uuid::parse_str(&f.value(name)).ok())
            .collect();
        let fields = CaseFields {
            // Required: the form's check has read it; an empty one is refused there.
            received_on: f.date("received_on", today).unwrap_or(today),
            source: CaseSource::parse(&f.value("source")).unwrap_or_default(),
            referring_unit: f.value("referring_unit"),
            referral_no: f.value("referral_no"),
            dispute_type: f.value("dispute_type"),
            parties,
            facts: f.value("facts"),
            points: f.value("points"),
            amount_fen: None,
            mediators,
        };
        (fields, slot_of)
    }

    /// Checks and saves; `Ok(None)` when the form shows what to fix.
    pub fn save(
        &mut self,
        store: &mut Store,
        today: NaiveDate,
    ) -> Result<Option<MediationCase>, StoreError> {
        if !self.form.check(today) {
            return Ok(None);
        }
        let (mut fields, slot_of) = self.fields(today);
        let mut ok = true;
        match parse_amount(&self.form.value("amount")) {
            Ok(amount) => fields.amount_fen = amount,
            Err(e) => {
                self.form.set_error("amount", validation_message(&e));
                ok = false;
            }
        }
        // The day is what counts for a case received: the start of today is as good as now.
        if let Err(problems) = fields.validate(today.and_time(chrono::NaiveTime::MIN)) {
            for (field, problem) in problems {
                // Party errors name the party's place among those given; the form's slot may
                // differ when a slot in the middle was left empty.
                let slot = |n: usize| slot_of.get(n).copied().unwrap_or(0) + 1;
                let name = match field {
                    CaseField::DisputeType => "dispute_type".to_string(),
                    CaseField::ReferringUnit => "referring_unit".to_string(),
                    CaseField::ReferralNo => "referral_no".to_string(),
                    CaseField::PartyName(n) => format!("party{}_name", slot(n)),
                    CaseField::PartyContact(n) => format!("party{}_contact", slot(n)),
                    CaseField::PartyId(n) => format!("party{}_id", slot(n)),
                    CaseField::Facts => "facts".to_string(),
                    CaseField::Points => "points".to_string(),
                    CaseField::Mediators => "mediator1".to_string(),
                    CaseField::Amount => "amount".to_string(),
                    CaseField::ReceivedOn => "received_on".to_string(),
                };
                self.form.set_error(&name, validation_message(&problem));
            }
            ok = false;
        }
        if !ok {
            self.form.focus_first_error();
            return Ok(None);
        }
        let saved = match self.editing {
            Some(id) => store.edit_case(id, &fields)?,
            None => store.register_case(&fields, self.from_intake)?,
        };
        self.form.mark_saved();
        Ok(Some(saved))
    }
}

/// Which step of a case an event form records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseStep {
    Session,
    Extend,
    Conclude,
    FollowUp,
    Judicial,
    /// 重新打开 a concluded case, with the reason.
    Reopen,
}

impl CaseStep {
    pub fn title_key(self) -> &'static str {
        match self {
            CaseStep::Session => "keys.case_session",
            CaseStep::Extend => "keys.case_extend",
            CaseStep::Conclude => "keys.case_conclude",
            CaseStep::FollowUp => "keys.case_follow_up",
            CaseStep::Judicial => "keys.case_judicial",
            CaseStep::Reopen => "keys.case_reopen",
        }
    }
}

const RESULTS: [&str; 5] = [
    "success",
    "failed",
    "withdrawn",
    "litigation",
    "transferred",
];

/// A small form for one step of a case.
pub struct CaseEventForm {
    pub step: CaseStep,
    pub case: Uuid,
    /// The case's number, for the title.
    pub case_no: String,
    pub form: Form,
    /// Whether the case ended in an agreement (the follow-up asks about fulfilment).
    agreement: bool,
    /// The person at the desk said yes to what the conclusion will record.
    confirmed: bool,
}

impl CaseEventForm {
    pub fn new(step: CaseStep, case: &MediationCase, today: NaiveDate) -> CaseEventForm {
        let today_text = date_text(Some(today));
        let date =
            |name: &'static str| Field::date(name, field_label(name), &today_text).required();
        let agreement = case.outcome.as_ref().is_some_and(Outcome::is_success);
        let fields = match step {
            CaseStep::Session => vec![
                date("date"),
                Field::text(
                    "place",
                    field_label("place"),
                    &crate::tr!("cases.default_place"),
                ),
                Field::text("attendees", field_label("attendees"), ""),
                Field::multiline("notes", field_label("notes"), "", 6).required(),
            ],
            CaseStep::Extend => vec![
                Field::date(
                    "new_due",
                    field_label("new_due"),
                    &date_text(Some(case.due + chrono::Duration::days(30))),
                )
                .required(),
                Field::toggle("consent", field_label("consent"), false),
                Field::multiline("extend_reason", field_label("extend_reason"), "", 3).required(),
                date("date"),
            ],
            CaseStep::Conclude => vec![
                Field::choice(
                    "result",
                    field_label("result"),
                    RESULTS
                        .iter()
                        .map(|r| Choice::new(*r, crate::tr!(format!("case_outcome.{r}"))))
                        .collect(),
                    "success",
                )
                .required(),
                date("date"),
                Field::multiline("terms", field_label("terms"), "", 5)
                    .with_hint(crate::tr!("cases.terms_hint")),
                Field::text("method", field_label("method"), ""),
                Field::date("deadline", field_label("deadline"), ""),
            ],
            CaseStep::FollowUp => {
                let mut fulfilments = Vec::new();
                if !agreement {
                    fulfilments.push(Choice::new("", crate::tr!("cases.no_agreement")));
                }
                fulfilments.extend(
                    Fulfilment::ALL
                        .iter()
                        .map(|f| Choice::new(f.as_str(), crate::tr!(f.key()))),
                );
                vec![
                    date("date"),
                    Field::choice(
                        "fulfilment",
                        field_label("fulfilment"),
                        fulfilments,
                        if agreement { "fulfilled" } else { "" },
                    ),
                    Field::multiline("note", field_label("note"), "", 3),
                    Field::date("next_on", field_label("next_on"), ""),
                ]
            }
            CaseStep::Reopen => vec![
                Field::multiline("reason", field_label("reopen_reason"), "", 4).required(),
                date("date"),
            ],
            CaseStep::Judicial => vec![
                Field::toggle(
                    "applied",
                    field_label("applied"),
                    case.judicial.as_ref().is_some_and(|j| j.applied),
                ),
                Field::date(
                    "date",
                    field_label("date"),
                    &case
                        .judicial
                        .as_ref()
                        .and_then(|j| j.on)
                        .map(|d| date_text(Some(d)))
                        .unwrap_or(today_text.clone()),
                ),
            ],
        };
        CaseEventForm {
            step,
            case: case.meta.id,
            case_no: case.case_no.clone(),
            form: Form::new(fields),
            agreement,
            confirmed: false,
        }
    }

    pub fn title(&self) -> String {
        crate::tr!(self.step.title_key())
    }

    /// Concluding closes the case: once what is typed passes the form's checks, what will be
    /// recorded is asked once. `None` for the other steps, after a yes, or while the form has
    /// something to fix (the save then says what).
    pub fn question(&mut self, today: NaiveDate) -> Option<String> {
        if !matches!(self.step, CaseStep::Conclude | CaseStep::Reopen)
            || std::mem::take(&mut self.confirmed)
        {
            return None;
        }
        if !self.form.check(today) {
            return None;
        }
        if self.step == CaseStep::Reopen {
            return Some(crate::tr!(
                "cases.confirm_reopen",
                date = self.form.date("date", today)?.format("%Y-%m-%d")
            ));
        }
        let result = self.form.value("result");
        let date = self.form.date("date", today)?;
        // An agreement needs its deadline: without one the save says so, before any question.
        if result == "success" && self.form.date("deadline", today).is_none() {
            return None;
        }
        Some(crate::tr!(
            "cases.confirm_conclude",
            outcome = crate::tr!(format!("case_outcome.{result}")),
            date = date.format("%Y-%m-%d")
        ))
    }

    /// The question was answered yes.
    pub fn confirm(&mut self) {
        self.confirmed = true;
    }

    /// Applies the step; `Ok(None)` when the form (or the rules, about one of its fields) say
    /// what is wrong. Refusals about the case itself come back as errors for the message line.
    pub fn save(
        &mut self,
        store: &mut Store,
        today: NaiveDate,
    ) -> Result<Option<MediationCase>, StoreError> {
        if !self.form.check(today) {
            return Ok(None);
        }
        let f = &self.form;
        let date = |name: &str| f.date(name, today);
        // Every step but the judicial confirmation has a required date, read by the check.
        let on = match date("date") {
            Some(on) => on,
            None if self.step == CaseStep::Judicial => today,
            None => {
                self.form.set_error("date", crate::tr!("validate.required"));
                self.form.focus_first_error();
                return Ok(None);
            }
        };
        let event = match self.step {
            CaseStep::Session => CaseEvent::RecordSession(Session {
                on,
                place: f.value("place"),
                attendees: f.value("attendees"),
                notes: f.value("notes"),
            }),
            CaseStep::Extend => CaseEvent::Extend {
                on,
                new_due: date("new_due").unwrap_or(today),
                both_consent: f.value("consent") == "1",
                reason: f.value("extend_reason"),
            },
            CaseStep::Conclude => {
                let text = f.value("terms");
                let outcome = match f.value("result").as_str() {
                    "success" => {
                        let Some(deadline) = date("deadline") else {
                            self.form
                                .set_error("deadline", crate::tr!("validate.required"));
                            self.form.focus_first_error();
                            return Ok(None);
                        };
                        Outcome::Success {
                            terms: text,
                            method: f.value("method"),
                            deadline,
                        }
                    }
                    "failed" => Outcome::Failed { reason: text },
                    "withdrawn" => Outcome::Withdrawn { reason: text },
                    "litigation" => Outcome::Litigation { reason: text },
                    "transferred" => Outcome::Transferred { department: text },
                    // Nothing chosen (a filter that matched nothing): the outcome is missing,
                    // never a guess.
                    _ => {
                        self.form
                            .set_error("result", crate::tr!("validate.required"));
                        self.form.focus_first_error();
                        return Ok(None);
                    }
                };
                CaseEvent::Conclude { on, outcome }
            }
            CaseStep::FollowUp => CaseEvent::FollowUp(CaseFollowUp {
                on,
                fulfilment: Fulfilment::parse(&f.value("fulfilment")).filter(|_| self.agreement),
                note: f.value("note"),
                next_on: date("next_on"),
            }),
            CaseStep::Judicial => CaseEvent::Judicial(JudicialConfirmation {
                applied: f.value("applied") == "1",
                on: date("date"),
            }),
            CaseStep::Reopen => CaseEvent::Reopen {
                on,
                by: String::new(),
                reason: f.value("reason"),
            },
        };
        match store.case_event(self.case, event) {
            Ok(saved) => {
                self.form.mark_saved();
                Ok(Some(saved))
            }
            Err(StoreError::CaseRefused(crate::domain::case::CaseRefusal::Invalid(
                field,
                problem,
            ))) if self.form.field(field_name(self.step, field)).is_some() => {
                self.form
                    .set_error(field_name(self.step, field), validation_message(&problem));
                self.form.focus_first_error();
                Ok(None)
            }
            // A date the rules refuse is said beside the date, with both dates named.
            Err(StoreError::CaseRefused(crate::domain::case::CaseRefusal::Time(refusal)))
                if self.form.show_time_refusal(&refusal) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// The form field a refusal names: the conclusion's reason or department is its text field.
fn field_name(step: CaseStep, field: &'static str) -> &'static str {
    match (step, field) {
        (CaseStep::Conclude, "reason" | "department") => "terms",
        _ => field,
    }
}

/// The case list's filter.
pub struct CaseFilterForm {
    pub form: Form,
    mediators: Vec<(Uuid, String)>,
}

impl CaseFilterForm {
    pub fn new(
        current: &CaseFilter,
        dispute_types: &[String],
        mediators: &[(Uuid, String)],
    ) -> CaseFilterForm {
        let all = || Choice::new("", crate::tr!("intakes.all"));
        let mut states = vec![all()];
        states.extend(
            CaseState::ALL
                .iter()
                .map(|s| Choice::new(s.as_str(), crate::tr!(s.key()))),
        );
        let mut types = vec![all()];
        types.extend(dispute_types.iter().map(|t| Choice::same(t)));
        let mut people = vec![all()];
        people.extend(Choice::pairs(mediators));
        CaseFilterForm {
            form: Form::new(vec![
                Field::choice(
                    "state",
                    crate::tr!("intakes.col_state"),
                    states,
                    current.state.map(|s| s.as_str()).unwrap_or(""),
                ),
                Field::choice(
                    "dispute_type",
                    field_label("dispute_type"),
                    types,
                    current.dispute_type.as_deref().unwrap_or(""),
                ),
                Field::choice(
                    "mediator",
                    field_label("mediator1"),
                    people,
                    &current.mediator.map(|m| m.to_string()).unwrap_or_default(),
                ),
                Field::toggle("overdue", crate::tr!("cases.overdue_only"), current.overdue),
            ]),
            mediators: mediators.to_vec(),
        }
    }

    /// The filter the form describes, and the chosen mediator's name.
    pub fn filter(&self) -> (CaseFilter, Option<String>) {
        let f = &self.form;
        let mediator = Uuid::parse_str(&f.value("mediator")).ok();
        let name = mediator.and_then(|id| {
            self.mediators
                .iter()
                .find(|(m, _)| *m == id)
                .map(|(_, n)| n.clone())
        });
        (
            CaseFilter {
                state: CaseState::parse(&f.value("state")),
                dispute_type: Some(f.value("dispute_type")).filter(|t| !t.is_empty()),
                mediator,
                overdue: f.value("overdue") == "1",
                ..CaseFilter::default()
            },
            name,
        )
    }
}
