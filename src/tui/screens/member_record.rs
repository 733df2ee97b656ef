//! A member's record (履职档案) on the desk: every figure of the year (or the whole term) by
//! category, each opening the records behind it, beside the year's assessment with why; the
//! station's assessment table; and the records behind a figure.

use chrono::NaiveDateTime;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Widget};
use uuid::Uuid;

use crate::domain::assessment::{Assessment, Grade};
use crate::domain::performance::{MemberRecord, Period, ACTIVITY_PREFIX};
use crate::i18n::{current_language, figure_label, Language};
use crate::store::{CaseFilter, IntakeFilter, Store, StoreResult};
use crate::text::sanitize;
use crate::tui::theme;
use crate::tui::widgets::list_table::render_table;

fn english() -> bool {
    current_language() == Language::English
}

/// One line of the record: a category's heading, or a figure that opens its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordLine {
    Heading(String),
    Figure { figure: String, n: i64 },
}

/// The categories and their figures, in the order the record shows them.
const SECTIONS: &[(&str, &[&str])] = &[
    (
        "record.duty",
        &["duty.scheduled", "duty.served", "duty.missed", "duty.leave"],
    ),
    ("record.visits", &["visits.received", "visits.closed"]),
    (
        "record.mediation",
        &[
            "mediation.cases",
            "mediation.success",
            "mediation.failed",
            "mediation.withdrawn",
            "mediation.litigation",
            "mediation.transferred",
        ],
    ),
    (
        "record.consultations",
        &[
            "consultations.present",
            "consultations.leave",
            "consultations.absent",
            "research.notes",
        ],
    ),
    (
        "record.opinions",
        &[
            "opinions.written",
            "opinions.submitted",
            "opinions.adopted",
            "opinions.instructed",
        ],
    ),
];

/// The lines of a record.
pub fn record_lines(record: &MemberRecord) -> Vec<RecordLine> {
    let mut lines = Vec::new();
    for (heading, figures) in SECTIONS {
        lines.push(RecordLine::Heading(crate::tr!(*heading)));
        for figure in *figures {
            lines.push(RecordLine::Figure {
                figure: figure.to_string(),
                n: record.figure(figure).unwrap_or(0),
            });
        }
    }
    lines.push(RecordLine::Heading(crate::tr!("record.activities")));
    lines.push(RecordLine::Figure {
        figure: "activity.all".into(),
        n: record.figure("activity.all").unwrap_or(0),
    });
    for (kind, n) in &record.activities {
        lines.push(RecordLine::Figure {
            figure: format!("{ACTIVITY_PREFIX}{kind}"),
            n: *n,
        });
    }
    for figure in ["proposals.filed", "proposals.answered"] {
        lines.push(RecordLine::Figure {
            figure: figure.into(),
            n: record.figure(figure).unwrap_or(0),
        });
    }
    lines
}

/// Where the records behind a figure are listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behind {
    /// Visits, from the intake list's query (paged: a member's year may hold thousands).
    Visits(IntakeFilter),
    /// Cases, from the case list's query (paged).
    Cases(CaseFilter),
    /// Activities of the member in the period, in the activity list.
    Activities(crate::tui::screens::activities::ActivityScope),
    /// The few records of the other kinds.
    Records,
}

/// The records behind `figure` of `member`'s record for `period`.
pub fn behind(member: (Uuid, &str), period: Period, figure: &str) -> Behind {
    let (from, to) = period.bounds();
    let dates = (period != Period::Term).then_some((from, to));
    if let Some(what) = figure.strip_prefix("visits.") {
        return Behind::Visits(IntakeFilter {
            member: Some(member.0),
            from: dates.map(|d| d.0),
            to: dates.map(|d| d.1),
            state: (what == "closed").then_some(crate::domain::IntakeState::Closed),
            ..IntakeFilter::default()
        });
    }
    if let Some(what) = figure.strip_prefix("mediation.") {
        return Behind::Cases(CaseFilter {
            mediator: Some(member.0),
            received: dates,
            outcome: (what != "cases").then(|| what.to_string()),
            ..CaseFilter::default()
        });
    }
    let is_activity = figure.starts_with(ACTIVITY_PREFIX)
        || figure == "activity.all"
        || figure.starts_with("proposals.");
    if is_activity {
        return Behind::Activities(crate::tui::screens::activities::ActivityScope {
            member: Some((member.0, member.1.to_string())),
            period: Some((from, to)),
            kind: figure.strip_prefix(ACTIVITY_PREFIX).map(str::to_string),
            filed_only: figure == "proposals.filed",
        });
    }
    Behind::Records
}

