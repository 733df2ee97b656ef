//! Mediation cases (矛盾纠纷调解): storage, case numbers, the list with its filters, events, and
//! turning an intake into a case (the rules themselves are in `domain::case`).

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Row};
use uuid::Uuid;

use super::codec::parse_code;
use super::codec::{date_value, json_value, optional_json, parse_date, parse_json, DATE_FORMAT};
use super::error::{StoreError, StoreResult};
use super::record::{meta_in_field, not_found, RecordTable, Writer};
use super::Store;
use crate::domain::case::{
    case_number, pattern_is_valid, CaseEvent, CaseFields, CaseSource, CaseState, MediationCase,
    DEFAULT_CASE_DAYS, DEFAULT_CASE_PATTERN,
};
use crate::domain::intake::Link;
use crate::domain::pinyin_key::name_key;
use crate::domain::search::SearchHead;
use crate::domain::{Intake, IntakeEvent, RecordKind, RecordMeta};

/// Settings of the case desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePolicy {
    /// Days from acceptance to the due date (setting `case_days`).
    pub days: u32,
    /// The case-number pattern (setting `case_pattern`).
    pub pattern: String,
}

impl Default for CasePolicy {
    fn default() -> CasePolicy {
        CasePolicy {
            days: DEFAULT_CASE_DAYS,
            pattern: DEFAULT_CASE_PATTERN.to_string(),
        }
    }
}

impl RecordTable for MediationCase {
    const TABLE: &'static str = "mediation_case";
    const COLUMNS: &'static [&'static str] = &[
        "case_no",
        "received_on",
        "source",
        "referring_unit",
        "referral_no",
        "dispute_type",
        "parties",
        "facts",
        "points",
        "amount_fen",
        "mediators",
        "state",
        "due",
        "extensions",
        "sessions",
        "outcome",
        "concluded_on",
        "follow_ups",
        "judicial",
        "links",
        "next_due",
        "reopenings",
    ];

    meta_in_field!();

    fn values(&self) -> Vec<Value> {
        let f = &self.fields;
        vec![
            Value::Text(self.case_no.clone()),
            date_value(Some(f.received_on)),
            Value::Text(f.source.as_str().to_string()),
            Value::Text(f.referring_unit.clone()),
            Value::Text(f.referral_no.clone()),
            Value::Text(f.dispute_type.clone()),
            json_value(&f.parties),
            Value::Text(f.facts.clone()),
            Value::Text(f.points.clone()),
            f.amount_fen.map(Value::Integer).unwrap_or(Value::Null),
            json_value(&f.mediators),
            Value::Text(self.state.as_str().to_string()),
            date_value(Some(self.due)),
            json_value(&self.extensions),
            json_value(&self.sessions),
            optional_json(&self.outcome),
            date_value(self.concluded_on),
            json_value(&self.follow_ups),
            optional_json(&self.judicial),
            json_value(&self.links),
            date_value(self.next_due()),
            json_value(&self.reopenings),
        ]
    }

    fn from_row(meta: RecordMeta, row: &Row<'_>) -> rusqlite::Result<MediationCase> {
        let required_date = |index: usize| super::codec::required_date(row, index);
        Ok(MediationCase {
            meta,
            case_no: row.get(6)?,
            fields: CaseFields {
                received_on: required_date(7)?,
                source: parse_code(row, 8, CaseSource::parse)?,
                referring_unit: row.get(9)?,
                referral_no: row.get(10)?,
                dispute_type: row.get(11)?,
                parties: parse_json(row, 12)?.unwrap_or_default(),
                facts: row.get(13)?,
                points: row.get(14)?,
                amount_fen: row.get(15)?,
                mediators: parse_json(row, 16)?.unwrap_or_default(),
            },
            state: parse_code(row, 17, CaseState::parse)?,
            due: required_date(18)?,
            extensions: parse_json(row, 19)?.unwrap_or_default(),
            sessions: parse_json(row, 20)?.unwrap_or_default(),
            outcome: parse_json(row, 21)?,
            concluded_on: parse_date(row, 22)?,
            follow_ups: parse_json(row, 23)?.unwrap_or_default(),
            judicial: parse_json(row, 24)?,
            links: parse_json::<Vec<Link>>(row, 25)?.unwrap_or_default(),
            // Column 26 is next_due, written from the record, never read back into it. The
            // column is NOT NULL DEFAULT '[]': none only for a row written before migration 19.
            reopenings: parse_json(row, 27)?.unwrap_or_default(),
        })
    }

    fn search_head(&self) -> SearchHead {
        let f = &self.fields;
        let mut words: Vec<String> = f
            .parties
            .iter()
            .flat_map(|party| {
                name_key(&party.name)
                    .split(' ')
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        words.push(self.case_no.to_lowercase());
        let flat: String = f
            .facts
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .take(40)
            .collect();
        SearchHead {
            title: format!("{} | {}", self.case_no, self.title()),
            date: f.received_on.format(DATE_FORMAT).to_string(),
            snippet: format!("{} | {}", f.dispute_type, flat.trim()),
            words,
        }
    }
}

/// Which cases the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub state: Option<CaseState>,
    pub dispute_type: Option<String>,
    pub mediator: Option<Uuid>,
    /// Only cases whose next date has passed.
    pub overdue: bool,
    /// Only cases received from the first day to the second (both included).
    pub received: Option<(NaiveDate, NaiveDate)>,
    /// Only cases with this outcome (`success`, `failed`…; the name in the records).
    pub outcome: Option<String>,
}

