//! Consultations on the desk: the lists and the 4+X, topics through their loop, meetings with
//! minutes and recommendations, reports, drafts from marked visits, the minutes editor with
//! its drafts, and the minutes document.

use std::collections::BTreeSet;

use uuid::Uuid;

use super::*;
use crate::domain::consult::{Meeting, Report, Topic};
use crate::domain::{Intake, RecordKind};
use crate::text::sanitize;
use crate::tui::screens::consult::{ConsultDetail, ConsultState, ConsultTab, DetailView};
use crate::tui::screens::consult_form::{
    MeetingEditForm, ReportForm, StepForm, StepKind, TopicForm,
};
use crate::tui::screens::minutes_editor::MinutesEditor;

/// The consultations, on `tab` (topics when none), as the screen above the home screen.
pub fn open_list(desk: &mut Desk, tab: Option<ConsultTab>) {
    match ConsultState::open(&desk.store, desk.local_now()) {
        Ok(mut state) => {
            if let Some(tab) = tab {
                state.tab = tab;
            }
            desk.base(state);
        }
        Err(e) => desk.fail(&e),
    }
}

/// A topic, a meeting or a report, opened where it lives: the consultations, then the record
/// (or, `above`, the record over what is open now).
pub fn open_record(
    desk: &mut Desk,
    kind: RecordKind,
    id: Uuid,
    above: bool,
) -> Result<(), StoreError> {
    let view = match kind {
        RecordKind::Topic => desk
            .store
            .get::<Topic>(id)?
            .map(|t| (ConsultTab::Topics, DetailView::topic(&desk.store, t))),
        RecordKind::Meeting => desk
            .store
            .get::<Meeting>(id)?
            .map(|m| (ConsultTab::Meetings, DetailView::meeting(&desk.store, m))),
        RecordKind::Report => desk
            .store
            .get::<Report>(id)?
            .map(|r| (ConsultTab::Reports, DetailView::report(&desk.store, r))),
        _ => None,
    };
    if let Some((tab, view)) = view {
        let view = view?;
        if !above {
            open_list(desk, Some(tab));
        }
        desk.show(view);
    }
    Ok(())
}

fn show_detail(desk: &mut Desk, view: Result<DetailView, StoreError>) {
    match view {
        Ok(view) => desk.show(view),
        Err(e) => desk.fail(&e),
    }
}

fn topic_choices(desk: &mut Desk) -> Vec<(Uuid, String)> {
    match desk.store.topics(500) {
        Ok(topics) => topics.into_iter().map(|t| (t.meta.id, t.title)).collect(),
        Err(e) => {
            desk.fail(&e);
            Vec::new()
        }
    }
}

/// The meeting form, for a new meeting on `topic` or to edit `meeting`.
fn meeting_form(
    desk: &mut Desk,
    meeting: Option<&Meeting>,
    topic: Option<Uuid>,
) -> MeetingEditForm {
    MeetingEditForm::new(
        meeting,
        topic,
        &topic_choices(desk),
        &desk.member_choices(),
        &desk.signed_in_name(),
        desk.local_now(),
    )
}

fn report_form(
    desk: &mut Desk,
    report: Option<&Report>,
    draft: (&str, &str),
    intakes: Vec<Uuid>,
    author: &str,
) -> ReportForm {
    ReportForm::new(
        report,
        draft,
        intakes,
        author,
        &desk.member_choices(),
        &topic_choices(desk),
    )
}

