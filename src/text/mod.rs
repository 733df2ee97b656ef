//! Untrusted text (typed, imported, read from the database) made safe for a terminal; and,
//! in rooms of their own below the documents and the bundles that share them, text made safe
//! for a spreadsheet cell (`cells`) and personal numbers masked (`mask`).

pub mod cells;
mod mask;
pub mod print;
pub mod wrap;

pub use cells::defuse;
pub use mask::{mask_free_text, mask_personal};

use std::borrow::Cow;

/// Replaces what a terminal would act on instead of showing: control characters become visible
/// placeholders (`^[` for ESC, `^@` for NUL, `^?` for DEL, `<U+0085>` for C1 controls), tabs
/// become a space, newlines a `⏎`-free space, and bidirectional overrides and isolates are
/// removed so that text cannot reorder what surrounds it.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_care) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if is_bidi_control(c) => {}
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from_u32(c as u32 + 0x40).unwrap_or('?'));
            }
            '\u{7f}' => out.push_str("^?"),
            c if ('\u{80}'..='\u{9f}').contains(&c) => {
                out.push_str(&format!("<U+{:04X}>", c as u32));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` followed by spaces up to `width` display columns (a Chinese character takes two), so
/// that what follows lines up whatever the text's length; longer text is left as it is.
pub fn pad_to_width(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// Like [`sanitize`] but keeps line breaks, for multi-line text shown line by line.
pub fn sanitize_lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|line| sanitize(line.trim_end_matches('\r')).into_owned())
        .collect()
}

fn needs_care(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Strips what must never be stored from typed text: control characters other than newlines
/// and tabs, and bidi controls. Used on every text field before it is saved.
pub fn clean_input(text: &str) -> String {
    text.chars()
        .filter(|c| (!c.is_control() || matches!(c, '\n' | '\t')) && !is_bidi_control(*c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(sanitize("张三\x1b[2J"), "张三^[[2J");
        assert_eq!(sanitize("a\0b"), "a^@b");
        assert_eq!(sanitize("a\x7fb"), "a^?b");
        assert_eq!(sanitize("a\u{85}b"), "a<U+0085>b");
        assert_eq!(sanitize("a\tb\nc"), "a b c");
    }

    #[test]
    fn bidi_overrides_are_removed() {
        assert_eq!(sanitize("abc\u{202e}def\u{2066}"), "abcdef");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize("李秀兰"), Cow::Borrowed(_)));
    }

    #[test]
    fn input_keeps_newlines_and_drops_controls() {
        assert_eq!(clean_input("一\n二\x1b[31m\u{202e}"), "一\n二[31m");
        assert_eq!(sanitize_lines("一\r\n二"), vec!["一", "二"]);
    }
}