/// A member's record on the desk.
pub struct MemberRecordView {
    pub record: MemberRecord,
    pub assessment: Option<Assessment>,
    /// Why the station's rules could not be used, if they could not.
    pub rules_error: Option<String>,
    pub lines: Vec<RecordLine>,
    /// Index into `lines` of the chosen figure.
    pub selected: usize,
    /// The year shown when not the whole term.
    pub year: i32,
}

impl MemberRecordView {
    pub fn load(
        store: &Store,
        member: Uuid,
        period: Period,
        now: NaiveDateTime,
    ) -> StoreResult<MemberRecordView> {
        let record = store.member_record(member, period, now)?;
        let rules = match period {
            Period::Year(_) => Some(
                store
                    .assessment_rules()
                    .map_err(|e| crate::messages::store_error(&e)),
            ),
            _ => None,
        };
        Ok(MemberRecordView::of(record, rules, period, now))
    }

    /// The view of a record built elsewhere (the county's, from its bundles), graded by
    /// `rules` when it is a year's (`Err` says why the rules could not be read).
    pub fn of(
        record: MemberRecord,
        rules: Option<Result<crate::domain::assessment::Rules, String>>,
        period: Period,
        now: NaiveDateTime,
    ) -> MemberRecordView {
        let (assessment, rules_error) = match rules {
            Some(Ok(rules)) => (Some(rules.assess(&record)), None),
            Some(Err(why)) => (None, Some(why)),
            None => (None, None),
        };
        let lines = record_lines(&record);
        let selected = lines
            .iter()
            .position(|l| matches!(l, RecordLine::Figure { .. }))
            .unwrap_or(0);
        let year = match period {
            Period::Year(y) | Period::Month(y, _) => y,
            Period::Term => chrono::Datelike::year(&now.date()),
        };
        MemberRecordView {
            record,
            assessment,
            rules_error,
            lines,
            selected,
            year,
        }
    }

    /// The same record for another period, keeping the chosen figure.
    pub fn reload(&mut self, store: &Store, period: Period, now: NaiveDateTime) -> StoreResult<()> {
        let figure = self.figure().map(str::to_string);
        let mut next = MemberRecordView::load(store, self.record.member_id, period, now)?;
        if let Some(figure) = figure {
            if let Some(at) = next
                .lines
                .iter()
                .position(|l| matches!(l, RecordLine::Figure { figure: f, .. } if *f == figure))
            {
                next.selected = at;
            }
        }
        if period == Period::Term {
            next.year = self.year;
        }
        *self = next;
        Ok(())
    }

    pub fn period(&self) -> Period {
        self.record.period
    }

    /// The chosen figure's name.
    pub fn figure(&self) -> Option<&str> {
        match self.lines.get(self.selected) {
            Some(RecordLine::Figure { figure, .. }) => Some(figure),
            _ => None,
        }
    }

