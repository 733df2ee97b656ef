//! The county desk's screens, each a layer on [`CountyDesk`]: the stations list (the bottom),
//! a station, the members across the county, search, a record, and importing a folder.

use std::collections::HashMap;
use std::path::PathBuf;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Gauge, Row, Widget};

use super::CountyDesk;
use crate::bundle::county_desk::{
    Found, Plan, Planned, ReportTable, StationOverview, ASSESSMENT_TABLE,
};
use crate::bundle::{BundleRow, ImportOutcome};
use crate::text::sanitize;
use crate::tr;
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::layer::{Layer, Step};
use crate::tui::theme;
use crate::tui::widgets::frame::{draw_title, inset};
use crate::tui::widgets::list_table::render_table;
use crate::tui::widgets::single_line::SingleLine;
use crate::tui::widgets::wrapped;

/// A selection in a list of `len` rows, and the first row shown.
#[derive(Debug, Clone, Copy, Default)]
struct Cursor {
    selected: usize,
    top: usize,
}

impl Cursor {
    /// Moves by a list key; `page` rows show at once.
    fn step(&mut self, action: &Action, len: usize, page: usize) -> bool {
        let Some(by) = action.list_step(page.max(1) as i64) else {
            return false;
        };
        if len == 0 {
            return true;
        }
        let at = (self.selected as i64 + by).clamp(0, len as i64 - 1);
        self.selected = at as usize;
        true
    }

    /// The rows shown in `page` rows, keeping the selection in sight.
    fn window(&self, len: usize, page: usize) -> std::ops::Range<usize> {
        let page = page.max(1);
        let top = if self.selected < self.top {
            self.selected
        } else if self.selected >= self.top + page {
            self.selected + 1 - page
        } else {
            self.top
        };
        top.min(len)..(top + page).min(len)
    }

    fn fix(&mut self, len: usize, page: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        self.top = self.window(len, page).start;
    }
}

/// A cell of imported text, fit to show.
fn text(s: &str) -> String {
    sanitize(s).into_owned()
}

fn selected_style(on: bool) -> ratatui::style::Style {
    if on {
        theme::selected()
    } else {
        ratatui::style::Style::default()
    }
}

// ---------------------------------------------------------------------------------------
// The stations

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
fn members_behind(table: &ReportTable) -> HashMap<String, usize> {
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
                    StationOrder::Code => StationOrder::Late,
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
        let mut headers = vec![
            "county_desk.col_code",
            "county_desk.col_station",
            "county_desk.col_last",
            "county_desk.col_days",
        ];
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
        let mut cursor = self.cursor;
        cursor.fix(self.rows.len(), page);
        let shown = cursor.window(self.rows.len(), page);
        let rows: Vec<Row> = self.rows[shown.clone()]
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let days = s
                    .days_since(today)
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                let date_format = if wide { "%Y-%m-%d" } else { "%m-%d" };
                let mut cells = vec![
                    text(&s.code),
                    text(&s.name),
                    s.last_bundle
                        .map(|d| d.format(date_format).to_string())
                        .unwrap_or_default(),
                    days,
                ];
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
                    if s.late(today) {
                        tr!("county_desk.late")
                    } else {
                        String::new()
                    },
                ]);
                let late_style = if s.late(today) {
                    theme::error()
                } else {
                    ratatui::style::Style::default()
                };
                Row::new(cells.into_iter().map(Cell::from).collect::<Vec<_>>())
                    .style(late_style.patch(selected_style(shown.start + i == cursor.selected)))
            })
            .collect();
        let name_width = if wide { 24 } else { 10 };
        let mut widths = vec![
            Constraint::Length(6),
            Constraint::Length(name_width),
            Constraint::Length(if wide { 10 } else { 5 }),
            Constraint::Length(4),
        ];
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
            Constraint::Min(6),
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

// ---------------------------------------------------------------------------------------
// One station

/// One station: its figures, its members with their points and grades, its bundles.
pub struct StationDetail {
    pub station: StationOverview,
    pub tab: u8,
    members: ReportTable,
    bundles: Vec<BundleRow>,
    cursor: Cursor,
}

impl StationDetail {
    pub fn open(desk: &mut CountyDesk, station: StationOverview) -> StationDetail {
        let mut s = StationDetail {
            station,
            tab: 1,
            members: ReportTable::default(),
            bundles: Vec::new(),
            cursor: Cursor::default(),
        };
        s.load(desk);
        s
    }

