//! Dates as people type them at the desk.

use chrono::{Datelike, NaiveDate, Weekday};

use super::validate::ValidationError;

/// Parses a date typed into a form, relative to `today`.
///
/// Accepts `2026-11-22`, `2026/11/22`, `2026.11.22`, `20261122`, `11-22` and `11/22` (this
/// year), `今天` / `today`, `昨天` / `yesterday`, `前天`, `明天` / `tomorrow`, and full-width digits.
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, ValidationError> {
    let text: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '/' | '.' | '／' | '。' => '-',
            other => other,
        })
        .collect::<String>()
        .to_lowercase();
    let relative = match text.as_str() {
        "今天" | "今日" | "today" | "t" => Some(0),
        "昨天" | "昨日" | "yesterday" | "y" => Some(-1),
        "前天" => Some(-2),
        "明天" | "tomorrow" => Some(1),
        _ => None,
    };
    if let Some(days) = relative {
        return today
            .checked_add_signed(chrono::Duration::days(days))
            .ok_or(ValidationError::Date);
    }
    let text = text.trim_end_matches('日').replace(['年', '月'], "-");
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str| -> Result<u32, ValidationError> {
        if s.is_empty() || s.len() > 4 || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(ValidationError::Date);
        }
        s.parse().map_err(|_| ValidationError::Date)
    };
    let (year, month, day) = match parts.as_slice() {
        [compact] if compact.len() == 8 && compact.chars().all(|c| c.is_ascii_digit()) => (
            number(&compact[..4])?,
            number(&compact[4..6])?,
            number(&compact[6..])?,
        ),
        [y, m, d] if y.len() == 4 => (number(y)?, number(m)?, number(d)?),
        [m, d] => (today.year() as u32, number(m)?, number(d)?),
        _ => return Err(ValidationError::Date),
    };
    if !(1900..=2200).contains(&year) {
        return Err(ValidationError::Date);
    }
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or(ValidationError::Date)
}

/// Parses a time of day as people type it: `9:30`, `09:30`, `0930`, `930`, full-width digits
/// and colon too.
pub fn parse_time(input: &str) -> Result<chrono::NaiveTime, ValidationError> {
    let text: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '：' => ':',
            other => other,
        })
        .collect();
    let (hours, minutes) = match text.split_once(':') {
        Some((h, m)) => (h.to_string(), m.to_string()),
        None if (3..=4).contains(&text.len()) => {
            let (h, m) = text.split_at(text.len() - 2);
            (h.to_string(), m.to_string())
        }
        None => return Err(ValidationError::Date),
    };
    let number = |s: &str| -> Result<u32, ValidationError> {
        if s.is_empty() || s.len() > 2 || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(ValidationError::Date);
        }
        s.parse().map_err(|_| ValidationError::Date)
    };
    if minutes.len() != 2 {
        return Err(ValidationError::Date);
    }
    chrono::NaiveTime::from_hms_opt(number(&hours)?, number(&minutes)?, 0)
        .ok_or(ValidationError::Date)
}

/// Parses a date with an optional time (`2026-11-22 09:30`, `今天 14:00`, `11-22`, `0930`),
/// relative to `now`; a time alone is today's; without a time it keeps `now`'s time when the
/// date is today, else 00:00.
pub fn parse_date_time(
    input: &str,
    now: chrono::NaiveDateTime,
) -> Result<chrono::NaiveDateTime, ValidationError> {
    let text = input.trim().replace('：', ":");
    if text.contains(':') && !text.contains(' ') {
        return Ok(now.date().and_time(parse_time(&text)?));
    }
    let (date_part, time_part) = match text.rsplit_once(' ') {
        Some((d, t)) => (d.trim().to_string(), Some(t.to_string())),
        None => (text.clone(), None),
    };
    let date = parse_date(&date_part, now.date())?;
    let time = match time_part {
        Some(t) => parse_time(&t)?,
        None if date == now.date() => now.time(),
        None => chrono::NaiveTime::MIN,
    };
    Ok(date.and_time(time))
}

/// The locale key of a weekday's name.
/// A moment kept in UTC (RFC 3339, `2026-12-03T03:14:03Z`) as people read it: the local date
/// and time, `2026-12-03 11:14`; `None` when it does not read.
pub fn local_moment(at: &str) -> Option<String> {
    chrono::DateTime::parse_from_rfc3339(at).ok().map(|t| {
        t.with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    })
}

/// A date in the official form documents use: 2026年12月3日 (no leading zeros).
pub fn chinese_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

