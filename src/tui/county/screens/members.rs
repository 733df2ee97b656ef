//! The year's assessment of every member at every station, or at one.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Cell, Row};

use super::super::CountyDesk;
use super::Record;
use super::{fitted, selected_style, text, Cursor};
use crate::bundle::county_desk::{Found, ReportTable, StationOverview, ASSESSMENT_TABLE};
use crate::tr;
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::layer::{Layer, Step};
use crate::tui::widgets::frame::{draw_title, inset};
use crate::tui::widgets::list_table::render_table;

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