impl Layer for ConsultState {
    fn context(&self) -> KeyContext {
        KeyContext::Consult
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        match action {
            Action::ShowTab(n) => {
                self.tab = match n {
                    2 => ConsultTab::Meetings,
                    3 => ConsultTab::Reports,
                    _ => ConsultTab::Topics,
                }
            }
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-10),
            Action::PageDown => self.move_by(10),
            Action::Open => match self.tab {
                ConsultTab::Topics => {
                    if let Some(t) = self.selected_topic().cloned() {
                        show_detail(desk, DetailView::topic(&desk.store, t));
                    }
                }
                ConsultTab::Meetings => {
                    if let Some(m) = self.selected_meeting().cloned() {
                        show_detail(desk, DetailView::meeting(&desk.store, m));
                    }
                }
                ConsultTab::Reports => {
                    if let Some(r) = self.selected_report().cloned() {
                        show_detail(desk, DetailView::report(&desk.store, r));
                    }
                }
            },
            Action::New => match self.tab {
                ConsultTab::Topics => desk.show(TopicForm::new(None, Vec::new(), ("", ""))),
                ConsultTab::Meetings => {
                    let topic = self.selected_topic().map(|t| t.meta.id);
                    let form = meeting_form(desk, None, topic);
                    desk.show(form);
                }
                ConsultTab::Reports => {
                    let me = desk.signed_in_name();
                    let form = report_form(desk, None, ("", ""), Vec::new(), &me);
                    desk.show(form);
                }
            },
            Action::Back => return Step::Close,
            _ => {}
        }
        Step::Stay
    }

    fn refresh(&mut self, kind: RecordKind, _id: Option<Uuid>, desk: &mut Desk) {
        if matches!(
            kind,
            RecordKind::Topic | RecordKind::Meeting | RecordKind::Report | RecordKind::Member
        ) {
            if let Err(e) = self.reload(&desk.store, desk.local_now()) {
                desk.fail(&e);
            }
        }
    }

    fn is_base(&self) -> bool {
        true
    }

    fn draw(&self, _desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("consults.title"), title, buf);
        self.render(inset(body), buf);
        None
    }
}

/// Asks once before answering and closing the visits behind a topic or report, saying what
/// they will be told; says why not when it has no result or nothing waits for it.
fn ask_answer_visits(desk: &mut Desk, kind: RecordKind, id: Uuid) -> Step {
    let asked = desk
        .store
        .handover(kind, id)
        .map(|handover| crate::messages::handover_reply(&handover))
        .and_then(|text| Ok((text, desk.store.visits_behind(kind, id)?.len())));
    match asked {
        Ok((_, 0)) => desk.say(crate::tr!("consult.no_visits_waiting")),
        Ok((text, count)) => {
            return Step::Confirm(
                Pending::AnswerVisits(kind, id),
                crate::tr!(
                    "consult.confirm_answer_visits",
                    count = count,
                    text = sanitize(&text),
                    date = desk.today().format("%Y-%m-%d")
                ),
            )
        }
        Err(e) => desk.fail(&e),
    }
    Step::Stay
}

/// Takes a topic to its next step of the loop.
fn advance_topic(desk: &mut Desk, id: Uuid) {
    let now = desk.local_now();
    match desk
        .store
        .topic_event(id, crate::domain::consult::TopicEvent::Advance, now)
    {
        Ok(topic) => {
            desk.say(crate::tr!(
                "topics.step_now",
                step = crate::tr!(topic.step.key())
            ));
            desk.changed(RecordKind::Topic, Some(topic.meta.id));
        }
        Err(e) => desk.fail(&e),
    }
}

