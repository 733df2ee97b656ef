//! Consultations (协商议事): the year's 4+X at the top, then the topic library (议题库), the
//! meetings and the public-opinion reports as tabs; and one topic, meeting or report in full.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Widget};
use uuid::Uuid;

use crate::domain::consult::{Meeting, Quota, Report, ReportResult, Topic};
use crate::i18n::field_label;
use crate::store::{AuditEntry, Store, StoreResult};
use crate::text::{sanitize, sanitize_lines};
use crate::tui::theme;
use crate::tui::widgets::list_table::render_table;

/// How many of each the lists read: a station has tens a year.
const LIST_LIMIT: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsultTab {
    Topics,
    Meetings,
    Reports,
}

pub struct ConsultState {
    pub tab: ConsultTab,
    pub topics: Vec<Topic>,
    pub meetings: Vec<Meeting>,
    pub reports: Vec<Report>,
    /// Selected row per tab.
    pub selected: [usize; 3],
    pub quota: Quota,
    /// Topic titles by id, for the meeting list.
    pub titles: HashMap<Uuid, String>,
}

impl ConsultState {
    pub fn open(store: &Store, now: NaiveDateTime) -> StoreResult<ConsultState> {
        let mut state = ConsultState {
            tab: ConsultTab::Topics,
            topics: Vec::new(),
            meetings: Vec::new(),
            reports: Vec::new(),
            selected: [0; 3],
            quota: Quota::default(),
            titles: HashMap::new(),
        };
        state.reload(store, now)?;
        Ok(state)
    }

    pub fn reload(&mut self, store: &Store, now: NaiveDateTime) -> StoreResult<()> {
        self.topics = store.topics(LIST_LIMIT)?;
        self.meetings = store.meetings(LIST_LIMIT)?;
        self.reports = store.reports(LIST_LIMIT)?;
        self.quota = store.quota(now)?;
        self.titles = self
            .topics
            .iter()
            .map(|t| (t.meta.id, t.title.clone()))
            .collect();
        for (i, len) in [self.topics.len(), self.meetings.len(), self.reports.len()]
            .into_iter()
            .enumerate()
        {
            self.selected[i] = self.selected[i].min(len.saturating_sub(1));
        }
        Ok(())
    }

    fn index(&self) -> usize {
        match self.tab {
            ConsultTab::Topics => 0,
            ConsultTab::Meetings => 1,
            ConsultTab::Reports => 2,
        }
    }

    fn len(&self) -> usize {
        match self.tab {
            ConsultTab::Topics => self.topics.len(),
            ConsultTab::Meetings => self.meetings.len(),
            ConsultTab::Reports => self.reports.len(),
        }
    }

    pub fn move_by(&mut self, rows: isize) {
        let i = self.index();
        let len = self.len();
        if len == 0 {
            return;
        }
        let next = (self.selected[i] as isize + rows).clamp(0, len as isize - 1);
        self.selected[i] = next as usize;
    }

    pub fn selected_topic(&self) -> Option<&Topic> {
        self.topics.get(self.selected[0])
    }

    pub fn selected_meeting(&self) -> Option<&Meeting> {
        self.meetings.get(self.selected[1])
    }

    pub fn selected_report(&self) -> Option<&Report> {
        self.reports.get(self.selected[2])
    }