    fn load(&mut self, desk: &mut CountyDesk) {
        match desk
            .db
            .report_table(ASSESSMENT_TABLE, Some(&self.station.id))
        {
            Ok(table) => self.members = table.unwrap_or_default(),
            Err(e) => desk.fail(&e),
        }
        match desk.db.bundle_history(&self.station.id) {
            Ok(b) => self.bundles = b,
            Err(e) => desk.fail(&e),
        }
        if let Ok(all) = desk.db.overview() {
            if let Some(now) = all.into_iter().find(|s| s.id == self.station.id) {
                self.station = now;
            }
        }
    }

    fn len(&self) -> usize {
        match self.tab {
            1 => self.station.figures.len(),
            2 => self.members.rows.len(),
            _ => self.bundles.len(),
        }
    }
}

impl Layer<CountyDesk> for StationDetail {
    fn context(&self) -> KeyContext {
        KeyContext::CountyStation
    }

    fn update(&mut self, action: Action, desk: &mut CountyDesk) -> Step<CountyDesk> {
        let page = usize::from(desk.body_rows().saturating_sub(4));
        if self.cursor.step(&action, self.len(), page) {
            return Step::Stay;
        }
        match action {
            Action::Back => Step::Close,
            Action::ShowTab(n) if (1..=3).contains(&n) => {
                self.tab = n;
                self.cursor = Cursor::default();
                Step::Stay
            }
            Action::NextSection => {
                self.tab = self.tab % 3 + 1;
                self.cursor = Cursor::default();
                Step::Stay
            }
            Action::OpenSearch => Step::push(Search::new(Some(self.station.clone()))),
            Action::OpenMembers => Step::push(Members::open(desk, Some(self.station.clone()))),
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
        let s = &self.station;
        draw_title(
            &tr!(
                "county_desk.station_title",
                code = text(&s.code),
                name = text(&s.name)
            ),
            title,
            buf,
        );
        let area = inset(body);
        if area.height < 3 {
            return None;
        }
        let tabs: Vec<Span> = [
            (1u8, tr!("county_desk.tab_figures")),
            (2, tr!("county_desk.tab_members")),
            (3, tr!("county_desk.tab_bundles")),
        ]
        .into_iter()
        .flat_map(|(n, label)| {
            let style = if n == self.tab {
                theme::focus_label()
            } else {
                theme::label()
            };
            [
                Span::styled(format!(" {n} {label} "), style),
                Span::raw("  "),
            ]
        })
        .collect();
        Line::from(tabs).render(Rect::new(area.x, area.y, area.width, 1), buf);
        let rest = Rect::new(area.x, area.y + 2, area.width, area.height - 2);
        let page = usize::from(rest.height.saturating_sub(1));
        let mut cursor = self.cursor;
        cursor.fix(self.len(), page);
        let shown = cursor.window(self.len(), page);
        match self.tab {
            1 => {
                let today = desk.today();
                let mut lines = vec![Line::from(vec![
                    Span::styled(
                        format!(
                            "{}{}",
                            tr!("county_desk.col_last"),
                            tr!("county_desk.label_sep")
                        ),
                        theme::label(),
                    ),
                    Span::raw(match (s.last_bundle, s.days_since(today)) {
                        (Some(d), Some(n)) => tr!(
                            "county_desk.last_bundle",
                            date = d.format("%Y-%m-%d").to_string(),
                            days = n,
                            seq = s.last_seq
                        ),
                        _ => String::new(),
                    }),
                ])];
                if s.late(today) {
                    lines.push(Line::styled(tr!("county_desk.late_long"), theme::error()));
                }
                if s.figures.is_empty() {
                    lines.push(Line::styled(tr!("county_desk.no_figures"), theme::hint()));
                }
                for (h, v) in &s.figures[shown.clone()] {
                    lines.push(Line::from(vec![
                        Span::styled(format!("{}：", text(h)), theme::label()),
                        Span::raw(text(v)),
                    ]));
                }
                wrapped::paragraph(lines, rest.width).render(rest, buf);
            }
            2 => {
                let headers: Vec<String> = self.members.columns.iter().map(|c| text(c)).collect();
                // The station's code is the title's already.
                let skip = usize::from(headers.first().is_some_and(|h| h == "工作站代码"));
                let rows: Vec<Row> = self.members.rows[shown.clone()]
                    .iter()
                    .enumerate()
                    .map(|(i, (_, cells))| {
                        Row::new(cells.iter().skip(skip).map(|c| Cell::from(text(c))))
                            .style(selected_style(shown.start + i == cursor.selected))
                    })
                    .collect();
                let widths = fitted(
                    &headers,
                    self.members.rows[shown.clone()].iter().map(|(_, r)| r),
                    skip,
                );
                let header_keys: Vec<&str> =
                    headers.iter().skip(skip).map(String::as_str).collect();
                render_table(
                    rest,
                    buf,
                    &header_keys,
                    rows,
                    &widths,
                    "county_desk.no_members",
                );
            }
            _ => {
                let rows: Vec<Row> = self.bundles[shown.clone()]
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let local = |t: &str| {
                            crate::domain::dates::local_moment(t).unwrap_or_else(|| text(t))
                        };
                        Row::new(vec![
                            Cell::from(b.seq.to_string()),
                            Cell::from(local(&b.created_at)),
                            Cell::from(local(&b.imported_at)),
                            Cell::from(counts_text(&b.counts)),
                        ])
                        .style(selected_style(shown.start + i == cursor.selected))
                    })
                    .collect();
                render_table(
                    rest,
                    buf,
                    &[
                        "county_desk.col_seq",
                        "county_desk.col_created",
                        "county_desk.col_imported",
                        "county_desk.col_counts",
                    ],
                    rows,
                    &[
                        Constraint::Length(5),
                        Constraint::Length(17),
                        Constraint::Length(17),
                        Constraint::Min(10),
                    ],
                    "county_desk.no_bundles",
                );
            }
        }
        None
    }
}

