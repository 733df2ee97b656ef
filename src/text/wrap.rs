//! One line-breaking routine for the screen and for plain text, by display width (a Chinese
//! character takes two columns).
//!
//! Where a line may break comes from the Unicode line-breaking algorithm (UAX #14, the
//! `unicode-linebreak` crate), which already knows the Chinese rules: closing marks and
//! sentence punctuation (`，。、；：？！）」』》`) never start a line, opening marks (`（「『《`)
//! never end one, and digits, Latin words and dates (`2026-12-03`) stay whole. Two rules are
//! added, as GB/T 15834 and offices expect: the marks above are checked once more whatever
//! class Unicode gives them, and a number stays with the unit after it (`60元`, `3号楼`,
//! `12月`) and with an ordinal's `第` before it (`第4项`). Lines are filled greedily; a run
//! that cannot break and is wider than the line (a long number, a row of letters) is cut
//! between characters, moving a character down where the next line would otherwise start
//! with a closing mark. Spaces that end a line may hang
//! past its last column (they show nothing). Nothing is lost or repeated: the lines joined are
//! the text, a hard line break (`\n`) ending a line.

use unicode_width::UnicodeWidthChar;

/// Marks that never start a line (GB/T 15834: 点号 and closing 标号).
pub const NO_LINE_START: &[char] = &[
    '，', '。', '、', '；', '：', '？', '！', '）', '」', '』', '》', '〉', '】', '〕', '”', '’',
    '…', ',', '.', ';', ':', '?', '!', ')', ']', '}', '%', '％',
];

/// Marks that never end a line (opening 标号).
pub const NO_LINE_END: &[char] = &[
    '（', '「', '『', '《', '〈', '【', '〔', '“', '‘', '(', '[', '{',
];

/// Units a number keeps on its line.
const UNITS: &str =
    "元角分万亿岁米号年月日时点分秒个人次户间栋楼层室条件项名位只台辆套周天斤吨克里";

fn width_of(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Display columns of `text`.
pub fn width(text: &str) -> usize {
    text.chars().map(width_of).sum()
}

/// For each character of `line` (no `\n` in it), whether a line may break before it.
fn breaks_before(line: &str) -> Vec<bool> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut allowed = vec![false; chars.len()];
    let mut at = 0;
    for (byte, _) in unicode_linebreak::linebreaks(line) {
        // The opportunities come in order, by the byte where the next line would start.
        while at < chars.len() && chars[at].0 < byte {
            at += 1;
        }
        if at < chars.len() && chars[at].0 == byte {
            allowed[at] = true;
        }
    }
    for i in 1..chars.len() {
        let (before, here) = (chars[i - 1].1, chars[i].1);
        if NO_LINE_START.contains(&here)
            || NO_LINE_END.contains(&before)
            || (before.is_ascii_digit() && UNITS.contains(here))
            || (before == '第' && here.is_ascii_digit())
        {
            allowed[i] = false;
        }
    }
    if let Some(first) = allowed.first_mut() {
        *first = false;
    }
    allowed
}

/// `text` as lines of at most `first` columns for the first and `rest` for the others.
/// A single character wider than its line stands alone on it.
pub fn wrap_widths(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut hard_lines = text.split('\n').peekable();
    while let Some(hard) = hard_lines.next() {
        let before = out.len();
        wrap_one(hard, &mut out, &|out: &Vec<String>| {
            if out.is_empty() {
                first
            } else {
                rest
            }
        });
        if out.len() == before {
            out.push(String::new());
        }
        // The `\n` ends the last line of its hard line: nothing is lost.
        if hard_lines.peek().is_some() {
            if let Some(last) = out.last_mut() {
                last.push('\n');
            }
        }
    }
    out
}

/// `text` as lines of at most `width` columns.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_widths(text, width, width)
}

