//! Search across the county's records, and a record read-only.

use chrono::{Datelike, Months, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Widget};

use super::super::CountyDesk;
use super::{selected_style, text, Cursor};
use crate::bundle::county_desk::{Found, StationOverview};
use crate::tr;
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::layer::{Layer, Step};
use crate::tui::theme;
use crate::tui::widgets::frame::{draw_title, inset};
use crate::tui::widgets::list_table::render_table;
use crate::tui::widgets::single_line::SingleLine;
use crate::tui::widgets::wrapped;

/// Which days a search keeps to (`F4` goes to the next).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchPeriod {
    #[default]
    All,
    ThisMonth,
    ThreeMonths,
    ThisYear,
    LastYear,
}

impl SearchPeriod {
    fn next(self) -> SearchPeriod {
        match self {
            SearchPeriod::All => SearchPeriod::ThisMonth,
            SearchPeriod::ThisMonth => SearchPeriod::ThreeMonths,
            SearchPeriod::ThreeMonths => SearchPeriod::ThisYear,
            SearchPeriod::ThisYear => SearchPeriod::LastYear,
            SearchPeriod::LastYear => SearchPeriod::All,
        }
    }

    fn label(self) -> String {
        match self {
            SearchPeriod::All => tr!("county_desk.period_all"),
            SearchPeriod::ThisMonth => tr!("county_desk.period_month"),
            SearchPeriod::ThreeMonths => tr!("county_desk.period_quarter"),
            SearchPeriod::ThisYear => tr!("county_desk.period_year"),
            SearchPeriod::LastYear => tr!("county_desk.period_last_year"),
        }
    }

    /// The first and last day kept, as of `today`; none for every day.
    pub fn days(self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let first_of_month = today.with_day(1)?;
        let year = today.year();
        match self {
            SearchPeriod::All => None,
            SearchPeriod::ThisMonth => Some((first_of_month, today)),
            SearchPeriod::ThreeMonths => {
                Some((first_of_month.checked_sub_months(Months::new(2))?, today))
            }
            SearchPeriod::ThisYear => Some((NaiveDate::from_ymd_opt(year, 1, 1)?, today)),
            SearchPeriod::LastYear => Some((
                NaiveDate::from_ymd_opt(year - 1, 1, 1)?,
                NaiveDate::from_ymd_opt(year - 1, 12, 31)?,
            )),
        }
    }
}

/// Records found across the county by what they say.
pub struct Search {
    station: Option<StationOverview>,
    /// The station the county-wide search keeps to (`F3`), by id and code; none for all.
    only: Option<(String, String)>,
    period: SearchPeriod,
    query: SingleLine,
    pub found: Vec<Found>,
    searched: String,
    /// When the query last changed, while it has not been searched yet: the search runs once
    /// typing pauses (or at Enter), not at every keystroke — at a big county a search reads
    /// every record.
    typed_at: Option<chrono::DateTime<chrono::Local>>,
    cursor: Cursor,
}

/// How long typing pauses before the search runs.
const PAUSE_MS: i64 = 400;

/// Records a search shows.
const FOUND_AT_MOST: usize = 50;

impl Search {
    pub fn new(station: Option<StationOverview>) -> Search {
        Search {
            station,
            only: None,
            period: SearchPeriod::All,
            query: SingleLine::new(),
            found: Vec::new(),
            searched: String::new(),
            typed_at: None,
            cursor: Cursor::default(),
        }
    }

    fn run(&mut self, desk: &mut CountyDesk) {
        let query = self.query.value();
        let station = match (&self.station, &self.only) {
            (Some(s), _) => Some(s.id.as_str()),
            (None, Some((id, _))) => Some(id.as_str()),
            (None, None) => None,
        };
        let period = self.period.days(desk.today());
        match desk.db.search_in(&query, station, period, FOUND_AT_MOST) {
            Ok(found) => self.found = found,
            Err(e) => desk.fail(&e),
        }
        self.searched = query;
        self.cursor = Cursor::default();
    }
}

impl Search {
    /// The next station the county-wide search keeps to: each listed station by its code,
    /// then all again. A search opened from a station keeps to it.
    fn next_station(&mut self, desk: &mut CountyDesk) {
        if self.station.is_some() {
            return;
        }
        let stations = match desk.db.stations() {
            Ok(stations) => stations,
            Err(e) => {
                desk.fail(&e);
                return;
            }
        };
        let at = self
            .only
            .as_ref()
            .and_then(|(id, _)| stations.iter().position(|s| &s.id == id));
        let next = match at {
            None => stations.first(),
            Some(i) => stations.get(i + 1),
        };
        self.only = next.map(|s| (s.id.clone(), s.code.clone()));
    }