/// A bundle's counts (`[["member",3],…]`) as words: `委员 3、来访 12`.
fn counts_text(counts: &str) -> String {
    let parsed: Vec<(String, u64)> = serde_json::from_str(counts).unwrap_or_default();
    parsed
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| format!("{} {n}", crate::i18n::kind_name(kind)))
        .collect::<Vec<_>>()
        .join(tr!("county_desk.list_separator").as_str())
}

/// Columns as wide as their header and the widest cell shown (at most 16), after `skip`.
fn fitted<'a>(
    headers: &[String],
    rows: impl Iterator<Item = &'a Vec<String>>,
    skip: usize,
) -> Vec<Constraint> {
    use unicode_width::UnicodeWidthStr;
    let mut widths: Vec<usize> = headers.iter().skip(skip).map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().skip(skip).enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(sanitize(cell).width());
            }
        }
    }
    widths
        .into_iter()
        .map(|w| Constraint::Length(w.min(16) as u16))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Members across the county

/// The year's assessment of every member at every station (or at one).
pub struct Members {
    station: Option<StationOverview>,
    table: ReportTable,
    /// The rows shown: indexes into `table.rows`, filtered and ordered.
    shown: Vec<usize>,
    /// Sort: 0 by station, 1 by total points (highest first), 2 by grade.
    order: u8,
    grade: Option<String>,
    sector: Option<String>,
    cursor: Cursor,
}

impl Members {
    pub fn open(desk: &mut CountyDesk, station: Option<StationOverview>) -> Members {
        let mut m = Members {
            station,
            table: ReportTable::default(),
            shown: Vec::new(),
            order: 0,
            grade: None,
            sector: None,
            cursor: Cursor::default(),
        };
        m.load(desk);
        m
    }

    fn load(&mut self, desk: &mut CountyDesk) {
        let station = self.station.as_ref().map(|s| s.id.as_str());
        match desk.db.report_table(ASSESSMENT_TABLE, station) {
            Ok(t) => self.table = t.unwrap_or_default(),
            Err(e) => desk.fail(&e),
        }
        self.arrange();
    }

    fn arrange(&mut self) {
        let t = &self.table;
        let mut shown: Vec<usize> = (0..t.rows.len())
            .filter(|&i| {
                let row = &t.rows[i].1;
                self.grade.as_ref().is_none_or(|g| t.cell(row, "等次") == g)
                    && self
                        .sector
                        .as_ref()
                        .is_none_or(|s| t.cell(row, "界别") == s)
            })
            .collect();
        let total = |i: usize| -> f64 {
            t.cell(&t.rows[i].1, "总分")
                .parse::<f64>()
                .unwrap_or(f64::MIN)
        };
        match self.order {
            1 => shown.sort_by(|a, b| total(*b).total_cmp(&total(*a))),
            2 => shown.sort_by(|a, b| {
                t.cell(&t.rows[*a].1, "等次")
                    .cmp(t.cell(&t.rows[*b].1, "等次"))
                    .then(total(*b).total_cmp(&total(*a)))
            }),
            _ => {}
        }
        self.shown = shown;
        self.cursor.selected = self.cursor.selected.min(self.shown.len().saturating_sub(1));
    }

