//! Visits on the desk: the list, a visit and its forms.

use super::*;
use crate::domain::{Intake, IntakeEvent, RecordKind};
use crate::store::{DueFilter, IntakeFilter};
use crate::text::sanitize;
use crate::tui::screens::intake_detail::IntakeDetail;
use crate::tui::screens::intake_form::{EventForm, EventKind, FilterForm, IntakeForm};
use crate::tui::screens::intakes::IntakesState;

/// The visits, newest first, as the screen above the home screen.
pub fn open_list(desk: &mut Desk) {
    let mut list = IntakesState::default();
    list.window.page = IntakesState::rows_for(desk.body_rows());
    match list.refilter(&desk.store, desk.today()) {
        Ok(()) => desk.base(list),
        Err(e) => desk.fail(&e),
    }
}

/// The quick-entry form for a new visit, or the edit form of `intake`.
pub fn open_form(desk: &mut Desk, intake: Option<&Intake>) {
    let categories = desk.store.choice_list("categories");
    let members = desk.member_choices();
    let on_duty = desk.signed_in.as_ref().map(|s| s.id);
    let mut form = IntakeForm::new(intake, &categories, &members, on_duty, desk.local_now());
    if let Err(e) = form.refresh_context(&desk.store, desk.today()) {
        desk.fail(&e);
    }
    desk.show(form);
}

/// A visit, with its history.
pub fn open_detail(desk: &mut Desk, intake: Intake) {
    match IntakeDetail::load(&desk.store, intake) {
        Ok(detail) => desk.show(detail),
        Err(e) => desk.fail(&e),
    }
}

impl Layer for IntakesState {
    fn context(&self) -> KeyContext {
        KeyContext::IntakeList
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        let today = desk.today();
        let result = match action {
            ref movement if movement.is_movement() => {
                let source = self.source(&desk.store, today);
                navigate(&mut self.window, &source, movement)
            }
            Action::Open => {
                if let Some(intake) = self.selected().cloned() {
                    open_detail(desk, intake);
                }
                Ok(())
            }
            Action::WriteRegister => {
                desk.show(super::documents::register_form(desk, &self.filter));
                Ok(())
            }
            Action::Filter => {
                let categories = desk.store.choice_list("categories");
                let members = desk.member_choices();
                return Step::push(FilterForm::new(&self.filter, &categories, &members));
            }
            Action::ToggleUrgent => {
                self.filter.due = if self.filter.due == DueFilter::Urgent {
                    DueFilter::All
                } else {
                    DueFilter::Urgent
                };
                self.refilter(&desk.store, today)
            }
            Action::ToggleMark => {
                if let Some(id) = self.selected().map(|i| i.meta.id) {
                    if !self.marked.remove(&id) {
                        self.marked.insert(id);
                    }
                    let source = self.source(&desk.store, today);
                    self.window.down(&source)
                } else {
                    Ok(())
                }
            }
            Action::TopicFromIntakes | Action::ReportFromIntakes => {
                if self.marked.is_empty() {
                    if let Some(i) = self.selected() {
                        self.marked.insert(i.meta.id);
                    }
                }
                super::consult::draft_from_intakes(desk, &self.marked, action);
                Ok(())
            }
            Action::Back => return Step::Close,
            _ => Ok(()),
        };
        if let Err(e) = result {
            desk.fail(&e);
        }
        Step::Stay
    }

    fn filtered(&mut self, filter: Box<dyn std::any::Any>, desk: &mut Desk) {
        if let Ok(filter) = filter.downcast::<IntakeFilter>() {
            self.filter = *filter;
            if let Err(e) = self.refilter(&desk.store, desk.today()) {
                desk.fail(&e);
            }
        }
    }

    fn refresh(&mut self, kind: RecordKind, _id: Option<uuid::Uuid>, desk: &mut Desk) {
        match kind {
            RecordKind::Intake | RecordKind::Case | RecordKind::Member => {
                if let Err(e) = self.reload(&desk.store, desk.today()) {
                    desk.fail(&e);
                }
            }
            // A topic or a report made from the marked visits takes the marks.
            RecordKind::Topic | RecordKind::Report => self.marked.clear(),
            _ => {}
        }
    }

    fn resize(&mut self, desk: &mut Desk) {
        let rows = IntakesState::rows_for(desk.body_rows());
        let source = self.source(&desk.store, desk.today());
        if let Err(e) = self.window.set_page(&source, rows) {
            desk.fail(&e);
        }
    }

    fn is_base(&self) -> bool {
        true
    }

    fn draw(&self, desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("intakes.title"), title, buf);
        self.render(body, buf, desk.today());
        None
    }
}

