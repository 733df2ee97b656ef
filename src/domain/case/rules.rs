//! What may happen to a case: registration, sessions, extensions, conclusion, follow-ups
//! and judicial confirmation, each allowed or refused with its reason.

use super::*;
use crate::domain::timeline::{self, Step};
use chrono::NaiveDateTime;

/// The steps of a case as the desk offers them (`1`–`6` on its screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    Session,
    Extend,
    Conclude,
    FollowUp,
    Judicial,
    Archive,
    Reopen,
}

impl CaseAction {
    pub const ALL: [CaseAction; 7] = [
        CaseAction::Session,
        CaseAction::Extend,
        CaseAction::Conclude,
        CaseAction::FollowUp,
        CaseAction::Judicial,
        CaseAction::Archive,
        CaseAction::Reopen,
    ];

    /// The step as an event with nothing filled in, on `on`: the rules refuse it for the
    /// state, or only for its empty fields (which means the state allows it).
    fn probe(self, case: &MediationCase, on: NaiveDate) -> CaseEvent {
        let on = on.max(case.fields.received_on);
        match self {
            CaseAction::Session => CaseEvent::RecordSession(Session {
                on,
                place: String::new(),
                attendees: String::new(),
                notes: String::new(),
            }),
            CaseAction::Extend => CaseEvent::Extend {
                on,
                new_due: case.due + Duration::days(1),
                both_consent: true,
                reason: String::new(),
            },
            CaseAction::Conclude => CaseEvent::Conclude {
                on,
                outcome: Outcome::Failed {
                    reason: String::new(),
                },
            },
            CaseAction::FollowUp => CaseEvent::FollowUp(CaseFollowUp {
                on,
                fulfilment: None,
                note: String::new(),
                next_on: None,
            }),
            CaseAction::Judicial => CaseEvent::Judicial(JudicialConfirmation {
                applied: false,
                on: None,
            }),
            CaseAction::Archive => CaseEvent::Archive,
            CaseAction::Reopen => CaseEvent::Reopen {
                on,
                by: String::new(),
                reason: String::new(),
            },
        }
    }
}

impl MediationCase {
    /// Whether the rules allow `action` from the case's state on `on` (its form may still
    /// find fault with what is typed). Asked of [`MediationCase::apply`] itself, so the two
    /// never disagree.
    pub fn allows(&self, action: CaseAction, on: NaiveDate) -> bool {
        // Asked as of the end of time: only the state may refuse the probe.
        !matches!(
            self.apply(action.probe(self, on), NaiveDateTime::MAX),
            Err(CaseRefusal::NotFrom(_))
        )
    }

    /// The steps the rules allow now, in the desk's order.
    pub fn next_actions(&self, on: NaiveDate) -> Vec<CaseAction> {
        CaseAction::ALL
            .into_iter()
            .filter(|a| self.allows(*a, on))
            .collect()
    }

    /// A new case, accepted, due `case_days` after it was received.
    pub fn register(case_no: String, fields: CaseFields, case_days: u32) -> MediationCase {
        let due = fields.received_on + Duration::days(i64::from(case_days));
        MediationCase {
            meta: RecordMeta::unsaved(),
            case_no,
            fields,
            state: CaseState::Accepted,
            due,
            extensions: Vec::new(),
            sessions: Vec::new(),
            outcome: None,
            concluded_on: None,
            follow_ups: Vec::new(),
            judicial: None,
            links: Vec::new(),
            reopenings: Vec::new(),
        }
    }

    /// The year whose sequence numbers the case.
    pub fn year(&self) -> i32 {
        self.fields.received_on.year()
    }

