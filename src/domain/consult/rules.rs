//! What may happen to topics, recommendations and reports: the six-step loop and its proofs,
//! sending and feedback, submission and adoption.

use super::*;
use crate::domain::timeline::{self, Step};

impl Topic {
    pub fn new(
        title: &str,
        description: &str,
        source: TopicSource,
        source_note: &str,
        intakes: Vec<Uuid>,
    ) -> Result<Topic, ConsultRefusal> {
        Ok(Topic {
            meta: RecordMeta::unsaved(),
            title: text("title", title, 100)?,
            description: validate::optional_multiline(description, TEXT_MAX)
                .map_err(|e| ConsultRefusal::Invalid("description", e))?,
            source,
            source_note: validate::optional_text(source_note, 100)
                .map_err(|e| ConsultRefusal::Invalid("source_note", e))?,
            intakes,
            step: TopicStep::Collected,
            decision: None,
            research: Vec::new(),
            reopenings: Vec::new(),
        })
    }

    /// The meetings held on this topic, of `meetings`.
    fn held<'a>(&self, meetings: &'a [Meeting], now: NaiveDateTime) -> Vec<&'a Meeting> {
        meetings
            .iter()
            .filter(|m| m.topics.contains(&self.meta.id) && m.is_held(now))
            .collect()
    }

    /// Applies `event`; `meetings` are the station's meetings on this topic (for the checks of
    /// consulted, submitted and completed).
    pub fn apply(
        &self,
        event: TopicEvent,
        meetings: &[Meeting],
        now: NaiveDateTime,
    ) -> Result<Topic, ConsultRefusal> {
        use TopicStep::*;
        let mut next = self.clone();
        match event {
            TopicEvent::Decide { on, by } => {
                if self.step != Collected {
                    return Err(ConsultRefusal::NotFrom(self.step));
                }
                // Not in the future. (When the topic was typed in says nothing of when it was
                // collected: a station enters its paper records afterwards.)
                timeline::happened_on("date", on, now)?;
                next.decision = Some(Decision {
                    on,
                    by: text("decided_by", &by, 100)?,
                });
                next.step = Decided;
            }
            TopicEvent::Research(note) => {
                if self.step == Collected {
                    return Err(ConsultRefusal::NoDecision);
                }
                if self.step == Completed {
                    return Err(ConsultRefusal::Complete);
                }
                if let Some(decision) = &self.decision {
                    timeline::happened_after("date", note.on, now, Step::Decision, decision.on)?;
                }
                next.research.push(ResearchNote {
                    on: note.on,
                    members: validate::optional_text(&note.members, 200)
                        .map_err(|e| ConsultRefusal::Invalid("research_members", e))?,
                    findings: multiline("findings", &note.findings)?,
                });
                next.research.sort_by_key(|n| n.on);
                if self.step == Decided {
                    next.step = Researched;
                }
            }
            TopicEvent::Reopen { on, by, reason } => {
                if self.step != Completed {
                    return Err(ConsultRefusal::NotFrom(self.step));
                }
                let reason = multiline("reason", &reason)?;
                timeline::happened_on("date", on, now)?;
                next.reopenings.push(TopicReopening {
                    on,
                    by: validate::optional_text(&by, 100)
                        .map_err(|e| ConsultRefusal::Invalid("by", e))?,
                    reason,
                });
                // Back to where it was before the loop was completed.
                next.step = Submitted;
            }
            TopicEvent::Advance => {
                let held = self.held(meetings, now);
                let recommendations: Vec<&Recommendation> =
                    held.iter().flat_map(|m| m.recommendations.iter()).collect();
                next.step = match self.step {
                    Collected => return Err(ConsultRefusal::NoDecision),
                    Decided => {
                        if self.research.is_empty() {
                            return Err(ConsultRefusal::NoResearch);
                        }
                        Researched
                    }
                    Researched => {
                        if held.is_empty() {
                            return Err(ConsultRefusal::NoMeeting);
                        }
                        Consulted
                    }
                    Consulted => {
                        if recommendations.is_empty()
                            || recommendations.iter().any(|r| r.submission.is_none())
                        {
                            return Err(ConsultRefusal::NotSubmitted);
                        }
                        Submitted
                    }
                    Submitted => {
                        if recommendations.is_empty()
                            || recommendations.iter().any(|r| r.feedback.is_none())
                        {
                            return Err(ConsultRefusal::NoFeedback);
                        }
                        Completed
                    }
                    Completed => return Err(ConsultRefusal::Complete),
                };
            }
        }
        Ok(next)
    }
}