    /// The next value of a column among the rows, after `now` (none after the last).
    fn next_value(&self, column: &str, now: &Option<String>) -> Option<String> {
        let mut values: Vec<&str> = self
            .table
            .rows
            .iter()
            .map(|(_, r)| self.table.cell(r, column))
            .filter(|v| !v.is_empty())
            .collect();
        values.sort();
        values.dedup();
        match now {
            None => values.first().map(|v| v.to_string()),
            Some(n) => values
                .iter()
                .position(|v| v == n)
                .and_then(|i| values.get(i + 1))
                .map(|v| v.to_string()),
        }
    }
}

impl Layer<CountyDesk> for Members {
    fn context(&self) -> KeyContext {
        KeyContext::CountyMembers
    }

    fn update(&mut self, action: Action, desk: &mut CountyDesk) -> Step<CountyDesk> {
        let page = usize::from(desk.body_rows().saturating_sub(3));
        if self.cursor.step(&action, self.shown.len(), page) {
            return Step::Stay;
        }
        match action {
            Action::Back => return Step::Close,
            Action::Sort => self.order = (self.order + 1) % 3,
            Action::Filter => self.grade = self.next_value("等次", &self.grade),
            Action::FilterSector => self.sector = self.next_value("界别", &self.sector),
            Action::Open => {
                if let Some(&i) = self.shown.get(self.cursor.selected) {
                    let (station, row) = &self.table.rows[i];
                    let fields = self
                        .table
                        .columns
                        .iter()
                        .cloned()
                        .zip(row.iter().cloned())
                        .collect();
                    let name = self.table.cell(row, "姓名").to_string();
                    return Step::push(Record::new(Found {
                        station_id: station.clone(),
                        code: self.table.cell(row, "工作站代码").to_string(),
                        kind: crate::domain::RecordKind::Member,
                        id: name,
                        fields,
                    }));
                }
            }
            _ => {}
        }
        self.arrange();
        Step::Stay
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
        _desk: &CountyDesk,
        title: Rect,
        body: Rect,
        buf: &mut Buffer,
    ) -> Option<Position> {
        let all = tr!("county_desk.all");
        let order = match self.order {
            1 => tr!("county_desk.order_points"),
            2 => tr!("county_desk.order_grade"),
            _ => tr!("county_desk.order_station"),
        };
        draw_title(
            &tr!(
                "county_desk.members_title",
                station = self
                    .station
                    .as_ref()
                    .map(|s| text(&s.name))
                    .unwrap_or_else(|| tr!("county_desk.whole_county")),
                count = self.shown.len(),
                grade = self.grade.as_deref().map(text).unwrap_or(all.clone()),
                sector = self.sector.as_deref().map(text).unwrap_or(all),
                order = order
            ),
            title,
            buf,
        );
        let area = inset(body);
        let page = usize::from(area.height.saturating_sub(1));
        let mut cursor = self.cursor;
        cursor.fix(self.shown.len(), page);
        let window = cursor.window(self.shown.len(), page);
        let headers: Vec<String> = self.table.columns.iter().map(|c| text(c)).collect();
        let rows: Vec<Row> = self.shown[window.clone()]
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                Row::new(self.table.rows[r].1.iter().map(|c| Cell::from(text(c))))
                    .style(selected_style(window.start + i == cursor.selected))
            })
            .collect();
        let widths = fitted(
            &headers,
            self.shown[window.clone()]
                .iter()
                .map(|&r| &self.table.rows[r].1),
            0,
        );
        let keys: Vec<&str> = headers.iter().map(String::as_str).collect();
        render_table(area, buf, &keys, rows, &widths, "county_desk.no_members");
        None
    }
}

// ---------------------------------------------------------------------------------------
// Search

/// Records found across the county by what they say.
pub struct Search {
    station: Option<StationOverview>,
    query: SingleLine,
    pub found: Vec<Found>,
    searched: String,
    cursor: Cursor,
}

