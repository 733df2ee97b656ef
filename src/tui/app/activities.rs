//! Members' activities on the desk: the list, one activity, the form.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::*;
use crate::domain::activity::Activity;
use crate::tui::layer::Step;
use crate::tui::screens::activities::{ActivityDetail, ActivityForm, ActivityList, ActivityScope};
use crate::tui::view::{draw_title, inset};

impl App {
    /// The activity list of `scope` (all activities, or those behind a figure).
    pub(super) fn open_activities(&mut self, scope: ActivityScope) {
        match ActivityList::open(&self.store, scope) {
            Ok(list) => self.show(list),
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn open_activity(&mut self, activity: Activity) {
        match ActivityDetail::load(&self.store, activity) {
            Ok(detail) => self.show(detail),
            Err(e) => self.fail(&e),
        }
    }

    /// The form for a new activity (with `with` as its members) or for `activity`.
    pub(super) fn activity_form(
        &self,
        activity: Option<&Activity>,
        with: &[String],
    ) -> ActivityForm {
        let mut members = self.member_choices();
        // An activity of a member who has since left still shows their name.
        if let Some(a) = activity {
            for id in &a.members {
                if !members.iter().any(|(m, _)| m == id) {
                    if let Ok(Some(member)) = self.store.get_any::<Member>(*id) {
                        members.push((*id, member.fields.name));
                    }
                }
            }
        }
        ActivityForm::new(
            activity,
            &self.store.activity_kinds(),
            &members,
            with,
            self.today(),
        )
    }

    /// The members a new activity starts with: the list's member, else who is signed in.
    fn starting_members(&self, scope: &ActivityScope) -> Vec<String> {
        match (&scope.member, &self.signed_in) {
            (Some((_, name)), _) => vec![name.clone()],
            (None, Some(signed_in)) => vec![signed_in.name.clone()],
            (None, None) => Vec::new(),
        }
    }

    pub(super) fn delete_activity(&mut self, id: uuid::Uuid) {
        match self.store.delete::<Activity>(id) {
            Ok(activity) => {
                self.close::<ActivityDetail>();
                self.say(crate::tr!(
                    "activities.deleted_done",
                    title = crate::text::sanitize(&activity.title)
                ));
                self.changed(RecordKind::Activity);
            }
            Err(e) => self.fail(&e),
        }
    }

    /// The open activity list and detail as stored now.
    pub(super) fn reload_activities(&mut self) {
        let store = &self.store;
        let mut failed = None;
        for layer in self.stack.iter_mut() {
            if let Some(list) = layer.as_any_mut().downcast_mut::<ActivityList>() {
                if let Err(e) = list.reload(store) {
                    failed = Some(e);
                }
            }
        }
        if let Some(e) = failed {
            self.fail(&e);
        }
    }
}

impl Layer for ActivityList {
    fn context(&self, _app: &App) -> KeyContext {
        KeyContext::ActivityList
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        let page = i64::from(app.size.1.saturating_sub(SHELL_ROWS + 2)).max(1);
        if let Some(rows) = action.list_step(page) {
            self.move_by(rows);
            return Step::Stay;
        }
        match action {
            Action::Back => return Step::Close,
            Action::Open => match self.chosen().cloned() {
                Some(activity) => app.open_activity(activity),
                None => app.say(crate::tr!("activities.empty")),
            },
            Action::New => {
                let with = app.starting_members(&self.scope);
                return Step::push(app.activity_form(None, &with));
            }
            _ => {}
        }
        Step::Stay
    }

    fn draw(&self, _app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&self.title(), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl Layer for ActivityDetail {
    fn context(&self, _app: &App) -> KeyContext {
        KeyContext::ActivityDetail
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        if let Some(rows) = action.scroll_rows() {
            self.scroll_by(rows);
            return Step::Stay;
        }
        match action {
            Action::Back => Step::Close,
            Action::Edit => Step::push(app.activity_form(Some(&self.activity), &[])),
            Action::Delete => Step::Confirm(
                Pending::DeleteActivity(self.activity.meta.id),
                crate::tr!(
                    "confirm.delete_activity",
                    title = crate::text::sanitize(&self.activity.title)
                ),
            ),
            _ => Step::Stay,
        }
    }

    fn draw(&self, _app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("activities.detail_title"), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl DeskForm for ActivityForm {
    fn title(&self, _app: &App) -> String {
        ActivityForm::title(self)
    }

    fn after_save(&self, activity: Activity, app: &mut App) {
        app.say(crate::tr!(
            "activities.saved",
            title = crate::text::sanitize(&activity.title)
        ));
        app.changed(RecordKind::Activity);
        if let Some(list) = app.layer_mut::<ActivityList>() {
            list.select(activity.meta.id);
        }
        app.open_activity(activity);
    }
}