    /// Moves the choice by `rows` figures (headings are passed over).
    pub fn move_by(&mut self, rows: i64) {
        let figures: Vec<usize> = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(l, RecordLine::Figure { .. }))
            .map(|(i, _)| i)
            .collect();
        let Some(at) = figures.iter().position(|i| *i == self.selected) else {
            self.selected = figures.first().copied().unwrap_or(0);
            return;
        };
        let next = (at as i64 + rows).clamp(0, figures.len() as i64 - 1) as usize;
        self.selected = figures[next];
    }

    pub fn title(&self) -> String {
        crate::tr!(
            "record.title",
            name = sanitize(&self.record.name),
            sector = sanitize(&self.record.sector),
            period = self.period().label(english())
        )
    }

    fn figure_lines(&self, height: usize) -> Vec<Line<'static>> {
        let first = self.selected.saturating_sub(height.saturating_sub(2));
        self.lines
            .iter()
            .enumerate()
            .skip(first)
            .take(height)
            .map(|(i, line)| match line {
                RecordLine::Heading(text) => Line::styled(text.clone(), theme::header()),
                RecordLine::Figure { figure, n } => {
                    let label = figure_label(figure);
                    let pad = 18usize
                        .saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()));
                    let style = if i == self.selected {
                        theme::selected()
                    } else if *n == 0 {
                        theme::muted()
                    } else {
                        Style::default()
                    };
                    Line::styled(format!("  {label}{} {n:>5}", " ".repeat(pad)), style)
                }
            })
            .collect()
    }

    /// The assessment beside the figures: the total and the grade, each minimum met or not,
    /// and every line of points.
    pub fn assessment_lines(&self) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        if let Some(error) = &self.rules_error {
            lines.push(Line::styled(
                crate::tr!("record.rules_error"),
                theme::error(),
            ));
            lines.push(Line::raw(error.clone()));
            return lines;
        }
        let Some(a) = &self.assessment else {
            lines.push(Line::styled(
                crate::tr!("record.term_no_grade"),
                theme::hint(),
            ));
            return lines;
        };
        lines.push(Line::from(vec![
            Span::styled(
                crate::tr!("record.assessment", year = self.year),
                theme::header(),
            ),
            Span::raw("  "),
            Span::styled(
                crate::tr!(
                    "record.total",
                    total = a.total,
                    grade = crate::tr!(a.grade.key())
                ),
                grade_style(a.grade),
            ),
        ]));
        if a.held_back {
            lines.push(Line::styled(crate::tr!("record.held_back"), theme::error()));
        }
        lines.push(Line::styled(
            crate::tr!(
                "record.minimums",
                met = a.minimums_met(),
                total = a.minimums.len()
            ),
            theme::label(),
        ));
        for m in &a.minimums {
            let (mark, style) = if m.met {
                ("+", theme::success())
            } else {
                ("!", theme::error())
            };
            // What met it: 参加视察或调研 1/1（调研记录 1）.
            let by =
                m.by.iter()
                    .map(|(figure, n)| format!("{} {n}", crate::i18n::figure_label(figure)))
                    .collect::<Vec<_>>()
                    .join(crate::tr!("record.by_separator").as_str());
            let by = if by.is_empty() {
                String::new()
            } else {
                crate::tr!("record.met_by", by = by)
            };
            lines.push(Line::styled(
                format!(
                    "  {mark} {} {}/{}{by}",
                    sanitize(&m.name),
                    m.count,
                    m.at_least
                ),
                style,
            ));
        }
        lines.push(Line::styled(
            crate::tr!("record.why", base = a.base),
            theme::label(),
        ));
        for p in a.points.iter().filter(|p| p.count > 0) {
            lines.push(Line::raw(format!(
                "  {} {}x{} = +{}{}",
                sanitize(&p.name),
                p.count,
                p.each,
                p.points,
                if p.cap.is_some_and(|c| p.points == c && p.count * p.each > c) {
                    crate::tr!("record.capped")
                } else {
                    String::new()
                }
            )));
        }
        for p in a.deductions.iter().filter(|p| p.count > 0) {
            lines.push(Line::styled(
                format!(
                    "  {} {}x{} = -{}",
                    sanitize(&p.name),
                    p.count,
                    p.each,
                    p.points
                ),
                theme::error(),
            ));
        }
        if a.unmet_deduction > 0 {
            lines.push(Line::styled(
                crate::tr!("record.unmet", points = a.unmet_deduction),
                theme::error(),
            ));
        }
        lines
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        if area.height < 3 {
            return;
        }
        let left_width = 30.min(area.width);
        let left = Rect::new(area.x, area.y, left_width, area.height);
        Paragraph::new(self.figure_lines(area.height as usize)).render(left, buf);
        if area.width > left_width + 10 {
            let right = Rect::new(
                area.x + left_width + 2,
                area.y,
                area.width - left_width - 2,
                area.height,
            );
            let rows =
                crate::tui::widgets::wrapped::wrap_lines(self.assessment_lines(), right.width);
            Paragraph::new(rows).render(right, buf);
        }
    }
}

fn grade_style(grade: Grade) -> Style {
    match grade {
        Grade::Excellent => theme::success(),
        Grade::Competent => theme::title(),
        Grade::Incompetent => theme::error(),
    }
}

/// How the assessment table is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssessOrder {
    /// Most points first.
    #[default]
    Points,
    /// Those behind first (grade, then minimums met, then points).
    Behind,
    /// The registry's order (by name).
    Name,
}

impl AssessOrder {
    fn next(self) -> AssessOrder {
        match self {
            AssessOrder::Points => AssessOrder::Behind,
            AssessOrder::Behind => AssessOrder::Name,
            AssessOrder::Name => AssessOrder::Points,
        }
    }

    fn key(self) -> &'static str {
        match self {
            AssessOrder::Points => "assess.by_points",
            AssessOrder::Behind => "assess.by_behind",
            AssessOrder::Name => "assess.by_name",
        }
    }
}

/// Every member's assessment for a year.
pub struct AssessmentView {
    pub year: i32,
    /// In the registry's order, as read.
    pub rows: Vec<(MemberRecord, Assessment)>,
    /// Indices into `rows` in the order shown.
    pub order: Vec<usize>,
    pub sort: AssessOrder,
    pub selected: usize,
}

impl AssessmentView {
    pub fn load(store: &Store, year: i32, now: NaiveDateTime) -> StoreResult<AssessmentView> {
        let mut view = AssessmentView {
            year,
            rows: store.assessments(year, now)?,
            order: Vec::new(),
            sort: AssessOrder::default(),
            selected: 0,
        };
        view.sort_rows();
        Ok(view)
    }

