//! The home screen: the top level of the desk, with the station's dashboard — visits per month
//! for the last twelve months, the year's top request categories, the 4+X and this month's
//! duty as gauges, and what is open and overdue — above the menu. It fits 80×24 in a compact
//! form and uses the room of a larger window.

use chrono::{DateTime, Datelike, Local};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, LineGauge, Paragraph, Widget};

use crate::domain::dates::weekday_key;
use crate::domain::performance::Dashboard;
use crate::domain::Station;
use crate::text::sanitize;
use crate::tui::theme;

use super::capped;

/// What the home screen counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeskCounts {
    pub active_members: i64,
    pub visits_today: i64,
    pub overdue: i64,
    pub due_today: i64,
    /// Cases still being mediated, and those whose next date has passed.
    pub open_cases: i64,
    pub overdue_cases: i64,
}

/// The home screen's state: its counts, the dashboard and today's roster, read again whenever
/// a record changes.
#[derive(Debug, Default)]
pub struct Home {
    pub counts: DeskCounts,
    /// The station's figures (none before the first is read).
    pub dashboard: Option<Dashboard>,
    /// Who the roster has on duty today, in words.
    pub rostered: String,
}

/// What the home screen shows.
pub struct HomeView<'a> {
    pub station: &'a Station,
    pub signed_in: Option<&'a str>,
    pub counts: DeskCounts,
    pub now: DateTime<Local>,
    /// Who the roster has on duty today, in words ("李秀兰（上午）…").
    pub rostered: &'a str,
    /// The station's figures (none before the first is read).
    pub dashboard: Option<&'a Dashboard>,
}

/// Bars drawn in ASCII: the block elements are ambiguous-width, and a terminal set up for
/// Chinese draws them two columns wide.
const ASCII_BARS: ratatui::symbols::bar::Set<'static> = ratatui::symbols::bar::Set {
    full: "#",
    seven_eighths: "#",
    three_quarters: "#",
    five_eighths: "=",
    half: "=",
    three_eighths: "-",
    one_quarter: "-",
    one_eighth: ".",
    empty: " ",
};

/// The menu: every key of the home screen.
const MENU: [(&str, &str); 17] = [
    ("F3", "keys.quick_entry"),
    ("v", "keys.intakes"),
    ("c", "keys.cases"),
    ("r", "keys.roster"),
    ("k", "keys.consult"),
    ("a", "keys.activities"),
    ("m", "keys.members"),
    ("t", "keys.month_stats"),
    ("/", "keys.search"),
    ("e", "keys.export"),
    ("d", "keys.documents"),
    ("s", "keys.sign_in"),
    ("o", "keys.sign_out"),
    ("l", "keys.lock"),
    ("g", "keys.settings"),
    ("F1", "keys.help"),
    ("q", "keys.quit"),
];

fn gauge(label: String, done: i64, of: i64, width: u16, area: Rect, buf: &mut Buffer) {
    // Nothing to measure (no slot has ended yet) is an empty gauge, never a full one.
    let ratio = if of <= 0 {
        0.0
    } else {
        (done as f64 / of as f64).clamp(0.0, 1.0)
    };
    let style = if of <= 0 {
        theme::muted()
    } else if done >= of {
        theme::success()
    } else {
        theme::focus_label()
    };
    let label_width = unicode_width::UnicodeWidthStr::width(label.as_str()) as u16;
    let pad = width.saturating_sub(label_width);
    LineGauge::default()
        .label(format!("{label}{}", " ".repeat(pad as usize)))
        .ratio(ratio)
        .filled_symbol("=")
        .unfilled_symbol("-")
        .filled_style(style)
        .unfilled_style(theme::muted())
        .render(area, buf);
}

