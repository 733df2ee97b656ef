//! Members' activities on the desk: the list, one activity, the form.

use super::*;
use crate::domain::activity::Activity;
use crate::domain::{Member, RecordKind};
use crate::text::sanitize;
use crate::tui::screens::activities::{ActivityDetail, ActivityForm, ActivityList, ActivityScope};

/// The activity list of `scope` (all activities, or those behind a figure).
pub fn open_list(desk: &mut Desk, scope: ActivityScope) {
    match ActivityList::open(&desk.store, scope) {
        Ok(list) => desk.show(list),
        Err(e) => desk.fail(&e),
    }
}

pub fn open_activity(desk: &mut Desk, activity: Activity) {
    match ActivityDetail::load(&desk.store, activity) {
        Ok(detail) => desk.show(detail),
        Err(e) => desk.fail(&e),
    }
}

/// The form for a new activity (with `with` as its members) or for `activity`.
fn activity_form(desk: &mut Desk, activity: Option<&Activity>, with: &[String]) -> ActivityForm {
    let mut members = desk.member_choices();
    // An activity of a member who has since left still shows their name.
    if let Some(a) = activity {
        for id in &a.members {
            if !members.iter().any(|(m, _)| m == id) {
                if let Ok(Some(member)) = desk.store.get_any::<Member>(*id) {
                    members.push((*id, member.fields.name));
                }
            }
        }
    }
    ActivityForm::new(
        activity,
        &desk.store.activity_kinds(),
        &members,
        with,
        desk.today(),
    )
}

/// The members a new activity starts with: the list's member, else who is signed in.
fn starting_members(desk: &Desk, scope: &ActivityScope) -> Vec<String> {
    match (&scope.member, &desk.signed_in) {
        (Some((_, name)), _) => vec![name.clone()],
        (None, Some(signed_in)) => vec![signed_in.name.clone()],
        (None, None) => Vec::new(),
    }
}

impl Layer for ActivityList {
    fn context(&self) -> KeyContext {
        KeyContext::ActivityList
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        if let Some(rows) = action.list_step(page_rows(desk, 2)) {
            self.move_by(rows);
            return Step::Stay;
        }
        match action {
            Action::Back => return Step::Close,
            Action::Open => match self.chosen().cloned() {
                Some(activity) => open_activity(desk, activity),
                None => desk.say(crate::tr!("activities.empty")),
            },
            Action::New => {
                let with = starting_members(desk, &self.scope);
                return Step::push(activity_form(desk, None, &with));
            }
            _ => {}
        }
        Step::Stay
    }

    /// The list as stored now, with a saved activity chosen.
    fn refresh(&mut self, kind: RecordKind, id: Option<uuid::Uuid>, desk: &mut Desk) {
        if !matches!(kind, RecordKind::Activity | RecordKind::Member) {
            return;
        }
        if let Err(e) = self.reload(&desk.store) {
            desk.fail(&e);
        }
        if let (RecordKind::Activity, Some(id)) = (kind, id) {
            self.select(id);
        }
    }

    fn draw(&self, _desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&self.title(), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl Layer for ActivityDetail {
    fn context(&self) -> KeyContext {
        KeyContext::ActivityDetail
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        if let Some(rows) = action.scroll_rows() {
            self.scroll_by(rows);
            return Step::Stay;
        }
        match action {
            Action::Back => Step::Close,
            Action::Edit => Step::push(activity_form(desk, Some(&self.activity), &[])),
            Action::Delete => {
                let title = sanitize(&self.activity.title);
                Step::Confirm(
                    Pending::Delete {
                        kind: RecordKind::Activity,
                        id: self.activity.meta.id,
                        done: crate::tr!("activities.deleted_done", title = title),
                    },
                    crate::tr!("confirm.delete_activity", title = title),
                )
            }
            _ => Step::Stay,
        }
    }

    /// The activity as stored now.
    fn refresh(&mut self, kind: RecordKind, _id: Option<uuid::Uuid>, desk: &mut Desk) {
        if kind != RecordKind::Activity {
            return;
        }
        let id = self.activity.meta.id;
        if let Some(mut detail) = reloaded::<Activity, _>(desk, id, ActivityDetail::load) {
            detail.scroll = self.scroll;
            *self = detail;
        }
    }

    fn shows(&self) -> Option<(RecordKind, uuid::Uuid)> {
        Some((RecordKind::Activity, self.activity.meta.id))
    }

    fn draw(&self, _desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("activities.detail_title"), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl DeskForm for ActivityForm {
    fn title(&self) -> String {
        ActivityForm::title(self)
    }

    fn after_save(&self, activity: Activity, desk: &mut Desk) {
        desk.say(crate::tr!(
            "activities.saved",
            title = sanitize(&activity.title)
        ));
        desk.changed(RecordKind::Activity, Some(activity.meta.id));
        // A new one opens; an edited one is shown again where it is open.
        if self.editing.is_none() {
            open_activity(desk, activity);
        }
    }
}