/// Records a search shows.
const FOUND_AT_MOST: usize = 50;

impl Search {
    pub fn new(station: Option<StationOverview>) -> Search {
        Search {
            station,
            query: SingleLine::new(),
            found: Vec::new(),
            searched: String::new(),
            cursor: Cursor::default(),
        }
    }

    fn run(&mut self, desk: &mut CountyDesk) {
        let query = self.query.value();
        let station = self.station.as_ref().map(|s| s.id.as_str());
        match desk.db.search(&query, station, FOUND_AT_MOST) {
            Ok(found) => self.found = found,
            Err(e) => desk.fail(&e),
        }
        self.searched = query;
        self.cursor = Cursor::default();
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
            Action::Open => match self.found.get(self.cursor.selected) {
                Some(found) => Step::push(Record::new(found.clone())),
                None => Step::Stay,
            },
            Action::Input(key) => {
                if self.query.input(key) {
                    self.run(desk);
                }
                Step::Stay
            }
            Action::Paste(t) => {
                if self.query.paste(&t) {
                    self.run(desk);
                }
                Step::Stay
            }
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
        let label = format!("{}：", tr!("county_desk.search_label"));
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
        let summary = if self.searched.is_empty() {
            tr!("county_desk.search_hint")
        } else {
            tr!("county_desk.search_found", count = self.found.len())
        };
        Span::styled(summary, theme::hint())
            .render(Rect::new(area.x, area.y + 1, area.width, 1), buf);
        let rest = Rect::new(area.x, area.y + 3, area.width, area.height - 3);
        let page = usize::from(rest.height.saturating_sub(1));
        let mut cursor = self.cursor;
        cursor.fix(self.found.len(), page);
        let window = cursor.window(self.found.len(), page);
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
                .style(selected_style(window.start + i == cursor.selected))
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

// ---------------------------------------------------------------------------------------
// A record, read-only

/// One record as the county holds it, field by field; nothing here changes it.
pub struct Record {
    pub found: Found,
    scroll: u16,
}

impl Record {
    pub fn new(found: Found) -> Record {
        Record { found, scroll: 0 }
    }
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
        let wrapped_lines = wrapped::wrap_lines(lines, area.width);
        let scroll = wrapped::clamp_scroll(self.scroll, wrapped_lines.len(), area.height);
        ratatui::widgets::Paragraph::new(wrapped_lines)
            .scroll((scroll, 0))
            .render(area, buf);
        None
    }
}

// ---------------------------------------------------------------------------------------
// Importing a folder

enum ImportPhase {
    /// The folder is being typed.
    Folder,
    /// What importing each bundle will do, waiting for Enter.
    Planned,
    /// Importing, one bundle per tick; `next` is the one after the last taken.
    Running {
        next: usize,
    },
    Done,
}

/// Importing the bundles of a folder (a stick): what will happen to each, then the import
/// with its progress, then what happened. The same code as `county import`.
pub struct Import {
    folder: SingleLine,
    phase: ImportPhase,
    pub plan: Vec<Planned>,
    /// What importing each bundle of the plan said, as it went.
    pub results: Vec<Option<Result<String, String>>>,
    changed: Vec<String>,
    cursor: Cursor,
}

impl Default for Import {
    fn default() -> Self {
        Import::new()
    }
}

impl Import {
    pub fn new() -> Import {
        Import {
            folder: SingleLine::new(),
            phase: ImportPhase::Folder,
            plan: Vec::new(),
            results: Vec::new(),
            changed: Vec::new(),
            cursor: Cursor::default(),
        }
    }

    fn look(&mut self, desk: &mut CountyDesk) {
        let folder = PathBuf::from(self.folder.value().trim());
        if desk.identities.is_empty() {
            desk.error(tr!("county_desk.no_identity"));
            return;
        }
        match crate::bundle::county_desk::bundles_in(&folder, &desk.identities) {
            Ok(files) if files.is_empty() => desk.error(tr!(
                "county_desk.no_bundles_in",
                folder = text(&folder.display().to_string())
            )),
            Ok(files) => {
                self.plan = desk.db.plan(&files, &desk.identities);
                self.results = vec![None; self.plan.len()];
                self.phase = ImportPhase::Planned;
                self.cursor = Cursor::default();
            }
            Err(e) => desk.fail(&e),
        }
    }

