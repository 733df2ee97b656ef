//! Visits handed over to another record — a mediation case, a consultation topic, a
//! public-opinion report — and answered from it: once the case is concluded, the topic's loop
//! complete or the report's outcome known, the resident is told and the visit closed, one
//! visit from its own detail or every visit behind the record in one step.

use chrono::NaiveDate;
use uuid::Uuid;

use super::error::{StoreError, StoreResult};
use super::record::not_found;
use super::Store;
use crate::domain::case::MediationCase;
use crate::domain::consult::{ReportResult, Topic, TopicStep};
use crate::domain::intake::{Handling, Handover, IntakeRefusal};
use crate::domain::{Intake, IntakeEvent, RecordKind};

/// The sentence a visit's reply records for a result, the caller's (the store has no words).
pub type Reply<'a> = &'a dyn Fn(&Handover) -> String;

impl Store {
    /// The result a visit handed over to `kind` `id` tells the resident, once that record has
    /// one; refused while it has none.
    pub fn handover(&self, kind: RecordKind, id: Uuid) -> StoreResult<Handover> {
        match kind {
            RecordKind::Case => {
                let case = self
                    .get_any::<MediationCase>(id)?
                    .ok_or_else(|| not_found::<MediationCase>(id))?;
                let Some(outcome) = case
                    .outcome
                    .as_ref()
                    .filter(|_| case.concluded_on.is_some())
                else {
                    return Err(StoreError::CaseNotConcluded(case.case_no.clone()));
                };
                Ok(Handover::Case {
                    number: case.case_no.clone(),
                    outcome: outcome.key(),
                })
            }
            RecordKind::Topic => {
                let topic = self
                    .get_any::<Topic>(id)?
                    .ok_or_else(|| not_found::<Topic>(id))?;
                if topic.step != TopicStep::Completed {
                    return Err(StoreError::HandOverOpen(topic.title.clone()));
                }
                Ok(Handover::Topic {
                    title: topic.title.clone(),
                })
            }
            RecordKind::Report => {
                let report = self
                    .get_any::<crate::domain::consult::Report>(id)?
                    .ok_or_else(|| not_found::<crate::domain::consult::Report>(id))?;
                let adopted = match &report.result {
                    ReportResult::Pending => {
                        return Err(StoreError::HandOverOpen(report.title.clone()))
                    }
                    ReportResult::Adopted { .. } => true,
                    ReportResult::NotAdopted => false,
                };
                Ok(Handover::Report {
                    title: report.title.clone(),
                    adopted,
                })
            }
            _ => Err(StoreError::HandOverOpen(String::new())),
        }
    }

    /// The result closing this visit from the record it was handed to tells the resident (the
    /// desk shows it before it is recorded); refused when it was not handed over, or that
    /// record has no result yet.
    pub fn handover_of_visit(&self, intake: Uuid) -> StoreResult<Handover> {
        let visit = self
            .get::<Intake>(intake)?
            .ok_or_else(|| not_found::<Intake>(intake))?;
        match (&visit.handling, visit.is_handed_over()) {
            (Some(Handling::Converted { to, id }), true) => self.handover(*to, *id),
            _ => Err(StoreError::Refused(IntakeRefusal::NotFrom(visit.state))),
        }
    }

    /// Tells the resident of a handed-over visit the result of the record it was handed to and
    /// closes the visit.
    pub fn close_visit_from_case(
        &mut self,
        intake: Uuid,
        on: NaiveDate,
        reply: Reply<'_>,
    ) -> StoreResult<Intake> {
        let text = reply(&self.handover_of_visit(intake)?);
        self.intake_event(intake, IntakeEvent::CloseFromCase { on, text })
    }

    /// The visits handed over to `kind` `id` and still waiting for its result.
    pub fn visits_behind(&self, kind: RecordKind, id: Uuid) -> StoreResult<Vec<Intake>> {
        // A topic or report deleted meanwhile has no visits waiting for it.
        let ids: Vec<Uuid> = match kind {
            RecordKind::Topic => self
                .get_any::<Topic>(id)?
                .map(|t| t.intakes)
                .unwrap_or_default(),
            RecordKind::Report => self
                .get_any::<crate::domain::consult::Report>(id)?
                .map(|r| r.intakes)
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut waiting = Vec::new();
        for intake in ids {
            if let Some(visit) = self.get::<Intake>(intake)? {
                let handed_here = matches!(
                    &visit.handling,
                    Some(Handling::Converted { to, id: to_id }) if *to == kind && *to_id == id
                );
                if handed_here && visit.is_handed_over() {
                    waiting.push(visit);
                }
            }
        }
        Ok(waiting)
    }

    /// Answers and closes, in one step, every visit handed over to `kind` `id` that still waits
    /// for it; returns how many. Refused, with nothing changed, while the record has no result.
    pub fn answer_visits_behind(
        &mut self,
        kind: RecordKind,
        id: Uuid,
        on: NaiveDate,
        reply: Reply<'_>,
    ) -> StoreResult<usize> {
        let text = reply(&self.handover(kind, id)?);
        let waiting = self.visits_behind(kind, id)?;
        let policy = self.due_policy()?;
        let now = super::local_now();
        self.write(|w| {
            for visit in &waiting {
                let next = visit
                    .apply(
                        IntakeEvent::CloseFromCase {
                            on,
                            text: text.clone(),
                        },
                        policy,
                        now,
                    )
                    .map_err(StoreError::Refused)?;
                w.update(&next)?;
            }
            Ok(waiting.len())
        })
    }
}
