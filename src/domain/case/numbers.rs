//! Amounts of money as people type them, and case numbers from a station's pattern.

use super::*;

/// Parses an amount of money as people type it: `3000`, `3,000`, `3000.5`, `３０００元`,
/// `3000 元`. Empty is `None`.
pub fn parse_amount(text: &str) -> Result<Option<i64>, ValidationError> {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            other => other,
        })
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '元' | '¥' | '￥'))
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let (whole, fraction) = match cleaned.split_once('.') {
        Some((w, f)) => (w, f),
        None => (cleaned.as_str(), ""),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || (!fraction.is_empty() && !digits(fraction)) || fraction.len() > 2 {
        return Err(ValidationError::Amount);
    }
    let yuan: i64 = whole.parse().map_err(|_| ValidationError::Amount)?;
    let fen: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    yuan.checked_mul(100)
        .and_then(|y| y.checked_add(fen))
        .filter(|v| *v <= 100_000_000_000)
        .map(Some)
        .ok_or(ValidationError::Amount)
}

/// An amount in fen as yuan, `3000` or `3000.50`.
pub fn format_amount(fen: i64) -> String {
    if fen % 100 == 0 {
        format!("{}", fen / 100)
    } else {
        format!("{}.{:02}", fen / 100, fen % 100)
    }
}

/// Fills a case-number pattern: `{station}`, `{year}`, `{seq}` (three digits at least) or
/// `{seq:N}` (N digits at least).
pub fn case_number(pattern: &str, station_code: &str, year: i32, seq: i64) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &rest[start + 1..start + end];
        match name {
            "station" => out.push_str(station_code),
            "year" => out.push_str(&year.to_string()),
            "seq" => out.push_str(&format!("{seq:03}")),
            other => match other
                .strip_prefix("seq:")
                .and_then(|n| n.parse::<usize>().ok())
            {
                Some(width) => out.push_str(&format!("{seq:0width$}", width = width.min(12))),
                None => out.push_str(&rest[start..start + end + 1]),
            },
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

pub const DEFAULT_CASE_PATTERN: &str = "{station}-{year}-{seq}";

/// Whether a pattern can number cases without collisions: it needs `{seq}` and `{year}`
/// (sequences restart each year).
pub fn pattern_is_valid(pattern: &str) -> bool {
    (pattern.contains("{seq}") || pattern.contains("{seq:")) && pattern.contains("{year}")
}
