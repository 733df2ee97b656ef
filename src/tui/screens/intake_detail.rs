//! One visit in full: every field (the ID number unmasked — only here), its handling, and the
//! whole history from the audit log.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::intake::Handling;
use crate::domain::Intake;
use crate::i18n::field_label;
use crate::store::{AuditEntry, Store, StoreResult};
use crate::text::{sanitize, sanitize_lines};
use crate::tui::theme;

pub struct IntakeDetail {
    pub intake: Intake,
    pub member_name: Option<String>,
    pub history: Vec<AuditEntry>,
    /// What each link points at, in words (a case's number and parties).
    pub link_titles: Vec<String>,
    /// First line shown.
    pub scroll: u16,
}

impl IntakeDetail {
    pub fn load(store: &Store, intake: Intake) -> StoreResult<IntakeDetail> {
        let member_name = match intake.fields.member_id {
            Some(id) => store
                .get::<crate::domain::Member>(id)?
                .map(|m| m.fields.name),
            None => None,
        };
        let history = store.history(intake.meta.id)?;
        let mut link_titles = Vec::new();
        for link in &intake.links {
            let title = match link.kind {
                crate::domain::RecordKind::Case => store
                    .get_any::<crate::domain::case::MediationCase>(link.id)?
                    .map(|c| {
                        let state = match (&c.outcome, c.concluded_on) {
                            (Some(outcome), Some(_)) => format!(
                                "{}，{}",
                                crate::tr!(c.state.key()),
                                crate::tr!(outcome.key())
                            ),
                            _ => crate::tr!(c.state.key()),
                        };
                        format!("{}  {}  [{state}]", c.case_no, c.title())
                    }),
                // A topic or report by its title and where it stands, never its id.
                crate::domain::RecordKind::Topic => store
                    .get_any::<crate::domain::consult::Topic>(link.id)?
                    .map(|t| format!("{}  [{}]", t.title, crate::tr!(t.step.key()))),
                crate::domain::RecordKind::Report => store
                    .get_any::<crate::domain::consult::Report>(link.id)?
                    .map(|r| {
                        let state = super::consult::result_text(&r);
                        let state = if state.is_empty() {
                            crate::tr!("reports.not_submitted")
                        } else {
                            state
                        };
                        format!("{}  [{state}]", r.title)
                    }),
                _ => None,
            };
            link_titles.push(title.unwrap_or_else(|| link.id.to_string()));
        }
        Ok(IntakeDetail {
            intake,
            member_name,
            history,
            link_titles,
            scroll: 0,
        })
    }

    pub fn scroll_by(&mut self, rows: i32) {
        self.scroll = (i32::from(self.scroll) + rows).max(0) as u16;
    }