/// The position of a case in the list's order (newest received first).
pub type CaseCursor = (String, Uuid);

fn where_clause(filter: &CaseFilter, today: NaiveDate) -> (String, Vec<Value>) {
    let mut conditions = vec!["deleted_at IS NULL"];
    let mut values = Vec::new();
    if let Some(state) = filter.state {
        conditions.push("state = ?");
        values.push(Value::Text(state.as_str().to_string()));
    }
    if let Some(kind) = &filter.dispute_type {
        conditions.push("dispute_type = ?");
        values.push(Value::Text(kind.clone()));
    }
    if let Some(mediator) = filter.mediator {
        conditions.push("EXISTS (SELECT 1 FROM json_each(mediators) WHERE json_each.value = ?)");
        values.push(Value::Text(mediator.to_string()));
    }
    if filter.overdue {
        conditions.push("next_due IS NOT NULL AND next_due < ?");
        values.push(Value::Text(today.format(DATE_FORMAT).to_string()));
    }
    if let Some((from, to)) = filter.received {
        conditions.push("received_on >= ? AND received_on <= ?");
        values.push(Value::Text(from.format(DATE_FORMAT).to_string()));
        values.push(Value::Text(to.format(DATE_FORMAT).to_string()));
    }
    if let Some(outcome) = &filter.outcome {
        conditions.push("outcome IS NOT NULL AND json_extract(outcome, '$.result') = ?");
        values.push(Value::Text(outcome.clone()));
    }
    (conditions.join(" AND "), values)
}

/// Takes the next case number of `year` inside the writer's transaction. The sequence only
/// grows: a deleted case keeps its number and no number is handed out twice.
pub fn next_case_number(
    w: &Writer<'_>,
    pattern: &str,
    station_code: &str,
    year: i32,
) -> StoreResult<String> {
    let tx = w.tx();
    let last: Option<i64> = tx
        .prepare_cached("SELECT last FROM case_seq WHERE year = ?1")?
        .query_row([year], |row| row.get(0))
        .optional()?;
    let mut seq = last.unwrap_or(0) + 1;
    // A number taken by an imported or hand-made case is skipped, never duplicated.
    loop {
        let number = case_number(pattern, station_code, year, seq);
        let taken: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM mediation_case WHERE case_no = ?1)")?
            .query_row([&number], |row| row.get(0))?;
        if !taken {
            tx.prepare_cached(
                "INSERT INTO case_seq (year, last) VALUES (?1, ?2)
                 ON CONFLICT (year) DO UPDATE SET last = excluded.last",
            )?
            .execute(params![year, seq])?;
            return Ok(number);
        }
        seq += 1;
    }
}

impl Store {
    /// The case settings: days to conclude and the number pattern.
    pub fn case_policy(&self) -> StoreResult<CasePolicy> {
        let mut policy = CasePolicy::default();
        if let Some(days) = self.setting("case_days")?.and_then(|v| v.parse().ok()) {
            policy.days = days;
        }
        if let Some(pattern) = self
            .setting("case_pattern")?
            .filter(|p| pattern_is_valid(p))
        {
            policy.pattern = pattern;
        }
        Ok(policy)
    }