pub fn weekday_key(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "weekday.mon",
        Weekday::Tue => "weekday.tue",
        Weekday::Wed => "weekday.wed",
        Weekday::Thu => "weekday.thu",
        Weekday::Fri => "weekday.fri",
        Weekday::Sat => "weekday.sat",
        Weekday::Sun => "weekday.sun",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn accepts_the_forms_people_type() {
        let today = d(2026, 11, 22);
        let table: &[(&str, NaiveDate)] = &[
            ("2026-11-22", d(2026, 11, 22)),
            ("2026/11/2", d(2026, 11, 2)),
            ("2026.1.5", d(2026, 1, 5)),
            ("20261122", d(2026, 11, 22)),
            ("11-22", d(2026, 11, 22)),
            ("3/1", d(2026, 3, 1)),
            ("今天", today),
            ("today", today),
            ("TODAY", today),
            ("昨天", d(2026, 11, 21)),
            ("yesterday", d(2026, 11, 21)),
            ("前天", d(2026, 11, 20)),
            ("明天", d(2026, 11, 23)),
            ("２０２６－１１－２２", d(2026, 11, 22)),
            ("2026年11月22日", d(2026, 11, 22)),
            ("11月22日", d(2026, 11, 22)),
            (" 2024-02-29 ", d(2024, 2, 29)),
        ];
        for (input, expected) in table {
            assert_eq!(parse_date(input, today), Ok(*expected), "input {input:?}");
        }
    }

    #[test]
    fn dates_with_times() {
        let now = d(2026, 11, 22).and_hms_opt(9, 30, 0).unwrap_or_default();
        let at = |y, m, day, h, min| d(y, m, day).and_hms_opt(h, min, 0).unwrap_or_default();
        assert_eq!(
            parse_date_time("2026-11-20 14:05", now),
            Ok(at(2026, 11, 20, 14, 5))
        );
        assert_eq!(
            parse_date_time("今天 8:15", now),
            Ok(at(2026, 11, 22, 8, 15))
        );
        assert_eq!(parse_date_time("今天", now), Ok(now));
        assert_eq!(parse_date_time("11-20", now), Ok(at(2026, 11, 20, 0, 0)));
        assert_eq!(
            parse_date_time("2026-11-20 25:00", now),
            Err(ValidationError::Date)
        );
        // A time alone is today's; four or three digits are a time too.
        assert_eq!(parse_date_time("9:30", now), Ok(at(2026, 11, 22, 9, 30)));
        assert_eq!(parse_date_time("８：０５", now), Ok(at(2026, 11, 22, 8, 5)));
        assert_eq!(
            parse_date_time("昨天 0930", now),
            Ok(at(2026, 11, 21, 9, 30))
        );
        assert_eq!(
            parse_date_time("12月2日 930", now),
            Ok(at(2026, 12, 2, 9, 30))
        );
        assert_eq!(
            parse_date_time("12-02 9:3", now),
            Err(ValidationError::Date)
        );
        assert_eq!(
            parse_date_time("12-02 2460", now),
            Err(ValidationError::Date)
        );
    }

    #[test]
    fn month_and_year_boundaries_and_the_leap_day() {
        let today = d(2027, 1, 1);
        assert_eq!(parse_date("昨天", today), Ok(d(2026, 12, 31)));
        assert_eq!(parse_date("前天", today), Ok(d(2026, 12, 30)));
        assert_eq!(parse_date("12-31", today), Ok(d(2027, 12, 31)));
        assert_eq!(parse_date("20261231", today), Ok(d(2026, 12, 31)));
        let march = d(2028, 3, 1);
        assert_eq!(parse_date("yesterday", march), Ok(d(2028, 2, 29)));
        assert_eq!(parse_date("2月29日", march), Ok(d(2028, 2, 29)));
        assert_eq!(
            parse_date("2-29", d(2027, 3, 1)),
            Err(ValidationError::Date)
        );
        assert_eq!(parse_date("20270229", march), Err(ValidationError::Date));
        assert_eq!(parse_date("12月2日", d(2026, 12, 3)), Ok(d(2026, 12, 2)));
        assert_eq!(parse_date("12-02", d(2026, 12, 3)), Ok(d(2026, 12, 2)));
        assert_eq!(parse_date("20261202", d(2026, 12, 3)), Ok(d(2026, 12, 2)));
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        let today = d(2026, 11, 22);
        for input in [
            "",
            "2026-13-01",
            "2026-02-30",
            "2025-02-29",
            "1122",
            "2026-11",
            "abc",
            "11-22-33",
            "0001-01-01",
            "2026--22",
            "明年",
            "202611220",
        ] {
            assert_eq!(
                parse_date(input, today),
                Err(ValidationError::Date),
                "input {input:?}"
            );
        }
    }
}
