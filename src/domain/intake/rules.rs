//! What may happen to a visit: its fields checked, and each step of the loop allowed or
//! refused with its reason.

use super::*;

impl IntakeFields {
    /// Checks and normalises as of `now` (a visit is not in the future); each error names its
    /// field.
    pub fn validate(
        &self,
        now: NaiveDateTime,
    ) -> Result<IntakeFields, Vec<(&'static str, ValidationError)>> {
        let mut errors = Vec::new();
        let mut checked = self.clone();
        if timeline::happened_at("visited_at", self.visited_at, now).is_err() {
            errors.push(("visited_at", ValidationError::Future));
        }
        validate::keep(
            &mut checked.visitor_name,
            "visitor_name",
            validate::optional_text(&self.visitor_name, 40),
            &mut errors,
        );
        validate::keep(
            &mut checked.phone,
            "phone",
            validate::phone(&self.phone),
            &mut errors,
        );
        validate::keep(
            &mut checked.id_number,
            "id_number",
            validate::resident_id(&self.id_number),
            &mut errors,
        );
        validate::keep(
            &mut checked.address,
            "address",
            validate::optional_text(&self.address, 200),
            &mut errors,
        );
        if self.visitors == 0 || self.visitors > 999 {
            errors.push(("visitors", ValidationError::Choice));
        }
        validate::keep(
            &mut checked.category,
            "category",
            validate::required_text(&self.category, 40),
            &mut errors,
        );
        validate::keep(
            &mut checked.request,
            "request",
            validate::required_multiline(&self.request, REQUEST_MAX),
            &mut errors,
        );
        if errors.is_empty() {
            Ok(checked)
        } else {
            Err(errors)
        }
    }

    /// 集体访
    pub fn is_group_visit(&self) -> bool {
        self.visitors > 1
    }
}

fn text(field: &'static str, value: &str) -> Result<String, IntakeRefusal> {
    validate::required_multiline(value, REQUEST_MAX).map_err(|e| IntakeRefusal::Invalid(field, e))
}

impl Intake {
    /// A new intake, registered, with its reply due date.
    pub fn register(fields: IntakeFields, policy: DuePolicy) -> Intake {
        let reply_due = fields.visited_at.date() + Duration::days(i64::from(policy.reply_days));
        Intake {
            meta: RecordMeta::unsaved(),
            fields,
            state: IntakeState::Registered,
            handling: None,
            feedback: None,
            follow_up: None,
            reply_due,
            follow_up_due: None,
            reopen_reason: None,
            links: Vec::new(),
        }
    }

