//! Members' activities (履职活动): the list (all of them, or those behind a figure of a
//! member's record), one activity in full, and the form.

use std::collections::HashMap;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Widget};
use uuid::Uuid;

use crate::domain::activity::{Activity, ActivityDraft, Proposal, PROPOSAL};
use crate::i18n::field_label;
use crate::store::{AuditEntry, Store, StoreError, StoreResult, ACTIVITY_LIST_LIMIT};
use crate::text::{sanitize, sanitize_lines};
use crate::tui::theme;
use crate::tui::widgets::form::{Choice, Field, Form};
use crate::tui::widgets::list_table::render_table;

/// Which activities a list shows: all, or one member's of a period (and of a kind).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityScope {
    pub member: Option<(Uuid, String)>,
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub kind: Option<String>,
    /// Only proposals that were filed (立案).
    pub filed_only: bool,
}

impl ActivityScope {
    fn admits(&self, a: &Activity) -> bool {
        self.member.as_ref().is_none_or(|(id, _)| a.involves(*id))
            && self.kind.as_ref().is_none_or(|k| *k == a.kind)
            && (!self.filed_only || a.proposal.as_ref().is_some_and(|p| p.filed))
    }

    /// What the list is of, for its title.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some((_, name)) = &self.member {
            parts.push(sanitize(name).into_owned());
        }
        if let Some((from, to)) = self.period {
            parts.push(format!("{from} ~ {to}"));
        }
        if let Some(kind) = &self.kind {
            parts.push(sanitize(kind).into_owned());
        }
        if self.filed_only {
            parts.push(crate::tr!("field.proposal_filed"));
        }
        parts.join("  ")
    }
}

/// The activity list.
pub struct ActivityList {
    pub scope: ActivityScope,
    pub rows: Vec<Activity>,
    /// Members' names by id, for the list's column.
    pub names: HashMap<Uuid, String>,
    pub selected: usize,
}

/// Names of the members the activities name.
fn names_of(store: &Store, activities: &[Activity]) -> StoreResult<HashMap<Uuid, String>> {
    let mut names = HashMap::new();
    for id in activities.iter().flat_map(|a| a.members.iter()) {
        if !names.contains_key(id) {
            if let Some(member) = store.get_any::<crate::domain::Member>(*id)? {
                names.insert(*id, member.fields.name);
            }
        }
    }
    Ok(names)
}

fn joined_names(ids: &[Uuid], names: &HashMap<Uuid, String>) -> String {
    ids.iter()
        .filter_map(|id| names.get(id))
        .map(|n| sanitize(n).into_owned())
        .collect::<Vec<_>>()
        .join("、")
}

impl ActivityList {
    pub fn open(store: &Store, scope: ActivityScope) -> StoreResult<ActivityList> {
        let mut list = ActivityList {
            scope,
            rows: Vec::new(),
            names: HashMap::new(),
            selected: 0,
        };
        list.reload(store)?;
        Ok(list)
    }

