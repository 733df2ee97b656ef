//! Visitor intakes (来访接待): storage, the list with its filters, returning visitors, and the
//! closed-loop events (the rules themselves are in `domain::intake`).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::Value;
use rusqlite::{params, Row};
use uuid::Uuid;

use super::codec::{
    conversion, date_value, json_value, optional_json, parse_code, parse_date, parse_json,
    required_date, DATE_FORMAT,
};
use super::error::{StoreError, StoreResult};
use super::record::{meta_in_field, not_found, RecordTable};
use super::{parse_uuid, Store};
use crate::domain::intake::{month_of, Feedback, FollowUp, Handling, Link};
use crate::domain::pinyin_key::name_key;
use crate::domain::search::SearchHead;
use crate::domain::{
    DuePolicy, Gender, Intake, IntakeEvent, IntakeFields, IntakeState, RecordMeta,
};

/// How visit times are stored: local time, sortable text.
const VISIT_FORMAT: &str = "%Y-%m-%d %H:%M";
/// The most visits one register lists.
pub const REGISTER_LIMIT: usize = 20_000;

/// Where a count of visits or cases stops ("1000+"): a person reads "more than a thousand"
/// as well as the exact figure, and counting stays as cheap at a million records as at ten
/// thousand (at most this many index entries are read).
pub const INTAKE_COUNT_CAP: i64 = 1_000;

impl RecordTable for Intake {
    const TABLE: &'static str = "intake";
    const COLUMNS: &'static [&'static str] = &[
        "visited_at",
        "visitor_name",
        "gender",
        "phone",
        "id_number",
        "address",
        "visitors",
        "category",
        "request",
        "member_id",
        "state",
        "handling",
        "feedback",
        "follow_up",
        "reply_due",
        "follow_up_due",
        "reopen_reason",
        "links",
        "due",
    ];

    meta_in_field!();

    fn values(&self) -> Vec<Value> {
        let f = &self.fields;
        vec![
            Value::Text(f.visited_at.format(VISIT_FORMAT).to_string()),
            Value::Text(f.visitor_name.clone()),
            Value::Text(f.gender.as_str().to_string()),
            Value::Text(f.phone.clone()),
            Value::Text(f.id_number.clone()),
            Value::Text(f.address.clone()),
            Value::Integer(i64::from(f.visitors)),
            Value::Text(f.category.clone()),
            Value::Text(f.request.clone()),
            f.member_id
                .map(|id| Value::Text(id.to_string()))
                .unwrap_or(Value::Null),
            Value::Text(self.state.as_str().to_string()),
            optional_json(&self.handling),
            optional_json(&self.feedback),
            optional_json(&self.follow_up),
            date_value(Some(self.reply_due)),
            date_value(self.follow_up_due),
            self.reopen_reason
                .clone()
                .map(Value::Text)
                .unwrap_or(Value::Null),
            json_value(&self.links),
            date_value(self.due()),
        ]
    }

    fn from_row(meta: RecordMeta, row: &Row<'_>) -> rusqlite::Result<Intake> {
        let visited: String = row.get(6)?;
        let member: Option<String> = row.get(15)?;
        Ok(Intake {
            meta,
            fields: IntakeFields {
                visited_at: NaiveDateTime::parse_from_str(&visited, VISIT_FORMAT)
                    .map_err(|e| conversion(6, e))?,
                visitor_name: row.get(7)?,
                gender: parse_code(row, 8, Gender::parse)?,
                phone: row.get(9)?,
                id_number: row.get(10)?,
                address: row.get(11)?,
                visitors: row.get(12)?,
                category: row.get(13)?,
                request: row.get(14)?,
                member_id: member.as_deref().map(parse_uuid).transpose()?,
            },
            state: parse_code(row, 16, IntakeState::parse)?,
            handling: parse_json::<Handling>(row, 17)?,
            feedback: parse_json::<Feedback>(row, 18)?,
            follow_up: parse_json::<FollowUp>(row, 19)?,
            reply_due: required_date(row, 20)?,
            follow_up_due: parse_date(row, 21)?,
            reopen_reason: row.get(22)?,
            links: parse_json::<Vec<Link>>(row, 23)?.unwrap_or_default(),
        })
    }

    fn search_head(&self) -> SearchHead {
        let f = &self.fields;
        let title = if f.visitor_name.is_empty() {
            f.category.clone()
        } else {
            format!("{} | {}", f.visitor_name, f.category)
        };
        let words = if f.visitor_name.is_empty() {
            Vec::new()
        } else {
            name_key(&f.visitor_name)
                .split(' ')
                .map(str::to_string)
                .collect()
        };
        SearchHead {
            title,
            date: f.visited_at.format(DATE_FORMAT).to_string(),
            snippet: self.summary(40),
            words,
        }
    }
}

