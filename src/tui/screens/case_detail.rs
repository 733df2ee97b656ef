//! One mediation case in full: parties (ID numbers unmasked — only here), the dispute, the
//! mediators, every session, the outcome and fulfilment, links, and the history.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::case::{format_amount, MediationCase, Outcome};
use crate::domain::Intake;
use crate::i18n::field_label;
use crate::store::{AuditEntry, Store, StoreResult};
use crate::text::{sanitize, sanitize_lines};
use crate::tui::screens::intake_detail::describe_change;
use crate::tui::theme;

pub struct CaseDetail {
    pub case: MediationCase,
    pub mediator_names: Vec<String>,
    /// The intakes linked to the case: `(date, visitor, summary)`.
    pub intakes: Vec<(String, String, String)>,
    pub history: Vec<AuditEntry>,
    pub scroll: u16,
}

impl CaseDetail {
    pub fn load(store: &Store, case: MediationCase) -> StoreResult<CaseDetail> {
        let mediator_names = store.member_names(&case.fields.mediators)?;
        let mut intakes = Vec::new();
        for link in &case.links {
            if let Some(intake) = store.get_any::<Intake>(link.id)? {
                intakes.push((
                    intake.fields.visited_at.format("%Y-%m-%d").to_string(),
                    intake.fields.visitor_name.clone(),
                    intake.summary(30),
                ));
            }
        }
        let history = store.history(case.meta.id)?;
        Ok(CaseDetail {
            case,
            mediator_names,
            intakes,
            history,
            scroll: 0,
        })
    }

    pub fn scroll_by(&mut self, rows: i32) {
        self.scroll = (i32::from(self.scroll) + rows).max(0) as u16;
    }

