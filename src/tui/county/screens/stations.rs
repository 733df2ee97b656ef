//! Every station at a glance: the bottom of the county desk.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::widgets::{Cell, Row};

use super::super::CountyDesk;
use super::{selected_style, text, Cursor};
use super::{Import, Members, Search, StationDetail};
use crate::bundle::county_desk::{ReportTable, StationOverview, ASSESSMENT_TABLE};
use crate::tr;
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::layer::{Layer, Step};
use crate::tui::theme;
use crate::tui::widgets::frame::{draw_title, inset};
use crate::tui::widgets::list_table::render_table;

/// The figures of the report's station row the list shows.
const VISITS: &str = "来访件数";
const OPEN: &str = "未办结来访";
const OVERDUE: &str = "逾期来访";
const CASES: &str = "调解案件";
const COVERAGE: &str = "值班到岗率（%）";
const MEETINGS: &str = "协商完成（次/应开）";
const REPORTS: &str = "社情民意完成（篇/应报）";

/// How the stations list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum StationOrder {
    #[default]
    Code,
    /// By town (乡镇、街道), then code; stations that named none last.
    Town,
    /// Late stations first, then the oldest last bundle.
    Late,
    /// The most overdue visits first.
    Overdue,
}

/// Every station at a glance: the bottom of the county desk.
pub struct Stations {
    pub rows: Vec<StationOverview>,
    /// Members behind their minimums, by station.
    behind: HashMap<String, usize>,
    cursor: Cursor,
    order: StationOrder,
}

impl Stations {
    pub fn open(desk: &mut CountyDesk) -> Stations {
        let mut s = Stations {
            rows: Vec::new(),
            behind: HashMap::new(),
            cursor: Cursor::default(),
            order: StationOrder::Code,
        };
        s.load(desk);
        s
    }

    fn load(&mut self, desk: &mut CountyDesk) {
        match desk.db.overview() {
            Ok(rows) => self.rows = rows,
            Err(e) => desk.fail(&e),
        }
        self.behind = match desk.db.report_table(ASSESSMENT_TABLE, None) {
            Ok(Some(table)) => members_behind(&table),
            Ok(None) => HashMap::new(),
            Err(e) => {
                desk.fail(&e);
                HashMap::new()
            }
        };
        self.sort(desk.today());
    }

    fn sort(&mut self, today: chrono::NaiveDate) {
        let figure = |s: &StationOverview, h: &str| s.figure(h).parse::<i64>().unwrap_or(0);
        match self.order {
            StationOrder::Code => self.rows.sort_by(|a, b| a.code.cmp(&b.code)),
            StationOrder::Town => self
                .rows
                .sort_by_key(|s| (s.town.is_empty(), s.town.clone(), s.code.clone())),
            StationOrder::Late => self.rows.sort_by_key(|s| {
                (
                    !s.late(today),
                    s.last_bundle.unwrap_or(chrono::NaiveDate::MIN),
                    s.code.clone(),
                )
            }),
            StationOrder::Overdue => self
                .rows
                .sort_by_key(|s| (-figure(s, OVERDUE), -figure(s, OPEN), s.code.clone())),
        }
    }

    fn page(desk: &CountyDesk) -> usize {
        usize::from(desk.body_rows().saturating_sub(3))
    }
}

/// Members whose minimums are not all met (`达到要求` below its whole), by station.
pub(super) fn members_behind(table: &ReportTable) -> HashMap<String, usize> {
    let mut behind = HashMap::new();
    for (station, row) in &table.rows {
        let met = table.cell(row, "达到要求");
        if let Some((a, b)) = met.split_once('/') {
            if a.trim() != b.trim() {
                *behind.entry(station.clone()).or_insert(0) += 1;
            }
        }
    }
    behind
}

impl Layer<CountyDesk> for Stations {
    fn context(&self) -> KeyContext {
        KeyContext::CountyStations
    }

    fn update(&mut self, action: Action, desk: &mut CountyDesk) -> Step<CountyDesk> {
        let page = Stations::page(desk);
        if self.cursor.step(&action, self.rows.len(), page) {
            return Step::Stay;
        }
        match action {
            Action::Sort => {
                self.order = match self.order {
                    StationOrder::Code => StationOrder::Town,
                    StationOrder::Town => StationOrder::Late,
                    StationOrder::Late => StationOrder::Overdue,
                    StationOrder::Overdue => StationOrder::Code,
                };
                self.sort(desk.today());
                Step::Stay
            }
            Action::Open => match self.rows.get(self.cursor.selected) {
                Some(row) => Step::push(StationDetail::open(desk, row.clone())),
                None => Step::Stay,
            },
            Action::OpenMembers => Step::push(Members::open(desk, None)),
            Action::OpenSearch => Step::push(Search::new(None)),
            Action::ImportFolder => Step::push(Import::new()),
            Action::OpenStats => Step::push(super::Hot::open(desk)),
            _ => Step::Stay,
        }
    }

