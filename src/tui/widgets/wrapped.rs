//! Lines wrapped by display width for detail views: a long value continues under itself (the
//! label's width is kept free on the following rows), so no character is lost at the edge of
//! the window. Where a row may end is `crate::text::wrap`'s: Chinese text breaks between
//! characters, but never before a closing mark or after an opening one.

use ratatui::text::{Line, Span};

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

/// `lines` as rows of at most `width` columns, each style kept, broken where Chinese text
/// may break (`crate::text::wrap`: no row starts with a closing mark, numbers stay with
/// their units).
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
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        let rows = crate::text::wrap::wrap_widths(&text, width, width - indent);
        // Each row takes its characters from the spans in order, each with its span's style.
        let mut spans = line
            .spans
            .iter()
            .flat_map(|span| span.content.chars().map(move |c| (c, span.style)));
        for (n, row) in rows.iter().enumerate() {
            let mut built: Vec<Span<'static>> = Vec::new();
            if n > 0 && indent > 0 {
                built.push(Span::raw(" ".repeat(indent)));
            }
            let mut piece = String::new();
            let mut style = None;
            for _ in row.chars() {
                let Some((c, s)) = spans.next() else { break };
                if style.is_some_and(|current| current != s) {
                    built.push(Span::styled(std::mem::take(&mut piece), style.unwrap_or(s)));
                }
                style = Some(s);
                piece.push(c);
            }
            if let Some(style) = style {
                built.push(Span::styled(piece, style));
            }
            out.push(Line::from(built).style(line.style));
        }
    }
    out
}

/// A paragraph of `lines` wrapped by [`wrap_lines`] to `width` columns: every paragraph on the
/// screen breaks its lines one way.
pub fn paragraph(lines: Vec<Line<'static>>, width: u16) -> ratatui::widgets::Paragraph<'static> {
    ratatui::widgets::Paragraph::new(wrap_lines(lines, width))
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