impl Layer for DetailView {
    fn context(&self) -> KeyContext {
        match self.detail {
            ConsultDetail::Topic { .. } => KeyContext::TopicDetail,
            ConsultDetail::Meeting { .. } => KeyContext::MeetingDetail,
            ConsultDetail::Report { .. } => KeyContext::ReportDetail,
        }
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        let today = desk.today();
        match action {
            Action::PageUp => self.scroll_by(-10),
            Action::PageDown => self.scroll_by(10),
            Action::Back => return Step::Close,
            _ => {}
        }
        match (&mut self.detail, action) {
            (ConsultDetail::Topic { .. } | ConsultDetail::Report { .. }, Action::Up) => {
                self.scroll_by(-1)
            }
            (ConsultDetail::Topic { .. } | ConsultDetail::Report { .. }, Action::Down) => {
                self.scroll_by(1)
            }
            (ConsultDetail::Meeting { selected, .. }, Action::Up) => {
                *selected = selected.saturating_sub(1)
            }
            (
                ConsultDetail::Meeting {
                    meeting, selected, ..
                },
                Action::Down,
            ) if *selected + 1 < meeting.recommendations.len() => {
                *selected += 1;
            }
            (ConsultDetail::Topic { topic, .. }, Action::DecideTopic) => {
                desk.show(StepForm::new(StepKind::Decide, topic.meta.id, 0, today));
            }
            (ConsultDetail::Topic { topic, .. }, Action::Research) => {
                desk.show(StepForm::new(StepKind::Research, topic.meta.id, 0, today));
            }
            // A completed loop reopens with a written reason; any other step says why not.
            (ConsultDetail::Topic { topic, .. }, Action::ReopenClosed) => {
                if topic.step == crate::domain::consult::TopicStep::Completed {
                    desk.show(StepForm::new(StepKind::Reopen, topic.meta.id, 0, today));
                } else {
                    desk.error(crate::tr!(
                        "topics.reopen_not_completed",
                        step = crate::tr!(topic.step.key())
                    ));
                }
            }
            (ConsultDetail::Topic { topic, .. }, Action::AnswerVisits) => {
                let id = topic.meta.id;
                return ask_answer_visits(desk, RecordKind::Topic, id);
            }
            (ConsultDetail::Report { report, .. }, Action::AnswerVisits) => {
                let id = report.meta.id;
                return ask_answer_visits(desk, RecordKind::Report, id);
            }
            // The last step completes the loop: it says so and asks once.
            (ConsultDetail::Topic { topic, .. }, Action::AdvanceTopic)
                if topic.step == crate::domain::consult::TopicStep::Submitted =>
            {
                return Step::Confirm(
                    Pending::CompleteTopic(topic.meta.id),
                    crate::tr!("topics.confirm_complete", title = sanitize(&topic.title)),
                );
            }
            (ConsultDetail::Topic { topic, .. }, Action::AdvanceTopic) => {
                let id = topic.meta.id;
                advance_topic(desk, id);
            }
            (ConsultDetail::Topic { topic, .. }, Action::NewMeeting) => {
                let id = topic.meta.id;
                let form = meeting_form(desk, None, Some(id));
                desk.show(form);
            }
            (ConsultDetail::Topic { topic, .. }, Action::Edit) => {
                desk.show(TopicForm::new(Some(topic), Vec::new(), ("", "")));
            }
            (ConsultDetail::Meeting { meeting, .. }, Action::Edit) => {
                let form = meeting_form(desk, Some(meeting), None);
                desk.show(form);
            }
            (
                ConsultDetail::Meeting {
                    meeting, titles, ..
                },
                Action::EditMinutes,
            ) => {
                let about = titles.join("；");
                let (id, stored) = (meeting.meta.id, meeting.minutes.clone());
                let text = desk
                    .store
                    .draft(id)
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| stored.clone());
                desk.show(MinutesEditor::new(id, &about, &text, &stored));
            }
            (ConsultDetail::Meeting { meeting, .. }, Action::AddRecommendation) => {
                desk.show(StepForm::new(
                    StepKind::Recommendation,
                    meeting.meta.id,
                    0,
                    today,
                ));
            }
            (
                ConsultDetail::Meeting {
                    meeting, selected, ..
                },
                kind @ (Action::SubmitRecommendation | Action::RecommendationFeedback),
            ) => {
                if meeting.recommendations.get(*selected).is_none() {
                    desk.error(crate::tr!("meetings.no_recommendation"));
                    return Step::Stay;
                }
                let step = if kind == Action::SubmitRecommendation {
                    StepKind::Submit
                } else {
                    StepKind::Feedback
                };
                desk.show(StepForm::new(step, meeting.meta.id, *selected, today));
            }
            (
                ConsultDetail::Meeting {
                    meeting,
                    names,
                    titles,
                    ..
                },
                Action::WriteMinutes,
            ) => {
                let names: Vec<(Uuid, String)> =
                    names.iter().map(|(k, v)| (*k, v.clone())).collect();
                write_minutes(desk, meeting, &names, titles);
            }
            (ConsultDetail::Report { report, .. }, Action::Edit) => {
                let form = report_form(desk, Some(report), ("", ""), Vec::new(), "");
                desk.show(form);
            }
            (ConsultDetail::Report { report, .. }, Action::SubmitReport) => {
                desk.show(StepForm::new(
                    StepKind::ReportSubmit,
                    report.meta.id,
                    0,
                    today,
                ));
            }
            (ConsultDetail::Report { report, .. }, Action::ReportResult) => {
                desk.show(StepForm::new(
                    StepKind::ReportResult,
                    report.meta.id,
                    0,
                    today,
                ));
            }
            _ => {}
        }
        Step::Stay
    }

    fn answer(&mut self, pending: Pending, answer: Answer, desk: &mut Desk) -> Step {
        if !yes(answer) {
            return Step::Stay;
        }
        match pending {
            Pending::CompleteTopic(id) => advance_topic(desk, id),
            Pending::AnswerVisits(kind, id) => {
                let reply = crate::messages::handover_reply;
                match desk
                    .store
                    .answer_visits_behind(kind, id, desk.today(), &reply)
                {
                    Ok(count) => {
                        desk.say(crate::tr!("consult.answered_visits", count = count));
                        desk.changed(RecordKind::Intake, None);
                    }
                    Err(e) => desk.fail(&e),
                }
            }
            _ => {}
        }
        Step::Stay
    }

    /// What the view shows, as stored now.
    fn refresh(&mut self, kind: RecordKind, _id: Option<Uuid>, desk: &mut Desk) {
        if !matches!(
            kind,
            RecordKind::Topic | RecordKind::Meeting | RecordKind::Report | RecordKind::Intake
        ) {
            return;
        }
        let store = &desk.store;
        let reloaded = match &self.detail {
            ConsultDetail::Topic { topic, .. } => store
                .get::<Topic>(topic.meta.id)
                .and_then(|t| t.map(|t| DetailView::topic(store, t)).transpose()),
            ConsultDetail::Meeting { meeting, .. } => store
                .get::<Meeting>(meeting.meta.id)
                .and_then(|m| m.map(|m| DetailView::meeting(store, m)).transpose()),
            ConsultDetail::Report { report, .. } => store
                .get::<Report>(report.meta.id)
                .and_then(|r| r.map(|r| DetailView::report(store, r)).transpose()),
        };
        match reloaded {
            Ok(Some(mut view)) => {
                if let (
                    ConsultDetail::Meeting { selected: was, .. },
                    ConsultDetail::Meeting {
                        selected, meeting, ..
                    },
                ) = (&self.detail, &mut view.detail)
                {
                    *selected = (*was).min(meeting.recommendations.len().saturating_sub(1));
                }
                view.scroll = self.scroll;
                *self = view;
            }
            Ok(None) => {}
            Err(e) => desk.fail(&e),
        }
    }

    fn shows(&self) -> Option<(RecordKind, Uuid)> {
        Some(match &self.detail {
            ConsultDetail::Topic { topic, .. } => (RecordKind::Topic, topic.meta.id),
            ConsultDetail::Meeting { meeting, .. } => (RecordKind::Meeting, meeting.meta.id),
            ConsultDetail::Report { report, .. } => (RecordKind::Report, report.meta.id),
        })
    }

    fn draw(&self, _desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&self.title(), title, buf);
        self.render(inset(body), buf);
        None
    }
}