    /// The 4+X line.
    pub fn quota_line(&self) -> Line<'static> {
        let q = &self.quota;
        let style = |done: usize, quota: usize| {
            if done >= quota {
                theme::success()
            } else {
                theme::focus_label()
            }
        };
        Line::from(vec![
            Span::styled(
                crate::tr!("consults.quota_year", year = q.year),
                theme::title(),
            ),
            Span::raw("  "),
            Span::styled(
                crate::tr!(
                    "consults.quota_consultations",
                    done = q.consultations,
                    quota = q.consultations_quota
                ),
                style(q.consultations, q.consultations_quota),
            ),
            Span::raw("  |  "),
            Span::styled(
                crate::tr!(
                    "consults.quota_reports",
                    done = q.reports,
                    quota = q.reports_quota
                ),
                style(q.reports, q.reports_quota),
            ),
        ])
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        if area.height < 5 {
            return;
        }
        Paragraph::new(self.quota_line()).render(Rect::new(area.x, area.y, area.width, 1), buf);
        let tabs: Vec<Span> = [
            (ConsultTab::Topics, "1", "consults.tab_topics"),
            (ConsultTab::Meetings, "2", "consults.tab_meetings"),
            (ConsultTab::Reports, "3", "consults.tab_reports"),
        ]
        .iter()
        .flat_map(|(tab, key, label)| {
            let style = if *tab == self.tab {
                theme::selected()
            } else {
                theme::label()
            };
            [
                Span::styled(format!(" {key} {} ", crate::tr!(*label)), style),
                Span::raw("  "),
            ]
        })
        .collect();
        Paragraph::new(Line::from(tabs)).render(Rect::new(area.x, area.y + 2, area.width, 1), buf);
        let table_area = Rect::new(area.x, area.y + 4, area.width, area.height - 4);
        let selected = self.selected[self.index()];
        let rows_room = table_area.height.saturating_sub(1) as usize;
        let first = selected.saturating_sub(rows_room.saturating_sub(1));
        let style_for = |i: usize| {
            if i == selected {
                theme::selected()
            } else {
                ratatui::style::Style::default()
            }
        };
        let (header, rows, widths): (Vec<&str>, Vec<Row>, Vec<Constraint>) = match self.tab {
            ConsultTab::Topics => (
                vec![
                    "consults.col_title",
                    "field.topic_source",
                    "consults.col_step",
                    "consults.col_intakes",
                ],
                self.topics
                    .iter()
                    .enumerate()
                    .skip(first)
                    .map(|(i, t)| {
                        Row::new(vec![
                            Cell::from(sanitize(&t.title).into_owned()),
                            Cell::from(crate::tr!(t.source.key())),
                            Cell::from(crate::tr!(t.step.key())),
                            Cell::from(t.intakes.len().to_string()),
                        ])
                        .style(style_for(i))
                    })
                    .collect(),
                vec![
                    Constraint::Min(20),
                    Constraint::Length(14),
                    Constraint::Length(10),
                    Constraint::Length(8),
                ],
            ),
            ConsultTab::Meetings => (
                vec![
                    "consults.col_held",
                    "field.meeting_form",
                    "consults.col_topics",
                    "consults.col_attendance",
                    "consults.col_recommendations",
                ],
                self.meetings
                    .iter()
                    .enumerate()
                    .skip(first)
                    .map(|(i, m)| {
                        let topics = m
                            .topics
                            .iter()
                            .filter_map(|t| self.titles.get(t))
                            .map(|t| sanitize(t).into_owned())
                            .collect::<Vec<_>>()
                            .join("；");
                        let a = m.attendance();
                        let answered = m
                            .recommendations
                            .iter()
                            .filter(|r| r.feedback.is_some())
                            .count();
                        Row::new(vec![
                            Cell::from(m.held_at.format("%Y-%m-%d %H:%M").to_string()),
                            Cell::from(crate::tr!(m.form.key())),
                            Cell::from(topics),
                            Cell::from(crate::tr!(
                                "consults.attendance_short",
                                present = a.present,
                                total = m.members.len()
                            )),
                            Cell::from(crate::tr!(
                                "consults.recommendations_short",
                                count = m.recommendations.len(),
                                answered = answered
                            )),
                        ])
                        .style(style_for(i))
                    })
                    .collect(),
                vec![
                    Constraint::Length(16),
                    Constraint::Length(12),
                    Constraint::Min(16),
                    Constraint::Length(10),
                    Constraint::Length(14),
                ],
            ),
            ConsultTab::Reports => (
                vec![
                    "consults.col_title",
                    "consults.col_submitted",
                    "consults.col_result",
                ],
                self.reports
                    .iter()
                    .enumerate()
                    .skip(first)
                    .map(|(i, r)| {
                        let submitted = match r.submitted_on {
                            Some(on) => format!("{on} {}", sanitize(&r.submitted_to)),
                            None => crate::tr!("reports.not_submitted"),
                        };
                        Row::new(vec![
                            Cell::from(sanitize(&r.title).into_owned()),
                            Cell::from(submitted),
                            Cell::from(result_text(r)),
                        ])
                        .style(style_for(i))
                    })
                    .collect(),
                vec![
                    Constraint::Min(24),
                    Constraint::Length(22),
                    Constraint::Length(12),
                ],
            ),
        };
        render_table(table_area, buf, &header, rows, &widths, "consults.empty");
    }
}