    pub fn lines(&self, today: NaiveDate) -> Vec<Line<'static>> {
        let c = &self.case;
        let f = &c.fields;
        let mut lines = Vec::new();
        let field = super::detail_field;
        let block = |lines: &mut Vec<Line<'static>>, text: &str| {
            for line in sanitize_lines(text) {
                lines.push(Line::raw(format!("  {line}")));
            }
        };
        let mut state = format!("{}  {}", sanitize(&c.case_no), crate::tr!(c.state.key()));
        if let Some(outcome) = &c.outcome {
            state.push_str(&format!(" | {}", crate::tr!(outcome.key())));
        }
        match c.next_due() {
            Some(due) if due < today => state.push_str(&format!(
                "  {}",
                crate::tr!("intakes.overdue_since", date = due.format("%Y-%m-%d"))
            )),
            Some(due) => state.push_str(&format!("  {}", crate::tr!("intakes.due_on", date = due))),
            None => {}
        }
        lines.push(Line::styled(
            state,
            if c.is_overdue(today) {
                theme::error()
            } else {
                theme::title()
            },
        ));
        lines.push(field(
            &field_label("received_on"),
            f.received_on.to_string(),
        ));
        let mut source = crate::tr!(f.source.key());
        if !f.referring_unit.is_empty() {
            source.push_str(&format!("  {}", sanitize(&f.referring_unit)));
        }
        if !f.referral_no.is_empty() {
            source.push_str(&format!("  {}", sanitize(&f.referral_no)));
        }
        lines.push(field(&field_label("source"), source));
        lines.push(field(
            &field_label("dispute_type"),
            sanitize(&f.dispute_type).into_owned(),
        ));
        if let Some(fen) = f.amount_fen {
            lines.push(field(
                &crate::tr!("cases.amount"),
                crate::tr!("cases.yuan", amount = format_amount(fen)),
            ));
        }
        lines.push(field(
            &field_label("mediator1"),
            self.mediator_names
                .iter()
                .map(|n| sanitize(n).into_owned())
                .collect::<Vec<_>>()
                .join("、"),
        ));
        lines.push(Line::styled(crate::tr!("cases.parties"), theme::header()));
        for party in &f.parties {
            let mut text = format!(
                "  {}  {}",
                crate::tr!(party.role.key()),
                sanitize(&party.name)
            );
            for extra in [&party.contact, &party.id_number] {
                if !extra.is_empty() {
                    text.push_str(&format!("  {}", sanitize(extra)));
                }
            }
            lines.push(Line::raw(text));
        }
        lines.push(Line::styled(field_label("facts"), theme::header()));
        block(&mut lines, &f.facts);
        if !f.points.is_empty() {
            lines.push(Line::styled(field_label("points"), theme::header()));
            block(&mut lines, &f.points);
        }
        for extension in &c.extensions {
            lines.push(field(
                &crate::tr!("keys.case_extend"),
                format!(
                    "{} -> {}  {}",
                    extension.on,
                    extension.new_due,
                    sanitize(&extension.reason)
                ),
            ));
        }
        lines.push(Line::styled(
            crate::tr!("cases.sessions", count = c.sessions.len()),
            theme::header(),
        ));
        for session in &c.sessions {
            lines.push(Line::raw(format!(
                "  {}  {}  {}",
                session.on,
                sanitize(&session.place),
                sanitize(&session.attendees)
            )));
            for line in sanitize_lines(&session.notes) {
                lines.push(Line::raw(format!("    {line}")));
            }
        }
        // Each reopening: when, by whom, why, and the conclusion it set aside.
        for reopening in &c.reopenings {
            let mut text = crate::tr!(
                "cases.reopened_by",
                date = reopening.on,
                by = sanitize(&reopening.by),
                reason = sanitize(&reopening.reason)
            );
            if let Some(outcome) = &reopening.outcome {
                text.push_str(&crate::tr!(
                    "cases.reopened_set_aside",
                    outcome = crate::tr!(outcome.key()),
                    date = reopening
                        .concluded_on
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                ));
            }
            lines.push(field(&crate::tr!("keys.case_reopen"), text));
        }
        if let Some(outcome) = &c.outcome {
            lines.push(Line::styled(
                format!(
                    "{}  {}",
                    crate::tr!(outcome.key()),
                    c.concluded_on.map(|d| d.to_string()).unwrap_or_default()
                ),
                theme::header(),
            ));
            block(&mut lines, outcome.text());
            if let Outcome::Success {
                method, deadline, ..
            } = outcome
            {
                lines.push(field(&field_label("method"), sanitize(method).into_owned()));
                lines.push(field(&field_label("deadline"), deadline.to_string()));
                let judicial = match (&c.judicial, c.judicial_deadline()) {
                    (Some(j), _) if j.applied => crate::tr!(
                        "cases.judicial_applied",
                        date = j.on.map(|d| d.to_string()).unwrap_or_default()
                    ),
                    (Some(_), _) => crate::tr!("cases.judicial_not_applied"),
                    (None, Some(until)) => crate::tr!("cases.judicial_open", date = until),
                    (None, None) => String::new(),
                };
                lines.push(field(&crate::tr!("keys.case_judicial"), judicial));
            }
        }
        for follow_up in &c.follow_ups {
            let mut text = follow_up.on.to_string();
            if let Some(fulfilment) = follow_up.fulfilment {
                text.push_str(&format!("  {}", crate::tr!(fulfilment.key())));
            }
            if !follow_up.note.is_empty() {
                text.push_str(&format!("  {}", sanitize(&follow_up.note)));
            }
            if let Some(next) = follow_up.next_on {
                text.push_str(&format!("  -> {next}"));
            }
            lines.push(field(&crate::tr!("keys.case_follow_up"), text));
        }
        if !self.intakes.is_empty() {
            lines.push(Line::styled(
                crate::tr!("cases.from_intakes"),
                theme::header(),
            ));
            for (date, visitor, summary) in &self.intakes {
                lines.push(Line::raw(format!(
                    "  {date}  {}  {}",
                    sanitize(visitor),
                    sanitize(summary)
                )));
            }
        }
        lines.extend(super::history_lines(&self.history, describe_change));
        lines
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, today: NaiveDate) {
        let rows = crate::tui::widgets::wrapped::wrap_lines(self.lines(today), area.width);
        let scroll =
            crate::tui::widgets::wrapped::clamp_scroll(self.scroll, rows.len(), area.height);
        Paragraph::new(rows).scroll((scroll, 0)).render(area, buf);
    }
}