/// Fills `out` with the lines of `line` (no `\n` in it).
fn wrap_one(line: &str, out: &mut Vec<String>, width: &dyn Fn(&Vec<String>) -> usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.is_empty() {
        return;
    }
    let allowed = breaks_before(line);
    // The unbreakable runs: from one allowed break to the next.
    let mut runs: Vec<&[char]> = Vec::new();
    let mut start = 0;
    for i in 1..chars.len() {
        if allowed[i] {
            runs.push(&chars[start..i]);
            start = i;
        }
    }
    runs.push(&chars[start..]);
    let mut current: Vec<char> = Vec::new();
    let mut used = 0;
    for run in runs {
        let run_width: usize = run.iter().copied().map(width_of).sum();
        // Spaces at the end of a run may hang past the line's end, as in any word processor.
        let hanging: usize = run.iter().rev().take_while(|c| **c == ' ').count();
        let limit = width(out);
        if used + run_width - hanging <= limit {
            current.extend_from_slice(run);
            used += run_width;
            continue;
        }
        if !current.is_empty() {
            out.push(current.drain(..).collect());
            used = 0;
        }
        let limit = width(out);
        if run_width - hanging <= limit {
            current.extend_from_slice(run);
            used = run_width;
            continue;
        }
        // Wider than a whole line: cut between characters.
        for &c in run {
            let w = width_of(c);
            let limit = width(out);
            if used + w > limit && !current.is_empty() {
                // The next line must not start with a closing mark, nor this one end with an
                // opening mark: characters move down while the line keeps one.
                let mut carried: Vec<char> = Vec::new();
                let mut next = c;
                while current.len() > 1
                    && (NO_LINE_START.contains(&next)
                        || current.last().is_some_and(|l| NO_LINE_END.contains(l)))
                {
                    if let Some(moved) = current.pop() {
                        next = moved;
                        carried.insert(0, moved);
                    }
                }
                out.push(current.drain(..).collect());
                used = carried.iter().copied().map(width_of).sum();
                current = carried;
            }
            current.push(c);
            used += w;
        }
    }
    if !current.is_empty() {
        out.push(current.into_iter().collect());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_never_starts_a_line_and_amounts_stay_whole() {
        let text = "申请人要求赔偿医疗费1860元，误工费2400元；被申请人同意分两期支付。";
        for w in 6..40 {
            let lines = wrap(text, w);
            assert_eq!(lines.concat(), text, "width {w}");
            for (i, line) in lines.iter().enumerate() {
                assert!(width(line) <= w, "width {w}: {line}");
                let first = line.chars().next().unwrap_or(' ');
                assert!(!NO_LINE_START.contains(&first), "width {w}: {lines:?}");
                if i + 1 < lines.len() {
                    assert!(
                        !line.ends_with(|c: char| c.is_ascii_digit())
                            || !lines[i + 1].starts_with(|c: char| c.is_ascii_digit()),
                        "a number broken at width {w}: {lines:?}"
                    );
                }
            }
            // Where the line can hold an amount with its unit and the mark after it (8 columns).
            for amount in ["1860元", "2400元"].iter().filter(|_| w >= 8) {
                assert!(
                    lines.iter().any(|l| l.contains(amount)),
                    "{amount} at width {w}: {lines:?}"
                );
            }
        }
    }

    #[test]
    fn opening_marks_stay_with_what_they_open_and_dates_stay_whole() {
        let text = "会议定于2026-12-03召开（地点：社区议事厅《协商议事规则》第三条）";
        for w in 8..30 {
            let lines = wrap(text, w);
            assert_eq!(lines.concat(), text);
            for line in &lines {
                assert!(width(line) <= w);
                assert!(!line.ends_with(NO_LINE_END), "width {w}: {lines:?}");
            }
            if w >= 12 {
                assert!(lines.iter().any(|l| l.contains("2026-12-03")), "{lines:?}");
            }
        }
    }

    #[test]
    fn hard_line_breaks_end_lines_and_are_kept() {
        let text = "第一行\n\n第三行比较长需要折行显示";
        let lines = wrap(text, 8);
        assert_eq!(lines.concat(), text);
        assert_eq!(lines[0], "第一行\n");
        assert_eq!(lines[1], "\n");
        assert!(lines[2].starts_with("第三行"));
        assert!(lines.iter().all(|l| width(l.trim_end_matches('\n')) <= 8));
    }

    #[test]
    fn a_glyph_wider_than_the_line_stands_alone() {
        assert_eq!(wrap("停车难", 1), vec!["停", "车", "难"]);
        assert_eq!(wrap("", 10), vec![String::new()]);
    }

    #[test]
    fn the_first_line_and_the_rest_have_their_own_widths() {
        let lines = wrap_widths("居民反映小区停车难晚上只能停到马路边", 10, 20);
        assert_eq!(width(&lines[0]), 10);
        assert!(lines[1..].iter().all(|l| width(l) <= 20));
        assert_eq!(lines.concat(), "居民反映小区停车难晚上只能停到马路边");
    }

    use proptest::prelude::*;

    /// A piece of text: a Han character, a number, a Latin word, a space, or one mark.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => prop::sample::select("居民反映小区停车难晚上只能停到马路边被贴条希望增设夜间位调解协议书的了是在".chars().collect::<Vec<_>>()).prop_map(String::from),
            1 => "[0-9]{1,6}",
            1 => "[0-9]{1,4}[元岁号年月日]",
            1 => "[a-zA-Z]{1,9}",
            1 => Just(" ".to_string()),
            1 => prop::sample::select(NO_LINE_START.to_vec()).prop_map(String::from),
            1 => prop::sample::select(NO_LINE_END.to_vec()).prop_map(String::from),
        ]
    }

    fn is_mark(piece: &str) -> bool {
        piece
            .chars()
            .all(|c| NO_LINE_START.contains(&c) || NO_LINE_END.contains(&c))
    }

    /// Text as people write it: no two marks in a row.
    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..80).prop_map(|pieces| {
            let mut out = String::new();
            let mut last_mark = false;
            for p in pieces {
                let mark = is_mark(&p);
                if !(mark && last_mark) {
                    out.push_str(&p);
                }
                last_mark = mark;
            }
            out
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn nothing_is_lost_no_line_is_too_wide_and_no_mark_stands_wrong(
            text in text(),
            // From 6 columns: an opening mark, a character and a closing mark (`（居，`)
            // cannot break at all, and at 4 columns must break against one rule or the other.
            w in 6usize..40,
        ) {
            let lines = wrap(&text, w);
            prop_assert_eq!(lines.concat(), text.clone());
            for (i, line) in lines.iter().enumerate() {
                prop_assert!(width(line.trim_end_matches(' ')) <= w, "{:?} wider than {}", line, w);
                if i > 0 {
                    let first = line.chars().next().unwrap_or('x');
                    prop_assert!(!NO_LINE_START.contains(&first), "{:?} at {}", lines, w);
                }
                if i + 1 < lines.len() {
                    prop_assert!(!line.ends_with(NO_LINE_END), "{:?} at {}", lines, w);
                }
            }
        }
    }
}