    /// Applies `event` as of `now`, or says why it is not allowed: for the case's state, for
    /// what is typed, or for its date (not in the future, not before the step it follows).
    pub fn apply(
        &self,
        event: CaseEvent,
        now: NaiveDateTime,
    ) -> Result<MediationCase, CaseRefusal> {
        use CaseState::*;
        let mut next = self.clone();
        let refuse = || CaseRefusal::NotFrom(self.state);
        let received = self.fields.received_on;
        let not_before = |on: NaiveDate| {
            timeline::happened_after("date", on, now, Step::Acceptance, received)
                .map_err(CaseRefusal::Time)
        };
        let multiline = |field: &'static str, value: &str, required: bool| {
            if required {
                validate::required_multiline(value, TEXT_MAX)
            } else {
                validate::optional_multiline(value, TEXT_MAX)
            }
            .map_err(|e| CaseRefusal::Invalid(field, e))
        };
        match event {
            CaseEvent::RecordSession(session) => {
                if !self.state.is_open() {
                    return Err(refuse());
                }
                not_before(session.on)?;
                let place = validate::optional_text(&session.place, 100)
                    .map_err(|e| CaseRefusal::Invalid("place", e))?;
                let attendees = validate::optional_text(&session.attendees, 200)
                    .map_err(|e| CaseRefusal::Invalid("attendees", e))?;
                let notes = multiline("notes", &session.notes, true)?;
                next.sessions.push(Session {
                    on: session.on,
                    place,
                    attendees,
                    notes,
                });
                next.sessions.sort_by_key(|s| s.on);
                next.state = Mediating;
            }
            CaseEvent::Extend {
                on,
                new_due,
                both_consent,
                reason,
            } => {
                if !self.state.is_open() {
                    return Err(refuse());
                }
                if !both_consent {
                    return Err(CaseRefusal::NoConsent);
                }
                if new_due <= self.due {
                    return Err(CaseRefusal::NotLater);
                }
                let reason = multiline("extend_reason", &reason, true)?;
                not_before(on)?;
                next.extensions.push(Extension {
                    on,
                    new_due,
                    reason,
                });
                next.due = new_due;
            }
            CaseEvent::Conclude { on, outcome } => {
                if !self.state.is_open() {
                    return Err(refuse());
                }
                not_before(on)?;
                if let Some(last) = self.sessions.last() {
                    timeline::not_before("date", on, Step::Session, last.on)?;
                }
                let outcome = match outcome {
                    Outcome::Success {
                        terms,
                        method,
                        deadline,
                    } => {
                        if self.sessions.is_empty() {
                            return Err(CaseRefusal::NoSession);
                        }
                        if deadline < on {
                            return Err(CaseRefusal::Invalid(
                                "deadline",
                                ValidationError::DateOrder,
                            ));
                        }
                        Outcome::Success {
                            terms: multiline("terms", &terms, true)?,
                            method: validate::required_text(&method, 200)
                                .map_err(|e| CaseRefusal::Invalid("method", e))?,
                            deadline,
                        }
                    }
                    Outcome::Failed { reason } => Outcome::Failed {
                        reason: multiline("reason", &reason, false)?,
                    },
                    Outcome::Withdrawn { reason } => Outcome::Withdrawn {
                        reason: multiline("reason", &reason, false)?,
                    },
                    Outcome::Litigation { reason } => Outcome::Litigation {
                        reason: multiline("reason", &reason, false)?,
                    },
                    Outcome::Transferred { department } => Outcome::Transferred {
                        department: validate::required_text(&department, 100)
                            .map_err(|e| CaseRefusal::Invalid("department", e))?,
                    },
                };
                next.outcome = Some(outcome);
                next.concluded_on = Some(on);
                next.state = Concluded;
            }
            CaseEvent::FollowUp(follow_up) => {
                if !matches!(self.state, Concluded | FollowedUp) {
                    return Err(refuse());
                }
                let success = self.outcome.as_ref().is_some_and(Outcome::is_success);
                match (success, follow_up.fulfilment) {
                    (true, None) => return Err(CaseRefusal::FulfilmentMissing),
                    (false, Some(_)) => return Err(CaseRefusal::NotAnAgreement),
                    _ => {}
                }
                match self.concluded_on {
                    Some(concluded) => timeline::happened_after(
                        "date",
                        follow_up.on,
                        now,
                        Step::Conclusion,
                        concluded,
                    )?,
                    None => not_before(follow_up.on)?,
                }
                // A follow-up follows the one before it too.
                if let Some(previous) = self.follow_ups.last() {
                    timeline::not_before("date", follow_up.on, Step::FollowUp, previous.on)?;
                }
                if follow_up.next_on.is_some_and(|n| n <= follow_up.on) {
                    return Err(CaseRefusal::Invalid("next_on", ValidationError::DateOrder));
                }
                let note = multiline("note", &follow_up.note, false)?;
                next.follow_ups.push(CaseFollowUp { note, ..follow_up });
                next.state = FollowedUp;
            }
            CaseEvent::Judicial(judicial) => {
                if !self.outcome.as_ref().is_some_and(Outcome::is_success) {
                    return Err(CaseRefusal::NotAnAgreement);
                }
                if self.state == Archived {
                    return Err(refuse());
                }
                let judicial = JudicialConfirmation {
                    on: judicial.on.filter(|_| judicial.applied),
                    applied: judicial.applied,
                };
                if let (Some(on), Some(concluded)) = (judicial.on, self.concluded_on) {
                    timeline::happened_after("date", on, now, Step::Conclusion, concluded)?;
                }
                next.judicial = Some(judicial);
            }
            CaseEvent::Archive => {
                if self.state != FollowedUp {
                    return Err(refuse());
                }
                next.state = Archived;
            }
            CaseEvent::Reopen { on, by, reason } => {
                // A concluded case, followed up or not; an archived one is closed for good.
                if !matches!(self.state, Concluded | FollowedUp) {
                    return Err(refuse());
                }
                let reason = multiline("reason", &reason, true)?;
                match self.concluded_on {
                    Some(concluded) => {
                        timeline::happened_after("date", on, now, Step::Conclusion, concluded)?
                    }
                    None => not_before(on)?,
                }
                next.reopenings.push(CaseReopening {
                    on,
                    by: validate::optional_text(&by, 100)
                        .map_err(|e| CaseRefusal::Invalid("by", e))?,
                    reason,
                    outcome: next.outcome.take(),
                    concluded_on: next.concluded_on.take(),
                    follow_ups: std::mem::take(&mut next.follow_ups),
                    judicial: next.judicial.take(),
                });
                // Back to where it was before the conclusion.
                next.state = if self.sessions.is_empty() {
                    Accepted
                } else {
                    Mediating
                };
            }
        }
        Ok(next)
    }

    /// The date something is owed: the conclusion while open, the next follow-up after.
    pub fn next_due(&self) -> Option<NaiveDate> {
        match self.state {
            CaseState::Accepted | CaseState::Mediating => Some(self.due),
            CaseState::Concluded => self.follow_up_planned(),
            CaseState::FollowedUp => self.follow_ups.last().and_then(|f| f.next_on),
            CaseState::Archived => None,
        }
    }

    /// When the first follow-up is planned: the fulfilment deadline of an agreement, else a
    /// week after conclusion.
    fn follow_up_planned(&self) -> Option<NaiveDate> {
        match &self.outcome {
            Some(Outcome::Success { deadline, .. }) => Some(*deadline),
            Some(_) => self.concluded_on.map(|c| c + Duration::days(7)),
            None => None,
        }
    }

    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.next_due().is_some_and(|due| due < today)
    }

    /// The last day to apply for judicial confirmation.
    pub fn judicial_deadline(&self) -> Option<NaiveDate> {
        match (&self.outcome, self.concluded_on) {
            (Some(Outcome::Success { .. }), Some(on)) => Some(on + Duration::days(JUDICIAL_DAYS)),
            _ => None,
        }
    }

    /// The latest fulfilment recorded.
    pub fn fulfilment(&self) -> Option<Fulfilment> {
        self.follow_ups.iter().rev().find_map(|f| f.fulfilment)
    }

    /// "张三 与 李四" — the parties as a title.
    pub fn title(&self) -> String {
        let names = |role: PartyRole| {
            self.fields
                .parties
                .iter()
                .filter(|p| p.role == role)
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        };
        let applicants = names(PartyRole::Applicant);
        let respondents = names(PartyRole::Respondent);
        match (applicants.is_empty(), respondents.is_empty()) {
            (false, false) => format!("{applicants} / {respondents}"),
            (false, true) => applicants,
            (true, false) => respondents,
            (true, true) => String::new(),
        }
    }

    /// Links an intake to the case (both sides keep the link).
    pub fn link(&mut self, kind: RecordKind, id: Uuid) {
        if !self.links.iter().any(|l| l.id == id) {
            self.links.push(Link { kind, id });
        }
    }
}

