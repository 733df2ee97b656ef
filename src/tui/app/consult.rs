//! The consultation part of the desk's `update`: the lists and the 4+X, topics through their
//! loop, meetings with minutes and recommendations, reports, drafts from marked intakes, the
//! minutes editor with its drafts, and the minutes document.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::*;
use crate::domain::consult::{Meeting, Report, Topic};
use crate::tui::layer::{Layer, Step};
use crate::tui::screens::consult::{ConsultDetail, ConsultState, ConsultTab, DetailView};
use crate::tui::screens::consult_form::{
    MeetingEditForm, ReportForm, StepForm, StepKind, TopicForm,
};
use crate::tui::screens::minutes_editor::MinutesEditor;
use crate::tui::view::{draw_title, inset};

impl App {
    pub(super) fn open_consult(&mut self) {
        match ConsultState::open(&self.store, self.now.naive_local()) {
            Ok(state) => {
                self.consult = Some(state);
                self.screen = Screen::Consult;
            }
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn reload_consult(&mut self) {
        let now = self.now.naive_local();
        if let Some(consult) = self.consult.as_mut() {
            if let Err(e) = consult.reload(&self.store, now) {
                self.fail(&e);
            }
        }
    }

    fn topic_choices(&self) -> Vec<(Uuid, String)> {
        self.store
            .topics(500)
            .map(|topics| topics.into_iter().map(|t| (t.meta.id, t.title)).collect())
            .unwrap_or_default()
    }

    fn signed_in_name(&self) -> String {
        self.signed_in
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }

    pub(super) fn open_topic(&mut self, topic: Topic) {
        match DetailView::topic(&self.store, topic) {
            Ok(view) => self.show(view),
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn open_meeting(&mut self, meeting: Meeting) {
        match DetailView::meeting(&self.store, meeting) {
            Ok(view) => self.show(view),
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn open_report(&mut self, report: Report) {
        match DetailView::report(&self.store, report) {
            Ok(view) => self.show(view),
            Err(e) => self.fail(&e),
        }
    }

    /// Opens the meeting form, for a new meeting on `topic` or to edit `meeting`.
    fn open_meeting_form(&mut self, meeting: Option<&Meeting>, topic: Option<Uuid>) {
        let topics = self.topic_choices();
        let members = self.member_choices();
        let host = self.signed_in_name();
        let form = MeetingEditForm::new(
            meeting,
            topic,
            &topics,
            &members,
            &host,
            self.now.naive_local(),
        );
        self.show(form);
    }

    pub(super) fn update_consult(&mut self, action: Action) {
        let Some(consult) = self.consult.as_mut() else {
            self.screen = Screen::Home;
            return;
        };
        match action {
            Action::ShowTab(n) => {
                consult.tab = match n {
                    2 => ConsultTab::Meetings,
                    3 => ConsultTab::Reports,
                    _ => ConsultTab::Topics,
                }
            }
            Action::Up => consult.move_by(-1),
            Action::Down => consult.move_by(1),
            Action::PageUp => consult.move_by(-10),
            Action::PageDown => consult.move_by(10),
            Action::Open => match consult.tab {
                ConsultTab::Topics => {
                    if let Some(t) = consult.selected_topic().cloned() {
                        self.open_topic(t);
                    }
                }
                ConsultTab::Meetings => {
                    if let Some(m) = consult.selected_meeting().cloned() {
                        self.open_meeting(m);
                    }
                }
                ConsultTab::Reports => {
                    if let Some(r) = consult.selected_report().cloned() {
                        self.open_report(r);
                    }
                }
            },
            Action::New => match consult.tab {
                ConsultTab::Topics => {
                    self.show(TopicForm::new(None, Vec::new(), ("", "")));
                }
                ConsultTab::Meetings => {
                    let topic = consult.selected_topic().map(|t| t.meta.id);
                    self.open_meeting_form(None, topic);
                }
                ConsultTab::Reports => {
                    let members = self.member_choices();
                    let topics = self.topic_choices();
                    let me = self.signed_in_name();
                    self.show(ReportForm::new(
                        None,
                        ("", ""),
                        Vec::new(),
                        &me,
                        &members,
                        &topics,
                    ));
                }
            },
            Action::Back => {
                self.consult = None;
                self.screen = Screen::Home;
                self.refresh_counts();
            }
            _ => {}
        }
    }

    /// Asks once before answering and closing the visits behind a topic or report, saying
    /// what they will be told; says why not when it has no result or nothing waits for it.
    fn ask_answer_visits(&mut self, kind: crate::domain::RecordKind, id: Uuid) -> Step {
        let asked = self
            .store
            .handover_answer(kind, id)
            .and_then(|text| Ok((text, self.store.visits_behind(kind, id)?.len())));
        match asked {
            Ok((_, 0)) => self.say(crate::tr!("consult.no_visits_waiting")),
            Ok((text, count)) => {
                return Step::Confirm(
                    Pending::AnswerVisits(kind, id),
                    crate::tr!(
                        "consult.confirm_answer_visits",
                        count = count,
                        text = crate::text::sanitize(&text),
                        date = self.today().format("%Y-%m-%d")
                    ),
                )
            }
            Err(e) => self.fail(&e),
        }
        Step::Stay
    }

    /// Answers and closes the visits behind a topic or report, once the person said yes.
    pub(super) fn answer_visits(&mut self, kind: crate::domain::RecordKind, id: Uuid) {
        match self.store.answer_visits_behind(kind, id, self.today()) {
            Ok(count) => {
                self.say(crate::tr!("consult.answered_visits", count = count));
                self.refresh_counts();
            }
            Err(e) => self.fail(&e),
        }
    }

    /// Takes a topic to its next step of the loop.
    pub(super) fn advance_topic(&mut self, id: Uuid) {
        let now = self.now.naive_local();
        match self
            .store
            .topic_event(id, crate::domain::consult::TopicEvent::Advance, now)
        {
            Ok(topic) => {
                self.say(crate::tr!(
                    "topics.step_now",
                    step = crate::tr!(topic.step.key())
                ));
                self.open_topic(topic);
            }
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn update_consult_detail(&mut self, view: &mut DetailView, action: Action) -> Step {
        let today = self.today();
        match action {
            Action::PageUp => view.scroll_by(-10),
            Action::PageDown => view.scroll_by(10),
            Action::Back => {
                self.reload_consult();
                return Step::Close;
            }
            _ => {}
        }
        match (&mut view.detail, action) {
            (ConsultDetail::Topic { .. } | ConsultDetail::Report { .. }, Action::Up) => {
                view.scroll_by(-1)
            }
            (ConsultDetail::Topic { .. } | ConsultDetail::Report { .. }, Action::Down) => {
                view.scroll_by(1)
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
                self.show(StepForm::new(StepKind::Decide, topic.meta.id, 0, today));
            }
            (ConsultDetail::Topic { topic, .. }, Action::Research) => {
                self.show(StepForm::new(StepKind::Research, topic.meta.id, 0, today));
            }
            // A completed loop reopens with a written reason; any other step says why not.
            (ConsultDetail::Topic { topic, .. }, Action::ReopenClosed) => {
                if topic.step == crate::domain::consult::TopicStep::Completed {
                    self.show(StepForm::new(StepKind::Reopen, topic.meta.id, 0, today));
                } else {
                    self.message = Some(Message {
                        text: crate::tr!(
                            "topics.reopen_not_completed",
                            step = crate::tr!(topic.step.key())
                        ),
                        error: true,
                    });
                }
            }
            (ConsultDetail::Topic { topic, .. }, Action::AnswerVisits) => {
                let id = topic.meta.id;
                return self.ask_answer_visits(crate::domain::RecordKind::Topic, id);
            }
            (ConsultDetail::Report { report, .. }, Action::AnswerVisits) => {
                let id = report.meta.id;
                return self.ask_answer_visits(crate::domain::RecordKind::Report, id);
            }
            // The last step completes the loop: it says so and asks once.
            (ConsultDetail::Topic { topic, .. }, Action::AdvanceTopic)
                if topic.step == crate::domain::consult::TopicStep::Submitted =>
            {
                return Step::Confirm(
                    Pending::CompleteTopic(topic.meta.id),
                    crate::tr!(
                        "topics.confirm_complete",
                        title = crate::text::sanitize(&topic.title)
                    ),
                );
            }
            (ConsultDetail::Topic { topic, .. }, Action::AdvanceTopic) => {
                let id = topic.meta.id;
                self.advance_topic(id);
            }
            (ConsultDetail::Topic { topic, .. }, Action::NewMeeting) => {
                let id = topic.meta.id;
                self.open_meeting_form(None, Some(id));
            }
            (ConsultDetail::Topic { topic, .. }, Action::Edit) => {
                let topic = topic.clone();
                self.show(TopicForm::new(Some(&topic), Vec::new(), ("", "")));
            }
            (ConsultDetail::Meeting { meeting, .. }, Action::Edit) => {
                let meeting = meeting.clone();
                self.open_meeting_form(Some(&meeting), None);
            }
            (
                ConsultDetail::Meeting {
                    meeting, titles, ..
                },
                Action::EditMinutes,
            ) => {
                let about = titles.join("；");
                let (id, stored) = (meeting.meta.id, meeting.minutes.clone());
                let text = self
                    .store
                    .draft(id)
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| stored.clone());
                self.show(MinutesEditor::new(id, &about, &text, &stored));
            }
            (ConsultDetail::Meeting { meeting, .. }, Action::AddRecommendation) => {
                self.show(StepForm::new(
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
                    self.message = Some(Message {
                        text: crate::tr!("meetings.no_recommendation"),
                        error: true,
                    });
                    return Step::Stay;
                }
                let step = if kind == Action::SubmitRecommendation {
                    StepKind::Submit
                } else {
                    StepKind::Feedback
                };
                self.show(StepForm::new(step, meeting.meta.id, *selected, today));
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
                let meeting = meeting.clone();
                let names: Vec<(Uuid, String)> =
                    names.iter().map(|(k, v)| (*k, v.clone())).collect();
                let titles = titles.clone();
                self.write_minutes(&meeting, &names, &titles);
            }
            (ConsultDetail::Report { report, .. }, Action::Edit) => {
                let report = report.clone();
                let members = self.member_choices();
                let topics = self.topic_choices();
                self.show(ReportForm::new(
                    Some(&report),
                    ("", ""),
                    Vec::new(),
                    "",
                    &members,
                    &topics,
                ));
            }
            (ConsultDetail::Report { report, .. }, Action::SubmitReport) => {
                self.show(StepForm::new(
                    StepKind::ReportSubmit,
                    report.meta.id,
                    0,
                    today,
                ));
            }
            (ConsultDetail::Report { report, .. }, Action::ReportResult) => {
                self.show(StepForm::new(
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

    fn write_minutes(&mut self, meeting: &Meeting, names: &[(Uuid, String)], titles: &[String]) {
        let Some(station) = self.station.clone() else {
            return;
        };
        let context = crate::documents::minutes::MinutesContext {
            station: &station,
            member_names: names,
            topic_titles: titles,
        };
        let written = crate::documents::minutes::write_minutes(
            meeting,
            &context,
            &crate::documents::documents_dir(self.store.path()),
        );
        match written {
            Ok(path) => self.document_written(vec![path]),
            Err(e) => self.document_failed(&e),
        }
    }

    /// Reopens what the detail view shows, as stored now.
    pub(super) fn refresh_consult_detail(&mut self) {
        let Some(view) = self.layer::<DetailView>() else {
            return;
        };
        let result = match &view.detail {
            ConsultDetail::Topic { topic, .. } => self
                .store
                .get::<Topic>(topic.meta.id)
                .map(|t| t.map(|t| self.open_topic(t))),
            ConsultDetail::Meeting {
                meeting, selected, ..
            } => {
                let selected = *selected;
                self.store.get::<Meeting>(meeting.meta.id).map(|m| {
                    m.map(|m| {
                        self.open_meeting(m);
                        if let Some(ConsultDetail::Meeting {
                            selected: s,
                            meeting,
                            ..
                        }) = self.layer_mut::<DetailView>().map(|v| &mut v.detail)
                        {
                            *s = selected.min(meeting.recommendations.len().saturating_sub(1));
                        }
                    })
                })
            }
            ConsultDetail::Report { report, .. } => self
                .store
                .get::<Report>(report.meta.id)
                .map(|r| r.map(|r| self.open_report(r))),
        };
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    /// The marked intakes, in the order of their visits.
    fn marked_intakes(&mut self) -> Vec<Intake> {
        let mut intakes = Vec::new();
        for id in &self.intakes.marked {
            match self.store.get::<Intake>(*id) {
                Ok(Some(i)) => intakes.push(i),
                Ok(None) => {}
                Err(e) => {
                    self.fail(&e);
                    return Vec::new();
                }
            }
        }
        intakes.sort_by_key(|i| i.fields.visited_at);
        intakes
    }

    /// `t` and `p` on the intake list: a topic or a report from the marked visits (or the
    /// highlighted one when none is marked).
    pub(super) fn draft_from_marked_intakes(&mut self, action: Action) {
        if self.intakes.marked.is_empty() {
            if let Some(i) = self.intakes.selected() {
                self.intakes.marked.insert(i.meta.id);
            }
        }
        let intakes = self.marked_intakes();
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
            self.show(TopicForm::new(None, ids, (&topic_title, &description)));
        } else {
            let members = self.member_choices();
            let topics = self.topic_choices();
            let me = self.signed_in_name();
            self.show(ReportForm::new(
                None,
                (&title, &body),
                ids,
                &me,
                &members,
                &topics,
            ));
        }
    }

    pub(super) fn update_minutes(&mut self, editor: &mut MinutesEditor, action: Action) -> Step {
        match action {
            Action::Input(key) => editor.input(key),
            Action::Paste(text) => editor.paste(&text),
            Action::Undo => editor.undo(),
            Action::Redo => editor.redo(),
            Action::Find => editor.find(),
            Action::Save => {
                let (id, text) = (editor.meeting, editor.text());
                match self.store.set_minutes(id, &text) {
                    Ok(_) => {
                        editor.mark_saved();
                        self.say(crate::tr!("meetings.minutes_saved"));
                        self.changed(RecordKind::Meeting);
                    }
                    Err(e) => self.fail(&e),
                }
            }
            Action::Back => {
                if editor.close_search() {
                    return Step::Stay;
                }
                return if editor.is_dirty() {
                    Step::Confirm(Pending::DiscardMinutes, crate::tr!("minutes.discard"))
                } else {
                    Step::Close
                };
            }
            _ => {}
        }
        Step::Stay
    }

    /// Saves the minutes being typed as a draft, every few seconds while they change.
    pub(super) fn save_minutes_draft(&mut self) {
        let now = self.now.naive_local();
        let due = self
            .layer_mut::<MinutesEditor>()
            .and_then(|editor| Some((editor.meeting, editor.draft_due(now)?)));
        if let Some((id, text)) = due {
            if let Err(e) = self.store.save_draft(id, &text, now) {
                self.fail(&e);
            }
        }
    }

    /// At start: minutes left unsaved by a crash are offered back.
    pub(super) fn offer_drafts(&mut self) {
        match self.store.pending_drafts() {
            Ok(drafts) => {
                if let Some((meeting, at, _)) = drafts.into_iter().next() {
                    self.popup(Overlay::Confirm(
                        Pending::RestoreDraft(meeting.meta.id),
                        crate::tr!(
                            "minutes.restore",
                            when = at,
                            meeting = format!(
                                "{} {}",
                                meeting.held_at.format("%Y-%m-%d"),
                                crate::text::sanitize(&meeting.place)
                            )
                        ),
                    ));
                }
            }
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn restore_draft(&mut self, id: Uuid, restore: bool) {
        if !restore {
            match self.store.discard_draft(id) {
                // The next unsaved draft, if another meeting has one.
                Ok(()) => self.offer_drafts(),
                Err(e) => self.fail(&e),
            }
            return;
        }
        let result = self.store.get::<Meeting>(id).and_then(|meeting| {
            let draft = self.store.draft(id)?;
            Ok(meeting.zip(draft))
        });
        match result {
            Ok(Some((meeting, draft))) => {
                let stored = meeting.minutes.clone();
                self.open_consult();
                if let Some(consult) = self.consult.as_mut() {
                    consult.tab = ConsultTab::Meetings;
                }
                self.open_meeting(meeting);
                let about = match self.layer::<DetailView>().map(|v| &v.detail) {
                    Some(ConsultDetail::Meeting { titles, .. }) => titles.join("；"),
                    _ => String::new(),
                };
                self.show(MinutesEditor::new(id, &about, &draft, &stored));
                self.say(crate::tr!("minutes.restored"));
            }
            Ok(None) => {}
            Err(e) => self.fail(&e),
        }
    }
}

impl Layer for DetailView {
    fn context(&self, _app: &App) -> KeyContext {
        match self.detail {
            ConsultDetail::Topic { .. } => KeyContext::TopicDetail,
            ConsultDetail::Meeting { .. } => KeyContext::MeetingDetail,
            ConsultDetail::Report { .. } => KeyContext::ReportDetail,
        }
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        app.update_consult_detail(self, action)
    }

    fn draw(&self, _app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&self.title(), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl Layer for MinutesEditor {
    fn context(&self, _app: &App) -> KeyContext {
        if self.search.is_some() {
            KeyContext::MinutesSearch
        } else {
            KeyContext::MinutesEditor
        }
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        app.update_minutes(self, action)
    }

    fn draw(&self, _app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(
            &format!(
                "{} — {}",
                crate::tr!("minutes.title"),
                crate::text::sanitize(&self.about)
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

impl DeskForm for TopicForm {
    fn title(&self, _app: &App) -> String {
        TopicForm::title(self)
    }

    fn after_save(&self, topic: Topic, app: &mut App) {
        app.say(crate::tr!("topics.saved"));
        app.intakes.marked.clear();
        app.open_consult();
        app.open_topic(topic);
    }
}

impl DeskForm for MeetingEditForm {
    fn title(&self, _app: &App) -> String {
        MeetingEditForm::title(self)
    }

    fn after_save(&self, meeting: Meeting, app: &mut App) {
        app.say(crate::tr!("meetings.saved"));
        app.open_consult();
        if let Some(consult) = app.consult.as_mut() {
            consult.tab = ConsultTab::Meetings;
        }
        app.open_meeting(meeting);
    }
}

impl DeskForm for ReportForm {
    fn title(&self, _app: &App) -> String {
        ReportForm::title(self)
    }

    fn after_save(&self, report: Report, app: &mut App) {
        app.say(crate::tr!("reports.saved"));
        app.intakes.marked.clear();
        app.open_consult();
        if let Some(consult) = app.consult.as_mut() {
            consult.tab = ConsultTab::Reports;
        }
        app.open_report(report);
    }
}

impl DeskForm for StepForm {
    fn title(&self, _app: &App) -> String {
        StepForm::title(self)
    }

    fn after_save(&self, _saved: (), app: &mut App) {
        app.say(crate::tr!("roster.saved"));
        app.changed(RecordKind::Topic);
    }

    fn question(
        &mut self,
        _store: &crate::store::Store,
        today: chrono::NaiveDate,
    ) -> Result<Option<String>, StoreError> {
        Ok(StepForm::question(self, today))
    }

    fn confirm(&mut self) {
        StepForm::confirm(self);
    }
}
