//! The year's assessment of every member at every station, or at one.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row, Widget};

use super::super::CountyDesk;
use super::{fitted, selected_style, text, Cursor};
use crate::bundle::county_desk::{
    ReportTable, StationOverview, ASSESSMENT_TABLE, MEMBER_ID_COLUMN,
};
use crate::tr;
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::layer::{Layer, Step};
use crate::tui::theme;
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
    /// A station's code to show alone.
    code: Option<String>,
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
            code: None,
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
            Action::FilterStation => self.code = self.next_value("工作站代码", &self.code),
            Action::Open => {
                if let Some(&i) = self.shown.get(self.cursor.selected) {
                    let (station, row) = &self.table.rows[i];
                    let id = self.table.cell(row, MEMBER_ID_COLUMN).parse::<uuid::Uuid>();
                    let Ok(id) = id else {
                        desk.error(tr!("county_desk.views_old"));
                        return Step::Stay;
                    };
                    let year = chrono::Datelike::year(&desk.today());
                    match MemberRecord::open(desk, station, id, year) {
                        Some(layer) => return Step::push(layer),
                        None => desk.error(tr!("county_desk.member_gone")),
                    }
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
                    .or_else(|| self.code.as_deref().map(text))
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
        let (selected, window) = self.cursor.shown(self.shown.len(), page);
        let headers = shown_columns(&self.table);
        let width = headers.len();
        let rows: Vec<Row> = self.shown[window.clone()]
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                Row::new(
                    self.table.rows[r]
                        .1
                        .iter()
                        .take(width)
                        .map(|c| Cell::from(text(c))),
                )
                .style(selected_style(window.start + i == selected))
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

/// The columns of the assessment table a person reads (the member's id is for opening).
pub(super) fn shown_columns(table: &ReportTable) -> Vec<String> {
    table
        .columns
        .iter()
        .take_while(|c| *c != MEMBER_ID_COLUMN)
        .map(|c| text(c))
        .collect()
}

/// A member's record at the county: the station desk's view of it, built by the same code
/// from the county's records.
pub struct MemberRecord {
    pub view: crate::tui::screens::member_record::MemberRecordView,
    code: String,
    station: String,
}

impl MemberRecord {
    /// The record of `member` of `station` for `year`; `None` (said on the message line when
    /// a read failed) when the county has no such member.
    pub fn open(
        desk: &mut CountyDesk,
        station: &str,
        member: uuid::Uuid,
        year: i32,
    ) -> Option<MemberRecord> {
        use crate::domain::performance::Period;
        let period = Period::Year(year);
        let now = desk.now.naive_local();
        let record = match desk.db.member_record(station, member, period, now) {
            Ok(record) => record?,
            Err(e) => {
                desk.fail(&e);
                return None;
            }
        };
        // The code is only the title's: a failed read leaves it out.
        let code = desk
            .db
            .stations()
            .ok()
            .and_then(|all| all.into_iter().find(|s| s.id == station))
            .map(|s| s.code)
            .unwrap_or_default();
        // The county grades by the built-in rules, as its report does.
        let rules = Some(Ok(crate::domain::assessment::Rules::builtin()));
        Some(MemberRecord {
            view: crate::tui::screens::member_record::MemberRecordView::of(
                record, rules, period, now,
            ),
            code,
            station: station.to_string(),
        })
    }
}

impl Layer<CountyDesk> for MemberRecord {
    fn context(&self) -> KeyContext {
        KeyContext::CountyMemberRecord
    }

    fn update(&mut self, action: Action, desk: &mut CountyDesk) -> Step<CountyDesk> {
        if let Some(rows) = action.scroll_rows() {
            self.view.move_by(i64::from(rows));
            return Step::Stay;
        }
        match action {
            Action::Back => Step::Close,
            Action::ToggleHistory => {
                let member = self.view.record.member_id.to_string();
                let name = self.view.record.name.clone();
                Step::push(Entries::open(desk, &self.station, &member, &name))
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
            &format!("{} {}", text(&self.code), self.view.title()),
            title,
            buf,
        );
        self.view.render(inset(body), buf);
        None
    }
}

/// The records behind a member's grade: each counted record with the day it records, the
/// day it was entered, and what changed after it was sent; flagged ones first.
pub struct Entries {
    name: String,
    pub entries: Vec<crate::bundle::county_entries::Entry>,
    late_days: i64,
    history_sent: bool,
    cursor: Cursor,
}

impl Entries {
    pub fn open(desk: &mut CountyDesk, station: &str, member: &str, name: &str) -> Entries {
        let late_days = desk.db.late_days();
        let mut entries = match desk.db.entries(station) {
            Ok(all) => all
                .into_iter()
                .filter(|e| e.members.iter().any(|m| m == member))
                .collect(),
            Err(e) => {
                desk.fail(&e);
                Vec::new()
            }
        };
        entries.sort_by_key(|e: &crate::bundle::county_entries::Entry| {
            (!e.flagged(late_days), e.recorded)
        });
        let history_sent = match desk.db.history_sent(station) {
            Ok(sent) => sent,
            Err(e) => {
                desk.fail(&e);
                false
            }
        };
        Entries {
            name: name.to_string(),
            entries,
            late_days,
            history_sent,
            cursor: Cursor::default(),
        }
    }
}

impl Layer<CountyDesk> for Entries {
    fn context(&self) -> KeyContext {
        KeyContext::CountyEntries
    }

    fn update(&mut self, action: Action, desk: &mut CountyDesk) -> Step<CountyDesk> {
        let page = usize::from(desk.body_rows().saturating_sub(3));
        if self.cursor.step(&action, self.entries.len(), page) {
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
        let flagged = self
            .entries
            .iter()
            .filter(|e| e.flagged(self.late_days))
            .count();
        draw_title(
            &tr!(
                "county_desk.entries_title",
                name = text(&self.name),
                count = self.entries.len(),
                flagged = flagged,
                days = self.late_days
            ),
            title,
            buf,
        );
        let area = inset(body);
        if !self.history_sent {
            Span::styled(tr!("county_desk.history_not_sent"), theme::hint())
                .render(Rect::new(area.x, area.y, area.width, 1), buf);
        }
        let rest = Rect::new(
            area.x,
            area.y + 1,
            area.width,
            area.height.saturating_sub(1),
        );
        let page = usize::from(rest.height.saturating_sub(1));
        let (selected, window) = self.cursor.shown(self.entries.len(), page);
        let day = |d: Option<chrono::NaiveDate>| {
            d.map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        let rows: Vec<Row> = self.entries[window.clone()]
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut notes = Vec::new();
                if e.late(self.late_days) {
                    notes.push(tr!(
                        "county_desk.entered_late",
                        days = e.days_late().unwrap_or(0)
                    ));
                }
                for change in &e.later_changes {
                    notes.push(tr!(
                        "county_desk.changed_after",
                        seq = e.first_sent.unwrap_or(change.seq),
                        what = super::search::action_word(&change.action)
                    ));
                }
                if e.entered.is_none() {
                    notes.push(tr!("county_desk.history_not_sent_short"));
                }
                let style = if e.flagged(self.late_days) {
                    theme::error()
                } else {
                    ratatui::style::Style::default()
                };
                Row::new(vec![
                    Cell::from(crate::i18n::kind_name(e.kind.as_str())),
                    Cell::from(day(e.recorded)),
                    Cell::from(day(e.entered.as_ref().map(|(d, _)| *d))),
                    Cell::from(
                        e.entered
                            .as_ref()
                            .map(|(_, who)| text(who))
                            .unwrap_or_default(),
                    ),
                    Cell::from(notes.join(tr!("county_desk.list_separator").as_str())),
                ])
                .style(style.patch(selected_style(window.start + i == selected)))
            })
            .collect();
        render_table(
            rest,
            buf,
            &[
                "county_desk.col_kind",
                "county_desk.col_recorded",
                "county_desk.col_entered",
                "county_desk.col_entered_by",
                "county_desk.col_flag",
            ],
            rows,
            &[
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Min(10),
            ],
            "county_desk.no_entries",
        );
        None
    }
}