impl Recommendation {
    pub fn new(text_: &str) -> Result<Recommendation, ConsultRefusal> {
        Ok(Recommendation {
            text: multiline("recommendation", text_)?,
            submission: None,
            feedback: None,
        })
    }

    /// Sent on `on`, as of `now`: not in the future, not before the meeting that made it
    /// (`held`).
    pub fn submit(
        &self,
        to: &str,
        on: NaiveDate,
        held: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Recommendation, ConsultRefusal> {
        timeline::happened_after("date", on, now, Step::Meeting, held)?;
        let mut next = self.clone();
        next.submission = Some(Submission {
            to: text("submitted_to", to, 100)?,
            on,
        });
        Ok(next)
    }

    pub fn record_feedback(
        &self,
        feedback: RecommendationFeedback,
        now: NaiveDateTime,
    ) -> Result<Recommendation, ConsultRefusal> {
        let Some(sent) = &self.submission else {
            return Err(ConsultRefusal::NotSent);
        };
        timeline::happened_after("date", feedback.on, now, Step::Submission, sent.on)?;
        let mut next = self.clone();
        next.feedback = Some(RecommendationFeedback {
            from: text("feedback_from", &feedback.from, 100)?,
            text: validate::optional_multiline(&feedback.text, TEXT_MAX)
                .map_err(|e| ConsultRefusal::Invalid("feedback_text", e))?,
            ..feedback
        });
        Ok(next)
    }
}

impl Report {
    pub fn new(
        title: &str,
        body: &str,
        authors: Vec<Uuid>,
        intakes: Vec<Uuid>,
        topics: Vec<Uuid>,
    ) -> Result<Report, ConsultRefusal> {
        if authors.is_empty() {
            return Err(ConsultRefusal::Invalid(
                "authors",
                ValidationError::Required,
            ));
        }
        Ok(Report {
            meta: RecordMeta::unsaved(),
            title: text("title", title, 100)?,
            body: multiline("body", body)?,
            authors,
            intakes,
            topics,
            submitted_on: None,
            submitted_to: String::new(),
            result: ReportResult::Pending,
        })
    }

    /// Submitted on `on`, as of `now`: not in the future. (When it was typed in says nothing of
    /// when it was written: a station enters its paper records afterwards.)
    pub fn submit(
        &self,
        to: &str,
        on: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Report, ConsultRefusal> {
        timeline::happened_on("date", on, now)?;
        let mut next = self.clone();
        next.submitted_to = text("submitted_to", to, 100)?;
        next.submitted_on = Some(on);
        Ok(next)
    }

    pub fn record_result(&self, result: ReportResult) -> Result<Report, ConsultRefusal> {
        if self.submitted_on.is_none() {
            return Err(ConsultRefusal::NotSent);
        }
        let mut next = self.clone();
        next.result = match result {
            ReportResult::Adopted {
                instruction: Some(i),
            } => ReportResult::Adopted {
                instruction: Some(Instruction {
                    by: text("instruction_by", &i.by, 100)?,
                    level: i.level,
                    text: validate::optional_multiline(&i.text, TEXT_MAX)
                        .map_err(|e| ConsultRefusal::Invalid("instruction_text", e))?,
                }),
            },
            other => other,
        };
        Ok(next)
    }
}
