//! The duty roster (委员值班): a month grid of who is on duty each slot and whether they came,
//! one day's shifts, the preview of a rotation, and the duty report.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Widget};
use unicode_width::UnicodeWidthStr;
use uuid::Uuid;

use crate::domain::dates::weekday_key;
use crate::domain::roster::{
    coverage, month_shifted, DutyCounts, HolidayCalendar, Preview, Shift, ShiftState, Slot,
};
use crate::store::{Store, StoreResult};
use crate::text::sanitize;
use crate::tui::theme;

/// What the roster screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterView {
    Month,
    /// One day's shifts, one of them selected.
    Day,
    /// Per-member counts for the month or the year.
    Report,
}

pub struct RosterState {
    pub view: RosterView,
    /// The day the cursor is on; the month shown is its month.
    pub cursor: NaiveDate,
    pub shifts: Vec<Shift>,
    pub names: HashMap<Uuid, String>,
    pub holidays: HolidayCalendar,
    pub slots: Vec<Slot>,
    /// The selected shift in the day view.
    pub selected: usize,
    /// The report covers the year instead of the month.
    pub report_year: bool,
    pub report: Vec<(Uuid, String, DutyCounts)>,
    pub report_coverage: crate::domain::roster::Coverage,
    /// The chosen row of the duty report (Enter opens that member's record).
    pub report_selected: usize,
}

impl RosterState {
    pub fn open(store: &Store, today: NaiveDate) -> StoreResult<RosterState> {
        let mut state = RosterState {
            view: RosterView::Month,
            cursor: today,
            shifts: Vec::new(),
            names: HashMap::new(),
            holidays: store.holiday_calendar(),
            slots: store.roster_slots()?,
            selected: 0,
            report_year: false,
            report_selected: 0,
            report: Vec::new(),
            report_coverage: Default::default(),
        };
        state.reload(store)?;
        Ok(state)
    }

    pub fn month(&self) -> (NaiveDate, NaiveDate) {
        month_shifted(self.cursor, 0)
    }

    /// Reads the month's shifts (and the names they need) again.
    pub fn reload(&mut self, store: &Store) -> StoreResult<()> {
        let (first, last) = self.month();
        self.shifts = store.shifts_between(first, last)?;
        self.names = store.shift_names(&self.shifts)?;
        Ok(())
    }

    pub fn load_report(&mut self, store: &Store, now: NaiveDateTime) -> StoreResult<()> {
        let (from, to) = if self.report_year {
            (
                NaiveDate::from_ymd_opt(self.cursor.year(), 1, 1).unwrap_or(self.cursor),
                NaiveDate::from_ymd_opt(self.cursor.year(), 12, 31).unwrap_or(self.cursor),
            )
        } else {
            self.month()
        };
        self.report = store.duty_report(from, to)?;
        self.report_coverage = coverage(&store.shifts_between(from, to)?, now);
        Ok(())
    }

    /// Moves the cursor by days; a new month is read when it is left.
    pub fn move_by(&mut self, store: &Store, days: i64) -> StoreResult<()> {
        let month = self.month();
        self.cursor += Duration::days(days);
        if self.month() != month {
            self.reload(store)?;
        }
        Ok(())
    }

    pub fn move_months(&mut self, store: &Store, months: i32) -> StoreResult<()> {
        let (first, last) = month_shifted(self.cursor, months);
        let day = self.cursor.day().min(last.day());
        self.cursor = first.with_day(day).unwrap_or(first);
        self.reload(store)
    }

    pub fn day_shifts(&self) -> Vec<&Shift> {
        self.shifts
            .iter()
            .filter(|s| s.date == self.cursor)
            .collect()
    }

    pub fn selected_shift(&self) -> Option<&Shift> {
        self.day_shifts().get(self.selected).copied()
    }

    fn name(&self, id: &Uuid) -> String {
        self.names
            .get(id)
            .map(|n| sanitize(n).into_owned())
            .unwrap_or_else(|| "?".into())
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, today: NaiveDate) {
        match self.view {
            RosterView::Month => self.render_month(area, buf, today),
            RosterView::Day => self.render_day(area, buf, today),
            RosterView::Report => self.render_report(area, buf),
        }
    }