/// Which intakes the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntakeFilter {
    pub state: Option<IntakeState>,
    pub category: Option<String>,
    pub member: Option<Uuid>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub due: DueFilter,
}

/// Keep to what is owed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DueFilter {
    #[default]
    All,
    Overdue,
    DueToday,
    /// Overdue or due today: what needs doing now.
    Urgent,
}

/// An intake as the list shows it, with the receiving member's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeListing {
    pub intake: Intake,
    pub member_name: Option<String>,
}

/// The position of an intake in the list's order (newest first): visit time, due date (empty
/// when nothing is owed), id.
pub type IntakeCursor = (String, String, Uuid);

/// The WHERE clause of a filter and its values. Built from fixed fragments (never from typed
/// text), with only the conditions in use, so that SQLite can pick the index that fits.
fn where_clause(filter: &IntakeFilter, today: NaiveDate) -> (String, Vec<Value>) {
    let mut conditions = vec!["deleted_at IS NULL"];
    let mut values = Vec::new();
    let text = |s: String| Value::Text(s);
    if let Some(state) = filter.state {
        conditions.push("state = ?");
        values.push(text(state.as_str().to_string()));
    }
    if let Some(category) = &filter.category {
        conditions.push("category = ?");
        values.push(text(category.clone()));
    }
    if let Some(member) = filter.member {
        conditions.push("member_id = ?");
        values.push(text(member.to_string()));
    }
    if let Some(from) = filter.from {
        conditions.push("visited_at >= ?");
        values.push(text(from.format(DATE_FORMAT).to_string()));
    }
    // `to` is inclusive: everything before the next day.
    if let Some(next) = filter.to.and_then(|d| d.succ_opt()) {
        conditions.push("visited_at < ?");
        values.push(text(next.format(DATE_FORMAT).to_string()));
    }
    let today = text(today.format(DATE_FORMAT).to_string());
    match filter.due {
        DueFilter::All => {}
        DueFilter::Overdue => {
            conditions.push("due IS NOT NULL AND due < ?");
            values.push(today);
        }
        DueFilter::DueToday => {
            conditions.push("due IS NOT NULL AND due = ?");
            values.push(today);
        }
        DueFilter::Urgent => {
            conditions.push("due IS NOT NULL AND due <= ?");
            values.push(today);
        }
    }
    (conditions.join(" AND "), values)
}

impl Store {
    /// The reply and follow-up periods (settings `reply_days`, `follow_up_days`).
    pub fn due_policy(&self) -> StoreResult<DuePolicy> {
        let mut policy = DuePolicy::default();
        if let Some(days) = self.setting("reply_days")?.and_then(|v| v.parse().ok()) {
            policy.reply_days = days;
        }
        if let Some(days) = self.setting("follow_up_days")?.and_then(|v| v.parse().ok()) {
            policy.follow_up_days = days;
        }
        Ok(policy)
    }

    /// Registers a visit.
    pub fn add_intake(&mut self, fields: &IntakeFields) -> StoreResult<Intake> {
        let checked = fields
            .validate(super::local_now())
            .map_err(StoreError::Invalid)?;
        let policy = self.due_policy()?;
        self.insert(Intake::register(checked, policy))
    }

    /// Corrects what was typed about the visit; the handling stays as it is.
    pub fn edit_intake(&mut self, id: Uuid, fields: &IntakeFields) -> StoreResult<Intake> {
        let checked = fields
            .validate(super::local_now())
            .map_err(StoreError::Invalid)?;
        let policy = self.due_policy()?;
        self.write(|w| {
            let mut intake = w
                .get_any::<Intake>(id)?
                .ok_or_else(|| not_found::<Intake>(id))?;
            if checked.visited_at.date() != intake.fields.visited_at.date() {
                intake.reply_due = checked.visited_at.date()
                    + chrono::Duration::days(i64::from(policy.reply_days));
            }
            intake.fields = checked;
            w.update(&intake)
        })
    }