    fn plan_text(plan: &Plan) -> String {
        match plan {
            Plan::Next => tr!("county_desk.plan_next"),
            Plan::NewStation => tr!("county_desk.plan_new"),
            Plan::Already => tr!("county_desk.plan_already"),
            Plan::Gap { from, to } if from == to => tr!("county_desk.plan_gap", missing = from),
            Plan::Gap { from, to } => {
                tr!("county_desk.plan_gap", missing = format!("{from}-{to}"))
            }
            Plan::Refused(why) => tr!("county_desk.plan_refused", reason = text(why)),
        }
    }

    /// How many bundles were taken, were already there, were refused.
    fn tally(&self) -> (usize, usize) {
        let ok = self
            .results
            .iter()
            .filter(|r| matches!(r, Some(Ok(_))))
            .count();
        let refused = self
            .results
            .iter()
            .filter(|r| matches!(r, Some(Err(_))))
            .count();
        (ok, refused)
    }
}

impl Layer<CountyDesk> for Import {
    fn context(&self) -> KeyContext {
        match self.phase {
            ImportPhase::Folder => KeyContext::CountyFolder,
            _ => KeyContext::CountyImport,
        }
    }

    fn update(&mut self, action: Action, desk: &mut CountyDesk) -> Step<CountyDesk> {
        match (&self.phase, action) {
            (ImportPhase::Running { .. }, Action::Back) => {
                desk.say(tr!("county_desk.import_busy"));
                Step::Stay
            }
            (_, Action::Back) => Step::Close,
            (ImportPhase::Folder, Action::Choose) => {
                self.look(desk);
                Step::Stay
            }
            (ImportPhase::Folder, Action::Input(key)) => {
                self.folder.input(key);
                Step::Stay
            }
            (ImportPhase::Folder, Action::Paste(t)) => {
                self.folder.paste(&t);
                Step::Stay
            }
            (ImportPhase::Planned, Action::Choose) => {
                self.phase = ImportPhase::Running { next: 0 };
                Step::Stay
            }
            (_, action) => {
                let page = usize::from(desk.body_rows().saturating_sub(6));
                self.cursor.step(&action, self.plan.len(), page);
                Step::Stay
            }
        }
    }

    fn tick(&mut self, desk: &mut CountyDesk) {
        let ImportPhase::Running { next } = self.phase else {
            return;
        };
        if let Some(planned) = self.plan.get(next) {
            let said = match desk.db.import_one(&planned.file, &desk.identities) {
                Ok(ImportOutcome::Imported {
                    station_id,
                    seq,
                    records,
                    ..
                }) => {
                    if !self.changed.contains(&station_id) {
                        self.changed.push(station_id);
                    }
                    Ok(tr!("county_desk.did_import", seq = seq, count = records))
                }
                Ok(ImportOutcome::AlreadyImported { seq, .. }) => {
                    Ok(tr!("county_desk.did_already", seq = seq))
                }
                Err(e) => Err(crate::messages::bundle_error(&e)),
            };
            self.results[next] = Some(said);
            self.cursor.selected = next;
            self.phase = ImportPhase::Running { next: next + 1 };
            return;
        }
        // Every bundle taken: the report tables of the stations that changed, then the
        // summary.
        if !self.changed.is_empty() {
            if let Err(e) = desk
                .db
                .refresh_views(Some(&self.changed), desk.now.naive_local())
            {
                desk.fail(&e);
            }
            desk.imported();
        }
        self.phase = ImportPhase::Done;
        let (ok, refused) = self.tally();
        let text = tr!("county_desk.import_done", ok = ok, refused = refused);
        if refused > 0 {
            desk.error(text);
        } else {
            desk.say(text);
        }
    }

    fn is_busy(&self) -> bool {
        matches!(self.phase, ImportPhase::Running { .. })
    }