    /// Searches again for what was searched, now that a filter changed.
    fn again(&mut self, desk: &mut CountyDesk) {
        if !self.query.value().trim().is_empty() {
            self.typed_at = None;
            self.run(desk);
        }
    }
}

impl Layer<CountyDesk> for Search {
    fn context(&self) -> KeyContext {
        KeyContext::CountySearch
    }

    fn update(&mut self, action: Action, desk: &mut CountyDesk) -> Step<CountyDesk> {
        let page = usize::from(desk.body_rows().saturating_sub(5));
        if self.cursor.step(&action, self.found.len(), page) {
            return Step::Stay;
        }
        match action {
            Action::Back => Step::Close,
            // Enter searches what was typed, then opens what is chosen.
            Action::Open if self.typed_at.is_some() => {
                self.typed_at = None;
                self.run(desk);
                Step::Stay
            }
            Action::Open => match self.found.get(self.cursor.selected) {
                Some(found) => Step::push(Record::open(desk, found.clone())),
                None => Step::Stay,
            },
            Action::Input(key) => {
                if self.query.input(key) {
                    self.typed_at = Some(desk.now);
                }
                Step::Stay
            }
            Action::Paste(t) => {
                if self.query.paste(&t) {
                    self.typed_at = Some(desk.now);
                }
                Step::Stay
            }
            Action::FilterStation => {
                self.next_station(desk);
                self.again(desk);
                Step::Stay
            }
            Action::FilterPeriod => {
                self.period = self.period.next();
                self.again(desk);
                Step::Stay
            }
            _ => Step::Stay,
        }
    }

    fn tick(&mut self, desk: &mut CountyDesk) {
        let paused = self.typed_at.is_some_and(|at| {
            desk.now.signed_duration_since(at) >= chrono::Duration::milliseconds(PAUSE_MS)
        });
        if paused {
            self.typed_at = None;
            self.run(desk);
        }
    }

    fn draw(
        &self,
        _desk: &CountyDesk,
        title: Rect,
        body: Rect,
        buf: &mut Buffer,
    ) -> Option<Position> {
        draw_title(
            &tr!(
                "county_desk.search_title",
                station = self
                    .station
                    .as_ref()
                    .map(|s| text(&s.name))
                    .unwrap_or_else(|| tr!("county_desk.whole_county"))
            ),
            title,
            buf,
        );
        let area = inset(body);
        if area.height < 4 {
            return None;
        }
        let label = format!(
            "{}{}",
            tr!("county_desk.search_label"),
            tr!("county_desk.label_sep")
        );
        let label_width = unicode_width::UnicodeWidthStr::width(label.as_str()) as u16;
        Span::styled(label, theme::focus_label())
            .render(Rect::new(area.x, area.y, label_width, 1), buf);
        let caret = self.query.render(
            Rect::new(
                area.x + label_width,
                area.y,
                area.width.saturating_sub(label_width),
                1,
            ),
            buf,
            true,
        );
        let mut summary = if self.searched.is_empty() {
            tr!("county_desk.search_hint")
        } else {
            tr!("county_desk.search_found", count = self.found.len())
        };
        if self.station.is_none() {
            let station = self
                .only
                .as_ref()
                .map(|(_, code)| text(code))
                .unwrap_or_else(|| tr!("county_desk.search_all_stations"));
            summary.push_str("    ");
            summary.push_str(&tr!("county_desk.search_station", station = station));
        }
        summary.push_str("    ");
        summary.push_str(&tr!(
            "county_desk.search_period",
            period = self.period.label()
        ));
        Span::styled(summary, theme::hint())
            .render(Rect::new(area.x, area.y + 1, area.width, 1), buf);
        let rest = Rect::new(area.x, area.y + 3, area.width, area.height - 3);
        let page = usize::from(rest.height.saturating_sub(1));
        let (selected, window) = self.cursor.shown(self.found.len(), page);
        let rows: Vec<Row> = self.found[window.clone()]
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let (label, value) = f.matching(&self.searched);
                Row::new(vec![
                    Cell::from(text(&f.code)),
                    Cell::from(crate::i18n::kind_name(f.kind.as_str())),
                    Cell::from(format!("{}：{}", text(&label), text(&value))),
                ])
                .style(selected_style(window.start + i == selected))
            })
            .collect();
        render_table(
            rest,
            buf,
            &[
                "county_desk.col_code",
                "county_desk.col_kind",
                "county_desk.col_what",
            ],
            rows,
            &[
                Constraint::Length(6),
                Constraint::Length(10),
                Constraint::Min(10),
            ],
            if self.searched.is_empty() {
                "county_desk.search_empty"
            } else {
                "county_desk.search_none"
            },
        );
        caret
    }
}