    /// Applies a handling event, or says why not (the rules are `Intake::apply`).
    pub fn intake_event(&mut self, id: Uuid, event: IntakeEvent) -> StoreResult<Intake> {
        let policy = self.due_policy()?;
        self.write(|w| {
            let intake = w
                .get_any::<Intake>(id)?
                .ok_or_else(|| not_found::<Intake>(id))?;
            let next = intake
                .apply(event, policy, super::local_now())
                .map_err(StoreError::Refused)?;
            w.update(&next)
        })
    }

    /// A page of the list, newest first, after `cursor` (or from the newest).
    pub fn intakes_page(
        &self,
        filter: &IntakeFilter,
        today: NaiveDate,
        cursor: Option<&IntakeCursor>,
        limit: usize,
    ) -> StoreResult<Vec<IntakeListing>> {
        self.intake_rows(filter, today, cursor, limit, false)
    }

    /// The page just newer than `cursor`, in list order.
    pub fn intakes_before(
        &self,
        filter: &IntakeFilter,
        today: NaiveDate,
        cursor: &IntakeCursor,
        limit: usize,
    ) -> StoreResult<Vec<IntakeListing>> {
        let mut rows = self.intake_rows(filter, today, Some(cursor), limit, true)?;
        rows.reverse();
        Ok(rows)
    }

    fn intake_rows(
        &self,
        filter: &IntakeFilter,
        today: NaiveDate,
        cursor: Option<&IntakeCursor>,
        limit: usize,
        newer: bool,
    ) -> StoreResult<Vec<IntakeListing>> {
        let (compare, order) = if newer { (">", "ASC") } else { ("<", "DESC") };
        let (mut conditions, mut values) = where_clause(filter, today);
        let owed = filter.due != DueFilter::All;
        if let Some((at, due, id)) = cursor {
            if owed {
                conditions.push_str(&format!(" AND (due, visited_at, id) {compare} (?, ?, ?)"));
                values.push(Value::Text(due.clone()));
            } else {
                conditions.push_str(&format!(" AND (visited_at, id) {compare} (?, ?)"));
            }
            values.push(Value::Text(at.clone()));
            values.push(Value::Text(id.to_string()));
        }
        values.push(Value::Integer(limit as i64));
        // What is owed (F5) is listed by its date, latest first — due today at the top, then
        // the most recently overdue — straight from its index: no visit still within its
        // period is passed over, however many there are.
        let (index, keys) = if owed {
            (
                "INDEXED BY intake_owed",
                format!("due {order}, visited_at {order}, id {order}"),
            )
        } else {
            ("", format!("visited_at {order}, id {order}"))
        };
        let sql = format!(
            "SELECT {}, (SELECT name FROM member WHERE member.id = intake.member_id)
             FROM intake {index} WHERE {conditions}
             ORDER BY {keys} LIMIT ?",
            Intake::select_list()
        );
        self.listings(&sql, values)
    }

