//! What the county is asking about (热点诉求): the visits' categories by month, by station and
//! by growth for a year; the visits behind a category; the county's proposed topics.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::widgets::{Cell, Row};

use super::super::CountyDesk;
use super::{selected_style, text, Cursor, Record};
use crate::bundle::county_desk::Found;
use crate::bundle::county_hot::{CountyTopic, HotCategory, HotIssues};
use crate::domain::RecordKind;
use crate::tr;
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::layer::{Layer, Step};
use crate::tui::widgets::frame::{draw_title, inset};
use crate::tui::widgets::list_table::render_table;

/// Visits behind a figure shown at most (and carried into a proposed topic).
const BEHIND_AT_MOST: usize = 1000;

/// The year's categories: `1` by month, `2` by station, `3` those that grew most.
pub struct Hot {
    pub hot: HotIssues,
    pub view: u8,
    cursor: Cursor,
}

impl Hot {
    pub fn open(desk: &mut CountyDesk) -> Hot {
        use chrono::Datelike;
        let today = desk.today();
        let mut hot = Hot {
            hot: HotIssues::default(),
            view: 1,
            cursor: Cursor::default(),
        };
        hot.load(desk, today.year());
        hot
    }

    /// The year's figures: through this month for this year, the whole of a past one.
    fn load(&mut self, desk: &mut CountyDesk, year: i32) {
        use chrono::Datelike;
        let today = desk.today();
        let through = if year == today.year() {
            today.month()
        } else {
            12
        };
        match desk.db.hot_issues(year, through) {
            Ok(hot) => self.hot = hot,
            Err(e) => desk.fail(&e),
        }
        self.cursor = Cursor::default();
    }

    /// The rows of the view shown.
    fn rows(&self) -> Vec<&HotCategory> {
        match self.view {
            3 => self.hot.growing(),
            _ => self.hot.categories.iter().collect(),
        }
    }

    fn chosen(&self) -> Option<&HotCategory> {
        self.rows().get(self.cursor.selected).copied()
    }

    /// Where the office's workbooks go: beside the county file, or here for PostgreSQL.
    fn documents_dir(desk: &CountyDesk) -> std::path::PathBuf {
        let target = desk.db.target();
        if crate::bundle::is_postgres_target(target) {
            return std::path::PathBuf::from(".");
        }
        std::path::Path::new(target)
            .parent()
            .map(|p| p.to_path_buf())
            .unwrap_or_else(|| std::path::PathBuf::from("."))
    }
}

impl Layer<CountyDesk> for Hot {
    fn context(&self) -> KeyContext {
        KeyContext::CountyHot
    }

    fn update(&mut self, action: Action, desk: &mut CountyDesk) -> Step<CountyDesk> {
        let page = usize::from(desk.body_rows().saturating_sub(5));
        if self.cursor.step(&action, self.rows().len(), page) {
            return Step::Stay;
        }
        use chrono::Datelike;
        match action {
            Action::Back => return Step::Close,
            Action::ShowTab(n) if (1..=3).contains(&n) => {
                self.view = n;
                self.cursor = Cursor::default();
            }
            Action::Left => {
                let year = self.hot.year - 1;
                self.load(desk, year);
            }
            Action::Right if self.hot.year < desk.today().year() => {
                let year = self.hot.year + 1;
                self.load(desk, year);
            }
            Action::Open => {
                if let Some(c) = self.chosen() {
                    let (category, year) = (c.category.clone(), self.hot.year);
                    return Step::push(Requests::of_category(desk, &category, year));
                }
            }
            Action::TopicFromIntakes => {
                if let Some(c) = self.chosen() {
                    let (category, year) = (c.category.clone(), self.hot.year);
                    propose(desk, &category, year);
                }
            }
            Action::OpenConsult => return Step::push(Topics::open(desk)),
            Action::WriteRecord => {
                let path =
                    Hot::documents_dir(desk).join(format!("热点诉求-{}.xlsx", self.hot.year));
                match desk.db.write_hot_workbook(&self.hot, &path) {
                    Ok(()) => desk.say(tr!(
                        "county_desk.hot_written",
                        path = text(&path.display().to_string())
                    )),
                    Err(e) => desk.fail(&e),
                }
            }
            _ => {}
        }
        Step::Stay
    }

    fn refresh(&mut self, _kind: RecordKind, _id: Option<uuid::Uuid>, desk: &mut CountyDesk) {
        let year = self.hot.year;
        self.load(desk, year);
    }