impl HomeView<'_> {
    fn header_lines(&self) -> Vec<Line<'static>> {
        let date = format!(
            "{} {}",
            self.now.format("%Y-%m-%d"),
            crate::tr!(weekday_key(self.now.weekday()))
        );
        let duty = match self.signed_in {
            Some(name) => crate::tr!("home.on_duty", name = sanitize(name)),
            None => crate::tr!("home.nobody"),
        };
        let mut today = format!("{}    {date}", crate::tr!("home.today"));
        if !self.rostered.is_empty() {
            today.push_str(&format!(
                "    {}",
                crate::tr!("home.rostered", names = sanitize(self.rostered))
            ));
        }
        vec![
            Line::from(vec![
                Span::styled(sanitize(&self.station.name).into_owned(), theme::title()),
                Span::raw("  "),
                Span::raw(crate::tr!(
                    "home.station_line",
                    county = sanitize(&self.station.county),
                    code = sanitize(&self.station.code)
                )),
            ]),
            Line::raw(today),
            Line::from(vec![
                Span::raw(duty),
                Span::raw("    "),
                Span::raw(crate::tr!(
                    "home.members",
                    count = self.counts.active_members
                )),
            ]),
        ]
    }

    /// What is open and overdue, the desk's to-do, each on its line.
    fn count_lines(&self) -> Vec<Line<'static>> {
        let c = &self.counts;
        let warn = |n: i64, text: String| {
            if n > 0 {
                Line::styled(text, theme::error())
            } else {
                Line::raw(text)
            }
        };
        vec![
            Line::raw(crate::tr!(
                "home.visits_today",
                count = capped(c.visits_today)
            )),
            warn(
                c.overdue,
                crate::tr!("home.overdue", count = capped(c.overdue)),
            ),
            Line::raw(crate::tr!("home.due_today", count = capped(c.due_today))),
            warn(
                c.overdue_cases,
                crate::tr!(
                    "home.cases",
                    open = capped(c.open_cases),
                    overdue = capped(c.overdue_cases)
                ),
            ),
        ]
    }

    fn render_chart(&self, board: &Dashboard, area: Rect, buf: &mut Buffer) {
        if area.height < 3 || area.width < 14 {
            return;
        }
        let total: i64 = board.months.iter().map(|(_, n)| n).sum();
        Paragraph::new(Line::styled(
            crate::tr!("home.visits_months", count = total),
            theme::header(),
        ))
        .render(Rect::new(area.x, area.y, area.width, 1), buf);
        let bar_width = ((area.width.saturating_sub(11)) / 12).clamp(1, 4);
        let bars: Vec<Bar> = board
            .months
            .iter()
            .map(|(month, n)| {
                let label = month.get(5..7).unwrap_or(month).to_string();
                Bar::default()
                    .value((*n).max(0) as u64)
                    .label(Line::from(label))
                    .text_value(if bar_width >= 3 {
                        n.to_string()
                    } else {
                        String::new()
                    })
            })
            .collect();
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_width)
            .bar_gap(1)
            .bar_set(ASCII_BARS)
            .bar_style(theme::focus_label())
            .value_style(theme::selected())
            .label_style(theme::muted())
            .render(
                Rect::new(area.x, area.y + 1, area.width, area.height - 1),
                buf,
            );
    }

    fn render_gauges(&self, board: &Dashboard, area: Rect, buf: &mut Buffer) {
        let q = &board.quota;
        let label_width = if area.width >= 50 {
            22
        } else {
            18u16.min(area.width / 2)
        };
        let rows = [
            (
                crate::tr!(
                    "home.gauge_consult",
                    done = q.consultations,
                    quota = q.consultations_quota
                ),
                q.consultations as i64,
                q.consultations_quota as i64,
            ),
            (
                crate::tr!(
                    "home.gauge_reports",
                    done = q.reports,
                    quota = q.reports_quota
                ),
                q.reports as i64,
                q.reports_quota as i64,
            ),
            (
                crate::tr!("home.gauge_duty", coverage = board.duty.coverage.text()),
                i64::from(board.duty.coverage.slots_served),
                i64::from(board.duty.coverage.slots_ended),
            ),
        ];
        for (i, (label, done, of)) in rows.into_iter().enumerate() {
            if i as u16 >= area.height {
                break;
            }
            gauge(
                label,
                done,
                of,
                label_width,
                Rect::new(area.x, area.y + i as u16, area.width, 1),
                buf,
            );
        }
    }

    fn category_lines(&self, board: &Dashboard, one_line: Option<u16>) -> Vec<Line<'static>> {
        let title = crate::tr!(
            "home.categories",
            year = self.now.year(),
            count = board.visits_this_year
        );
        if let Some(width) = one_line {
            // As many as fit the line, whole.
            let mut room = (width as usize)
                .saturating_sub(unicode_width::UnicodeWidthStr::width(title.as_str()) + 2);
            let mut shown = Vec::new();
            for (c, n) in &board.categories {
                let item = format!("{} {n}", sanitize(c));
                let need = unicode_width::UnicodeWidthStr::width(item.as_str()) + 3;
                if need > room {
                    break;
                }
                room -= need;
                shown.push(item);
            }
            let items = shown.join("  ");
            return vec![Line::from(vec![
                Span::styled(title, theme::header()),
                Span::raw("  "),
                Span::raw(items),
            ])];
        }
        let mut lines = vec![Line::styled(title, theme::header())];
        let most = board.categories.first().map_or(1, |(_, n)| (*n).max(1));
        for (category, n) in &board.categories {
            let label = sanitize(category).into_owned();
            let pad = 16usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()));
            let bar = "#".repeat(((*n * 20) / most).max(1) as usize);
            lines.push(Line::from(vec![
                Span::raw(format!("  {label}{}", " ".repeat(pad))),
                Span::styled(bar, theme::focus_label()),
                Span::raw(format!(" {n}")),
            ]));
        }
        lines
    }

    fn menu_lines(&self, columns: usize, column_width: usize) -> Vec<Line<'static>> {
        MENU.chunks(columns)
            .map(|row| {
                let mut spans = vec![Span::raw(" ")];
                for (key, label) in row {
                    let text = crate::tr!(*label);
                    let used = unicode_width::UnicodeWidthStr::width(text.as_str()) + 6;
                    spans.push(Span::styled(
                        format!(" {} ", crate::text::pad_to_width(key, 2)),
                        theme::key(),
                    ));
                    spans.push(Span::raw(format!(
                        " {text}{}",
                        " ".repeat(column_width.saturating_sub(used))
                    )));
                }
                Line::from(spans)
            })
            .collect()
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let area = Rect::new(
            area.x + 1,
            area.y + 1,
            area.width.saturating_sub(2),
            area.height.saturating_sub(1),
        );
        let roomy = area.height >= 30 && area.width >= 100;
        let mut y = area.y;
        let header = self.header_lines();
        Paragraph::new(header.clone()).render(Rect::new(area.x, y, area.width, 3), buf);
        y += header.len() as u16 + u16::from(roomy);
        let half = area.width / 2;
        let chart_height: u16 = if roomy {
            area.height.saturating_sub(13).clamp(12, 18)
        } else {
            7
        };
        let bottom = area.y + area.height;
        match self.dashboard {
            Some(board) => {
                self.render_chart(
                    board,
                    Rect::new(
                        area.x,
                        y,
                        half.saturating_sub(1),
                        chart_height.min(bottom - y),
                    ),
                    buf,
                );
                let right = Rect::new(area.x + half + 1, y, area.width - half - 1, chart_height);
                self.render_gauges(board, Rect::new(right.x, right.y, right.width, 3), buf);
                Paragraph::new(self.count_lines()).render(
                    Rect::new(right.x, right.y + 3, right.width, 4.min(chart_height - 2)),
                    buf,
                );
                if roomy {
                    Paragraph::new(self.category_lines(board, None))
                        .render(Rect::new(right.x, right.y + 8, right.width, 6), buf);
                }
                y += chart_height;
                if !roomy && y < bottom {
                    Paragraph::new(self.category_lines(board, Some(area.width)))
                        .render(Rect::new(area.x, y, area.width, 1), buf);
                    y += 1;
                }
            }
            None => {
                Paragraph::new(self.count_lines()).render(Rect::new(area.x, y, area.width, 4), buf);
                y += 4;
            }
        }
        y += u16::from(roomy);
        if y < bottom {
            let columns = if roomy { 4 } else { 3 };
            let width = (area.width as usize / columns).max(16);
            let mut menu = vec![Line::styled(crate::tr!("home.menu"), theme::header())];
            menu.extend(self.menu_lines(columns, width));
            Paragraph::new(menu)
                .style(Style::default())
                .render(Rect::new(area.x, y, area.width, bottom - y), buf);
        }
    }
}