pub(crate) fn result_text(report: &Report) -> String {
    match &report.result {
        ReportResult::Pending if report.submitted_on.is_some() => crate::tr!("reports.pending"),
        ReportResult::Pending => String::new(),
        ReportResult::Adopted { instruction: None } => crate::tr!("reports.adopted"),
        ReportResult::Adopted {
            instruction: Some(_),
        } => crate::tr!("reports.adopted_instructed"),
        ReportResult::NotAdopted => crate::tr!("reports.not_adopted"),
    }
}

/// One topic, meeting or report in full.
pub enum ConsultDetail {
    Topic {
        topic: Topic,
        meetings: Vec<Meeting>,
        /// `(date, visitor, summary)` of the linked intakes.
        intakes: Vec<(String, String, String)>,
    },
    Meeting {
        meeting: Meeting,
        names: HashMap<Uuid, String>,
        titles: Vec<String>,
        /// The selected recommendation.
        selected: usize,
    },
    Report {
        report: Report,
        authors: Vec<String>,
    },
}

pub struct DetailView {
    pub detail: ConsultDetail,
    pub history: Vec<AuditEntry>,
    pub scroll: u16,
}

impl DetailView {
    pub fn topic(store: &Store, topic: Topic) -> StoreResult<DetailView> {
        let meetings = store.meetings_on(topic.meta.id)?;
        let mut intakes = Vec::new();
        for id in &topic.intakes {
            if let Some(i) = store.get_any::<crate::domain::Intake>(*id)? {
                intakes.push((
                    i.fields.visited_at.format("%Y-%m-%d").to_string(),
                    i.fields.visitor_name.clone(),
                    i.summary(30),
                ));
            }
        }
        let history = store.history(topic.meta.id)?;
        Ok(DetailView {
            detail: ConsultDetail::Topic {
                topic,
                meetings,
                intakes,
            },
            history,
            scroll: 0,
        })
    }

    pub fn meeting(store: &Store, meeting: Meeting) -> StoreResult<DetailView> {
        let ids: Vec<Uuid> = meeting.members.iter().map(|m| m.member_id).collect();
        let mut names = HashMap::new();
        for id in ids {
            if let Some(m) = store.get_any::<crate::domain::Member>(id)? {
                names.insert(id, m.fields.name);
            }
        }
        let mut titles = Vec::new();
        for id in &meeting.topics {
            if let Some(t) = store.get_any::<Topic>(*id)? {
                titles.push(t.title);
            }
        }
        let history = store.history(meeting.meta.id)?;
        Ok(DetailView {
            detail: ConsultDetail::Meeting {
                meeting,
                names,
                titles,
                selected: 0,
            },
            history,
            scroll: 0,
        })
    }

    pub fn report(store: &Store, report: Report) -> StoreResult<DetailView> {
        let authors = store.member_names(&report.authors)?;
        let history = store.history(report.meta.id)?;
        Ok(DetailView {
            detail: ConsultDetail::Report { report, authors },
            history,
            scroll: 0,
        })
    }

    pub fn scroll_by(&mut self, rows: i32) {
        self.scroll = (i32::from(self.scroll) + rows).max(0) as u16;
    }

    pub fn title(&self) -> String {
        crate::tr!(match self.detail {
            ConsultDetail::Topic { .. } => "topics.detail_title",
            ConsultDetail::Meeting { .. } => "meetings.detail_title",
            ConsultDetail::Report { .. } => "reports.detail_title",
        })
    }

