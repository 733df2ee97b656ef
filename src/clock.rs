//! The program's clock: the system's, or — for tests that need a given weekday morning — one
//! started at `STATIONDESK_FAKE_NOW` (`YYYY-MM-DD HH:MM`, local time) that runs on from there.
//! The desk, the command line and the store's date rules read this one clock, so "not in the
//! future" and a figure "as of now" mean the same moment everywhere.

use std::sync::OnceLock;

use chrono::{DateTime, Duration, Local, NaiveDate, NaiveDateTime};

/// The offset from the system's clock, read once.
fn offset() -> Duration {
    static OFFSET: OnceLock<Duration> = OnceLock::new();
    *OFFSET.get_or_init(|| {
        // No fake clock set, or one that does not read: the system's clock is the right one.
        std::env::var("STATIONDESK_FAKE_NOW")
            .ok()
            .and_then(|text| parse_fake(&text))
            .map(|fake| fake.signed_duration_since(Local::now()))
            .unwrap_or_else(Duration::zero)
    })
}

fn parse_fake(text: &str) -> Option<DateTime<Local>> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M")
        .ok()?
        .and_local_timezone(Local)
        .single()
}

/// Now, in the desk's time zone.
pub fn now() -> DateTime<Local> {
    Local::now() + offset()
}

/// Now as a local time without its zone, as the domain's rules take it.
pub fn local_now() -> NaiveDateTime {
    now().naive_local()
}

/// Today at the desk.
pub fn today() -> NaiveDate {
    now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fake_clock_reads_as_local_minutes() {
        let fake = parse_fake(" 2026-11-23 09:30 ").map(|t| t.naive_local());
        assert_eq!(
            fake,
            NaiveDate::from_ymd_opt(2026, 11, 23).and_then(|d| d.and_hms_opt(9, 30, 0))
        );
        assert!(parse_fake("2026-11-23").is_none());
    }
}