    fn draw(
        &self,
        _desk: &CountyDesk,
        title: Rect,
        body: Rect,
        buf: &mut Buffer,
    ) -> Option<Position> {
        let h = &self.hot;
        let total: u64 = h.categories.iter().map(|c| c.total).sum();
        draw_title(
            &tr!(
                "county_desk.hot_title",
                year = h.year,
                through = h.through_month,
                categories = h.categories.len(),
                total = total
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
                (1, tr!("county_desk.hot_by_month")),
                (2, tr!("county_desk.hot_by_station")),
                (3, tr!("county_desk.hot_growing")),
            ],
            self.view,
            Rect::new(area.x, area.y, area.width, 1),
            buf,
        );
        let rest = Rect::new(area.x, area.y + 2, area.width, area.height - 2);
        let rows = self.rows();
        let page = usize::from(rest.height.saturating_sub(1));
        let (selected, window) = self.cursor.shown(rows.len(), page);
        let (headers, widths, cells): (Vec<String>, Vec<Constraint>, Vec<Vec<String>>) =
            match self.view {
                2 => {
                    let mut headers = vec![
                        tr!("county_desk.col_category"),
                        tr!("county_desk.col_total"),
                    ];
                    headers.extend(h.stations.iter().map(|(_, code)| text(code)));
                    let mut widths = vec![Constraint::Length(14), Constraint::Length(6)];
                    widths.extend(h.stations.iter().map(|_| Constraint::Length(6)));
                    let cells = rows[window.clone()]
                        .iter()
                        .map(|c| {
                            let mut row = vec![text(&c.category), c.total.to_string()];
                            row.extend(h.stations.iter().map(|(id, _)| {
                                c.by_station.get(id).copied().unwrap_or(0).to_string()
                            }));
                            row
                        })
                        .collect();
                    (headers, widths, cells)
                }
                _ => {
                    let mut headers = vec![
                        tr!("county_desk.col_category"),
                        tr!("county_desk.col_total"),
                        tr!("county_desk.col_year_before"),
                        tr!("county_desk.col_growth"),
                    ];
                    let months = h.through_month as usize;
                    headers.extend((1..=months).map(|m| tr!("county_desk.month_short", month = m)));
                    let mut widths = vec![
                        Constraint::Length(14),
                        Constraint::Length(6),
                        Constraint::Length(8),
                        Constraint::Length(6),
                    ];
                    widths.extend((0..months).map(|_| Constraint::Length(4)));
                    let cells = rows[window.clone()]
                        .iter()
                        .map(|c| {
                            let mut row = vec![
                                text(&c.category),
                                c.total.to_string(),
                                c.year_before.to_string(),
                                c.growth().map(|g| format!("{g:+}%")).unwrap_or_default(),
                            ];
                            row.extend(c.by_month[..months].iter().map(u64::to_string));
                            row
                        })
                        .collect();
                    (headers, widths, cells)
                }
            };
        let table_rows: Vec<Row> = cells
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                Row::new(row.into_iter().map(Cell::from))
                    .style(selected_style(window.start + i == selected))
            })
            .collect();
        let keys: Vec<&str> = headers.iter().map(String::as_str).collect();
        let empty = if self.view == 3 {
            "county_desk.growing_none"
        } else {
            "county_desk.hot_none"
        };
        render_table(rest, buf, &keys, table_rows, &widths, empty);
        None
    }
}

/// Proposes a topic from a category's visits of the year, and says so.
fn propose(desk: &mut CountyDesk, category: &str, year: i32) {
    let behind = match desk
        .db
        .requests_behind(category, year, None, None, BEHIND_AT_MOST)
    {
        Ok(found) => found,
        Err(e) => {
            desk.fail(&e);
            return;
        }
    };
    let requests: Vec<(String, String)> = behind
        .iter()
        .map(|f| (f.station_id.clone(), f.id.clone()))
        .collect();
    let title = tr!("county_desk.topic_title", category = category, year = year);
    match desk
        .db
        .propose_topic(&title, category, &year.to_string(), &requests)
    {
        Ok(topic) => desk.say(tr!(
            "county_desk.topic_proposed",
            title = text(&topic.title),
            count = topic.requests.len()
        )),
        Err(e) => desk.fail(&e),
    }
}

/// The visits behind a figure, or behind a proposed topic, newest first.
pub struct Requests {
    title: String,
    pub found: Vec<Found>,
    cursor: Cursor,
}

impl Requests {
    pub fn of_category(desk: &mut CountyDesk, category: &str, year: i32) -> Requests {
        let found = desk
            .db
            .requests_behind(category, year, None, None, BEHIND_AT_MOST)
            .unwrap_or_else(|e| {
                desk.fail(&e);
                Vec::new()
            });
        Requests {
            title: tr!(
                "county_desk.requests_title",
                category = text(category),
                year = year,
                count = found.len()
            ),
            found,
            cursor: Cursor::default(),
        }
    }

