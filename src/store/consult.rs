//! Consultations: topics, meetings and their recommendations, public-opinion reports, the
//! year's 4+X, and drafts of minutes (the rules are in `domain::consult`).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Row};
use uuid::Uuid;

use super::codec::parse_code;
use super::codec::{conversion, date_value, json_value, optional_json, parse_date, parse_json};
use super::error::{StoreError, StoreResult};
use super::record::{meta_in_field, not_found, RecordTable};
use super::Store;
use crate::domain::consult::{
    quota, ConsultRefusal, Meeting, MeetingForm, Quota, Recommendation, RecommendationFeedback,
    Report, ReportResult, Topic, TopicEvent, TopicSource, TopicStep,
};
use crate::domain::intake::Link;
use crate::domain::search::SearchHead;
use crate::domain::{Intake, IntakeEvent, RecordKind, RecordMeta};

const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

fn flat(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .take(max)
        .collect();
    flat.trim().to_string()
}

impl RecordTable for Topic {
    const TABLE: &'static str = "topic";
    const COLUMNS: &'static [&'static str] = &[
        "title",
        "description",
        "source",
        "source_note",
        "intakes",
        "step",
        "decision",
        "research",
        "reopenings",
    ];

    meta_in_field!();

    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.title.clone()),
            Value::Text(self.description.clone()),
            Value::Text(self.source.as_str().to_string()),
            Value::Text(self.source_note.clone()),
            json_value(&self.intakes),
            Value::Text(self.step.as_str().to_string()),
            optional_json(&self.decision),
            json_value(&self.research),
            json_value(&self.reopenings),
        ]
    }

    fn from_row(meta: RecordMeta, row: &Row<'_>) -> rusqlite::Result<Topic> {
        Ok(Topic {
            meta,
            title: row.get(6)?,
            description: row.get(7)?,
            source: parse_code(row, 8, TopicSource::parse)?,
            source_note: row.get(9)?,
            intakes: parse_json(row, 10)?.unwrap_or_default(),
            step: parse_code(row, 11, TopicStep::parse)?,
            decision: parse_json(row, 12)?,
            research: parse_json(row, 13)?.unwrap_or_default(),
            reopenings: parse_json(row, 14)?.unwrap_or_default(),
        })
    }

    fn search_head(&self) -> SearchHead {
        SearchHead::new(
            self.title.clone(),
            self.meta.created_at.format("%Y-%m-%d").to_string(),
            flat(&self.description, 40),
        )
    }
}

impl RecordTable for Meeting {
    const TABLE: &'static str = "meeting";
    const COLUMNS: &'static [&'static str] = &[
        "held_at",
        "place",
        "form",
        "host",
        "topics",
        "members",
        "guests",
        "minutes",
        "recommendations",
    ];

    meta_in_field!();

    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.held_at.format(TIME_FORMAT).to_string()),
            Value::Text(self.place.clone()),
            Value::Text(self.form.as_str().to_string()),
            Value::Text(self.host.clone()),
            json_value(&self.topics),
            json_value(&self.members),
            json_value(&self.guests),
            Value::Text(self.minutes.clone()),
            json_value(&self.recommendations),
        ]
    }

    fn from_row(meta: RecordMeta, row: &Row<'_>) -> rusqlite::Result<Meeting> {
        let held: String = row.get(6)?;
        Ok(Meeting {
            meta,
            held_at: NaiveDateTime::parse_from_str(&held, TIME_FORMAT)
                .map_err(|e| conversion(6, e))?,
            place: row.get(7)?,
            form: parse_code(row, 8, MeetingForm::parse)?,
            host: row.get(9)?,
            topics: parse_json(row, 10)?.unwrap_or_default(),
            members: parse_json(row, 11)?.unwrap_or_default(),
            guests: parse_json(row, 12)?.unwrap_or_default(),
            minutes: row.get(13)?,
            recommendations: parse_json(row, 14)?.unwrap_or_default(),
        })
    }

    fn search_head(&self) -> SearchHead {
        SearchHead::new(
            format!("{} {}", self.held_at.format("%Y-%m-%d"), self.place),
            self.held_at.format("%Y-%m-%d").to_string(),
            flat(&self.minutes, 40),
        )
    }
}

