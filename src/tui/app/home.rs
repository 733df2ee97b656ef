//! The home screen: its counts, today's roster, and where each menu key leads.

use super::*;

impl App {
    pub(super) fn refresh_counts(&mut self) {
        if self.station.is_none() {
            return;
        }
        let today = self.today();
        let result = (|| -> Result<DeskCounts, StoreError> {
            let count = |filter: IntakeFilter| self.store.count_intakes(&filter, today);
            Ok(DeskCounts {
                active_members: self.store.count_members(&MemberFilter::default())?,
                visits_today: count(IntakeFilter {
                    from: Some(today),
                    to: Some(today),
                    ..IntakeFilter::default()
                })?,
                overdue: count(IntakeFilter {
                    due: DueFilter::Overdue,
                    ..IntakeFilter::default()
                })?,
                due_today: count(IntakeFilter {
                    due: DueFilter::DueToday,
                    ..IntakeFilter::default()
                })?,
                open_cases: self.store.count_open_cases()?,
                overdue_cases: self.store.count_cases(
                    &crate::store::CaseFilter {
                        overdue: true,
                        ..Default::default()
                    },
                    today,
                )?,
            })
        })();
        match result {
            Ok(counts) => {
                self.counts = counts;
            }
            Err(e) => self.fail(&e),
        }
        match self.store.dashboard(self.now.naive_local()) {
            Ok(board) => self.dashboard = Some(board),
            Err(e) => self.fail(&e),
        }
        let rostered = self.store.shifts_between(today, today).and_then(|shifts| {
            let names = self.store.shift_names(&shifts)?;
            Ok(shifts
                .iter()
                .filter(|s| {
                    !matches!(
                        s.state,
                        crate::domain::roster::ShiftState::Swapped
                            | crate::domain::roster::ShiftState::Leave
                    )
                })
                .map(|s| {
                    format!(
                        "{}（{}{}）",
                        names.get(&s.member_id).cloned().unwrap_or_default(),
                        crate::tr!(s.slot.key()),
                        s.state.mark().trim()
                    )
                })
                .collect::<Vec<_>>()
                .join("、"))
        });
        match rostered {
            Ok(text) => self.rostered_today = text,
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn update_home(&mut self, action: Action) {
        match action {
            Action::OpenMembers => {
                self.screen = Screen::Members;
                self.reload_members_from_top();
            }
            Action::OpenExport => {
                self.screen = Screen::Export;
                self.export = ExportState::open(&self.store);
            }
            Action::OpenConsult => self.open_consult(),
            Action::OpenDocuments => self.open_documents(None),
            Action::OpenRoster => {
                let today = self.today();
                match RosterState::open(&self.store, today) {
                    Ok(roster) => {
                        self.roster = Some(roster);
                        self.screen = Screen::Roster;
                    }
                    Err(e) => self.fail(&e),
                }
            }
            Action::OpenStats => {
                let today = self.today();
                self.open_month_stats(
                    chrono::Datelike::year(&today),
                    chrono::Datelike::month(&today),
                );
            }
            Action::OpenActivities => {
                self.open_activities(Default::default());
            }
            Action::OpenCases => {
                self.screen = Screen::Cases;
                let today = self.today();
                let rows = CasesState::rows_for(self.size.1.saturating_sub(SHELL_ROWS));
                self.cases.window.page = rows;
                if let Err(e) = self.cases.refilter(&self.store, today) {
                    self.fail(&e);
                }
            }
            Action::OpenIntakes => {
                self.screen = Screen::Intakes;
                let today = self.today();
                if let Err(e) = self.intakes.refilter(&self.store, today) {
                    self.fail(&e);
                }
            }
            Action::SignIn => self.open_sign_in(),
            Action::SignOut => {
                if let Some(who) = self.signed_in.take() {
                    if let Err(e) = self.store.sign_out_shift(who.id, self.now.naive_local()) {
                        self.fail(&e);
                    }
                    self.nobody_at_desk();
                    self.forget_sign_in();
                    self.say(crate::tr!(
                        "signin.signed_out",
                        name = crate::text::sanitize(&who.name)
                    ));
                    // With PINs required nobody may change anything: the desk locks.
                    self.refresh_pins_required();
                    if self.pins_required {
                        self.lock();
                    }
                }
            }
            Action::Lock => self.lock(),
            // Every value the form starts with is read, or the form does not open: a default
            // put in place of a failed read would be saved back (PINs turned off unseen).
            Action::OpenSettings => match self.read_settings() {
                Ok(form) => self.show(form),
                Err(e) => {
                    self.message = Some(Message {
                        text: crate::tr!(
                            "settings.unreadable",
                            reason = crate::messages::store_error(&e)
                        ),
                        error: true,
                    });
                }
            },
            _ => {}
        }
    }
}

impl App {
    /// The settings form, filled from the store; any read that fails is the error.
    fn read_settings(&self) -> Result<SettingsForm, StoreError> {
        let slots = self
            .store
            .roster_slots()?
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let committee = self.store.mediation_committee()?;
        let recipient = self
            .store
            .station()?
            .and_then(|s| s.county_recipient)
            .unwrap_or_default();
        Ok(SettingsForm::new(
            crate::tui::screens::settings::SettingsValues {
                language: i18n::current_language(),
                lock_minutes: self.lock_minutes,
                due: self.store.due_policy()?,
                slots: &slots,
                case_days: self.store.case_policy()?.days,
                committee: &committee,
                recipient: &recipient,
                require_pin: self.store.pins_required()?,
            },
        ))
    }
}
