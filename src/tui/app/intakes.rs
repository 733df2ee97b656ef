//! The visitor-intake part of the desk's `update`: the list, a visit and its forms.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::*;
use crate::text::sanitize;
use crate::tui::layer::{Layer, Step};
use crate::tui::view::{draw_title, inset};

impl App {
    /// The quick-entry form for a new visit, or the edit form of `intake`.
    pub(super) fn open_intake_form(&mut self, intake: Option<&Intake>) {
        let categories = self.store.choice_list("categories");
        let members = self.member_choices();
        let on_duty = self.signed_in.as_ref().map(|s| s.id);
        let mut form = IntakeForm::new(
            intake,
            &categories,
            &members,
            on_duty,
            self.now.naive_local(),
        );
        if let Err(e) = form.refresh_context(&self.store, self.today()) {
            self.fail(&e);
        }
        self.show(form);
    }

    pub(super) fn open_detail(&mut self, intake: Intake) {
        match IntakeDetail::load(&self.store, intake) {
            Ok(detail) => self.show(detail),
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn reload_intakes(&mut self) {
        let today = self.today();
        if let Err(e) = self.intakes.reload(&self.store, today) {
            self.fail(&e);
        }
        self.refresh_counts();
    }

    pub(super) fn update_intakes(&mut self, action: Action) {
        let today = self.today();
        let result = match action {
            ref movement if movement.is_movement() => {
                let source = self.intakes.source(&self.store, today);
                navigate(&mut self.intakes.window, &source, movement)
            }
            Action::Open => {
                if let Some(intake) = self.intakes.selected().cloned() {
                    self.open_detail(intake);
                }
                Ok(())
            }
            Action::WriteRegister => {
                self.open_register_form();
                Ok(())
            }
            Action::Filter => {
                let categories = self.store.choice_list("categories");
                let members = self.member_choices();
                let form = FilterForm::new(&self.intakes.filter, &categories, &members);
                self.show(form);
                Ok(())
            }
            Action::ToggleUrgent => {
                self.intakes.filter.due = if self.intakes.filter.due == DueFilter::Urgent {
                    DueFilter::All
                } else {
                    DueFilter::Urgent
                };
                self.intakes.refilter(&self.store, today)
            }
            Action::ToggleMark => {
                if let Some(id) = self.intakes.selected().map(|i| i.meta.id) {
                    if !self.intakes.marked.remove(&id) {
                        self.intakes.marked.insert(id);
                    }
                    let source = self.intakes.source(&self.store, today);
                    self.intakes.window.down(&source)
                } else {
                    Ok(())
                }
            }
            Action::TopicFromIntakes | Action::ReportFromIntakes => {
                self.draft_from_marked_intakes(action);
                Ok(())
            }
            Action::Back => {
                self.intakes.marked.clear();
                self.screen = Screen::Home;
                self.refresh_counts();
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    pub(super) fn update_intake_detail(
        &mut self,
        detail: &mut IntakeDetail,
        action: Action,
    ) -> Step {
        let today = self.today();
        let mut step = Step::Stay;
        let id = detail.intake.meta.id;
        if let Some(rows) = action.scroll_rows() {
            detail.scroll_by(rows);
            return step;
        }
        // A step the rules refuse for the visit's state is refused before its form opens, with
        // the steps that are possible now.
        if let Some(wanted) = intake_step(&action) {
            if !detail.intake.allows(wanted) {
                self.message = Some(Message {
                    text: refused_step_text(&detail.intake, wanted),
                    error: true,
                });
                return step;
            }
        }
        let kind = match action {
            Action::Back => {
                step = Step::Close;
                if self.screen == Screen::Intakes {
                    self.reload_intakes();
                }
                None
            }
            Action::Edit => {
                let intake = detail.intake.clone();
                self.open_intake_form(Some(&intake));
                None
            }
            Action::Delete => {
                step = Step::Confirm(
                    Pending::DeleteIntake(id),
                    crate::tr!("confirm.delete_intake"),
                );
                None
            }
            // Closing says what it will record and asks once.
            Action::CloseFromCase => {
                match self.store.close_from_case_text(id) {
                    Ok(text) => {
                        step = Step::Confirm(
                            Pending::CloseFromCase(id),
                            crate::tr!(
                                "intakes.confirm_close_from_case",
                                text = crate::text::sanitize(&text),
                                date = today.format("%Y-%m-%d")
                            ),
                        );
                    }
                    Err(e) => self.fail(&e),
                }
                None
            }
            Action::CloseIntake => {
                step = Step::Confirm(
                    Pending::CloseIntake(id),
                    crate::tr!("intakes.confirm_close"),
                );
                None
            }
            Action::AnswerOnTheSpot => Some(EventKind::AnswerOnTheSpot),
            Action::Refer => Some(EventKind::Refer),
            Action::RecordFeedback => Some(EventKind::Feedback),
            Action::RecordFollowUp => Some(EventKind::FollowUp),
            Action::Reopen => Some(EventKind::Reopen),
            Action::ConvertToCase => {
                let intake = detail.intake.clone();
                if intake.state.awaits_reply() {
                    self.open_case_form(Some(&intake));
                } else {
                    self.message = Some(Message {
                        text: crate::tr!(
                            "intake.refused_state",
                            state = crate::tr!(intake.state.key())
                        ),
                        error: true,
                    });
                }
                None
            }
            _ => None,
        };
        match kind {
            Some(kind) => Step::push(EventForm::new(kind, id, today)),
            None => step,
        }
    }
}

impl App {
    /// Closes a visit (办结), once the person at the desk said yes.
    pub(super) fn close_intake(&mut self, id: Uuid) {
        match self.store.intake_event(id, IntakeEvent::Close) {
            Ok(intake) => {
                self.say(crate::tr!("intakes.closed_done"));
                self.open_detail(intake);
                self.refresh_counts();
            }
            Err(e) => self.fail(&e),
        }
    }

    /// Answers a visit with its case's outcome and closes it, once the person said yes.
    pub(super) fn close_from_case(&mut self, id: Uuid) {
        match self.store.close_visit_from_case(id, self.today()) {
            Ok(intake) => {
                self.say(crate::tr!("intakes.closed_from_case_done"));
                self.open_detail(intake);
                self.refresh_counts();
            }
            Err(e) => self.fail(&e),
        }
    }
}

impl Layer for IntakeDetail {
    fn context(&self, _app: &App) -> KeyContext {
        KeyContext::IntakeDetail
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        app.update_intake_detail(self, action)
    }

    fn draw(&self, app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("intakes.detail_title"), title, buf);
        self.render(inset(body), buf, app.today());
        None
    }
}

impl DeskForm for IntakeForm {
    fn title(&self, _app: &App) -> String {
        IntakeForm::title(self)
    }

    fn draw_form(&self, app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&DeskForm::title(self, app), title, buf);
        self.render(inset(body), buf)
    }

    fn after_save(&self, intake: Intake, app: &mut App) {
        if self.editing.is_some() {
            app.say(crate::tr!("intakes.saved"));
            app.open_detail(intake);
        } else {
            let today = app.today();
            app.say(crate::tr!("intakes.registered", due = intake.reply_due));
            app.close::<IntakeDetail>();
            app.screen = Screen::Intakes;
            let shown = app
                .intakes
                .refilter(&app.store, today)
                .and_then(|_| app.intakes.show(&app.store, today, &intake));
            if let Err(e) = shown {
                app.fail(&e);
            }
        }
        app.changed(RecordKind::Intake);
    }
}

impl DeskForm for EventForm {
    /// The step, and the visit it is about.
    fn title(&self, app: &App) -> String {
        let about = app
            .layer::<IntakeDetail>()
            .map(|d| d.intake.summary(30))
            .unwrap_or_default();
        format!("{} — {}", EventForm::title(self), sanitize(&about))
    }

    fn after_save(&self, intake: Intake, app: &mut App) {
        app.say(crate::tr!(
            "intakes.state_now",
            state = crate::tr!(intake.state.key())
        ));
        app.open_detail(intake);
        app.changed(RecordKind::Intake);
    }
}

impl DeskForm for FilterForm {
    fn title(&self, _app: &App) -> String {
        crate::tr!("intakes.filter_title")
    }

    fn after_save(&self, filter: IntakeFilter, app: &mut App) {
        let today = app.today();
        app.intakes.filter = filter;
        if let Err(e) = app.intakes.refilter(&app.store, today) {
            app.fail(&e);
        }
    }
}

/// The handling step an action asks for, if it is one.
fn intake_step(action: &Action) -> Option<crate::domain::intake::IntakeStep> {
    use crate::domain::intake::IntakeStep as S;
    Some(match action {
        Action::AnswerOnTheSpot => S::AnswerOnTheSpot,
        Action::Refer => S::Refer,
        Action::RecordFeedback => S::Feedback,
        Action::RecordFollowUp => S::FollowUp,
        Action::CloseIntake => S::Close,
        Action::Reopen => S::Reopen,
        Action::ConvertToCase => S::ToCase,
        Action::CloseFromCase => S::CloseFromCase,
        _ => return None,
    })
}

/// A step's key on the visit's screen and its name (the key table's label).
fn step_key(step: crate::domain::intake::IntakeStep) -> (char, &'static str) {
    use crate::domain::intake::IntakeStep as S;
    match step {
        S::AnswerOnTheSpot => ('1', "keys.answer_on_spot"),
        S::Refer => ('2', "keys.refer"),
        S::Feedback => ('3', "keys.feedback"),
        S::FollowUp => ('4', "keys.follow_up"),
        S::Close => ('5', "keys.close_intake"),
        S::Reopen => ('6', "keys.reopen"),
        S::ToCase => ('7', "keys.convert_case"),
        S::CloseFromCase => ('8', "keys.close_from_case"),
    }
}

/// "现在是「已登记」，不能答复反馈；先按 1 当场答复或 2 转交部门"
fn refused_step_text(
    intake: &crate::domain::Intake,
    wanted: crate::domain::intake::IntakeStep,
) -> String {
    let options: Vec<String> = intake
        .next_steps()
        .into_iter()
        .map(|s| {
            let (key, label) = step_key(s);
            format!("{key} {}", crate::tr!(label))
        })
        .collect();
    crate::tr!(
        "intakes.step_refused",
        state = crate::tr!(intake.state.key()),
        step = crate::tr!(step_key(wanted).1),
        next = options.join(&crate::tr!("intakes.or"))
    )
}