impl RecordTable for Report {
    const TABLE: &'static str = "report";
    const COLUMNS: &'static [&'static str] = &[
        "title",
        "body",
        "authors",
        "intakes",
        "topics",
        "submitted_on",
        "submitted_to",
        "result",
    ];

    meta_in_field!();

    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.title.clone()),
            Value::Text(self.body.clone()),
            json_value(&self.authors),
            json_value(&self.intakes),
            json_value(&self.topics),
            date_value(self.submitted_on),
            Value::Text(self.submitted_to.clone()),
            json_value(&self.result),
        ]
    }

    fn from_row(meta: RecordMeta, row: &Row<'_>) -> rusqlite::Result<Report> {
        Ok(Report {
            meta,
            title: row.get(6)?,
            body: row.get(7)?,
            authors: parse_json(row, 8)?.unwrap_or_default(),
            intakes: parse_json(row, 9)?.unwrap_or_default(),
            topics: parse_json(row, 10)?.unwrap_or_default(),
            submitted_on: parse_date(row, 11)?,
            submitted_to: row.get(12)?,
            result: parse_json::<ReportResult>(row, 13)?.unwrap_or_default(),
        })
    }

    fn search_head(&self) -> SearchHead {
        SearchHead::new(
            self.title.clone(),
            self.submitted_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| self.meta.created_at.format("%Y-%m-%d").to_string()),
            flat(&self.body, 40),
        )
    }
}

fn refused(e: ConsultRefusal) -> StoreError {
    StoreError::ConsultRefused(e)
}

/// Links intakes to a record made from them: an intake still awaiting its reply is turned
/// into it (办理中, handling "converted"); one already answered just gains the link.
fn link_intakes(
    w: &mut super::record::Writer<'_>,
    intakes: &[Uuid],
    kind: RecordKind,
    id: Uuid,
    policy: crate::domain::DuePolicy,
) -> StoreResult<()> {
    for intake_id in intakes {
        let intake = w
            .get_any::<Intake>(*intake_id)?
            .ok_or_else(|| not_found::<Intake>(*intake_id))?;
        let next = if intake.state.awaits_reply() {
            intake
                .apply(
                    IntakeEvent::Convert { to: kind, id },
                    policy,
                    super::local_now(),
                )
                .map_err(StoreError::Refused)?
        } else {
            let mut linked = intake.clone();
            if !linked.links.iter().any(|l| l.id == id) {
                linked.links.push(Link { kind, id });
            }
            linked
        };
        w.update(&next)?;
    }
    Ok(())
}

impl Store {
    /// A new topic; with intakes, they link to it.
    pub fn add_topic(&mut self, mut topic: Topic) -> StoreResult<Topic> {
        let policy = self.due_policy()?;
        self.write(|w| {
            topic.meta.id = Uuid::now_v7();
            let intakes = topic.intakes.clone();
            let id = topic.meta.id;
            let saved = w.insert(topic)?;
            link_intakes(w, &intakes, RecordKind::Topic, id, policy)?;
            Ok(saved)
        })
    }

