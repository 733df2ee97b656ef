//! Topics, meetings and reports as people read them (the bundle's columns, the search).

use super::{Attendance, Meeting, Report, ReportResult, Topic};
use crate::domain::fields::{
    date, local_time, members, opt_date, records, Described, Field, Lookup,
};
use crate::domain::RecordKind;

impl Described for Topic {
    const KIND: RecordKind = RecordKind::Topic;
    fn known_as(&self, _: &dyn Lookup) -> String {
        self.title.clone()
    }
    fn fields() -> &'static [Field<Topic>] {
        crate::fields_of!(
            Topic,
            [
                Field::typed("title", "field.topic.title", |t| &t.title),
                Field::typed("description", "field.description", |t| { &t.description }),
                Field::shown("source", "field.topic.source", |t, l| {
                    l.word(t.source.key())
                }),
                Field::typed("source_note", "field.source_note", |t| { &t.source_note }),
                Field::shown("intakes", "field.intakes", |t, l| {
                    records(RecordKind::Intake, &t.intakes, l)
                }),
                Field::shown("step", "field.step", |t, l| l.word(t.step.key())),
                Field::parts(
                    "decision",
                    "field.decision",
                    |t, _| {
                        t.decision
                            .as_ref()
                            .map(|d| format!("{} {}", date(d.on), d.by))
                            .unwrap_or_default()
                    },
                    |t| t.decision.iter().map(|d| d.by.as_str()).collect(),
                ),
                Field::parts(
                    "research",
                    "field.research",
                    |t, _| {
                        t.research
                            .iter()
                            .map(|r| format!("{} {} {}", date(r.on), r.members, r.findings))
                            .collect::<Vec<_>>()
                            .join("\n")
                    },
                    |t| {
                        t.research
                            .iter()
                            .flat_map(|r| [r.members.as_str(), r.findings.as_str()])
                            .collect()
                    },
                ),
            ]
        )
    }
}

impl Described for Meeting {
    const KIND: RecordKind = RecordKind::Meeting;
    fn known_as(&self, _: &dyn Lookup) -> String {
        format!("{} {}", date(self.held_at.date()), self.place)
    }
    fn fields() -> &'static [Field<Meeting>] {
        crate::fields_of!(
            Meeting,
            [
                Field::whole("held_at", "field.held_at", |m, _| { local_time(m.held_at) }),
                Field::typed("place", "field.place", |m| &m.place),
                Field::shown("form", "field.form", |m, l| l.word(m.form.key())),
                Field::typed("host", "field.host", |m| &m.host),
                Field::shown("topics", "field.meeting.topics", |m, l| {
                    records(RecordKind::Topic, &m.topics, l)
                }),
                Field::shown("members", "field.meeting.members", |m, l| {
                    Attendance::ALL
                        .iter()
                        .map(|state| {
                            let names: Vec<String> = m
                                .members
                                .iter()
                                .filter(|a| a.attendance == *state)
                                .map(|a| l.member(a.member_id))
                                .collect();
                            format!("{}：{}", l.word(state.key()), names.join("、"))
                        })
                        .collect::<Vec<_>>()
                        .join("；")
                }),
                Field::parts(
                    "guests",
                    "field.guests",
                    |m, l| {
                        m.guests
                            .iter()
                            .map(|g| {
                                // The role as typed (物业经理), else its kind's word.
                                let role = g.role_shown(|r| l.word(r.key()));
                                format!("{} {} {}", g.name, g.organisation, role)
                                    .split_whitespace()
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            })
                            .collect::<Vec<_>>()
                            .join("；")
                    },
                    |m| {
                        m.guests
                            .iter()
                            .flat_map(|g| {
                                [
                                    g.name.as_str(),
                                    g.organisation.as_str(),
                                    g.role_text.as_str(),
                                ]
                            })
                            .collect()
                    },
                ),
                Field::typed("minutes", "field.minutes", |m| &m.minutes),
                Field::parts(
                    "recommendations",
                    "field.recommendations",
                    |m, l| {
                        m.recommendations
                            .iter()
                            .enumerate()
                            .map(|(n, r)| {
                                let mut line = format!("{}. {}", n + 1, r.text);
                                if let Some(s) = &r.submission {
                                    line.push_str(&format!(
                                        "（{}{} {}）",
                                        l.word("field.submitted_to_short"),
                                        s.to,
                                        date(s.on)
                                    ));
                                }
                                if let Some(f) = &r.feedback {
                                    line.push_str(&format!(
                                        "（{} {} {} {}）",
                                        date(f.on),
                                        f.from,
                                        l.word(f.result.key()),
                                        f.text
                                    ));
                                }
                                line
                            })
                            .collect::<Vec<_>>()
                            .join("\n")
                    },
                    |m| {
                        let mut texts = Vec::new();
                        for r in &m.recommendations {
                            texts.push(r.text.as_str());
                            if let Some(s) = &r.submission {
                                texts.push(s.to.as_str());
                            }
                            if let Some(f) = &r.feedback {
                                texts.extend([f.from.as_str(), f.text.as_str()]);
                            }
                        }
                        texts
                    },
                ),
            ]
        )
    }
}

impl Described for Report {
    const KIND: RecordKind = RecordKind::Report;
    fn known_as(&self, _: &dyn Lookup) -> String {
        self.title.clone()
    }
    fn fields() -> &'static [Field<Report>] {
        crate::fields_of!(
            Report,
            [
                Field::typed("title", "field.title", |r| &r.title),
                Field::typed("body", "field.body", |r| &r.body),
                Field::shown("authors", "field.authors", |r, l| {
                    members(&r.authors, l)
                }),
                Field::shown("intakes", "field.intakes", |r, l| {
                    records(RecordKind::Intake, &r.intakes, l)
                }),
                Field::shown("topics", "field.report.topics", |r, l| {
                    records(RecordKind::Topic, &r.topics, l)
                }),
                Field::shown("submitted_on", "field.submitted_on", |r, _| {
                    opt_date(r.submitted_on)
                }),
                Field::typed("submitted_to", "field.submitted_to", |r| {
                    &r.submitted_to
                }),
                Field::parts(
                    "result",
                    "field.report.result",
                    |r, l| match &r.result {
                        ReportResult::Pending => l.word("reports.pending"),
                        ReportResult::NotAdopted => l.word("reports.not_adopted"),
                        ReportResult::Adopted { instruction: None } => l.word("reports.adopted"),
                        ReportResult::Adopted {
                            instruction: Some(i),
                        } => format!(
                            "{}；{}{}（{}）：{}",
                            l.word("reports.adopted"),
                            i.by,
                            l.word("field.instruction_short"),
                            l.word(i.level.key()),
                            i.text
                        ),
                    },
                    |r| match &r.result {
                        ReportResult::Adopted {
                            instruction: Some(i),
                        } => vec![i.by.as_str(), i.text.as_str()],
                        _ => Vec::new(),
                    },
                ),
            ]
        )
    }
}
