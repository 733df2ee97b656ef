//! Text for a spreadsheet cell: what Excel or WPS would run as a formula is written as text.

use std::borrow::Cow;

/// A spreadsheet would run a cell starting with `= + - @` (or a tab or CR) as a formula:
/// such a cell is written with a leading apostrophe.
pub fn defuse(text: &str) -> Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(defuse("=1+1"), "'=1+1");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("-5"), "'-5");
        assert_eq!(defuse("停车"), "停车");
    }
}
