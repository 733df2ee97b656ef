//! `roster`: the month's roster written out, and the duty report.

use stationdesk::store::{Store, StoreError};
use stationdesk::tr;

use crate::*;

/// A month `YYYY-MM` as its first and last day.
pub(crate) fn parse_month(text: &str) -> Result<(chrono::NaiveDate, chrono::NaiveDate), Failure> {
    chrono::NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .map(|first| stationdesk::domain::roster::month_shifted(first, 0))
        .map_err(|_| Failure::Message(tr!("cli.bad_month", value = text)))
}

pub(crate) fn roster(
    store: &mut Store,
    path: &std::path::Path,
    action: RosterAction,
) -> Result<(), Failure> {
    match action {
        RosterAction::Export { month, out } => {
            let station = store.station()?.ok_or(StoreError::NotInitialised)?;
            let month = parse_month(&month)?;
            let shifts = store.shifts_between(month.0, month.1)?;
            let names = store.shift_names(&shifts)?;
            let dir = out.unwrap_or_else(|| stationdesk::documents::documents_dir(path));
            let stem = format!("值班表-{}", month.0.format("%Y-%m"));
            let ics = stationdesk::documents::roster::roster_ics(&station, &shifts, &names);
            let xlsx = stationdesk::documents::roster::roster_xlsx(
                &station,
                month,
                &store.roster_slots()?,
                &shifts,
                &names,
                &store.holiday_calendar(),
            )
            .map_err(|e| Failure::Message(stationdesk::messages::document_error(&e)))?;
            for (extension, bytes) in [("ics", ics.into_bytes()), ("xlsx", xlsx)] {
                let file = dir.join(stationdesk::documents::safe_file_name(&stem, extension));
                stationdesk::documents::write_file(&file, &bytes)
                    .map_err(|e| Failure::Message(stationdesk::messages::document_error(&e)))?;
                println!("{}", file.display());
            }
        }
        RosterAction::Report { month, year, json } => {
            let today = stationdesk::clock::today();
            let (from, to) = match (month, year) {
                (Some(month), _) => parse_month(&month)?,
                (None, Some(year)) => (
                    chrono::NaiveDate::from_ymd_opt(year, 1, 1)
                        .ok_or_else(|| Failure::Message(tr!("cli.bad_month", value = year)))?,
                    chrono::NaiveDate::from_ymd_opt(year, 12, 31)
                        .ok_or_else(|| Failure::Message(tr!("cli.bad_month", value = year)))?,
                ),
                (None, None) => stationdesk::domain::roster::month_shifted(today, 0),
            };
            let report = store.duty_report(from, to)?;
            let coverage = stationdesk::domain::roster::coverage(
                &store.shifts_between(from, to)?,
                stationdesk::clock::local_now(),
            );
            if json {
                let members: Vec<serde_json::Value> = report
                    .iter()
                    .map(|(id, name, c)| {
                        serde_json::json!({
                            "member_id": id, "name": name, "scheduled": c.scheduled,
                            "served": c.served, "missed": c.missed, "swapped": c.swapped,
                            "leave": c.leave,
                        })
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::json!({
                        "from": from, "to": to, "coverage": coverage.ratio(),
                        "coverage_percent": coverage.percent(),
                        "slots_ended": coverage.slots_ended,
                        "slots_served": coverage.slots_served,
                        "members": members,
                    })
                );
            } else {
                println!("{} - {}", from, to);
                println!(
                    "{}",
                    stationdesk::domain::roster::DUTY_COLUMN_KEYS
                        .map(|k| tr!(k))
                        .join("\t")
                );
                for (_, name, c) in &report {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        stationdesk::text::sanitize(name),
                        c.scheduled,
                        c.served,
                        c.missed,
                        c.swapped,
                        c.leave
                    );
                }
                println!("{}", stationdesk::i18n::coverage_line(coverage));
            }
        }
    }
    Ok(())
}