    /// The rows of a listing query: the intake's columns, then the receiving member's name.
    fn listings(&self, sql: &str, values: Vec<Value>) -> StoreResult<Vec<IntakeListing>> {
        let columns = 6 + Intake::COLUMNS.len();
        let mut stmt = self.conn().prepare_cached(sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), |row| {
                Ok(IntakeListing {
                    intake: Intake::read_row(row)?,
                    member_name: row.get(columns)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The visits of `from..=to`, oldest first, as the visitor register lists them; at most
    /// [`REGISTER_LIMIT`] (a register of more is split by the caller's dates).
    pub fn register_visits(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<IntakeListing>> {
        let filter = IntakeFilter {
            from: Some(from),
            to: Some(to),
            ..IntakeFilter::default()
        };
        let (conditions, mut values) = where_clause(&filter, from);
        values.push(Value::Integer(REGISTER_LIMIT as i64));
        let sql = format!(
            "SELECT {}, (SELECT name FROM member WHERE member.id = intake.member_id)
             FROM intake WHERE {conditions}
             ORDER BY visited_at ASC, id ASC LIMIT ?",
            Intake::select_list()
        );
        self.listings(&sql, values)
    }

    /// How many intakes the filter shows, up to [`INTAKE_COUNT_CAP`].
    pub fn count_intakes(&self, filter: &IntakeFilter, today: NaiveDate) -> StoreResult<i64> {
        // Only what is owed: from the counts per due date, whatever the number of visits.
        let only_due = IntakeFilter {
            due: filter.due,
            ..IntakeFilter::default()
        };
        if filter.due != DueFilter::All && *filter == only_due {
            let compare = match filter.due {
                DueFilter::Overdue => "<",
                DueFilter::DueToday => "=",
                _ => "<=",
            };
            return super::counts::counted(
                "intake_due_count",
                "due",
                compare,
                &today.format(DATE_FORMAT).to_string(),
                self.conn(),
            );
        }
        // Every visit, or a period: from the counts per day.
        let only_period = IntakeFilter {
            from: filter.from,
            to: filter.to,
            ..IntakeFilter::default()
        };
        if *filter == only_period {
            let from = filter.from.map(|d| d.format(DATE_FORMAT).to_string());
            let to = filter.to.map(|d| d.format(DATE_FORMAT).to_string());
            let n: i64 = self
                .conn()
                .prepare_cached(
                    "SELECT coalesce(sum(n), 0) FROM intake_day_count
                     WHERE day >= coalesce(?1, '') AND day <= coalesce(?2, '9999')",
                )?
                .query_row(params![from, to], |row| row.get(0))?;
            return Ok(n.min(INTAKE_COUNT_CAP));
        }
        let (conditions, values) = where_clause(filter, today);
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM intake WHERE {conditions} LIMIT {INTAKE_COUNT_CAP})"
        );
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(values), |row| row.get(0))?)
    }

    /// The position of an intake in the list's order: its visit time, what it owes by (empty
    /// when nothing) and its id. The whole list is in visit order; what is owed is in order of
    /// its date.
    pub fn intake_cursor(intake: &Intake) -> IntakeCursor {
        (
            intake.fields.visited_at.format(VISIT_FORMAT).to_string(),
            intake
                .due()
                .map(|d| d.format(DATE_FORMAT).to_string())
                .unwrap_or_default(),
            intake.meta.id,
        )
    }

    /// Earlier visits by the same person: the same phone, ID number or name (重复来访), newest
    /// first, without `except`.
    pub fn returning_visits(
        &self,
        phone: &str,
        id_number: &str,
        name: &str,
        except: Option<Uuid>,
        limit: usize,
    ) -> StoreResult<Vec<Intake>> {
        let mut found: Vec<Intake> = Vec::new();
        for (column, value) in [
            ("phone", phone),
            ("id_number", id_number),
            ("visitor_name", name),
        ] {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let sql = format!(
                "SELECT {} FROM intake WHERE {column} = ?1 AND {column} <> '' AND deleted_at IS NULL
                 ORDER BY visited_at DESC LIMIT ?2",
                Intake::select_list()
            );
            let mut stmt = self.conn().prepare_cached(&sql)?;
            let rows = stmt
                .query_map(params![value, limit as i64 + 1], Intake::read_row)?
                .collect::<Result<Vec<_>, _>>()?;
            for intake in rows {
                if Some(intake.meta.id) != except
                    && !found.iter().any(|f| f.meta.id == intake.meta.id)
                {
                    found.push(intake);
                }
            }
        }
        found.sort_by_key(|intake| std::cmp::Reverse(intake.fields.visited_at));
        found.truncate(limit);
        Ok(found)
    }

    /// How many other intakes this month came from the same address with the same category
    /// (three parking complaints from one compound…).
    pub fn same_place_this_month(
        &self,
        address: &str,
        category: &str,
        day: NaiveDate,
        except: Option<Uuid>,
    ) -> StoreResult<i64> {
        let compound = crate::domain::intake::compound_of(address);
        if compound.is_empty() || category.trim().is_empty() {
            return Ok(0);
        }
        let (first, last) = month_of(day);
        let next = last.succ_opt().unwrap_or(last);
        // Addresses that start with the compound's name, through the address index; then those
        // whose compound it is (`老街小区3幢` is, `老街小区东` would not be a different one).
        let mut stmt = self.conn().prepare_cached(
            "SELECT address FROM intake
             WHERE address >= ?1 AND address < ?2 AND category = ?3 AND deleted_at IS NULL
               AND visited_at >= ?4 AND visited_at < ?5 AND id <> ?6",
        )?;
        let addresses = stmt.query_map(
            params![
                compound,
                format!("{compound}\u{10FFFF}"),
                category.trim(),
                first.format(DATE_FORMAT).to_string(),
                next.format(DATE_FORMAT).to_string(),
                except.map(|e| e.to_string()).unwrap_or_default()
            ],
            |row| row.get::<_, String>(0),
        )?;
        let mut count = 0;
        for address in addresses {
            if crate::domain::intake::compound_of(&address?) == compound {
                count += 1;
            }
        }
        Ok(count)
    }
}
