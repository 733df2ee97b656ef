//! The home screen: the top level of the desk.

use chrono::{DateTime, Datelike, Local};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::dates::weekday_key;
use crate::domain::Station;
use crate::text::sanitize;
use crate::tui::theme;

use super::capped;

/// What the home screen shows.
pub struct HomeView<'a> {
    pub station: &'a Station,
    pub signed_in: Option<&'a str>,
    pub counts: crate::tui::app::DeskCounts,
    pub now: DateTime<Local>,
    /// Who the roster has on duty today, in words ("李秀兰（上午）…").
    pub rostered: &'a str,
}

impl HomeView<'_> {
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let date = format!(
            "{} {}",
            self.now.format("%Y-%m-%d"),
            crate::tr!(weekday_key(self.now.weekday()))
        );
        let duty = match self.signed_in {
            Some(name) => crate::tr!("home.on_duty", name = sanitize(name)),
            None => crate::tr!("home.nobody"),
        };
        let mut lines = vec![
            Line::styled(sanitize(&self.station.name).into_owned(), theme::title()),
            Line::raw(crate::tr!(
                "home.station_line",
                county = sanitize(&self.station.county),
                code = sanitize(&self.station.code)
            )),
            Line::raw(""),
            Line::raw(if self.rostered.is_empty() {
                format!("{}    {date}", crate::tr!("home.today"))
            } else {
                format!(
                    "{}    {date}    {}",
                    crate::tr!("home.today"),
                    crate::tr!("home.rostered", names = sanitize(self.rostered))
                )
            }),
            Line::raw(duty),
            Line::raw(crate::tr!(
                "home.members",
                count = self.counts.active_members
            )),
            Line::raw(crate::tr!(
                "home.visits_today",
                count = capped(self.counts.visits_today)
            )),
            if self.counts.overdue > 0 {
                Line::styled(
                    crate::tr!("home.overdue", count = capped(self.counts.overdue)),
                    theme::error(),
                )
            } else {
                Line::raw(crate::tr!("home.overdue", count = 0))
            },
            Line::raw(crate::tr!(
                "home.due_today",
                count = capped(self.counts.due_today)
            )),
            if self.counts.overdue_cases > 0 {
                Line::styled(
                    crate::tr!(
                        "home.cases",
                        open = capped(self.counts.open_cases),
                        overdue = capped(self.counts.overdue_cases)
                    ),
                    theme::error(),
                )
            } else {
                Line::raw(crate::tr!(
                    "home.cases",
                    open = capped(self.counts.open_cases),
                    overdue = 0
                ))
            },
            Line::raw(""),
            Line::styled(crate::tr!("home.menu"), theme::header()),
        ];
        // Two columns, so that the whole menu fits the smallest window.
        let menu = [
            ("F3", "keys.quick_entry"),
            ("v", "keys.intakes"),
            ("c", "keys.cases"),
            ("r", "keys.roster"),
            ("k", "keys.consult"),
            ("/", "keys.search"),
            ("m", "keys.members"),
            ("e", "keys.export"),
            ("d", "keys.documents"),
            ("s", "keys.sign_in"),
            ("o", "keys.sign_out"),
            ("l", "keys.lock"),
            ("g", "keys.settings"),
            ("F1", "keys.help"),
            ("q", "keys.quit"),
        ];
        for pair in menu.chunks(2) {
            let mut spans = vec![Span::raw("  ")];
            for (n, (key, label)) in pair.iter().enumerate() {
                let text = crate::tr!(*label);
                let pad = if n == 0 {
                    24usize.saturating_sub(unicode_width::UnicodeWidthStr::width(text.as_str()))
                } else {
                    0
                };
                // Keys of one and two characters (`v`, `F3`) take the same room.
                spans.push(Span::styled(
                    format!(" {} ", crate::text::pad_to_width(key, 2)),
                    theme::key(),
                ));
                spans.push(Span::raw(format!("  {text}{}", " ".repeat(pad))));
            }
            lines.push(Line::from(spans));
        }
        Paragraph::new(lines).render(
            Rect::new(
                area.x + 2,
                area.y + 1,
                area.width.saturating_sub(2),
                area.height.saturating_sub(1),
            ),
            buf,
        );
    }
}
