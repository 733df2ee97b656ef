//! One station: its figures, its members with their points and grades, its bundles.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Widget};

use super::super::CountyDesk;
use super::{fitted, selected_style, text, Cursor};
use super::{Members, Search};
use crate::bundle::county_desk::{ReportTable, StationOverview, ASSESSMENT_TABLE};
use crate::bundle::BundleRow;
use crate::tr;
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::layer::{Layer, Step};
use crate::tui::theme;
use crate::tui::widgets::frame::{draw_title, inset};
use crate::tui::widgets::list_table::render_table;
use crate::tui::widgets::wrapped;

/// One station: its figures, its members with their points and grades, its bundles.
pub struct StationDetail {
    pub station: StationOverview,
    pub tab: u8,
    members: ReportTable,
    /// The figures tab's lines, made when the station is read: its figures, then by month
    /// (newest first) under a heading of their own.
    figures: Vec<(String, String)>,
    bundles: Vec<BundleRow>,
    /// Its cases not yet concluded.
    pub cases: Vec<crate::bundle::county_desk::Found>,
    cursor: Cursor,
}

impl StationDetail {
    pub fn open(desk: &mut CountyDesk, station: StationOverview) -> StationDetail {
        let mut s = StationDetail {
            station,
            tab: 1,
            members: ReportTable::default(),
            figures: Vec::new(),
            bundles: Vec::new(),
            cases: Vec::new(),
            cursor: Cursor::default(),
        };
        s.load(desk);
        s
    }

    fn load(&mut self, desk: &mut CountyDesk) {
        let mut months: Vec<(String, String)> = Vec::new();
        match desk
            .db
            .report_table(ASSESSMENT_TABLE, Some(&self.station.id))
        {
            Ok(table) => self.members = table.unwrap_or_default(),
            Err(e) => desk.fail(&e),
        }
        match desk.db.report_table(
            crate::bundle::county_desk::MONTH_TABLE,
            Some(&self.station.id),
        ) {
            Ok(table) => {
                // No table yet (a county file not imported into since): no months to show.
                let table = table.unwrap_or_default();
                let columns = &crate::bundle::county_desk::MONTH_COLUMNS;
                months = table
                    .rows
                    .iter()
                    .rev()
                    .map(|(_, row)| {
                        let said: Vec<String> = columns[1..]
                            .iter()
                            .map(|c| format!("{c} {}", table.cell(row, c)))
                            .collect();
                        (table.cell(row, columns[0]).to_string(), said.join("  "))
                    })
                    .collect();
            }
            Err(e) => desk.fail(&e),
        }
        match desk.db.bundle_history(&self.station.id) {
            Ok(b) => self.bundles = b,
            Err(e) => desk.fail(&e),
        }
        match desk.db.open_cases(&self.station.id) {
            Ok(c) => self.cases = c,
            Err(e) => desk.fail(&e),
        }
        match desk.db.overview() {
            Ok(all) => {
                if let Some(now) = all.into_iter().find(|s| s.id == self.station.id) {
                    self.station = now;
                }
            }
            Err(e) => desk.fail(&e),
        }
        self.figures = self.station.figures.clone();
        if !months.is_empty() {
            self.figures
                .push((tr!("county_desk.by_month"), String::new()));
            self.figures.extend(months);
        }
    }

    fn len(&self) -> usize {
        match self.tab {
            1 => self.figures.len(),
            4 => self.cases.len(),
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
            Action::Open if self.tab == 4 => match self.cases.get(self.cursor.selected) {
                Some(case) => Step::push(super::Record::open(desk, case.clone())),
                None => Step::Stay,
            },
            Action::ShowTab(n) if (1..=4).contains(&n) => {
                self.tab = n;
                self.cursor = Cursor::default();
                Step::Stay
            }
            Action::NextSection => {
                self.tab = self.tab % 4 + 1;
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
                name = text(&s.name),
                town = if s.town.is_empty() {
                    String::new()
                } else {
                    tr!("county_desk.station_town", town = text(&s.town))
                }
            ),
            title,
            buf,
        );
        let area = inset(body);
        if area.height < 3 {
            return None;
        }
        super::draw_tabs(
            &[
                (1, tr!("county_desk.tab_figures")),
                (2, tr!("county_desk.tab_members")),
                (3, tr!("county_desk.tab_bundles")),
                (4, tr!("county_desk.tab_cases")),
            ],
            self.tab,
            Rect::new(area.x, area.y, area.width, 1),
            buf,
        );
        let rest = Rect::new(area.x, area.y + 2, area.width, area.height - 2);
        let page = usize::from(rest.height.saturating_sub(1));
        let (selected, shown) = self.cursor.shown(self.len(), page);
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
                if let Some((seq, why)) = &s.refused {
                    lines.push(Line::styled(
                        tr!("county_desk.refused_long", seq = seq, reason = text(why)),
                        theme::error(),
                    ));
                } else if s.late(today) {
                    lines.push(Line::styled(tr!("county_desk.late_long"), theme::error()));
                }
                if s.figures.is_empty() {
                    lines.push(Line::styled(tr!("county_desk.no_figures"), theme::hint()));
                }
                for (h, v) in &self.figures[shown.clone()] {
                    // A heading has no value, nor a colon.
                    if v.is_empty() {
                        lines.push(Line::styled(text(h), theme::label()));
                        continue;
                    }
                    lines.push(Line::from(vec![
                        Span::styled(format!("{}：", text(h)), theme::label()),
                        Span::raw(text(v)),
                    ]));
                }
                wrapped::paragraph(lines, rest.width).render(rest, buf);
            }
            2 => {
                let headers = super::members::shown_columns(&self.members);
                // The station's code is the title's already.
                let skip = usize::from(headers.first().is_some_and(|h| h == "工作站代码"));
                let rows: Vec<Row> = self.members.rows[shown.clone()]
                    .iter()
                    .enumerate()
                    .map(|(i, (_, cells))| {
                        Row::new(cells.iter().skip(skip).map(|c| Cell::from(text(c))))
                            .style(selected_style(shown.start + i == selected))
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
            4 => {
                // The first fields of a case: its number, when it came, the dispute, the parties.
                const SHOWN: usize = 5;
                let headers: Vec<String> = self
                    .cases
                    .first()
                    .map(|c| c.fields.iter().take(SHOWN).map(|(l, _)| text(l)).collect())
                    .unwrap_or_default();
                let rows: Vec<Row> = self.cases[shown.clone()]
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        Row::new(
                            c.fields
                                .iter()
                                .take(SHOWN)
                                .map(|(_, v)| Cell::from(text(v))),
                        )
                        .style(selected_style(shown.start + i == selected))
                    })
                    .collect();
                let widths = super::fitted(
                    &headers,
                    self.cases[shown.clone()]
                        .iter()
                        .map(|c| {
                            c.fields
                                .iter()
                                .take(SHOWN)
                                .map(|(_, v)| v.clone())
                                .collect()
                        })
                        .collect::<Vec<Vec<String>>>()
                        .iter(),
                    0,
                );
                let keys: Vec<&str> = headers.iter().map(String::as_str).collect();
                render_table(rest, buf, &keys, rows, &widths, "county_desk.no_open_cases");
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
                        .style(selected_style(shown.start + i == selected))
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
    // The counts the county wrote itself at import; unreadable ones are shown as none.
    let parsed: Vec<(String, u64)> = serde_json::from_str(counts).unwrap_or_default();
    parsed
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| format!("{} {n}", crate::i18n::kind_name(kind)))
        .collect::<Vec<_>>()
        .join(tr!("county_desk.list_separator").as_str())
}
