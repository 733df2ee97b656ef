//! The month's figures (月度统计) on the desk: visits by category and state, cases by type
//! and outcome, duty, the 4+X, activities by kind.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::performance::Period;
use crate::i18n::{current_language, Language};
use crate::store::{Store, StoreResult};
use crate::text::sanitize;
use crate::tui::theme;

fn english() -> bool {
    current_language() == Language::English
}

/// The month's figures on the desk.
pub struct MonthStatsView {
    pub stats: crate::domain::performance::MonthStats,
    pub scroll: u16,
}

impl MonthStatsView {
    pub fn load(
        store: &Store,
        year: i32,
        month: u32,
        now: chrono::NaiveDateTime,
    ) -> StoreResult<MonthStatsView> {
        Ok(MonthStatsView {
            stats: store.month_stats(year, month, now)?,
            scroll: 0,
        })
    }

    /// The month before (`-1`) or after (`1`).
    pub fn step(&self, by: i32) -> (i32, u32) {
        let index = self.stats.year * 12 + self.stats.month as i32 - 1 + by;
        (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
    }

    pub fn title(&self) -> String {
        crate::tr!(
            "stats.title",
            period = Period::Month(self.stats.year, self.stats.month).label(english())
        )
    }

    fn block(
        title: String,
        rows: &[(String, i64)],
        word: impl Fn(&str) -> String,
    ) -> Vec<Line<'static>> {
        let mut lines = vec![Line::styled(title, theme::header())];
        if rows.iter().all(|(_, n)| *n == 0) {
            lines.push(Line::styled(
                format!("  {}", crate::tr!("stats.none")),
                theme::muted(),
            ));
        }
        for (name, n) in rows.iter().filter(|(_, n)| *n > 0) {
            let label = word(name);
            let pad = 20usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()));
            lines.push(Line::raw(format!("  {label}{} {n:>6}", " ".repeat(pad))));
        }
        lines
    }

    pub fn lines(&self) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
        let s = &self.stats;
        let same = |n: &str| sanitize(n).into_owned();
        let mut left = Self::block(
            crate::tr!("stats.visits", count = s.visits),
            &s.visit_categories,
            same,
        );
        left.extend(Self::block(
            crate::tr!("stats.visit_states"),
            &s.visit_states,
            |n| crate::tr!(format!("intake_state.{n}")),
        ));
        let mut right = Self::block(
            crate::tr!("stats.cases", count = s.cases),
            &s.case_types,
            same,
        );
        right.extend(Self::block(
            crate::tr!("stats.case_outcomes"),
            &s.case_outcomes,
            |n| crate::tr!(format!("case_outcome.{n}")),
        ));
        right.push(Line::styled(
            crate::tr!("stats.duty_heading"),
            theme::header(),
        ));
        right.push(Line::raw(format!(
            "  {}",
            crate::tr!(
                "stats.duty",
                served = s.duty.coverage.slots_served,
                ended = s.duty.coverage.slots_ended,
                coverage = s.duty.coverage.text()
            )
        )));
        right.push(Line::raw(format!(
            "  {}",
            crate::tr!(
                "stats.duty_other",
                missed = s.duty.missed,
                leave = s.duty.leave,
                swapped = s.duty.swapped
            )
        )));
        right.push(Line::styled(
            crate::tr!("stats.consult_heading"),
            theme::header(),
        ));
        right.push(Line::raw(format!(
            "  {}",
            crate::tr!(
                "stats.consult",
                meetings = s.consultations,
                reports = s.reports_submitted
            )
        )));
        right.extend(Self::block(
            crate::tr!("stats.activities"),
            &s.activities,
            same,
        ));
        (left, right)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let (left, right) = self.lines();
        if area.width >= 70 {
            let half = area.width / 2;
            Paragraph::new(left)
                .scroll((self.scroll, 0))
                .render(Rect::new(area.x, area.y, half - 1, area.height), buf);
            Paragraph::new(right).scroll((self.scroll, 0)).render(
                Rect::new(
                    area.x + half + 1,
                    area.y,
                    area.width - half - 1,
                    area.height,
                ),
                buf,
            );
        } else {
            let mut all = left;
            all.extend(right);
            Paragraph::new(all)
                .scroll((self.scroll, 0))
                .render(area, buf);
        }
    }
}