    /// Sets the case-number pattern; it must hold `{year}` and `{seq}`.
    pub fn set_case_pattern(&mut self, pattern: &str) -> StoreResult<()> {
        let pattern = pattern.trim();
        if !pattern_is_valid(pattern) {
            return Err(StoreError::Setting("case.pattern_invalid"));
        }
        self.set_setting("case_pattern", pattern)
    }

    /// Registers a case with the next number of its year; with `intake`, the intake is turned
    /// into this case and both link to each other, in one transaction.
    pub fn register_case(
        &mut self,
        fields: &CaseFields,
        intake: Option<Uuid>,
    ) -> StoreResult<MediationCase> {
        let checked = fields
            .validate(super::local_now())
            .map_err(StoreError::InvalidCase)?;
        let policy = self.case_policy()?;
        let station = self.station()?.ok_or(StoreError::NotInitialised)?;
        let intake_policy = self.due_policy()?;
        self.write(|w| {
            let year = chrono::Datelike::year(&checked.received_on);
            let number = next_case_number(w, &policy.pattern, &station.code, year)?;
            let mut case = MediationCase::register(number, checked, policy.days);
            case.meta.id = Uuid::now_v7();
            if let Some(intake_id) = intake {
                let intake = w
                    .get_any::<Intake>(intake_id)?
                    .ok_or_else(|| not_found::<Intake>(intake_id))?;
                let converted = intake
                    .apply(
                        IntakeEvent::Convert {
                            to: RecordKind::Case,
                            id: case.meta.id,
                        },
                        intake_policy,
                        super::local_now(),
                    )
                    .map_err(StoreError::Refused)?;
                case.link(RecordKind::Intake, intake_id);
                w.update(&converted)?;
            }
            w.insert(case)
        })
    }

    /// Corrects what was typed about the dispute; number, state and history stay.
    pub fn edit_case(&mut self, id: Uuid, fields: &CaseFields) -> StoreResult<MediationCase> {
        let checked = fields
            .validate(super::local_now())
            .map_err(StoreError::InvalidCase)?;
        let policy = self.case_policy()?;
        self.write(|w| {
            let mut case = w
                .get_any::<MediationCase>(id)?
                .ok_or_else(|| not_found::<MediationCase>(id))?;
            if checked.received_on != case.fields.received_on && case.extensions.is_empty() {
                case.due = checked.received_on + chrono::Duration::days(i64::from(policy.days));
            }
            case.fields = checked;
            w.update(&case)
        })
    }

    /// Applies an event, or says why not (the rules are `MediationCase::apply`).
    pub fn case_event(&mut self, id: Uuid, event: CaseEvent) -> StoreResult<MediationCase> {
        // A reopening names who did it: the member signed in, whom the store writes as.
        let event = match event {
            CaseEvent::Reopen { on, reason, .. } => CaseEvent::Reopen {
                on,
                by: self.actor().to_string(),
                reason,
            },
            other => other,
        };
        self.write(|w| {
            let case = w
                .get_any::<MediationCase>(id)?
                .ok_or_else(|| not_found::<MediationCase>(id))?;
            let next = case
                .apply(event, super::local_now())
                .map_err(StoreError::CaseRefused)?;
            w.update(&next)
        })
    }