    fn draw(
        &self,
        _desk: &CountyDesk,
        title: Rect,
        body: Rect,
        buf: &mut Buffer,
    ) -> Option<Position> {
        draw_title(&tr!("county_desk.import_title"), title, buf);
        let area = inset(body);
        if area.height < 5 {
            return None;
        }
        let label = format!("{}：", tr!("county_desk.folder_label"));
        let label_width = unicode_width::UnicodeWidthStr::width(label.as_str()) as u16;
        Span::styled(label, theme::focus_label())
            .render(Rect::new(area.x, area.y, label_width, 1), buf);
        let field = Rect::new(
            area.x + label_width,
            area.y,
            area.width.saturating_sub(label_width),
            1,
        );
        let caret = self
            .folder
            .render(field, buf, matches!(self.phase, ImportPhase::Folder));
        let line = Rect::new(area.x, area.y + 1, area.width, 1);
        match self.phase {
            ImportPhase::Folder => {
                Span::styled(tr!("county_desk.folder_hint"), theme::hint()).render(line, buf);
                return caret;
            }
            ImportPhase::Planned => {
                Span::styled(
                    tr!("county_desk.plan_hint", count = self.plan.len()),
                    theme::hint(),
                )
                .render(line, buf);
            }
            ImportPhase::Running { .. } | ImportPhase::Done if !self.plan.is_empty() => {
                let done = match self.phase {
                    ImportPhase::Running { next: n } => n,
                    _ => self.plan.len(),
                };
                let (ok, refused) = self.tally();
                Gauge::default()
                    .gauge_style(theme::focus_label())
                    .ratio((done as f64 / self.plan.len() as f64).clamp(0.0, 1.0))
                    .label(tr!(
                        "county_desk.progress",
                        done = done,
                        total = self.plan.len(),
                        ok = ok,
                        refused = refused
                    ))
                    .render(line, buf);
            }
            _ => {}
        }
        let rest = Rect::new(area.x, area.y + 3, area.width, area.height - 3);
        let page = usize::from(rest.height.saturating_sub(1));
        let mut cursor = self.cursor;
        cursor.fix(self.plan.len(), page);
        let window = cursor.window(self.plan.len(), page);
        let rows: Vec<Row> = self.plan[window.clone()]
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let at = window.start + i;
                let (what, style) = match &self.results[at] {
                    Some(Ok(t)) => (t.clone(), theme::success()),
                    Some(Err(t)) => (t.clone(), theme::error()),
                    None => (
                        Import::plan_text(&p.plan),
                        if matches!(p.plan, Plan::Refused(_) | Plan::Gap { .. }) {
                            theme::error()
                        } else {
                            ratatui::style::Style::default()
                        },
                    ),
                };
                let file = p
                    .file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Row::new(vec![
                    Cell::from(text(&p.code)),
                    Cell::from(text(&p.name)),
                    Cell::from(if p.seq > 0 {
                        p.seq.to_string()
                    } else {
                        String::new()
                    }),
                    Cell::from(text(&file)),
                    Cell::from(what),
                ])
                .style(style.patch(selected_style(at == cursor.selected)))
            })
            .collect();
        render_table(
            rest,
            buf,
            &[
                "county_desk.col_code",
                "county_desk.col_station",
                "county_desk.col_seq",
                "county_desk.col_file",
                "county_desk.col_plan",
            ],
            rows,
            &[
                Constraint::Length(6),
                Constraint::Length(14),
                Constraint::Length(4),
                Constraint::Length(24),
                Constraint::Min(10),
            ],
            "county_desk.no_bundles",
        );
        caret
    }
}

/// The lines of a paragraph, for tests that read a screen's text.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_keeps_the_selection_in_sight() {
        let mut c = Cursor::default();
        c.step(&Action::PageDown, 100, 10);
        c.step(&Action::PageDown, 100, 10);
        assert_eq!(c.selected, 20);
        assert_eq!(c.window(100, 10), 11..21);
        c.step(&Action::Last, 100, 10);
        assert_eq!(c.selected, 99);
        assert_eq!(c.window(100, 10), 90..100);
        c.step(&Action::First, 100, 10);
        assert_eq!(c.window(100, 10).start, 0);
        let mut empty = Cursor::default();
        assert!(empty.step(&Action::Down, 0, 10));
        assert_eq!(empty.selected, 0);
    }

    #[test]
    fn members_behind_their_minimums_are_counted_by_station() {
        let table = ReportTable {
            columns: vec!["工作站代码".into(), "姓名".into(), "达到要求".into()],
            rows: vec![
                ("a".into(), vec!["QX01".into(), "甲".into(), "3/3".into()]),
                ("a".into(), vec!["QX01".into(), "乙".into(), "1/3".into()]),
                ("b".into(), vec!["QX02".into(), "丙".into(), "0/3".into()]),
            ],
        };
        let behind = members_behind(&table);
        assert_eq!(behind.get("a"), Some(&1));
        assert_eq!(behind.get("b"), Some(&1));
    }
}