    fn sort_rows(&mut self) {
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        let rows = &self.rows;
        match self.sort {
            AssessOrder::Points => order.sort_by_key(|i| std::cmp::Reverse(rows[*i].1.total)),
            AssessOrder::Behind => order.sort_by_key(|i| {
                let a = &rows[*i].1;
                (std::cmp::Reverse(a.grade), a.minimums_met(), a.total)
            }),
            AssessOrder::Name => {}
        }
        self.order = order;
    }

    pub fn next_order(&mut self) {
        let chosen = self.chosen().map(|(r, _)| r.member_id);
        self.sort = self.sort.next();
        self.sort_rows();
        if let Some(id) = chosen {
            self.selected = self
                .order
                .iter()
                .position(|i| self.rows[*i].0.member_id == id)
                .unwrap_or(0);
        }
    }

    pub fn chosen(&self) -> Option<&(MemberRecord, Assessment)> {
        self.order
            .get(self.selected)
            .and_then(|i| self.rows.get(*i))
    }

    pub fn move_by(&mut self, rows: i64) {
        let last = self.order.len().saturating_sub(1) as i64;
        self.selected = (self.selected as i64 + rows).clamp(0, last.max(0)) as usize;
    }

    pub fn title(&self) -> String {
        let grades = [Grade::Excellent, Grade::Competent, Grade::Incompetent]
            .iter()
            .map(|g| {
                format!(
                    "{} {}",
                    crate::tr!(g.key()),
                    self.rows.iter().filter(|(_, a)| a.grade == *g).count()
                )
            })
            .collect::<Vec<_>>()
            .join(" / ");
        crate::tr!(
            "assess.title",
            year = self.year,
            grades = grades,
            order = crate::tr!(self.sort.key())
        )
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let why_rows: u16 = if area.height >= 20 { 7 } else { 0 };
        let table_area = Rect::new(
            area.x,
            area.y,
            area.width,
            area.height.saturating_sub(why_rows),
        );
        let room = table_area.height.saturating_sub(1) as usize;
        let first = self.selected.saturating_sub(room.saturating_sub(1));
        let rows: Vec<Row> = self
            .order
            .iter()
            .enumerate()
            .skip(first)
            .take(room)
            .map(|(at, i)| {
                let (_, a) = &self.rows[*i];
                let unmet: Vec<String> = a
                    .minimums
                    .iter()
                    .filter(|m| !m.met)
                    .map(|m| sanitize(&m.name).into_owned())
                    .collect();
                let style = if at == self.selected {
                    theme::selected()
                } else if a.is_behind() {
                    theme::error()
                } else {
                    Style::default()
                };
                Row::new(vec![
                    Cell::from(sanitize(&a.name).into_owned()),
                    Cell::from(sanitize(&a.sector).into_owned()),
                    Cell::from(format!("{}/{}", a.minimums_met(), a.minimums.len())),
                    Cell::from(format!("{:>4}", a.total)),
                    Cell::from(crate::tr!(a.grade.key())),
                    Cell::from(unmet.join("、")),
                ])
                .style(style)
            })
            .collect();
        render_table(
            table_area,
            buf,
            &[
                "assess.col_name",
                "assess.col_sector",
                "assess.col_minimums",
                "assess.col_points",
                "assess.col_grade",
                "assess.col_unmet",
            ],
            rows,
            &[
                Constraint::Length(10),
                Constraint::Length(12),
                Constraint::Length(8),
                Constraint::Length(6),
                Constraint::Length(10),
                Constraint::Min(10),
            ],
            "assess.empty",
        );
        if why_rows > 0 {
            if let Some((_, a)) = self.chosen() {
                let mut why = vec![Line::styled(
                    crate::tr!("assess.why_of", name = sanitize(&a.name)),
                    theme::header(),
                )];
                let mut parts: Vec<String> = vec![crate::tr!("record.why", base = a.base)];
                parts.extend(
                    a.points
                        .iter()
                        .filter(|p| p.points > 0)
                        .map(|p| format!("{} +{}", sanitize(&p.name), p.points)),
                );
                parts.extend(
                    a.deductions
                        .iter()
                        .filter(|p| p.points > 0)
                        .map(|p| format!("{} -{}", sanitize(&p.name), p.points)),
                );
                if a.unmet_deduction > 0 {
                    parts.push(crate::tr!("record.unmet", points = a.unmet_deduction));
                }
                why.push(Line::raw(parts.join("；")));
                let area = Rect::new(
                    area.x,
                    area.y + area.height - why_rows + 1,
                    area.width,
                    why_rows - 1,
                );
                let rows = crate::tui::widgets::wrapped::wrap_lines(why, area.width);
                Paragraph::new(rows).render(area, buf);
            }
        }
    }
}