fn write_minutes(desk: &mut Desk, meeting: &Meeting, names: &[(Uuid, String)], titles: &[String]) {
    let Some(station) = desk.station.clone() else {
        return;
    };
    let context = crate::documents::minutes::MinutesContext {
        station: &station,
        member_names: names,
        topic_titles: titles,
    };
    let written =
        crate::documents::minutes::write_minutes(meeting, &context, &desk.documents_dir());
    match written {
        Ok(path) => super::documents::written(desk, vec![path]),
        Err(e) => desk.document_failed(&e),
    }
}

/// `t` and `p` on the visits list: a topic or a report from the marked visits.
pub fn draft_from_intakes(desk: &mut Desk, marked: &BTreeSet<Uuid>, action: Action) {
    let mut intakes = Vec::new();
    for id in marked {
        match desk.store.get::<Intake>(*id) {
            Ok(Some(i)) => intakes.push(i),
            Ok(None) => {}
            Err(e) => return desk.fail(&e),
        }
    }
    // In the order of their visits.
    intakes.sort_by_key(|i| i.fields.visited_at);
    if intakes.is_empty() {
        return;
    }
    let refs: Vec<&Intake> = intakes.iter().collect();
    let ids: Vec<Uuid> = intakes.iter().map(|i| i.meta.id).collect();
    let (title, body) = crate::domain::consult::draft_report(&refs);
    if action == Action::TopicFromIntakes {
        let topic_title = title
            .trim_start_matches("关于")
            .trim_end_matches("问题的社情民意信息")
            .to_string();
        let description = intakes
            .iter()
            .map(|i| {
                format!(
                    "{} {}",
                    i.fields.visited_at.format("%m-%d"),
                    i.fields.request.trim()
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        desk.show(TopicForm::new(None, ids, (&topic_title, &description)));
    } else {
        let me = desk.signed_in_name();
        let form = report_form(desk, None, (&title, &body), ids, &me);
        desk.show(form);
    }
}

impl Layer for MinutesEditor {
    fn context(&self) -> KeyContext {
        if self.search.is_some() {
            KeyContext::MinutesSearch
        } else {
            KeyContext::MinutesEditor
        }
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        match action {
            Action::Input(key) => self.input(key),
            Action::Paste(text) => self.paste(&text),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::Find => self.find(),
            Action::Save => {
                let (id, text) = (self.meeting, self.text());
                match desk.store.set_minutes(id, &text) {
                    Ok(_) => {
                        self.mark_saved();
                        desk.say(crate::tr!("meetings.minutes_saved"));
                        desk.changed(RecordKind::Meeting, Some(id));
                    }
                    Err(e) => desk.fail(&e),
                }
            }
            Action::Back => {
                if self.close_search() {
                    return Step::Stay;
                }
                return if self.is_dirty() {
                    Step::Confirm(Pending::DiscardMinutes, crate::tr!("minutes.discard"))
                } else {
                    Step::Close
                };
            }
            _ => {}
        }
        Step::Stay
    }

    fn answer(&mut self, pending: Pending, answer: Answer, desk: &mut Desk) -> Step {
        if pending == Pending::DiscardMinutes && yes(answer) {
            if let Err(e) = desk.store.discard_draft(self.meeting) {
                desk.fail(&e);
            }
            return Step::Close;
        }
        Step::Stay
    }

    /// Saves the minutes being typed as a draft, every few seconds while they change.
    fn tick(&mut self, desk: &mut Desk) {
        let now = desk.local_now();
        if let Some(text) = self.draft_due(now) {
            if let Err(e) = desk.store.save_draft(self.meeting, &text, now) {
                desk.fail(&e);
            }
        }
    }

    fn draw(&self, _desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(
            &format!(
                "{} - {}",
                crate::tr!("minutes.title"),
                sanitize(&self.about)
            ),
            title,
            buf,
        );
        self.render(inset(body), buf)
    }

    fn is_dirty(&self) -> bool {
        MinutesEditor::is_dirty(self)
    }
}

/// The minutes draft of meeting `id` opened again in the editor, above the meeting.
pub fn restore_draft(desk: &mut Desk, id: Uuid) {
    let result = desk.store.get::<Meeting>(id).and_then(|meeting| {
        let draft = desk.store.draft(id)?;
        Ok(meeting.zip(draft))
    });
    match result {
        Ok(Some((meeting, draft))) => {
            let stored = meeting.minutes.clone();
            let view = match DetailView::meeting(&desk.store, meeting) {
                Ok(view) => view,
                Err(e) => return desk.fail(&e),
            };
            let about = match &view.detail {
                ConsultDetail::Meeting { titles, .. } => titles.join("；"),
                _ => String::new(),
            };
            open_list(desk, Some(ConsultTab::Meetings));
            desk.show(view);
            desk.show(MinutesEditor::new(id, &about, &draft, &stored));
            desk.say(crate::tr!("minutes.restored"));
        }
        Ok(None) => {}
        Err(e) => desk.fail(&e),
    }
}

impl DeskForm for TopicForm {
    fn title(&self) -> String {
        TopicForm::title(self)
    }

    fn after_save(&self, topic: Topic, desk: &mut Desk) {
        desk.say(crate::tr!("topics.saved"));
        desk.changed(RecordKind::Topic, Some(topic.meta.id));
        open_list(desk, None);
        show_detail(desk, DetailView::topic(&desk.store, topic));
    }
}

impl DeskForm for MeetingEditForm {
    fn title(&self) -> String {
        MeetingEditForm::title(self)
    }

    fn after_save(&self, meeting: Meeting, desk: &mut Desk) {
        desk.say(crate::tr!("meetings.saved"));
        desk.changed(RecordKind::Meeting, Some(meeting.meta.id));
        open_list(desk, Some(ConsultTab::Meetings));
        show_detail(desk, DetailView::meeting(&desk.store, meeting));
    }
}

impl DeskForm for ReportForm {
    fn title(&self) -> String {
        ReportForm::title(self)
    }

    fn after_save(&self, report: Report, desk: &mut Desk) {
        desk.say(crate::tr!("reports.saved"));
        desk.changed(RecordKind::Report, Some(report.meta.id));
        open_list(desk, Some(ConsultTab::Reports));
        show_detail(desk, DetailView::report(&desk.store, report));
    }
}

impl DeskForm for StepForm {
    fn title(&self) -> String {
        StepForm::title(self)
    }

    fn after_save(&self, _saved: (), desk: &mut Desk) {
        desk.say(crate::tr!("roster.saved"));
        desk.changed(RecordKind::Topic, None);
    }

    fn question(
        &mut self,
        _store: &Store,
        today: chrono::NaiveDate,
    ) -> Result<Option<String>, StoreError> {
        Ok(StepForm::question(self, today))
    }

    fn confirm(&mut self) {
        StepForm::confirm(self);
    }
}