    fn render_month(&self, area: Rect, buf: &mut Buffer, today: NaiveDate) {
        let (first, last) = self.month();
        let title = crate::tr!(
            "roster.month_title",
            year = first.year(),
            month = first.month()
        );
        Paragraph::new(Line::from(vec![
            Span::styled(title, theme::title()),
            Span::raw("   "),
            Span::styled(crate::tr!("roster.legend"), theme::hint()),
        ]))
        .render(Rect::new(area.x, area.y, area.width, 1), buf);
        let col_width = (area.width / 7).max(8);
        let weekdays = [
            chrono::Weekday::Mon,
            chrono::Weekday::Tue,
            chrono::Weekday::Wed,
            chrono::Weekday::Thu,
            chrono::Weekday::Fri,
            chrono::Weekday::Sat,
            chrono::Weekday::Sun,
        ];
        for (i, weekday) in weekdays.iter().enumerate() {
            Paragraph::new(crate::tr!(weekday_key(*weekday)))
                .style(theme::header())
                .render(
                    Rect::new(area.x + i as u16 * col_width, area.y + 1, col_width, 1),
                    buf,
                );
        }
        let row_height = 1 + self.slots.len() as u16;
        let start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
        let mut day = start;
        let mut week = 0u16;
        while day <= last {
            let y = area.y + 2 + week * row_height;
            if y + row_height > area.y + area.height {
                break;
            }
            for col in 0..7u16 {
                if day.month() == first.month() {
                    let cell = Rect::new(
                        area.x + col * col_width,
                        y,
                        col_width.saturating_sub(1),
                        row_height,
                    );
                    self.render_day_cell(day, cell, buf, today);
                }
                day += Duration::days(1);
            }
            week += 1;
        }
    }

    fn render_day_cell(&self, day: NaiveDate, cell: Rect, buf: &mut Buffer, today: NaiveDate) {
        let mut head = format!("{:>2}", day.day());
        if let Some((mark, _)) = self.holidays.note(day) {
            head.push(' ');
            head.push_str(mark);
        }
        let style = if day == self.cursor {
            theme::selected()
        } else if day == today {
            theme::focus_label()
        } else {
            theme::label()
        };
        Paragraph::new(head)
            .style(style)
            .render(Rect::new(cell.x, cell.y, cell.width, 1), buf);
        for (i, slot) in self.slots.iter().enumerate() {
            let here: Vec<&Shift> = self
                .shifts
                .iter()
                .filter(|s| s.date == day && s.slot == *slot)
                .filter(|s| s.state != ShiftState::Swapped)
                .collect();
            if here.is_empty() {
                continue;
            }
            let first = here[0];
            let mut text = format!(
                "{}{}",
                crate::tr!(slot_short_key(*slot)),
                first.state.mark()
            );
            text.push_str(&self.name(&first.member_id));
            if here.len() > 1 {
                text.push_str(&format!("+{}", here.len() - 1));
            }
            let text = fit(&text, cell.width as usize);
            let style = match first.state {
                ShiftState::Missed => theme::error(),
                ShiftState::Attended => theme::success(),
                ShiftState::Leave => theme::hint(),
                _ => Style::default(),
            };
            Paragraph::new(text)
                .style(style)
                .render(Rect::new(cell.x, cell.y + 1 + i as u16, cell.width, 1), buf);
        }
    }

    fn render_day(&self, area: Rect, buf: &mut Buffer, today: NaiveDate) {
        let mut lines = vec![Line::styled(
            format!(
                "{}  {}",
                self.cursor.format("%Y-%m-%d"),
                crate::tr!(weekday_key(self.cursor.weekday()))
            ),
            theme::title(),
        )];
        if let Some((mark, name)) = self.holidays.note(self.cursor) {
            lines.push(Line::styled(
                format!("{mark}  {}", sanitize(name)),
                theme::hint(),
            ));
        }
        lines.push(Line::raw(""));
        let shifts = self.day_shifts();
        if shifts.is_empty() {
            lines.push(Line::styled(crate::tr!("roster.no_shifts"), theme::hint()));
        }
        for (i, shift) in shifts.iter().enumerate() {
            // Names of two, three and four characters line up: padded by display width.
            let mut text = format!(
                "{}  {}  {}",
                crate::text::pad_to_width(&crate::tr!(shift.slot.key()), 9),
                crate::text::pad_to_width(&self.name(&shift.member_id), 10),
                crate::tr!(shift.state.key())
            );
            if let Some(at) = shift.signed_in_at {
                text.push_str(&format!("  {}", at.format("%H:%M")));
                if let Some(out) = shift.signed_out_at {
                    text.push_str(&format!("-{}", out.format("%H:%M")));
                }
            }
            if let Some(with) = shift.swap_with {
                text.push_str(&format!("  -> {}", self.name(&with)));
            }
            if shift.replaces.is_some() {
                text.push_str(&format!("  {}", crate::tr!("roster.covering")));
            }
            if !shift.reason.is_empty() {
                text.push_str(&format!("  ({})", sanitize(&shift.reason)));
            }
            let style = if i == self.selected {
                theme::selected()
            } else if shift.state == ShiftState::Missed {
                theme::error()
            } else {
                Style::default()
            };
            lines.push(Line::styled(text, style));
        }
        if self.cursor < today {
            lines.push(Line::raw(""));
            lines.push(Line::styled(crate::tr!("roster.past_day"), theme::hint()));
        }
        Paragraph::new(lines).render(area, buf);
    }