impl Layer for IntakeDetail {
    fn context(&self) -> KeyContext {
        KeyContext::IntakeDetail
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        let today = desk.today();
        let id = self.intake.meta.id;
        if let Some(rows) = action.scroll_rows() {
            self.scroll_by(rows);
            return Step::Stay;
        }
        // A step the rules refuse for the visit's state is refused before its form opens, with
        // the steps that are possible now.
        if let Some(wanted) = intake_step(&action) {
            if !self.intake.allows(wanted) {
                desk.error(refused_step_text(&self.intake, wanted));
                return Step::Stay;
            }
        }
        let kind = match action {
            Action::Back => return Step::Close,
            Action::Edit => {
                let intake = self.intake.clone();
                open_form(desk, Some(&intake));
                return Step::Stay;
            }
            Action::Delete => {
                return Step::Confirm(
                    Pending::Delete {
                        kind: RecordKind::Intake,
                        id,
                        done: crate::tr!("intakes.deleted_done"),
                    },
                    crate::tr!("confirm.delete_intake"),
                )
            }
            // Closing says what it will record and asks once.
            Action::CloseFromCase => {
                match desk.store.handover_of_visit(id) {
                    Ok(handover) => {
                        let text = crate::messages::handover_reply(&handover);
                        return Step::Confirm(
                            Pending::CloseFromCase(id),
                            crate::tr!(
                                "intakes.confirm_close_from_case",
                                text = sanitize(&text),
                                date = today.format("%Y-%m-%d")
                            ),
                        );
                    }
                    Err(e) => desk.fail(&e),
                }
                return Step::Stay;
            }
            Action::CloseIntake => {
                return Step::Confirm(
                    Pending::CloseIntake(id),
                    crate::tr!("intakes.confirm_close"),
                )
            }
            Action::AnswerOnTheSpot => EventKind::AnswerOnTheSpot,
            Action::Refer => EventKind::Refer,
            Action::RecordFeedback => EventKind::Feedback,
            Action::RecordFollowUp => EventKind::FollowUp,
            Action::Reopen => EventKind::Reopen,
            Action::ConvertToCase => {
                let intake = self.intake.clone();
                if intake.state.awaits_reply() {
                    super::cases::open_form(desk, Some(&intake));
                } else {
                    desk.error(crate::tr!(
                        "intake.refused_state",
                        state = crate::tr!(intake.state.key())
                    ));
                }
                return Step::Stay;
            }
            _ => return Step::Stay,
        };
        let mut form = EventForm::new(kind, id, today);
        form.about = self.intake.summary(30);
        Step::push(form)
    }

    fn answer(&mut self, pending: Pending, answer: Answer, desk: &mut Desk) -> Step {
        if !yes(answer) {
            return Step::Stay;
        }
        let closed = match pending {
            Pending::CloseIntake(id) => desk
                .store
                .intake_event(id, IntakeEvent::Close)
                .map(|i| (i, "intakes.closed_done")),
            Pending::CloseFromCase(id) => {
                let today = desk.today();
                desk.store
                    .close_visit_from_case(id, today, &crate::messages::handover_reply)
                    .map(|i| (i, "intakes.closed_from_case_done"))
            }
            _ => return Step::Stay,
        };
        match closed {
            Ok((intake, said)) => {
                desk.say(crate::tr!(said));
                desk.changed(RecordKind::Intake, Some(intake.meta.id));
            }
            Err(e) => desk.fail(&e),
        }
        Step::Stay
    }

    /// The visit as stored now (a step saved above it, a case made from it).
    fn refresh(&mut self, kind: RecordKind, _id: Option<uuid::Uuid>, desk: &mut Desk) {
        if !matches!(kind, RecordKind::Intake | RecordKind::Case) {
            return;
        }
        if let Some(mut detail) =
            reloaded::<Intake, _>(desk, self.intake.meta.id, IntakeDetail::load)
        {
            detail.scroll = self.scroll;
            *self = detail;
        }
    }

    fn shows(&self) -> Option<(RecordKind, uuid::Uuid)> {
        Some((RecordKind::Intake, self.intake.meta.id))
    }

    fn draw(&self, desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("intakes.detail_title"), title, buf);
        self.render(inset(body), buf, desk.today());
        None
    }
}

impl DeskForm for IntakeForm {
    fn title(&self) -> String {
        IntakeForm::title(self)
    }

    fn draw_form(
        &self,
        _desk: &Desk,
        title: Rect,
        body: Rect,
        buf: &mut Buffer,
    ) -> Option<Position> {
        draw_title(&DeskForm::title(self), title, buf);
        self.render(inset(body), buf)
    }

    fn after_save(&self, intake: Intake, desk: &mut Desk) {
        desk.changed(RecordKind::Intake, Some(intake.meta.id));
        if self.editing.is_some() {
            desk.say(crate::tr!("intakes.saved"));
            return;
        }
        // A new visit: the visits list shows it first, whatever screen it was typed from.
        desk.say(crate::tr!("intakes.registered", due = intake.reply_due));
        desk.close::<IntakeDetail>();
        let today = desk.today();
        let mut list = IntakesState::default();
        list.window.page = IntakesState::rows_for(desk.body_rows());
        let shown = list
            .refilter(&desk.store, today)
            .and_then(|_| list.show(&desk.store, today, &intake));
        match shown {
            Ok(()) => desk.base(list),
            Err(e) => desk.fail(&e),
        }
    }
}

impl DeskForm for EventForm {
    /// The step, and the visit it is about.
    fn title(&self) -> String {
        format!("{} - {}", EventForm::title(self), sanitize(&self.about))
    }

    fn after_save(&self, intake: Intake, desk: &mut Desk) {
        desk.say(crate::tr!(
            "intakes.state_now",
            state = crate::tr!(intake.state.key())
        ));
        desk.changed(RecordKind::Intake, Some(intake.meta.id));
    }
}

impl DeskForm for FilterForm {
    fn title(&self) -> String {
        crate::tr!("intakes.filter_title")
    }

    fn after_save(&self, filter: IntakeFilter, desk: &mut Desk) {
        desk.emit(crate::tui::layer::Effect::Filter(Box::new(filter)));
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
fn refused_step_text(intake: &Intake, wanted: crate::domain::intake::IntakeStep) -> String {
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