impl CaseFields {
    /// Checks and normalises as of `now` (a case is not received in the future); each error
    /// names its field.
    pub fn validate(
        &self,
        now: NaiveDateTime,
    ) -> Result<CaseFields, Vec<(CaseField, ValidationError)>> {
        let mut errors: Vec<(CaseField, ValidationError)> = Vec::new();
        let mut checked = self.clone();
        if timeline::happened_on("received_on", self.received_on, now).is_err() {
            errors.push((CaseField::ReceivedOn, ValidationError::Future));
        }
        fn text(
            errors: &mut Vec<(CaseField, ValidationError)>,
            field: CaseField,
            value: &str,
            max: usize,
            required: bool,
        ) -> String {
            let result = if required {
                validate::required_text(value, max)
            } else {
                validate::optional_text(value, max)
            };
            result.unwrap_or_else(|e| {
                errors.push((field, e));
                value.to_string()
            })
        }
        let e = &mut errors;
        checked.dispute_type = text(e, CaseField::DisputeType, &self.dispute_type, 40, true);
        checked.referring_unit = text(
            e,
            CaseField::ReferringUnit,
            &self.referring_unit,
            100,
            self.source.is_referral(),
        );
        checked.referral_no = text(e, CaseField::ReferralNo, &self.referral_no, 60, false);
        let mut parties = Vec::new();
        for (index, party) in self.parties.iter().enumerate() {
            let mut p = party.clone();
            p.name = text(e, CaseField::PartyName(index), &party.name, 40, true);
            p.contact = text(
                e,
                CaseField::PartyContact(index),
                &party.contact,
                100,
                false,
            );
            validate::keep(
                &mut p.id_number,
                CaseField::PartyId(index),
                validate::resident_id(&party.id_number),
                e,
            );
            parties.push(p);
        }
        checked.parties = parties;
        validate::keep(
            &mut checked.facts,
            CaseField::Facts,
            validate::required_multiline(&self.facts, TEXT_MAX),
            &mut errors,
        );
        validate::keep(
            &mut checked.points,
            CaseField::Points,
            validate::optional_multiline(&self.points, TEXT_MAX),
            &mut errors,
        );
        let has = |role: PartyRole| self.parties.iter().any(|p| p.role == role);
        if !has(PartyRole::Applicant) {
            errors.push((CaseField::PartyName(0), ValidationError::ApplicantMissing));
        } else if !has(PartyRole::Respondent) {
            errors.push((CaseField::PartyName(1), ValidationError::RespondentMissing));
        }
        let mut mediators = Vec::new();
        for id in &self.mediators {
            if !mediators.contains(id) {
                mediators.push(*id);
            }
        }
        if mediators.is_empty() || mediators.len() > 3 {
            errors.push((CaseField::Mediators, ValidationError::Mediators));
        }
        checked.mediators = mediators;
        if let Some(fen) = self.amount_fen {
            if fen < 0 {
                errors.push((CaseField::Amount, ValidationError::Amount));
            }
        }
        if errors.is_empty() {
            Ok(checked)
        } else {
            Err(errors)
        }
    }

    /// A case pre-filled from a walk-in intake: the visitor is the applicant, the request the
    /// facts.
    pub fn from_intake(intake: &Intake, dispute_type: &str, today: NaiveDate) -> CaseFields {
        let f = &intake.fields;
        let contact = [f.phone.as_str(), f.address.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        CaseFields {
            received_on: today,
            source: CaseSource::WalkIn,
            dispute_type: dispute_type.to_string(),
            parties: vec![
                Party {
                    role: PartyRole::Applicant,
                    name: f.visitor_name.clone(),
                    contact,
                    id_number: f.id_number.clone(),
                },
                Party {
                    role: PartyRole::Respondent,
                    ..Party::default()
                },
            ],
            facts: f.request.clone(),
            mediators: f.member_id.into_iter().collect(),
            ..CaseFields::default()
        }
    }
}
