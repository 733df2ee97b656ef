//! The member registry on the desk: the list and the member's form.

use super::*;
use crate::domain::{Member, RecordKind};
use crate::text::sanitize;
use crate::tui::screens::member_form::MemberForm;
use crate::tui::screens::members::MembersState;

/// The registry, from the top, as the screen above the home screen.
pub fn open_list(desk: &mut Desk) {
    let mut list = MembersState::default();
    list.window.page = MembersState::rows_for(desk.body_rows());
    match list.refilter(&desk.store) {
        Ok(()) => desk.base(list),
        Err(e) => desk.fail(&e),
    }
}

/// The form for a new member, or to edit `member`.
pub fn form(desk: &Desk, member: Option<&Member>) -> Result<MemberForm, StoreError> {
    let has_pin = match member {
        Some(m) => desk.store.member_has_pin(m.meta.id)?,
        None => false,
    };
    Ok(MemberForm::new(
        member,
        has_pin,
        &desk.store.choice_list("sectors"),
        &desk.store.choice_list("parties"),
    ))
}

impl Layer for MembersState {
    fn context(&self) -> KeyContext {
        if self.deleted_view {
            KeyContext::DeletedList
        } else {
            KeyContext::List
        }
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        let result = match action {
            Action::Input(key) => self.input(&desk.store, key),
            Action::Paste(text) => self.paste(&desk.store, &text),
            ref movement if movement.is_movement() => {
                let source = self.source(&desk.store);
                navigate(&mut self.window, &source, movement)
            }
            Action::Back if self.deleted_view => {
                self.deleted_view = false;
                self.refilter(&desk.store)
            }
            Action::Back => return Step::Close,
            Action::Open => {
                if let Some(member) = self.selected_member() {
                    let period = crate::domain::performance::Period::year_of(desk.today());
                    super::member_record::open_record(desk, member.meta.id, period);
                }
                Ok(())
            }
            Action::OpenAssessment => {
                let year = chrono::Datelike::year(&desk.today());
                super::member_record::open_assessment(desk, year);
                Ok(())
            }
            Action::ToggleDeletedView => {
                self.deleted_view = !self.deleted_view;
                self.filter.clear();
                self.refilter(&desk.store)
            }
            Action::New => form(desk, None).map(|f| desk.show(f)),
            Action::Edit => match self.selected_member() {
                Some(member) => form(desk, Some(member)).map(|f| desk.show(f)),
                None => Ok(()),
            },
            Action::ToggleActive => match self.selected_member().cloned() {
                Some(member) => {
                    let active = !member.fields.active;
                    let key = if active {
                        "members.activated"
                    } else {
                        "members.deactivated"
                    };
                    desk.store
                        .set_member_active(member.meta.id, active)
                        .map(|m| member_changed(desk, &m, key))
                }
                None => Ok(()),
            },
            Action::Delete => {
                if let Some(member) = self.selected_member() {
                    let name = sanitize(&member.fields.name);
                    return Step::Confirm(
                        Pending::Delete {
                            kind: RecordKind::Member,
                            id: member.meta.id,
                            done: crate::tr!("members.deleted_done", name = name),
                        },
                        crate::tr!("confirm.delete_member", name = name),
                    );
                }
                Ok(())
            }
            Action::Restore => match self.selected_member().cloned() {
                Some(member) => desk
                    .store
                    .restore::<Member>(member.meta.id)
                    .map(|m| member_changed(desk, &m, "members.restored")),
                None => Ok(()),
            },
            _ => Ok(()),
        };
        if let Err(e) = result {
            desk.fail(&e);
        }
        Step::Stay
    }

    fn refresh(&mut self, kind: RecordKind, _id: Option<uuid::Uuid>, desk: &mut Desk) {
        if kind != RecordKind::Member {
            return;
        }
        let result = desk
            .store
            .count_members(&self.filter())
            .map(|n| self.total = n)
            .and_then(|_| self.reload(&desk.store));
        if let Err(e) = result {
            desk.fail(&e);
        }
    }

    fn resize(&mut self, desk: &mut Desk) {
        let rows = MembersState::rows_for(desk.body_rows());
        let source = self.source(&desk.store);
        if let Err(e) = self.window.set_page(&source, rows) {
            desk.fail(&e);
        }
    }

    fn is_base(&self) -> bool {
        true
    }

    fn draw(&self, _desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        let key = if self.deleted_view {
            "members.bin_title"
        } else {
            "members.title"
        };
        draw_title(&crate::tr!(key), title, buf);
        self.render(body, buf)
    }
}

/// A member was changed from the list: say so by name; the list catches up with the change.
fn member_changed(desk: &mut Desk, member: &Member, key: &str) {
    desk.say(crate::tr!(key, name = sanitize(&member.fields.name)));
    desk.changed(RecordKind::Member, Some(member.meta.id));
}

impl DeskForm for MemberForm {
    fn title(&self) -> String {
        MemberForm::title(self)
    }

    fn after_save(&self, member: Member, desk: &mut Desk) {
        desk.say(crate::tr!(
            "members.saved",
            name = sanitize(&member.fields.name)
        ));
        desk.changed(RecordKind::Member, Some(member.meta.id));
        // The registry shows every member, with the one saved among its neighbours.
        let mut list = MembersState::default();
        list.window.page = MembersState::rows_for(desk.body_rows());
        match list.show_among_all(&desk.store, &member) {
            Ok(()) => desk.base(list),
            Err(e) => desk.fail(&e),
        }
    }

    fn question(
        &mut self,
        store: &Store,
        today: chrono::NaiveDate,
    ) -> Result<Option<String>, StoreError> {
        MemberForm::question(self, store, today)
    }

    fn confirm(&mut self) {
        MemberForm::confirm(self);
    }
}