    fn refresh(
        &mut self,
        _kind: crate::domain::RecordKind,
        _id: Option<uuid::Uuid>,
        desk: &mut CountyDesk,
    ) {
        self.load(desk);
    }

    fn draw(
        &self,
        desk: &CountyDesk,
        title: Rect,
        body: Rect,
        buf: &mut Buffer,
    ) -> Option<Position> {
        let today = desk.today();
        let late = self.rows.iter().filter(|s| s.late(today)).count();
        let order = match self.order {
            StationOrder::Code => tr!("county_desk.order_code"),
            StationOrder::Town => tr!("county_desk.order_town"),
            StationOrder::Late => tr!("county_desk.order_late"),
            StationOrder::Overdue => tr!("county_desk.order_overdue"),
        };
        draw_title(
            &tr!(
                "county_desk.stations_title",
                count = self.rows.len(),
                late = late,
                order = order
            ),
            title,
            buf,
        );
        let area = inset(body);
        let wide = area.width >= 110;
        // The town beside the name where there is room, and whenever the list is by town.
        let town = wide || self.order == StationOrder::Town;
        let mut headers = vec!["county_desk.col_code", "county_desk.col_station"];
        if town {
            headers.push("county_desk.col_town");
        }
        headers.extend(["county_desk.col_last", "county_desk.col_days"]);
        if wide {
            headers.extend(["county_desk.col_visits", "county_desk.col_cases"]);
        }
        headers.extend([
            "county_desk.col_open",
            "county_desk.col_overdue",
            "county_desk.col_coverage",
            "county_desk.col_meetings",
            "county_desk.col_reports",
            "county_desk.col_behind",
            "county_desk.col_state",
        ]);
        let page = usize::from(area.height.saturating_sub(1));
        let (selected, shown) = self.cursor.shown(self.rows.len(), page);
        let rows: Vec<Row> = self.rows[shown.clone()]
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let days = s
                    .days_since(today)
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                let date_format = if wide { "%Y-%m-%d" } else { "%m-%d" };
                let mut cells = vec![text(&s.code), text(&s.name)];
                if town {
                    cells.push(text(&s.town));
                }
                cells.extend([
                    s.last_bundle
                        .map(|d| d.format(date_format).to_string())
                        .unwrap_or_default(),
                    days,
                ]);
                if wide {
                    cells.extend([s.figure(VISITS).to_string(), s.figure(CASES).to_string()]);
                }
                cells.extend([
                    s.figure(OPEN).to_string(),
                    s.figure(OVERDUE).to_string(),
                    s.figure(COVERAGE).to_string(),
                    s.figure(MEETINGS).to_string(),
                    s.figure(REPORTS).to_string(),
                    self.behind.get(&s.id).copied().unwrap_or(0).to_string(),
                    match (&s.refused, s.late(today)) {
                        (Some((seq, _)), _) => tr!("county_desk.refused_short", seq = seq),
                        (None, true) => tr!("county_desk.late"),
                        (None, false) => String::new(),
                    },
                ]);
                let late_style = if s.late(today) {
                    theme::error()
                } else {
                    ratatui::style::Style::default()
                };
                Row::new(cells.into_iter().map(Cell::from).collect::<Vec<_>>())
                    .style(late_style.patch(selected_style(shown.start + i == selected)))
            })
            .collect();
        // At 80 columns the town takes half the name's room.
        let (name_width, town_width) = match (wide, town) {
            (true, _) => (22, 10),
            (false, true) => (6, 6),
            (false, false) => (10, 0),
        };
        let mut widths = vec![Constraint::Length(6), Constraint::Length(name_width)];
        if town {
            widths.push(Constraint::Length(town_width));
        }
        widths.extend([
            Constraint::Length(if wide { 10 } else { 5 }),
            Constraint::Length(4),
        ]);
        if wide {
            widths.extend([Constraint::Length(5), Constraint::Length(5)]);
        }
        widths.extend([
            Constraint::Length(6),
            Constraint::Length(4),
            Constraint::Length(6),
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Min(if wide { 10 } else { 6 }),
        ]);
        render_table(
            area,
            buf,
            &headers,
            rows,
            &widths,
            "county_desk.no_stations",
        );
        None
    }
}