/// One record as the county holds it, field by field, with its history as the station's
/// bundles carried it; nothing here changes it.
pub struct Record {
    pub found: Found,
    /// Its changes, each with the bundle that carried it (empty: none was sent).
    pub history: Vec<(crate::store::HistoryLine, u64)>,
    scroll: u16,
}

impl Record {
    pub fn new(found: Found) -> Record {
        Record {
            found,
            history: Vec::new(),
            scroll: 0,
        }
    }

    /// The record with its history read from the county.
    pub fn open(desk: &mut CountyDesk, found: Found) -> Record {
        let history = match desk.db.history(&found.station_id, &found.id) {
            Ok(h) => h,
            Err(e) => {
                desk.fail(&e);
                Vec::new()
            }
        };
        Record {
            found,
            history,
            scroll: 0,
        }
    }
}

/// A change's kind in words.
pub(super) fn action_word(action: &str) -> String {
    match action {
        "insert" => tr!("county_desk.action_insert"),
        "update" => tr!("county_desk.action_update"),
        "delete" => tr!("county_desk.action_delete"),
        "restore" => tr!("county_desk.action_restore"),
        other => text(other),
    }
}

/// A changed field's name as the clerk reads it: the day, whom it counts for, or its own.
pub(super) fn field_word(field: &str) -> String {
    match field {
        "on" | "date" | "visited_at" | "held_at" | "received_on" | "submitted_on" => {
            tr!("county_desk.field_day")
        }
        "members" | "member_id" | "authors" | "mediators" | "attendees" => {
            tr!("county_desk.field_who")
        }
        other => text(other),
    }
}

/// A history line: when (local), who, what, which fields, in which bundle.
pub(super) fn history_line(line: &crate::store::HistoryLine, seq: u64) -> Line<'static> {
    let when = crate::domain::dates::local_moment(&line.at).unwrap_or_else(|| text(&line.at));
    let fields: Vec<String> = line.fields.iter().map(|f| field_word(f)).collect();
    let mut fields = fields;
    fields.dedup();
    Line::from(vec![
        Span::styled(format!("  {when}  "), theme::label()),
        Span::raw(format!(
            "{} {}{}",
            text(&line.actor),
            action_word(&line.action),
            if fields.is_empty() {
                String::new()
            } else {
                format!(
                    " {}",
                    fields.join(tr!("county_desk.list_separator").as_str())
                )
            }
        )),
        Span::styled(
            format!("  {}", tr!("county_desk.in_bundle", seq = seq)),
            theme::hint(),
        ),
    ])
}

impl Layer<CountyDesk> for Record {
    fn context(&self) -> KeyContext {
        KeyContext::CountyRecord
    }

    fn update(&mut self, action: Action, _desk: &mut CountyDesk) -> Step<CountyDesk> {
        if let Some(by) = action.scroll_rows() {
            self.scroll = (i32::from(self.scroll) + by).max(0) as u16;
            return Step::Stay;
        }
        match action {
            Action::Back => Step::Close,
            _ => Step::Stay,
        }
    }

    fn draw(
        &self,
        _desk: &CountyDesk,
        title: Rect,
        body: Rect,
        buf: &mut Buffer,
    ) -> Option<Position> {
        let f = &self.found;
        draw_title(
            &tr!(
                "county_desk.record_title",
                code = text(&f.code),
                kind = crate::i18n::kind_name(f.kind.as_str())
            ),
            title,
            buf,
        );
        let area = inset(body);
        let lines: Vec<Line<'static>> = f
            .fields
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(label, value)| {
                Line::from(vec![
                    Span::styled(format!("{}：", text(label)), theme::label()),
                    Span::raw(text(value)),
                ])
            })
            .collect();
        let mut lines = lines;
        lines.push(Line::raw(""));
        lines.push(Line::styled(tr!("county_desk.history"), theme::header()));
        if self.history.is_empty() {
            lines.push(Line::styled(
                format!("  {}", tr!("county_desk.history_not_sent")),
                theme::hint(),
            ));
        }
        for (line, seq) in &self.history {
            lines.push(history_line(line, *seq));
        }
        let wrapped_lines = wrapped::wrap_lines(lines, area.width);
        let scroll = wrapped::clamp_scroll(self.scroll, wrapped_lines.len(), area.height);
        ratatui::widgets::Paragraph::new(wrapped_lines)
            .scroll((scroll, 0))
            .render(area, buf);
        None
    }
}