    fn render_report(&self, area: Rect, buf: &mut Buffer) {
        let (first, _) = self.month();
        let period = if self.report_year {
            crate::tr!("roster.report_year", year = first.year())
        } else {
            crate::tr!(
                "roster.month_title",
                year = first.year(),
                month = first.month()
            )
        };
        let coverage = crate::i18n::coverage_line(self.report_coverage);
        Paragraph::new(Line::from(vec![
            Span::styled(period, theme::title()),
            Span::raw("   "),
            Span::raw(coverage),
        ]))
        .render(Rect::new(area.x, area.y, area.width, 1), buf);
        let header =
            Row::new(crate::domain::roster::DUTY_COLUMN_KEYS.map(|k| Cell::from(crate::tr!(k))))
                .style(theme::header());
        let rows = self.report.iter().enumerate().map(|(i, (_, name, c))| {
            let style = if i == self.report_selected {
                theme::selected()
            } else {
                ratatui::style::Style::default()
            };
            Row::new(vec![
                Cell::from(sanitize(name).into_owned()),
                Cell::from(c.scheduled.to_string()),
                Cell::from(c.served.to_string()),
                Cell::from(c.missed.to_string()),
                Cell::from(c.swapped.to_string()),
                Cell::from(c.leave.to_string()),
            ])
            .style(style)
        });
        Table::new(
            rows,
            [
                Constraint::Length(12),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(10),
            ],
        )
        .header(header)
        .render(
            Rect::new(
                area.x,
                area.y + 2,
                area.width,
                area.height.saturating_sub(2),
            ),
            buf,
        );
    }
}

fn slot_short_key(slot: Slot) -> &'static str {
    match slot {
        Slot::Day => "slot.day_short",
        Slot::Morning => "slot.morning_short",
        Slot::Afternoon => "slot.afternoon_short",
    }
}

/// Cuts text to a display width.
fn fit(text: &str, width: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if (out.as_str().width() + c.to_string().width()) > width {
            break;
        }
        out.push(c);
    }
    out
}

/// A rotation worked out and waiting to be applied, above the form it came from.
pub struct RotationPreview {
    pub preview: Preview,
    /// The names of the members in the preview (read once, drawn every frame).
    pub names: HashMap<Uuid, String>,
}

/// The rotation preview: turns per member, what it replaces, what nobody could take.
pub fn render_preview(
    preview: &Preview,
    names: &HashMap<Uuid, String>,
    area: Rect,
    buf: &mut Buffer,
) {
    let width = area.width.saturating_sub(8).min(70);
    let height = area.height.saturating_sub(2).min(18);
    let popup = Rect::new(area.x + (area.width - width) / 2, area.y + 1, width, height);
    crate::tui::widgets::popup::clear(popup, buf);
    let mut lines = vec![
        Line::styled(crate::tr!("rotation.preview_title"), theme::title()),
        Line::raw(""),
        Line::raw(crate::tr!(
            "rotation.preview_counts",
            shifts = preview.shifts.len(),
            replaced = preview.replaced.len()
        )),
    ];
    if preview.fair && preview.week_days.is_some() {
        lines.push(Line::styled(
            crate::tr!("rotation.fair_weeks"),
            theme::success(),
        ));
    } else if preview.fair {
        lines.push(Line::styled(crate::tr!("rotation.fair"), theme::success()));
    } else {
        lines.push(Line::styled(crate::tr!("rotation.unfair"), theme::error()));
    }
    if !preview.unfilled.is_empty() {
        lines.push(Line::styled(
            crate::tr!("rotation.unfilled", count = preview.unfilled.len()),
            theme::error(),
        ));
    }
    lines.push(Line::styled(crate::tr!("rotation.turns"), theme::label()));
    // In the unit the pattern promises: weeks and days for a weekly turn.
    let mut turns: Vec<(String, String)> = preview
        .turns
        .keys()
        .map(|id| {
            let (turns, days) = preview.turns_of(id);
            let count = match preview.week_days {
                Some(_) if days > 0 => {
                    crate::tr!("rotation.weeks_days", weeks = turns, days = days)
                }
                Some(_) => crate::tr!("rotation.weeks", weeks = turns),
                None => turns.to_string(),
            };
            (
                names
                    .get(id)
                    .map(|n| sanitize(n).into_owned())
                    .unwrap_or_default(),
                count,
            )
        })
        .collect();
    turns.sort();
    let per_line = (width as usize / 16).max(1);
    for chunk in turns.chunks(per_line) {
        lines.push(Line::raw(
            chunk
                .iter()
                .map(|(name, n)| {
                    let cell = format!("{name} {n}");
                    let pad = 15usize.saturating_sub(cell.width());
                    format!("{cell}{}", " ".repeat(pad))
                })
                .collect::<String>(),
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        crate::tr!("rotation.apply_hint"),
        theme::hint(),
    ));
    Paragraph::new(lines)
        .block(crate::tui::widgets::popup::block(""))
        .render(popup, buf);
}