    /// Applies `event` as of `now`, or says why it is not allowed: for the visit's state, for
    /// what is typed, or for its date (not in the future, not before the step it follows).
    pub fn apply(
        &self,
        event: IntakeEvent,
        policy: DuePolicy,
        now: NaiveDateTime,
    ) -> Result<Intake, IntakeRefusal> {
        use IntakeState::*;
        let mut next = self.clone();
        // Every dated step follows the latest step already recorded (the visit, its referral,
        // its reply — after a reopening, the earlier reply too). Checked once the state allows
        // the step: a step the state refuses says so first.
        let (step, latest) = self.latest_step();
        let after_visit = |on: NaiveDate| timeline::happened_after("date", on, now, step, latest);
        let refuse = || IntakeRefusal::NotFrom(self.state);
        let follow_up_due =
            |on: NaiveDate| Some(on + Duration::days(i64::from(policy.follow_up_days)));
        match event {
            IntakeEvent::Refer { department, on } => {
                if !self.state.awaits_reply() {
                    return Err(refuse());
                }
                let department = validate::required_text(&department, 100)
                    .map_err(|e| IntakeRefusal::Invalid("department", e))?;
                after_visit(on)?;
                next.handling = Some(Handling::Referred { department, on });
                next.state = InProgress;
            }
            IntakeEvent::AnswerOnTheSpot { answer, on } => {
                if !self.state.awaits_reply() {
                    return Err(refuse());
                }
                let answer = text("answer", &answer)?;
                after_visit(on)?;
                next.handling = Some(Handling::OnTheSpot {
                    answer: answer.clone(),
                });
                next.feedback = Some(Feedback { on, text: answer });
                next.follow_up_due = follow_up_due(on);
                next.state = Answered;
            }
            IntakeEvent::Convert { to, id } => {
                if !self.state.awaits_reply() || to == RecordKind::Intake {
                    return Err(refuse());
                }
                next.handling = Some(Handling::Converted { to, id });
                if !next.links.iter().any(|l| l.id == id) {
                    next.links.push(Link { kind: to, id });
                }
                next.state = InProgress;
            }
            IntakeEvent::RecordFeedback { on, text: feedback } => {
                // Feedback follows handling: a registered intake is handled first.
                if self.state != InProgress {
                    return Err(refuse());
                }
                let feedback = text("feedback", &feedback)?;
                after_visit(on)?;
                next.feedback = Some(Feedback { on, text: feedback });
                next.follow_up_due = follow_up_due(on);
                next.state = Answered;
            }
            IntakeEvent::RecordFollowUp {
                on,
                satisfaction,
                note,
            } => {
                if self.state != Answered {
                    return Err(refuse());
                }
                let note = validate::optional_text(&note, REQUEST_MAX)
                    .map_err(|e| IntakeRefusal::Invalid("note", e))?;
                after_visit(on)?;
                next.follow_up = Some(FollowUp {
                    on,
                    satisfaction,
                    note,
                });
                next.state = FollowedUp;
            }
            IntakeEvent::Close => {
                if self.state != FollowedUp {
                    return Err(refuse());
                }
                next.state = Closed;
            }
            IntakeEvent::CloseFromCase { on, text: outcome } => {
                if !self.is_handed_over() {
                    return Err(refuse());
                }
                let outcome = text("feedback", &outcome)?;
                after_visit(on)?;
                next.feedback = Some(Feedback { on, text: outcome });
                next.follow_up_due = None;
                next.state = Closed;
            }
            IntakeEvent::Reopen { reason } => {
                if !matches!(self.state, Answered | FollowedUp | Closed) {
                    return Err(refuse());
                }
                let reason = text("reason", &reason)?;
                next.reopen_reason = Some(reason);
                next.follow_up = None;
                next.follow_up_due = None;
                next.state = InProgress;
            }
        }
        Ok(next)
    }

    /// The latest dated step recorded, and its day: what the next step may not come before.
    fn latest_step(&self) -> (Step, NaiveDate) {
        let mut latest = (Step::Visit, self.fields.visited_at.date());
        if let Some(Handling::Referred { on, .. }) = &self.handling {
            if *on >= latest.1 {
                latest = (Step::Referral, *on);
            }
        }
        if let Some(reply) = &self.feedback {
            if reply.on >= latest.1 {
                latest = (Step::Reply, reply.on);
            }
        }
        latest
    }

    /// Whether the rules allow `step` from this visit's state (its form may still find fault
    /// with what is typed). Asked of [`Intake::apply`] itself, so the two never disagree.
    pub fn allows(&self, step: IntakeStep) -> bool {
        // The probe is dated the visit's day and asked as of the end of time, so that only the
        // state can refuse it.
        let on = self.fields.visited_at.date();
        !matches!(
            self.apply(step.probe(on), DuePolicy::default(), NaiveDateTime::MAX),
            Err(IntakeRefusal::NotFrom(_))
        )
    }

    /// The steps the rules allow now, in the desk's order.
    pub fn next_steps(&self) -> Vec<IntakeStep> {
        IntakeStep::ALL
            .into_iter()
            .filter(|s| self.allows(*s))
            .collect()
    }

    /// Handed over to another record (a case, a topic, a report), whose own clock runs.
    pub fn is_handed_over(&self) -> bool {
        self.state == IntakeState::InProgress
            && matches!(self.handling, Some(Handling::Converted { .. }))
    }

    /// The next date something is owed: the reply while it awaits one, the follow-up after;
    /// nothing while it is handed over to another record.
    pub fn due(&self) -> Option<NaiveDate> {
        due_of(
            self.state,
            self.is_handed_over(),
            self.reply_due,
            self.follow_up_due,
        )
    }

    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.due().is_some_and(|due| due < today)
    }

    pub fn is_due_today(&self, today: NaiveDate) -> bool {
        self.due() == Some(today)
    }

    /// A one-line summary of the request.
    pub fn summary(&self, max_chars: usize) -> String {
        let flat: String = self
            .fields
            .request
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let mut out: String = flat.trim().chars().take(max_chars).collect();
        if flat.trim().chars().count() > max_chars {
            // The midline ellipsis: one column wherever it is drawn (`…` is of ambiguous width).
            out.push('⋯');
        }
        out
    }
}
