//! Members' activities (履职活动): the table, the list and a period's activities.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, Row};
use uuid::Uuid;

use super::codec::{json_value, optional_json, parse_json, required_date};
use super::error::{StoreError, StoreResult};
use super::record::{meta_in_field, RecordTable};
use super::Store;
use crate::domain::activity::{Activity, ActivityDraft};
use crate::domain::search::SearchHead;
use crate::domain::RecordMeta;

impl RecordTable for Activity {
    const TABLE: &'static str = "activity";
    const COLUMNS: &'static [&'static str] = &[
        "held_on",
        "kind",
        "members",
        "title",
        "description",
        "proposal",
    ];

    meta_in_field!();

    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.on.format("%Y-%m-%d").to_string()),
            Value::Text(self.kind.clone()),
            json_value(&self.members),
            Value::Text(self.title.clone()),
            Value::Text(self.description.clone()),
            optional_json(&self.proposal),
        ]
    }

    fn from_row(meta: RecordMeta, row: &Row<'_>) -> rusqlite::Result<Activity> {
        Ok(Activity {
            meta,
            on: required_date(row, 6)?,
            kind: row.get(7)?,
            members: parse_json(row, 8)?.unwrap_or_default(),
            title: row.get(9)?,
            description: row.get(10)?,
            proposal: parse_json(row, 11)?,
        })
    }

    fn search_head(&self) -> SearchHead {
        let snippet: String = self
            .description
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .take(40)
            .collect();
        SearchHead::new(
            format!("{} {}", self.kind, self.title),
            self.on.format("%Y-%m-%d").to_string(),
            snippet.trim().to_string(),
        )
    }
}

/// How many activities the list reads: a station records a few hundred a year.
pub const ACTIVITY_LIST_LIMIT: usize = 2_000;

impl Store {
    /// The station's activity kinds (its own list, or the built-in one).
    pub fn activity_kinds(&self) -> Vec<String> {
        self.choice_list("activity_kinds")
    }

    /// A new activity from what was typed, checked against the station's kinds.
    pub fn add_activity(
        &mut self,
        draft: &ActivityDraft,
        today: NaiveDate,
    ) -> StoreResult<Activity> {
        let activity = Activity::from_draft(draft, &self.activity_kinds(), today)
            .map_err(StoreError::Invalid)?;
        self.insert(activity)
    }

    /// An activity changed as typed.
    pub fn edit_activity(
        &mut self,
        id: Uuid,
        draft: &ActivityDraft,
        today: NaiveDate,
    ) -> StoreResult<Activity> {
        let fresh = Activity::from_draft(draft, &self.activity_kinds(), today)
            .map_err(StoreError::Invalid)?;
        self.write(|w| {
            let old = w.live::<Activity>(id)?;
            w.update(&old.with_fields_of(fresh))
        })
    }

    /// The newest activities first, up to `limit`.
    pub fn activities(&self, limit: usize) -> StoreResult<Vec<Activity>> {
        let sql = format!(
            "SELECT {} FROM activity INDEXED BY activity_by_date WHERE deleted_at IS NULL
             ORDER BY held_on DESC, id DESC LIMIT ?1",
            Activity::select_list()
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt
            .query_map([limit as i64], Activity::read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The activities from `from` to `to` (both included), oldest first.
    pub fn activities_between(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Activity>> {
        let sql = format!(
            "SELECT {} FROM activity INDEXED BY activity_by_date
             WHERE deleted_at IS NULL AND held_on >= ?1 AND held_on <= ?2
             ORDER BY held_on, id",
            Activity::select_list()
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt
            .query_map(
                params![
                    from.format("%Y-%m-%d").to_string(),
                    to.format("%Y-%m-%d").to_string()
                ],
                Activity::read_row,
            )?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