    /// Meetings on a topic (held or planned).
    pub fn meetings_on(&self, topic: Uuid) -> StoreResult<Vec<Meeting>> {
        let sql = format!(
            "SELECT {} FROM meeting WHERE deleted_at IS NULL
               AND EXISTS (SELECT 1 FROM json_each(topics) WHERE json_each.value = ?1)
             ORDER BY held_at",
            Meeting::select_list()
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt
            .query_map([topic.to_string()], Meeting::read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Applies a step of the loop; the meetings on the topic are what the rules look at.
    pub fn topic_event(
        &mut self,
        id: Uuid,
        event: TopicEvent,
        now: NaiveDateTime,
    ) -> StoreResult<Topic> {
        let meetings = self.meetings_on(id)?;
        // A reopening names who did it: the member signed in, whom the store writes as.
        let event = match event {
            TopicEvent::Reopen { on, reason, .. } => TopicEvent::Reopen {
                on,
                by: self.actor().to_string(),
                reason,
            },
            other => other,
        };
        self.write(|w| {
            let topic = w
                .get_any::<Topic>(id)?
                .ok_or_else(|| not_found::<Topic>(id))?;
            let next = topic.apply(event, &meetings, now).map_err(refused)?;
            w.update(&next)
        })
    }

    /// The newest records of a kind, up to `limit` (the consultation lists: tens a year).
    fn newest<T: RecordTable>(&self, order: &str, limit: usize) -> StoreResult<Vec<T>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE deleted_at IS NULL ORDER BY {order} DESC, id DESC LIMIT ?1",
            T::select_list(),
            T::TABLE
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt
            .query_map([limit as i64], T::read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub fn topics(&self, limit: usize) -> StoreResult<Vec<Topic>> {
        self.newest::<Topic>("created_at", limit)
    }

    pub fn meetings(&self, limit: usize) -> StoreResult<Vec<Meeting>> {
        self.newest::<Meeting>("held_at", limit)
    }

    pub fn reports(&self, limit: usize) -> StoreResult<Vec<Report>> {
        self.newest::<Report>("created_at", limit)
    }

    /// A meeting, checked: when, where, who.
    pub fn save_meeting(&mut self, meeting: Meeting) -> StoreResult<Meeting> {
        let mut problems = Vec::new();
        if meeting.place.trim().is_empty() {
            problems.push((
                "place".to_string(),
                crate::domain::ValidationError::Required,
            ));
        }
        if meeting.host.trim().is_empty() {
            problems.push(("host".to_string(), crate::domain::ValidationError::Required));
        }
        if meeting.topics.is_empty() {
            problems.push((
                "topic1".to_string(),
                crate::domain::ValidationError::Required,
            ));
        }
        if !problems.is_empty() {
            return Err(StoreError::InvalidFields(problems));
        }
        if meeting.meta.is_saved() {
            self.update(&meeting)
        } else {
            self.insert(meeting)
        }
    }

    /// Changes one meeting in one transaction.
    pub fn change_meeting(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&Meeting) -> Result<Meeting, ConsultRefusal>,
    ) -> StoreResult<Meeting> {
        self.write(|w| {
            let meeting = w
                .get_any::<Meeting>(id)?
                .ok_or_else(|| not_found::<Meeting>(id))?;
            let next = change(&meeting).map_err(refused)?;
            w.update(&next)
        })
    }

    pub fn set_minutes(&mut self, id: Uuid, minutes: &str) -> StoreResult<Meeting> {
        let minutes = crate::text::clean_input(&minutes.replace("\r\n", "\n"));
        let saved = self.change_meeting(id, |m| {
            let mut next = m.clone();
            next.minutes = minutes.trim_end().to_string();
            Ok(next)
        })?;
        self.discard_draft(id)?;
        Ok(saved)
    }

    pub fn add_recommendation(&mut self, id: Uuid, text: &str) -> StoreResult<Meeting> {
        let recommendation = Recommendation::new(text).map_err(refused)?;
        self.change_meeting(id, |m| {
            let mut next = m.clone();
            next.recommendations.push(recommendation);
            Ok(next)
        })
    }

    pub fn submit_recommendation(
        &mut self,
        id: Uuid,
        index: usize,
        to: &str,
        on: NaiveDate,
    ) -> StoreResult<Meeting> {
        self.change_meeting(id, |m| {
            let mut next = m.clone();
            let r = next
                .recommendations
                .get_mut(index)
                .ok_or(ConsultRefusal::NotSent)?;
            *r = r.submit(to, on, m.held_at.date(), super::local_now())?;
            Ok(next)
        })
    }

    pub fn recommendation_feedback(
        &mut self,
        id: Uuid,
        index: usize,
        feedback: RecommendationFeedback,
    ) -> StoreResult<Meeting> {
        self.change_meeting(id, |m| {
            let mut next = m.clone();
            let r = next
                .recommendations
                .get_mut(index)
                .ok_or(ConsultRefusal::NotSent)?;
            *r = r.record_feedback(feedback, super::local_now())?;
            Ok(next)
        })
    }

    /// A new report; its intakes link to it.
    pub fn add_report(&mut self, mut report: Report) -> StoreResult<Report> {
        let policy = self.due_policy()?;
        self.write(|w| {
            report.meta.id = Uuid::now_v7();
            let intakes = report.intakes.clone();
            let id = report.meta.id;
            let saved = w.insert(report)?;
            link_intakes(w, &intakes, RecordKind::Report, id, policy)?;
            Ok(saved)
        })
    }

    pub fn change_report(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&Report) -> Result<Report, ConsultRefusal>,
    ) -> StoreResult<Report> {
        self.write(|w| {
            let report = w
                .get_any::<Report>(id)?
                .ok_or_else(|| not_found::<Report>(id))?;
            let next = change(&report).map_err(refused)?;
            w.update(&next)
        })
    }

    /// The year's 4+X against the quotas (settings `consult_quota`, `report_quota`: 4 and 10).
    pub fn quota(&self, now: NaiveDateTime) -> StoreResult<Quota> {
        let setting = |key: &str, default: usize| -> StoreResult<usize> {
            Ok(self
                .setting(key)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(default))
        };
        let year = chrono::Datelike::year(&now.date());
        let sql_meetings = format!(
            "SELECT {} FROM meeting WHERE deleted_at IS NULL AND held_at >= ?1 AND held_at < ?2",
            Meeting::select_list()
        );
        let sql_reports = format!(
            "SELECT {} FROM report INDEXED BY report_by_submitted
             WHERE deleted_at IS NULL AND submitted_on IS NOT NULL
               AND submitted_on >= ?1 AND submitted_on < ?2",
            Report::select_list()
        );
        let range = [format!("{year}-01-01"), format!("{}-01-01", year + 1)];
        let meetings = self
            .conn()
            .prepare_cached(&sql_meetings)?
            .query_map(params![range[0], range[1]], Meeting::read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        let reports = self
            .conn()
            .prepare_cached(&sql_reports)?
            .query_map(params![range[0], range[1]], Report::read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(quota(
            &meetings,
            &reports,
            now,
            setting("consult_quota", crate::domain::consult::STANDARD_QUOTAS.0)?,
            setting("report_quota", crate::domain::consult::STANDARD_QUOTAS.1)?,
        ))
    }

    /// Saves the minutes being typed (every few seconds while the editor is open).
    pub fn save_draft(&mut self, meeting: Uuid, text: &str, at: NaiveDateTime) -> StoreResult<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO minutes_draft (meeting_id, text, saved_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (meeting_id) DO UPDATE SET text = excluded.text, saved_at = excluded.saved_at",
            )?
            .execute(params![
                meeting.to_string(),
                text,
                at.format("%Y-%m-%d %H:%M:%S").to_string()
            ])?;
        Ok(())
    }

    /// Drafts left unsaved (by a crash or a power cut) that differ from their meeting's
    /// minutes: `(meeting, saved at, text)`.
    pub fn pending_drafts(&self) -> StoreResult<Vec<(Meeting, String, String)>> {
        let rows: Vec<(String, String, String)> = self
            .conn()
            .prepare_cached(
                "SELECT meeting_id, text, saved_at FROM minutes_draft ORDER BY saved_at",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        for (id, text, at) in rows {
            let Ok(id) = Uuid::parse_str(&id) else {
                continue;
            };
            if let Some(meeting) = self.get::<Meeting>(id)? {
                if meeting.minutes.trim_end() != text.trim_end() {
                    out.push((meeting, at, text));
                }
            }
        }
        Ok(out)
    }

    pub fn draft(&self, meeting: Uuid) -> StoreResult<Option<String>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT text FROM minutes_draft WHERE meeting_id = ?1")?
            .query_row([meeting.to_string()], |row| row.get(0))
            .optional()?)
    }

    pub fn discard_draft(&mut self, meeting: Uuid) -> StoreResult<()> {
        self.conn()
            .prepare_cached("DELETE FROM minutes_draft WHERE meeting_id = ?1")?
            .execute([meeting.to_string()])?;
        Ok(())
    }
}
