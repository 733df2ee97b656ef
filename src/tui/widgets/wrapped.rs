//! Lines wrapped by display width for detail views: a long value continues under itself (the
//! label's width is kept free on the following rows), so no character is lost at the edge of
//! the window. Chinese text has no spaces, so lines break between any two characters.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// How far the rows after the first are indented: past the label of a labelled line (all spans
/// but the last), or as far as the line's own leading spaces.
fn hanging_indent(line: &Line<'_>, width: usize) -> usize {
    let indent = if line.spans.len() >= 2 {
        line.spans[..line.spans.len() - 1]
            .iter()
            .map(|s| s.width())
            .sum()
    } else {
        line.spans
            .first()
            .map(|s| s.content.chars().take_while(|c| *c == ' ').count())
            .unwrap_or(0)
    };
    // A label that takes half the window leaves too little room: indent a little only.
    if indent * 2 > width {
        2.min(width.saturating_sub(1))
    } else {
        indent
    }
}

/// `lines` as rows of at most `width` columns, each style kept.
pub fn wrap_lines(lines: Vec<Line<'static>>, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    if width < 4 {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= width {
            out.push(line);
            continue;
        }
        let indent = hanging_indent(&line, width);
        let line_style = line.style;
        let mut row: Vec<Span<'static>> = Vec::new();
        let mut used = 0;
        for span in line.spans {
            let mut piece = String::new();
            for c in span.content.chars() {
                let w = c.width().unwrap_or(0);
                if used + w > width && used > indent {
                    if !piece.is_empty() {
                        row.push(Span::styled(std::mem::take(&mut piece), span.style));
                    }
                    out.push(Line::from(std::mem::take(&mut row)).style(line_style));
                    row.push(Span::raw(" ".repeat(indent)));
                    used = indent;
                }
                piece.push(c);
                used += w;
            }
            if !piece.is_empty() {
                row.push(Span::styled(piece, span.style));
            }
        }
        if !row.is_empty() {
            out.push(Line::from(row).style(line_style));
        }
    }
    out
}

/// The scroll offset that keeps the last row in view: no scrolling past the end.
pub fn clamp_scroll(scroll: u16, rows: usize, height: u16) -> u16 {
    let last = rows.saturating_sub(usize::from(height));
    scroll.min(last.min(usize::from(u16::MAX)) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_long_value_continues_under_itself_and_loses_nothing() {
        let value = "居民反映小区停车难，晚上只能停到马路边被贴条，希望增设夜间停车位";
        let line = Line::from(vec![
            Span::raw("诉求内容    "),
            Span::raw("  "),
            Span::raw(value.to_string()),
        ]);
        let rows = wrap_lines(vec![line], 40);
        assert!(rows.len() > 1);
        for row in &rows {
            assert!(row.width() <= 40, "{:?}", text(row));
        }
        assert!(text(&rows[1]).starts_with(&" ".repeat(14)));
        let joined: String = rows.iter().map(text).collect::<String>().replace(' ', "");
        assert_eq!(joined, format!("诉求内容{value}"));
    }

    #[test]
    fn short_lines_stay_as_they_are_and_scrolling_stops_at_the_end() {
        let line = Line::raw("  2026-11-23 09:30  李秀兰  登记");
        assert_eq!(wrap_lines(vec![line.clone()], 80), vec![line]);
        assert_eq!(clamp_scroll(50, 30, 20), 10);
        assert_eq!(clamp_scroll(3, 10, 20), 0);
    }
}