    fn of_topic(desk: &mut CountyDesk, topic: &CountyTopic) -> Requests {
        let mut found = Vec::new();
        for (station, id) in &topic.requests {
            match desk.db.found(station, RecordKind::Intake, id) {
                Ok(Some(f)) => found.push(f),
                Ok(None) => {}
                Err(e) => {
                    desk.fail(&e);
                    break;
                }
            }
        }
        Requests {
            title: tr!(
                "county_desk.topic_requests_title",
                title = text(&topic.title),
                count = found.len()
            ),
            found,
            cursor: Cursor::default(),
        }
    }
}

/// A visit's field by its label.
fn field<'a>(f: &'a Found, label: &str) -> &'a str {
    f.fields
        .iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

impl Layer<CountyDesk> for Requests {
    fn context(&self) -> KeyContext {
        KeyContext::CountyRequests
    }

    fn update(&mut self, action: Action, desk: &mut CountyDesk) -> Step<CountyDesk> {
        let page = usize::from(desk.body_rows().saturating_sub(3));
        if self.cursor.step(&action, self.found.len(), page) {
            return Step::Stay;
        }
        match action {
            Action::Back => Step::Close,
            Action::Open => match self.found.get(self.cursor.selected) {
                Some(f) => Step::push(Record::open(desk, f.clone())),
                None => Step::Stay,
            },
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
        draw_title(&self.title, title, buf);
        let area = inset(body);
        let page = usize::from(area.height.saturating_sub(1));
        let (selected, window) = self.cursor.shown(self.found.len(), page);
        let rows: Vec<Row> = self.found[window.clone()]
            .iter()
            .enumerate()
            .map(|(i, f)| {
                Row::new(vec![
                    Cell::from(text(&f.code)),
                    Cell::from(text(field(f, "来访时间"))),
                    Cell::from(text(field(f, "诉求内容"))),
                ])
                .style(selected_style(window.start + i == selected))
            })
            .collect();
        render_table(
            area,
            buf,
            &[
                "county_desk.col_code",
                "county_desk.col_visited",
                "county_desk.col_request",
            ],
            rows,
            &[
                Constraint::Length(6),
                Constraint::Length(16),
                Constraint::Min(10),
            ],
            "county_desk.requests_none",
        );
        None
    }
}

/// The county's proposed topics, newest first.
pub struct Topics {
    pub topics: Vec<CountyTopic>,
    cursor: Cursor,
}

impl Topics {
    pub fn open(desk: &mut CountyDesk) -> Topics {
        let topics = desk.db.topics().unwrap_or_else(|e| {
            desk.fail(&e);
            Vec::new()
        });
        Topics {
            topics,
            cursor: Cursor::default(),
        }
    }
}

impl Layer<CountyDesk> for Topics {
    fn context(&self) -> KeyContext {
        KeyContext::CountyRequests
    }

    fn update(&mut self, action: Action, desk: &mut CountyDesk) -> Step<CountyDesk> {
        let page = usize::from(desk.body_rows().saturating_sub(3));
        if self.cursor.step(&action, self.topics.len(), page) {
            return Step::Stay;
        }
        match action {
            Action::Back => Step::Close,
            Action::Open => match self.topics.get(self.cursor.selected) {
                Some(t) => {
                    let t = t.clone();
                    Step::push(Requests::of_topic(desk, &t))
                }
                None => Step::Stay,
            },
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
            &tr!("county_desk.topics_title", count = self.topics.len()),
            title,
            buf,
        );
        let area = inset(body);
        let page = usize::from(area.height.saturating_sub(1));
        let (selected, window) = self.cursor.shown(self.topics.len(), page);
        let rows: Vec<Row> = self.topics[window.clone()]
            .iter()
            .enumerate()
            .map(|(i, t)| {
                Row::new(vec![
                    Cell::from(text(&t.title)),
                    Cell::from(text(&t.category)),
                    Cell::from(text(&t.period)),
                    Cell::from(t.requests.len().to_string()),
                    Cell::from(
                        crate::domain::dates::local_moment(&t.created_at)
                            .unwrap_or_else(|| text(&t.created_at)),
                    ),
                ])
                .style(selected_style(window.start + i == selected))
            })
            .collect();
        render_table(
            area,
            buf,
            &[
                "county_desk.col_topic",
                "county_desk.col_category",
                "county_desk.col_period",
                "county_desk.col_visits",
                "county_desk.col_proposed",
            ],
            rows,
            &[
                Constraint::Min(20),
                Constraint::Length(14),
                Constraint::Length(8),
                Constraint::Length(5),
                Constraint::Length(17),
            ],
            "county_desk.topics_none",
        );
        None
    }
}