    pub fn reload(&mut self, store: &Store) -> StoreResult<()> {
        let mut rows = match self.scope.period {
            Some((from, to)) => {
                let mut rows = store.activities_between(from, to)?;
                rows.reverse();
                rows
            }
            None => store.activities(ACTIVITY_LIST_LIMIT)?,
        };
        rows.retain(|a| self.scope.admits(a));
        self.names = names_of(store, &rows)?;
        self.rows = rows;
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    pub fn chosen(&self) -> Option<&Activity> {
        self.rows.get(self.selected)
    }

    pub fn move_by(&mut self, rows: i64) {
        let last = self.rows.len().saturating_sub(1) as i64;
        self.selected = (self.selected as i64 + rows).clamp(0, last.max(0)) as usize;
    }

    /// Puts the highlight on the activity with `id`, if it is listed.
    pub fn select(&mut self, id: Uuid) {
        if let Some(at) = self.rows.iter().position(|a| a.meta.id == id) {
            self.selected = at;
        }
    }

    pub fn title(&self) -> String {
        let scope = self.scope.describe();
        if scope.is_empty() {
            crate::tr!("activities.title", count = self.rows.len())
        } else {
            crate::tr!(
                "activities.title_of",
                scope = scope,
                count = self.rows.len()
            )
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let room = area.height.saturating_sub(1) as usize;
        let first = self.selected.saturating_sub(room.saturating_sub(1));
        let rows: Vec<Row> = self
            .rows
            .iter()
            .enumerate()
            .skip(first)
            .take(room)
            .map(|(i, a)| {
                let mut title = sanitize(&a.title).into_owned();
                if let Some(p) = &a.proposal {
                    if !p.number.is_empty() {
                        title = format!("{} {title}", sanitize(&p.number));
                    }
                }
                let row = Row::new(vec![
                    Cell::from(a.on.format("%Y-%m-%d").to_string()),
                    Cell::from(sanitize(&a.kind).into_owned()),
                    Cell::from(title),
                    Cell::from(joined_names(&a.members, &self.names)),
                ]);
                if i == self.selected {
                    row.style(theme::selected())
                } else {
                    row
                }
            })
            .collect();
        render_table(
            area,
            buf,
            &[
                "field.on",
                "field.activity_kind",
                "field.title",
                "field.members",
            ],
            rows,
            &[
                Constraint::Length(10),
                Constraint::Length(12),
                Constraint::Min(20),
                Constraint::Length(24),
            ],
            "activities.empty",
        );
    }
}

/// One activity in full, with its history.
pub struct ActivityDetail {
    pub activity: Activity,
    pub names: Vec<String>,
    pub history: Vec<AuditEntry>,
    pub scroll: u16,
}

impl ActivityDetail {
    pub fn load(store: &Store, activity: Activity) -> StoreResult<ActivityDetail> {
        let names = store.member_names(&activity.members)?;
        let history = store.history(activity.meta.id)?;
        Ok(ActivityDetail {
            activity,
            names,
            history,
            scroll: 0,
        })
    }

    pub fn scroll_by(&mut self, rows: i32) {
        self.scroll = (i32::from(self.scroll) + rows).max(0) as u16;
    }

    pub fn lines(&self) -> Vec<Line<'static>> {
        let a = &self.activity;
        let field = super::detail_field;
        let mut lines = vec![Line::styled(
            format!("{}  {}", sanitize(&a.kind), sanitize(&a.title)),
            theme::title(),
        )];
        lines.push(field(
            &field_label("on"),
            a.on.format("%Y-%m-%d").to_string(),
        ));
        lines.push(field(
            &field_label("members"),
            self.names
                .iter()
                .map(|n| sanitize(n).into_owned())
                .collect::<Vec<_>>()
                .join("、"),
        ));
        if let Some(p) = &a.proposal {
            let yes_no = |b: bool| crate::tr!(if b { "field.yes" } else { "field.no" });
            lines.push(field(
                &field_label("proposal_number"),
                sanitize(&p.number).into_owned(),
            ));
            lines.push(field(&field_label("proposal_filed"), yes_no(p.filed)));
            lines.push(field(&field_label("proposal_answered"), yes_no(p.answered)));
        }
        if !a.description.is_empty() {
            lines.push(Line::styled(
                field_label("activity.description"),
                theme::header(),
            ));
            for line in sanitize_lines(&a.description) {
                lines.push(Line::raw(format!("  {line}")));
            }
        }
        lines.push(Line::raw(""));
        lines.extend(super::history_lines(
            &self.history,
            super::intake_detail::describe_change,
        ));
        lines
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let rows = crate::tui::widgets::wrapped::wrap_lines(self.lines(), area.width);
        let scroll =
            crate::tui::widgets::wrapped::clamp_scroll(self.scroll, rows.len(), area.height);
        Paragraph::new(rows).scroll((scroll, 0)).render(area, buf);
    }
}

/// A new activity, or an edited one.
pub struct ActivityForm {
    pub form: Form,
    pub editing: Option<Activity>,
    members: Vec<(Uuid, String)>,
}

impl ActivityForm {
    /// `members` are the registry's `(id, name)`; `with` names the members a new activity
    /// starts with (the member whose record it was opened from, or who is signed in).
    pub fn new(
        activity: Option<&Activity>,
        kinds: &[String],
        members: &[(Uuid, String)],
        with: &[String],
        today: NaiveDate,
    ) -> ActivityForm {
        let draft = activity.map(Activity::draft).unwrap_or_default();
        let names = match activity {
            Some(a) => a
                .members
                .iter()
                .filter_map(|id| {
                    members
                        .iter()
                        .find(|(m, _)| m == id)
                        .map(|(_, n)| n.clone())
                })
                .collect::<Vec<_>>(),
            None => with.to_vec(),
        };
        let on = draft.on.unwrap_or(today).format("%Y-%m-%d").to_string();
        let kind = if draft.kind.is_empty() {
            kinds.first().cloned().unwrap_or_default()
        } else {
            draft.kind.clone()
        };
        ActivityForm {
            form: Form::new(vec![
                Field::date("on", field_label("on"), &on).required(),
                Field::choice(
                    "kind",
                    field_label("activity_kind"),
                    kinds.iter().map(|k| Choice::same(k)).collect(),
                    &kind,
                )
                .required(),
                Field::text("title", field_label("title"), &draft.title).required(),
                Field::multiline("members", field_label("members"), &names.join("\n"), 2)
                    .required()
                    .with_hint(crate::tr!("meetings.names_hint")),
                Field::multiline(
                    "description",
                    field_label("activity.description"),
                    &draft.description,
                    6,
                ),
                Field::text(
                    "number",
                    field_label("proposal_number"),
                    &draft.proposal.number,
                )
                .with_hint(crate::tr!("activities.proposal_hint")),
                Field::toggle("filed", field_label("proposal_filed"), draft.proposal.filed),
                Field::toggle(
                    "answered",
                    field_label("proposal_answered"),
                    draft.proposal.answered,
                ),
            ]),
            editing: activity.cloned(),
            members: members.to_vec(),
        }
    }

