//! `record`, `assess` and `stats`: a member's record, the year's assessment and the month's
//! figures, printed, as JSON, or written as .docx and .xlsx.

use std::path::{Path, PathBuf};

use chrono::Datelike;
use stationdesk::documents::performance::{self as docs, Item, RecordItems};
use stationdesk::domain::performance::{MemberRecord, Period};
use stationdesk::i18n::figure_label;
use stationdesk::store::{MemberFilter, SearchHit, Store, StoreError};
use stationdesk::tr;
use uuid::Uuid;

use crate::*;

fn document_failure(e: stationdesk::documents::DocumentError) -> Failure {
    Failure::Message(stationdesk::messages::document_error(&e))
}

/// Prints a line; a closed pipe (`| head`) ends the output quietly instead of failing.
fn say(line: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// `text` padded to `width` columns (Chinese characters take two).
fn pad(text: &str, width: usize) -> String {
    let shown = stationdesk::text::sanitize(text);
    let used = unicode_width::UnicodeWidthStr::width(shown.as_ref());
    format!("{shown}{}", " ".repeat(width.saturating_sub(used)))
}

fn today() -> chrono::NaiveDate {
    stationdesk::clock::today()
}

fn now() -> chrono::NaiveDateTime {
    stationdesk::clock::local_now()
}

/// A member by id, or by name (active or not); a name two members share asks for the id.
fn find_member(store: &Store, who: &str) -> Result<Member, Failure> {
    if let Ok(id) = Uuid::parse_str(who.trim()) {
        if let Some(member) = store.get::<Member>(id)? {
            return Ok(member);
        }
    }
    let filter = MemberFilter {
        text: who.trim().to_string(),
        include_inactive: true,
        ..Default::default()
    };
    let found: Vec<Member> = store
        .members_after(&filter, None, 50)?
        .into_iter()
        .filter(|m| m.fields.name == who.trim())
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Failure::Message(tr!(
            "cli.no_such_member",
            name = stationdesk::text::sanitize(who)
        ))),
        several => Err(Failure::Message(tr!(
            "cli.several_members",
            name = stationdesk::text::sanitize(who),
            ids = several
                .iter()
                .map(|m| m.meta.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn period_of(year: Option<i32>, term: bool) -> Period {
    if term {
        Period::Term
    } else {
        Period::Year(year.unwrap_or_else(|| today().year()))
    }
}

fn items(hits: Vec<SearchHit>) -> Vec<Item> {
    hits.into_iter()
        .map(|h| Item {
            date: h.date,
            title: h.title,
            note: h.snippet,
        })
        .collect()
}

/// What a member's record lists under its categories.
pub(crate) fn record_items(
    store: &Store,
    record: &MemberRecord,
) -> Result<RecordItems, StoreError> {
    let behind = |figure: &str| {
        store
            .records_behind(record.member_id, record.period, figure, today(), &|k| {
                crate::tr!(k)
            })
            .map(items)
    };
    Ok(RecordItems {
        meetings: behind("consultations.present")?,
        research: behind("research.notes")?,
        reports: behind("opinions.written")?,
        activities: behind("activity.all")?,
    })
}

/// The record's figures as lines: `label  n`.
fn record_lines(record: &MemberRecord) -> Vec<String> {
    let mut lines = Vec::new();
    for figure in stationdesk::domain::performance::FIGURES {
        let n = record.figure(figure).unwrap_or(0);
        lines.push(format!("  {} {n}", pad(&figure_label(figure), 16)));
    }
    for (kind, n) in &record.activities {
        lines.push(format!("  {} {n}", pad(kind, 16)));
    }
    lines
}

/// `stationdesk record`: prints the member's record (and assessment for a year), or writes it.
pub(crate) fn record(
    store: &Store,
    path: &Path,
    member: &str,
    year: Option<i32>,
    term: bool,
    json: bool,
    docx: Option<Option<PathBuf>>,
) -> Result<(), Failure> {
    let member = find_member(store, member)?;
    let period = period_of(year, term);
    let record = store.member_record(member.meta.id, period, now())?;
    let assessment = match period {
        Period::Year(_) => Some(store.assessment_rules()?.assess(&record)),
        _ => None,
    };
    if let Some(dir) = docx {
        let station = store.station()?.ok_or(StoreError::NotInitialised)?;
        let dir = dir.unwrap_or_else(|| stationdesk::documents::documents_dir(path));
        let items = record_items(store, &record)?;
        let written = docs::write_record(&station, &record, assessment.as_ref(), &items, &dir)
            .map_err(document_failure)?;
        say(written.display());
        return Ok(());
    }
    if json {
        let value = serde_json::json!({ "record": record, "assessment": assessment });
        say(value);
        return Ok(());
    }
    say(tr!(
        "cli.record_title",
        name = stationdesk::text::sanitize(&record.name),
        period = period.label(i18n::current_language() == Language::English)
    ));
    for line in record_lines(&record) {
        say(line);
    }
    if let Some(a) = assessment {
        say(tr!(
            "cli.record_grade",
            total = a.total,
            grade = tr!(a.grade.key()),
            met = a.minimums_met(),
            minimums = a.minimums.len()
        ));
    }
    Ok(())
}

/// `stationdesk assess`: every member's points and grade for the year.
pub(crate) fn assess(
    store: &Store,
    year: Option<i32>,
    json: bool,
    xlsx: Option<PathBuf>,
) -> Result<(), Failure> {
    let year = year.unwrap_or_else(|| today().year());
    let assessed = store.assessments(year, now())?;
    if let Some(file) = xlsx {
        let station = store.station()?.ok_or(StoreError::NotInitialised)?;
        let file = if file.is_dir() {
            file.join(docs::assessment_file_name(year))
        } else {
            file
        };
        docs::write_assessment(&station, year, &assessed, &file).map_err(document_failure)?;
        say(file.display());
        return Ok(());
    }
    if json {
        let rows: Vec<_> = assessed.iter().map(|(_, a)| a).collect();
        say(serde_json::to_string(&rows).map_err(|e| Failure::Message(e.to_string()))?);
        return Ok(());
    }
    say(tr!("cli.assess_title", year = year));
    for (_, a) in &assessed {
        say(format!(
            "  {} {} {:>3}/{}  {:>4}  {}{}",
            pad(&a.name, 8),
            pad(&a.sector, 12),
            a.minimums_met(),
            a.minimums.len(),
            a.total,
            tr!(a.grade.key()),
            if a.is_behind() { "  !" } else { "" }
        ));
    }
    Ok(())
}

/// `stationdesk stats`: the month's figures.
pub(crate) fn stats(
    store: &Store,
    month: &str,
    json: bool,
    xlsx: Option<PathBuf>,
) -> Result<(), Failure> {
    let Some(Period::Month(year, m)) = Period::parse(month) else {
        return Err(Failure::Message(tr!("cli.bad_month", value = month)));
    };
    let stats = store.month_stats(year, m, now())?;
    if let Some(file) = xlsx {
        let station = store.station()?.ok_or(StoreError::NotInitialised)?;
        let file = if file.is_dir() {
            file.join(docs::month_file_name(&stats))
        } else {
            file
        };
        let bytes = docs::month_xlsx(&station, &stats).map_err(document_failure)?;
        stationdesk::documents::write_file(&file, &bytes).map_err(document_failure)?;
        say(file.display());
        return Ok(());
    }
    if json {
        say(serde_json::to_string(&stats).map_err(|e| Failure::Message(e.to_string()))?);
        return Ok(());
    }
    say(tr!("cli.stats_title", year = year, month = m));
    let section = |title: String, rows: &[(String, i64)]| {
        say(title);
        for (name, n) in rows {
            say(format!("  {} {n}", pad(name, 20)));
        }
    };
    section(
        tr!("stats.visits", count = stats.visits),
        &stats.visit_categories,
    );
    section(tr!("stats.cases", count = stats.cases), &stats.case_types);
    say(tr!(
        "stats.duty",
        served = stats.duty.coverage.slots_served,
        ended = stats.duty.coverage.slots_ended,
        coverage = stats.duty.coverage.text()
    ));
    say(tr!(
        "stats.consult",
        meetings = stats.consultations,
        reports = stats.reports_submitted
    ));
    section(tr!("stats.activities"), &stats.activities);
    Ok(())
}