    /// Every line of the detail, for drawing and for tests.
    pub fn lines(&self, today: NaiveDate) -> Vec<Line<'static>> {
        let i = &self.intake;
        let f = &i.fields;
        let mut lines = Vec::new();
        let field = super::detail_field;
        let state = match i.due() {
            Some(due) if due < today => format!(
                "{}  {}",
                crate::tr!(i.state.key()),
                crate::tr!("intakes.overdue_since", date = due.format("%Y-%m-%d"))
            ),
            Some(due) => format!(
                "{}  {}",
                crate::tr!(i.state.key()),
                crate::tr!("intakes.due_on", date = due)
            ),
            None => crate::tr!(i.state.key()),
        };
        lines.push(Line::styled(
            state,
            if i.is_overdue(today) {
                theme::error()
            } else {
                theme::title()
            },
        ));
        if i.is_handed_over() {
            lines.push(Line::styled(
                crate::tr!("intakes.handed_over"),
                theme::hint(),
            ));
        }
        lines.push(field(
            &field_label("visited_at"),
            f.visited_at.format("%Y-%m-%d %H:%M").to_string(),
        ));
        let visitor = if f.visitor_name.is_empty() {
            crate::tr!("intakes.anonymous")
        } else {
            sanitize(&f.visitor_name).into_owned()
        };
        lines.push(field(
            &field_label("visitor_name"),
            format!("{visitor}  {}", crate::tr!(f.gender.key())),
        ));
        for (name, value) in [
            ("phone", &f.phone),
            ("id_number", &f.id_number),
            ("address", &f.address),
        ] {
            if !value.is_empty() {
                lines.push(field(&field_label(name), sanitize(value).into_owned()));
            }
        }
        if f.is_group_visit() {
            lines.push(field(
                &field_label("visitors"),
                crate::tr!("intakes.group_visit", count = f.visitors),
            ));
        }
        lines.push(field(
            &field_label("category"),
            sanitize(&f.category).into_owned(),
        ));
        if let Some(name) = &self.member_name {
            lines.push(field(&field_label("member"), sanitize(name).into_owned()));
        }
        lines.push(Line::styled(field_label("request"), theme::header()));
        for line in sanitize_lines(&f.request) {
            lines.push(Line::raw(format!("  {line}")));
        }
        match &i.handling {
            Some(Handling::OnTheSpot { answer }) => {
                lines.push(Line::styled(
                    crate::tr!("keys.answer_on_spot"),
                    theme::header(),
                ));
                for line in sanitize_lines(answer) {
                    lines.push(Line::raw(format!("  {line}")));
                }
            }
            Some(Handling::Referred { department, on }) => {
                lines.push(Line::styled(crate::tr!("keys.refer"), theme::header()));
                lines.push(Line::raw(format!("  {on}  {}", sanitize(department))));
            }
            Some(Handling::Converted { to, id }) => {
                lines.push(Line::styled(
                    crate::tr!("intakes.converted"),
                    theme::header(),
                ));
                let title = i
                    .links
                    .iter()
                    .position(|l| l.id == *id)
                    .and_then(|n| self.link_titles.get(n))
                    .cloned()
                    .unwrap_or_else(|| id.to_string());
                lines.push(Line::raw(format!(
                    "  {}  {}",
                    crate::i18n::kind_name(to.as_str()),
                    sanitize(&title)
                )));
            }
            None => {}
        }
        if let Some(feedback) = &i.feedback {
            lines.push(Line::styled(field_label("feedback"), theme::header()));
            lines.push(Line::raw(format!("  {}", feedback.on)));
            for line in sanitize_lines(&feedback.text) {
                lines.push(Line::raw(format!("  {line}")));
            }
        }
        if let Some(follow_up) = &i.follow_up {
            lines.push(Line::styled(crate::tr!("keys.follow_up"), theme::header()));
            lines.push(Line::raw(format!(
                "  {}  {}  {}",
                follow_up.on,
                crate::tr!(follow_up.satisfaction.key()),
                sanitize(&follow_up.note)
            )));
        }
        if let Some(reason) = &i.reopen_reason {
            lines.push(field(&field_label("reason"), sanitize(reason).into_owned()));
        }
        if !i.links.is_empty() {
            lines.push(Line::styled(crate::tr!("intakes.links"), theme::header()));
            for (n, link) in i.links.iter().enumerate() {
                let title = self
                    .link_titles
                    .get(n)
                    .cloned()
                    .unwrap_or_else(|| link.id.to_string());
                lines.push(Line::raw(format!(
                    "  {}  {}",
                    crate::i18n::kind_name(link.kind.as_str()),
                    sanitize(&title)
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

/// What an audit row changed, in words: the action, the state change, the fields touched.
pub(crate) fn describe_change(entry: &AuditEntry) -> String {
    let mut action = crate::tr!(format!("audit.{}", entry.action));
    let (Some(before), Some(after)) = (&entry.before, &entry.after) else {
        return action;
    };
    // A step of the handling is named as the step (转交部门), not as a change (修改).
    if entry.action == "update" {
        if let Some(step) = step_taken(&entry.kind, before, after) {
            action = crate::tr!(step);
        }
    }
    let state = |v: &serde_json::Value| {
        let text = v["state"].as_str()?;
        match entry.kind.as_str() {
            "case" => crate::domain::case::CaseState::parse(text).map(|s| crate::tr!(s.key())),
            _ => crate::domain::IntakeState::parse(text).map(|s| crate::tr!(s.key())),
        }
    };
    let mut parts = vec![action];
    if before["state"] != after["state"] {
        if let (Some(from), Some(to)) = (state(before), state(after)) {
            parts.push(format!("{from} -> {to}"));
        }
    }
    let ignored = [
        "updated_at",
        "rev",
        "state",
        "due",
        "deleted_at",
        "next_due",
    ];
    if let (Some(b), Some(a)) = (before.as_object(), after.as_object()) {
        let changed: Vec<String> = a
            .iter()
            .filter(|(k, v)| !ignored.contains(&k.as_str()) && b.get(*k) != Some(*v))
            .map(|(k, _)| field_label(k))
            .filter(|label| !label.contains('.'))
            .collect();
        if !changed.is_empty() {
            parts.push(changed.join("、"));
        }
    }
    parts.join("  ")
}

/// Which step of a visit's or a case's handling turned `before` into `after`, as the label of
/// its key; `None` for an edit of the record's fields.
fn step_taken(
    kind: &str,
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> Option<&'static str> {
    let state = |v: &serde_json::Value| v["state"].as_str().unwrap_or("").to_string();
    let len = |v: &serde_json::Value, field: &str| v[field].as_array().map_or(0, Vec::len);
    let (from, to) = (state(before), state(after));
    match kind {
        "intake" => {
            let how = after["handling"]["how"].as_str().unwrap_or("");
            let how_before = before["handling"]["how"].as_str().unwrap_or("");
            Some(match (from.as_str(), to.as_str()) {
                // Handed over: named by what it was handed to (转调解, 转议题, 转社情民意).
                (_, "in_progress") if how == "converted" && how_before != "converted" => {
                    match after["handling"]["to"].as_str() {
                        Some("topic") => "intakes.step_to_topic",
                        Some("report") => "intakes.step_to_report",
                        _ => "keys.convert_case",
                    }
                }
                ("registered", "in_progress") if how == "referred" => "keys.refer",
                ("registered" | "in_progress", "answered") if how == "on_the_spot" => {
                    "keys.answer_on_spot"
                }
                ("in_progress", "answered") => "keys.feedback",
                ("answered", "followed_up") => "keys.follow_up",
                ("followed_up", "closed") => "keys.close_intake",
                ("in_progress", "closed") => "keys.close_from_case",
                ("answered" | "followed_up" | "closed", "in_progress") => "keys.reopen",
                _ => return None,
            })
        }
        "case" => Some(if len(after, "reopenings") > len(before, "reopenings") {
            "keys.case_reopen"
        } else if len(after, "sessions") > len(before, "sessions") {
            "keys.case_session"
        } else if len(after, "extensions") > len(before, "extensions") {
            "keys.case_extend"
        } else if to == "concluded" && from != "concluded" {
            "keys.case_conclude"
        } else if len(after, "follow_ups") > len(before, "follow_ups") {
            "keys.case_follow_up"
        } else if after["judicial"] != before["judicial"] {
            "keys.case_judicial"
        } else if to == "archived" && from != "archived" {
            "keys.case_archive"
        } else {
            return None;
        }),
        _ => None,
    }
}