    /// A case by its number.
    pub fn case_by_number(&self, case_no: &str) -> StoreResult<Option<MediationCase>> {
        let sql = format!(
            "SELECT {} FROM mediation_case WHERE case_no = ?1 AND deleted_at IS NULL",
            MediationCase::select_list()
        );
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row([case_no.trim()], MediationCase::read_row)
            .optional()?)
    }

    /// A page of the list, newest first, after `cursor`.
    pub fn cases_page(
        &self,
        filter: &CaseFilter,
        today: NaiveDate,
        cursor: Option<&CaseCursor>,
        limit: usize,
    ) -> StoreResult<Vec<MediationCase>> {
        self.case_rows(filter, today, cursor, limit, false)
    }

    /// The page just newer than `cursor`, in list order.
    pub fn cases_before(
        &self,
        filter: &CaseFilter,
        today: NaiveDate,
        cursor: &CaseCursor,
        limit: usize,
    ) -> StoreResult<Vec<MediationCase>> {
        let mut rows = self.case_rows(filter, today, Some(cursor), limit, true)?;
        rows.reverse();
        Ok(rows)
    }

    fn case_rows(
        &self,
        filter: &CaseFilter,
        today: NaiveDate,
        cursor: Option<&CaseCursor>,
        limit: usize,
        newer: bool,
    ) -> StoreResult<Vec<MediationCase>> {
        let (compare, order) = if newer { (">", "ASC") } else { ("<", "DESC") };
        let (mut conditions, mut values) = where_clause(filter, today);
        if let Some((on, id)) = cursor {
            conditions.push_str(&format!(" AND (received_on, id) {compare} (?, ?)"));
            values.push(Value::Text(on.clone()));
            values.push(Value::Text(id.to_string()));
        }
        values.push(Value::Integer(limit as i64));
        // Overdue cases are a small part of the table: read them through their own index and
        // sort, instead of walking every case newest first.
        let index = if filter.overdue {
            "INDEXED BY case_open_by_due"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {} FROM mediation_case {index} WHERE {conditions}
             ORDER BY received_on {order}, id {order} LIMIT ?",
            MediationCase::select_list()
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), MediationCase::read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// How many cases the filter shows.
    pub fn count_cases(&self, filter: &CaseFilter, today: NaiveDate) -> StoreResult<i64> {
        // The overdue ones, or one state: from the counts per date and per state.
        match filter {
            CaseFilter {
                state: None,
                dispute_type: None,
                mediator: None,
                overdue: true,
                received: None,
                outcome: None,
            } => {
                let today = today.format(DATE_FORMAT).to_string();
                return super::counts::counted("case_due_count", "due", "<", &today, self.conn());
            }
            CaseFilter {
                state: Some(state),
                dispute_type: None,
                mediator: None,
                overdue: false,
                received: None,
                outcome: None,
            } => {
                return super::counts::counted(
                    "case_state_count",
                    "state",
                    "=",
                    state.as_str(),
                    self.conn(),
                )
            }
            _ => {}
        }
        let (conditions, values) = where_clause(filter, today);
        // Counting reads the narrowest index the filter allows.
        let index = if filter.overdue {
            "INDEXED BY case_open_by_due"
        } else if filter.state.is_some() {
            "INDEXED BY case_by_state"
        } else {
            ""
        };
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM mediation_case {index} WHERE {conditions}
             LIMIT {})",
            super::INTAKE_COUNT_CAP
        );
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(values), |row| row.get(0))?)
    }

    /// Cases accepted or being mediated, up to the count cap.
    pub fn count_open_cases(&self) -> StoreResult<i64> {
        let n: i64 = self
            .conn()
            .prepare_cached(
                "SELECT coalesce(sum(n), 0) FROM case_state_count
                 WHERE state IN ('accepted', 'mediating')",
            )?
            .query_row([], |row| row.get(0))?;
        Ok(n.min(super::INTAKE_COUNT_CAP))
    }

    pub fn case_cursor(case: &MediationCase) -> CaseCursor {
        (
            case.fields.received_on.format(DATE_FORMAT).to_string(),
            case.meta.id,
        )
    }

    /// The members who serve as mediators, `(id, name)`, active ones, by name.
    pub fn mediators(&self) -> StoreResult<Vec<(Uuid, String)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name FROM member
             WHERE mediator = 1 AND active = 1 AND deleted_at IS NULL
             ORDER BY search_key, id LIMIT 500",
        )?;
        let rows = stmt
            .query_map([], |row| {
                Ok((
                    super::parse_uuid(&row.get::<_, String>(0)?)?,
                    row.get::<_, String>(1)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Member names by id, for showing mediators.
    pub fn member_names(&self, ids: &[Uuid]) -> StoreResult<Vec<String>> {
        let mut names = Vec::new();
        for id in ids {
            if let Some(member) = self.get_any::<crate::domain::Member>(*id)? {
                names.push(member.fields.name);
            }
        }
        Ok(names)
    }
}
