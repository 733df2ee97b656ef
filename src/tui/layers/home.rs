//! The home screen: its counts, today's roster, and where each menu key leads.

use super::*;
use crate::domain::RecordKind;
use crate::store::{DueFilter, IntakeFilter, MemberFilter};
use crate::tui::layer::{Effect, SessionEffect};
use crate::tui::screens::home::{DeskCounts, Home, HomeView};

impl Home {
    /// The home screen, counted.
    pub fn open(desk: &mut Desk) -> Home {
        let mut home = Home::default();
        home.count(desk);
        home
    }

    /// Counts what the home screen shows, from the store as it is now.
    pub fn count(&mut self, desk: &mut Desk) {
        if desk.station.is_none() {
            return;
        }
        let today = desk.today();
        let store = &desk.store;
        let result = (|| -> Result<DeskCounts, StoreError> {
            let count = |filter: IntakeFilter| store.count_intakes(&filter, today);
            Ok(DeskCounts {
                active_members: store.count_members(&MemberFilter::default())?,
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
                open_cases: store.count_open_cases()?,
                overdue_cases: store.count_cases(
                    &crate::store::CaseFilter {
                        overdue: true,
                        ..Default::default()
                    },
                    today,
                )?,
            })
        })();
        match result {
            Ok(counts) => self.counts = counts,
            Err(e) => desk.fail(&e),
        }
        match desk.store.dashboard(desk.local_now()) {
            Ok(board) => self.dashboard = Some(board),
            Err(e) => desk.fail(&e),
        }
        match rostered_today(&desk.store, today) {
            Ok(text) => self.rostered = text,
            Err(e) => desk.fail(&e),
        }
    }
}

/// Who the roster has on duty today, in words ("李秀兰（上午）、王建国（下午）").
fn rostered_today(store: &Store, today: chrono::NaiveDate) -> Result<String, StoreError> {
    let shifts = store.shifts_between(today, today)?;
    let names = store.shift_names(&shifts)?;
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
}

impl Layer for Home {
    fn context(&self) -> KeyContext {
        KeyContext::Home
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        let today = desk.today();
        match action {
            Action::OpenMembers => super::members::open_list(desk),
            Action::OpenExport => super::export::open(desk),
            Action::OpenConsult => super::consult::open_list(desk, None),
            Action::OpenDocuments => super::documents::open_list(desk, None),
            Action::OpenRoster => super::roster::open(desk, today),
            Action::OpenStats => super::member_record::open_month_stats(
                desk,
                chrono::Datelike::year(&today),
                chrono::Datelike::month(&today),
            ),
            Action::OpenActivities => super::activities::open_list(desk, Default::default()),
            Action::OpenCases => super::cases::open_list(desk),
            Action::OpenIntakes => super::intakes::open_list(desk),
            Action::SignIn => desk.emit(Effect::Session(SessionEffect::OpenSignIn)),
            Action::SignOut => desk.emit(Effect::Session(SessionEffect::SignOut)),
            Action::Lock => desk.emit(Effect::Session(SessionEffect::Lock)),
            // Every value the form starts with is read, or the form does not open: a default
            // put in place of a failed read would be saved back (PINs turned off unseen).
            Action::OpenSettings => match super::session::read_settings(desk) {
                Ok(form) => desk.show(form),
                Err(e) => desk.error(crate::tr!(
                    "settings.unreadable",
                    reason = crate::messages::store_error(&e)
                )),
            },
            _ => {}
        }
        Step::Stay
    }

    /// Every change moves a count, the dashboard or today's roster.
    fn refresh(&mut self, _kind: RecordKind, _id: Option<uuid::Uuid>, desk: &mut Desk) {
        self.count(desk);
    }

    /// Back on the home screen: counted again (a day may have turned, a reply fallen due).
    fn revealed(&mut self, desk: &mut Desk) {
        self.count(desk);
    }

    fn draw(&self, desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("home.title"), title, buf);
        if let Some(station) = &desk.station {
            HomeView {
                station,
                signed_in: desk.signed_in.as_ref().map(|s| s.name.as_str()),
                counts: self.counts,
                now: desk.now,
                rostered: &self.rostered,
                dashboard: self.dashboard.as_ref(),
            }
            .render(body, buf);
        }
        None
    }
}