    pub fn title(&self) -> String {
        if self.editing.is_some() {
            crate::tr!("activities.edit_title")
        } else {
            crate::tr!("activities.new_title")
        }
    }

    pub fn save(
        &mut self,
        store: &mut Store,
        today: NaiveDate,
    ) -> Result<Option<Activity>, StoreError> {
        if !self.form.check(today) {
            return Ok(None);
        }
        let Some(members) =
            super::member_names::members_named(&mut self.form, "members", &self.members)
        else {
            self.form.focus_first_error();
            return Ok(None);
        };
        let kind = self.form.value("kind");
        let is_proposal = kind == PROPOSAL;
        let draft = ActivityDraft {
            on: self.form.date("on", today),
            kind,
            members,
            title: self.form.value("title"),
            description: self.form.value("description"),
            proposal: Proposal {
                number: self.form.value("number"),
                filed: is_proposal && self.form.value("filed") == "1",
                answered: is_proposal && self.form.value("answered") == "1",
            },
        };
        let outcome = match &self.editing {
            Some(old) => store.edit_activity(old.meta.id, &draft, today),
            None => store.add_activity(&draft, today),
        };
        match outcome {
            Ok(saved) => {
                self.form.mark_saved();
                Ok(Some(saved))
            }
            Err(StoreError::Invalid(errors)) => {
                for (field, error) in errors {
                    let field = match field {
                        "answered" => "answered",
                        "on" | "kind" | "members" | "title" | "description" | "number" => field,
                        _ => "title",
                    };
                    self.form
                        .set_error(field, crate::i18n::validation_message(&error));
                }
                self.form.focus_first_error();
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}