    pub fn lines(&self) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        let field = super::detail_field;
        let block = |lines: &mut Vec<Line<'static>>, text: &str| {
            for line in sanitize_lines(text) {
                lines.push(Line::raw(format!("  {line}")));
            }
        };
        match &self.detail {
            ConsultDetail::Topic {
                topic,
                meetings,
                intakes,
            } => {
                lines.push(Line::styled(
                    sanitize(&topic.title).into_owned(),
                    theme::title(),
                ));
                // The six steps, the current one marked.
                let steps: Vec<Span> = crate::domain::consult::TopicStep::ALL
                    .iter()
                    .map(|s| {
                        let style = if *s == topic.step {
                            theme::selected()
                        } else if *s < topic.step {
                            theme::success()
                        } else {
                            theme::hint()
                        };
                        Span::styled(format!(" {} ", crate::tr!(s.key())), style)
                    })
                    .flat_map(|s| [s, Span::raw(">")])
                    .collect();
                lines.push(Line::from(steps));
                let mut source = crate::tr!(topic.source.key());
                if !topic.source_note.is_empty() {
                    source.push_str(&format!("  {}", sanitize(&topic.source_note)));
                }
                lines.push(field(&field_label("topic_source"), source));
                if let Some(d) = &topic.decision {
                    lines.push(field(
                        &crate::tr!("keys.decide_topic"),
                        format!("{}  {}", d.on, sanitize(&d.by)),
                    ));
                }
                if !topic.description.is_empty() {
                    lines.push(Line::styled(field_label("description"), theme::header()));
                    block(&mut lines, &topic.description);
                }
                if !intakes.is_empty() {
                    lines.push(Line::styled(
                        crate::tr!("cases.from_intakes"),
                        theme::header(),
                    ));
                    for (date, who, summary) in intakes {
                        lines.push(Line::raw(format!(
                            "  {date}  {}  {}",
                            sanitize(who),
                            sanitize(summary)
                        )));
                    }
                }
                lines.push(Line::styled(
                    crate::tr!("topics.research", count = topic.research.len()),
                    theme::header(),
                ));
                for note in &topic.research {
                    lines.push(Line::raw(format!(
                        "  {}  {}",
                        note.on,
                        sanitize(&note.members)
                    )));
                    for line in sanitize_lines(&note.findings) {
                        lines.push(Line::raw(format!("    {line}")));
                    }
                }
                // Each reopening of the loop: when, by whom, why.
                for reopening in &topic.reopenings {
                    lines.push(Line::raw(crate::tr!(
                        "topics.reopened_by",
                        date = reopening.on,
                        by = sanitize(&reopening.by),
                        reason = sanitize(&reopening.reason)
                    )));
                }
                lines.push(Line::styled(
                    crate::tr!("topics.meetings", count = meetings.len()),
                    theme::header(),
                ));
                for m in meetings {
                    let answered = m
                        .recommendations
                        .iter()
                        .filter(|r| r.feedback.is_some())
                        .count();
                    lines.push(Line::raw(format!(
                        "  {}  {}  {}",
                        m.held_at.format("%Y-%m-%d %H:%M"),
                        sanitize(&m.place),
                        crate::tr!(
                            "consults.recommendations_short",
                            count = m.recommendations.len(),
                            answered = answered
                        )
                    )));
                }
            }
            ConsultDetail::Meeting {
                meeting,
                names,
                titles,
                selected,
            } => {
                lines.push(Line::styled(
                    format!(
                        "{}  {}  {}",
                        meeting.held_at.format("%Y-%m-%d %H:%M"),
                        sanitize(&meeting.place),
                        crate::tr!(meeting.form.key())
                    ),
                    theme::title(),
                ));
                lines.push(field(
                    &field_label("host"),
                    sanitize(&meeting.host).into_owned(),
                ));
                lines.push(field(
                    &crate::tr!("consults.col_topics"),
                    titles
                        .iter()
                        .map(|t| sanitize(t).into_owned())
                        .collect::<Vec<_>>()
                        .join("；"),
                ));
                for attendance in [
                    crate::domain::consult::Attendance::Present,
                    crate::domain::consult::Attendance::Leave,
                    crate::domain::consult::Attendance::Absent,
                ] {
                    let who: Vec<String> = meeting
                        .members
                        .iter()
                        .filter(|m| m.attendance == attendance)
                        .map(|m| {
                            sanitize(names.get(&m.member_id).map(String::as_str).unwrap_or("?"))
                                .into_owned()
                        })
                        .collect();
                    if !who.is_empty() {
                        lines.push(field(
                            &crate::tr!(attendance.key()),
                            format!("{}  ({})", who.join("、"), who.len()),
                        ));
                    }
                }
                for guest in &meeting.guests {
                    lines.push(field(
                        &crate::tr!("meetings.guest"),
                        format!(
                            "{}  {}  {}",
                            sanitize(&guest.name),
                            sanitize(&guest.organisation),
                            sanitize(&guest.role_shown(|r| crate::tr!(r.key())))
                        ),
                    ));
                }
                lines.push(Line::styled(
                    crate::tr!("meetings.minutes"),
                    theme::header(),
                ));
                if meeting.minutes.is_empty() {
                    lines.push(Line::styled(
                        crate::tr!("meetings.no_minutes"),
                        theme::hint(),
                    ));
                }
                block(&mut lines, &meeting.minutes);
                lines.push(Line::styled(
                    crate::tr!(
                        "meetings.recommendations",
                        count = meeting.recommendations.len()
                    ),
                    theme::header(),
                ));
                for (i, r) in meeting.recommendations.iter().enumerate() {
                    let mut text = format!(
                        "{}{}. {}",
                        if i == *selected { ">" } else { " " },
                        i + 1,
                        sanitize(&r.text).replace('\n', " ")
                    );
                    if let Some(s) = &r.submission {
                        text.push_str(&format!(
                            "  [{} {} {}]",
                            crate::tr!("meetings.sent"),
                            s.on,
                            sanitize(&s.to)
                        ));
                    }
                    if let Some(f) = &r.feedback {
                        text.push_str(&format!(
                            "  [{} {} {}]",
                            f.on,
                            sanitize(&f.from),
                            crate::tr!(f.result.key())
                        ));
                    }
                    let style = if i == *selected {
                        theme::focus_label()
                    } else {
                        ratatui::style::Style::default()
                    };
                    lines.push(Line::styled(text, style));
                }
            }
            ConsultDetail::Report { report, authors } => {
                lines.push(Line::styled(
                    sanitize(&report.title).into_owned(),
                    theme::title(),
                ));
                lines.push(field(
                    &field_label("authors"),
                    authors
                        .iter()
                        .map(|a| sanitize(a).into_owned())
                        .collect::<Vec<_>>()
                        .join("、"),
                ));
                let submitted = match report.submitted_on {
                    Some(on) => format!("{on}  {}", sanitize(&report.submitted_to)),
                    None => crate::tr!("reports.not_submitted"),
                };
                lines.push(field(&crate::tr!("consults.col_submitted"), submitted));
                let mut result = result_text(report);
                if let ReportResult::Adopted {
                    instruction: Some(i),
                } = &report.result
                {
                    result.push_str(&format!(
                        "  {}（{}）：{}",
                        sanitize(&i.by),
                        crate::tr!(i.level.key()),
                        sanitize(&i.text)
                    ));
                }
                lines.push(field(&crate::tr!("consults.col_result"), result));
                if !report.intakes.is_empty() {
                    lines.push(field(
                        &crate::tr!("cases.from_intakes"),
                        crate::tr!("reports.linked_intakes", count = report.intakes.len()),
                    ));
                }
                lines.push(Line::styled(field_label("body"), theme::header()));
                block(&mut lines, &report.body);
            }
        }
        lines.extend(super::history_lines(&self.history, |entry| {
            crate::tr!(format!("audit.{}", entry.action))
        }));
        lines
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let rows = crate::tui::widgets::wrapped::wrap_lines(self.lines(), area.width);
        let scroll =
            crate::tui::widgets::wrapped::clamp_scroll(self.scroll, rows.len(), area.height);
        Paragraph::new(rows).scroll((scroll, 0)).render(area, buf);
    }
}
