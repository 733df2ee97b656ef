//! The member registry's forms on the desk.

use super::*;

impl DeskForm for MemberForm {
    fn title(&self, _app: &App) -> String {
        MemberForm::title(self)
    }

    fn after_save(&self, member: Member, app: &mut App) {
        app.say(crate::tr!(
            "members.saved",
            name = crate::text::sanitize(&member.fields.name)
        ));
        if let Err(e) = app.members.show_among_all(&app.store, &member) {
            app.fail(&e);
        }
        app.changed(RecordKind::Member);
        // A PIN may have been set or removed.
        app.refresh_pins_required();
        // The station's first member ends its setup: from now on changes need a sign-in.
        if app.signed_in.is_none() {
            app.nobody_at_desk();
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

impl App {
    /// The active members, `(id, name)`, for selection lists.
    pub(super) fn member_choices(&self) -> Vec<(Uuid, String)> {
        self.store
            .members_after(&MemberFilter::default(), None, 500)
            .map(|members| {
                members
                    .into_iter()
                    .map(|m| (m.meta.id, m.fields.name))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(super) fn reload_members_from_top(&mut self) {
        let rows = MembersState::rows_for(self.size.1.saturating_sub(SHELL_ROWS));
        self.members.window.page = rows;
        if let Err(e) = self.members.refilter(&self.store) {
            self.fail(&e);
        }
    }

    pub(super) fn reload_members(&mut self) {
        let result = self
            .store
            .count_members(&self.members.filter())
            .map(|n| self.members.total = n)
            .and_then(|_| self.members.reload(&self.store));
        if let Err(e) = result {
            self.fail(&e);
        }
        self.refresh_counts();
    }

    pub(super) fn update_members(&mut self, action: Action) {
        let store = &self.store;
        let result = match action {
            Action::Input(key) => self.members.input(store, key),
            Action::Paste(text) => self.members.paste(store, &text),
            ref movement if movement.is_movement() => {
                let source = self.members.source(store);
                navigate(&mut self.members.window, &source, movement)
            }
            Action::Back => {
                if self.members.deleted_view {
                    self.members.deleted_view = false;
                    self.members.refilter(store)
                } else {
                    self.screen = Screen::Home;
                    self.refresh_counts();
                    Ok(())
                }
            }
            Action::Open => {
                self.open_chosen_member_record();
                Ok(())
            }
            Action::OpenAssessment => {
                let year = chrono::Datelike::year(&self.today());
                self.open_assessment(year);
                Ok(())
            }
            Action::ToggleDeletedView => {
                self.members.deleted_view = !self.members.deleted_view;
                self.members.filter.clear();
                self.members.refilter(store)
            }
            Action::New => {
                let form = MemberForm::new(
                    None,
                    false,
                    &store.choice_list("sectors"),
                    &store.choice_list("parties"),
                );
                self.show(form);
                Ok(())
            }
            Action::Edit => {
                if let Some(member) = self.members.selected_member().cloned() {
                    match store.member_has_pin(member.meta.id) {
                        Ok(has_pin) => {
                            let form = MemberForm::new(
                                Some(&member),
                                has_pin,
                                &store.choice_list("sectors"),
                                &store.choice_list("parties"),
                            );
                            self.show(form);
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                } else {
                    Ok(())
                }
            }
            Action::ToggleActive => {
                if let Some(member) = self.members.selected_member().cloned() {
                    let active = !member.fields.active;
                    let key = if active {
                        "members.activated"
                    } else {
                        "members.deactivated"
                    };
                    let changed = self.store.set_member_active(member.meta.id, active);
                    self.member_changed(changed, key)
                } else {
                    Ok(())
                }
            }
            Action::Delete => {
                if let Some(member) = self.members.selected_member() {
                    let question = crate::tr!(
                        "confirm.delete_member",
                        name = crate::text::sanitize(&member.fields.name)
                    );
                    self.popup(Overlay::Confirm(
                        Pending::DeleteMember(member.meta.id),
                        question,
                    ));
                }
                Ok(())
            }
            Action::Restore => {
                if let Some(member) = self.members.selected_member().cloned() {
                    let changed = self.store.restore::<Member>(member.meta.id);
                    self.member_changed(changed, "members.restored")
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    /// A member was changed from the list: say so by name, and show the list as it is now.
    fn member_changed(
        &mut self,
        changed: crate::store::StoreResult<Member>,
        key: &str,
    ) -> crate::store::StoreResult<()> {
        let member = changed?;
        self.say(crate::tr!(
            key,
            name = crate::text::sanitize(&member.fields.name)
        ));
        self.reload_members();
        Ok(())
    }
}
