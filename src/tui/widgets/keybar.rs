//! The bottom bar: the keys that work here, from the key map's table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use crate::tui::keymap::{self, KeyContext};
use crate::tui::theme;

/// How much a key matters on a narrow bar: help and the way back first, then the screen's own
/// keys (F2, the record's steps), and last what works everywhere (search, quick entry, quit).
fn priority(label: &str) -> u8 {
    match label {
        "keys.help" | "keys.back" | "keys.close" | "keys.cancel" | "keys.close_help"
        | "keys.leave_form" | "keys.close_find" | "keys.back_to_form" => 0,
        "keys.search" | "keys.quick_entry" | "keys.quit" => 2,
        _ => 1,
    }
}

/// The `key label` pairs that fit in `width` columns, the most important first, shown in the
/// key table's order.
pub fn fitting(context: KeyContext, width: usize) -> Vec<(String, String)> {
    // Each entry with its priority, read once per draw.
    let entries: Vec<(String, String, u8)> = keymap::bar(context)
        .into_iter()
        .map(|(keys, label)| (keys, crate::tr!(label), priority(label)))
        .collect();
    let mut chosen = vec![false; entries.len()];
    let mut used = 0usize;
    for level in 0..=2 {
        for (index, (keys, label, rank)) in entries.iter().enumerate() {
            if *rank != level {
                continue;
            }
            let needed = keys.width() + label.width() + 3;
            if used + needed <= width {
                chosen[index] = true;
                used += needed;
            }
        }
    }
    entries
        .into_iter()
        .zip(chosen)
        .filter_map(|((keys, label, _), chosen)| chosen.then_some((keys, label)))
        .collect()
}

/// Draws as many `key label` pairs as fit on one line.
pub fn render(context: KeyContext, area: Rect, buf: &mut Buffer) {
    let mut spans = Vec::new();
    for (keys, label) in fitting(context, area.width as usize) {
        spans.push(Span::styled(keys, theme::key()));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_bar_keeps_esc_and_the_records_steps() {
        crate::i18n::set_thread_language(crate::i18n::Language::Chinese);
        for context in [
            KeyContext::IntakeDetail,
            KeyContext::CaseDetail,
            KeyContext::IntakeList,
            KeyContext::MeetingDetail,
        ] {
            let bar = fitting(context, 80);
            let keys: Vec<&str> = bar.iter().map(|(k, _)| k.as_str()).collect();
            assert!(keys.contains(&"Esc"), "{context:?}: {keys:?}");
            assert!(
                keys.iter().any(|k| k.starts_with("F1")),
                "{context:?}: {keys:?}"
            );
            let used: usize = bar.iter().map(|(k, l)| k.width() + l.width() + 3).sum();
            assert!(used <= 80);
        }
        let detail: Vec<String> = fitting(KeyContext::IntakeDetail, 80)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert!(detail.contains(&"1".to_string()) && detail.contains(&"2".to_string()));
    }
}
