//! A mediation case's fields as people read them (the bundle's columns, the search).

use super::{format_amount, MediationCase, Outcome};
use crate::domain::fields::{date, members, opt_date, Described, Field, Lookup};
use crate::domain::RecordKind;

impl Described for MediationCase {
    const KIND: RecordKind = RecordKind::Case;
    fn known_as(&self, _: &dyn Lookup) -> String {
        self.case_no.clone()
    }
    fn fields() -> &'static [Field<MediationCase>] {
        crate::fields_of!(
            MediationCase,
            [
                Field::whole("case_no", "案件编号", "Case number", |c, _| {
                    c.case_no.clone()
                }),
                Field::shown("received_on", "受理日期", "Received", |c, _| {
                    date(c.fields.received_on)
                }),
                Field::shown("source", "案件来源", "Source", |c, l| {
                    l.word(c.fields.source.key())
                }),
                Field::typed("referring_unit", "移交单位", "Referred by", |c| {
                    &c.fields.referring_unit
                }),
                Field::typed("referral_no", "移交文书号", "Referral number", |c| {
                    &c.fields.referral_no
                }),
                Field::typed("dispute_type", "纠纷类型", "Dispute type", |c| {
                    &c.fields.dispute_type
                }),
                Field::parts("parties", "当事人", "Parties", parties_text, |c| {
                    c.fields
                        .parties
                        .iter()
                        .flat_map(|p| [p.name.as_str(), p.contact.as_str(), p.id_number.as_str()])
                        .collect()
                }),
                Field::typed("facts", "纠纷事实", "Facts", |c| &c.fields.facts),
                Field::typed("points", "争议焦点", "Points in dispute", |c| {
                    &c.fields.points
                }),
                Field::shown(
                    "amount",
                    "涉及金额（元）",
                    "Amount (yuan)",
                    |c, _| c.fields.amount_fen.map(format_amount).unwrap_or_default(),
                ),
                Field::shown("mediators", "调解员", "Mediators", |c, l| {
                    members(&c.fields.mediators, l)
                }),
                Field::shown("state", "案件状态", "State", |c, l| {
                    l.word(c.state.key())
                }),
                Field::shown("due", "结案期限", "Due", |c, _| date(c.due)),
                Field::parts(
                    "extensions",
                    "延期",
                    "Extensions",
                    |c, _| {
                        c.extensions
                            .iter()
                            .map(|e| format!("{} 延至{} {}", date(e.on), date(e.new_due), e.reason))
                            .collect::<Vec<_>>()
                            .join("\n")
                    },
                    |c| c.extensions.iter().map(|e| e.reason.as_str()).collect(),
                ),
                Field::parts(
                    "sessions",
                    "调解记录",
                    "Sessions",
                    |c, _| {
                        c.sessions
                            .iter()
                            .map(|s| {
                                [
                                    date(s.on),
                                    s.place.clone(),
                                    s.attendees.clone(),
                                    s.notes.clone(),
                                ]
                                .into_iter()
                                .filter(|t| !t.is_empty())
                                .collect::<Vec<_>>()
                                .join(" ")
                            })
                            .collect::<Vec<_>>()
                            .join("\n")
                    },
                    |c| {
                        c.sessions
                            .iter()
                            .flat_map(|s| {
                                [s.place.as_str(), s.attendees.as_str(), s.notes.as_str()]
                            })
                            .collect()
                    },
                ),
                Field::parts("outcome", "调解结果", "Outcome", outcome_text, |c| match &c
                    .outcome
                {
                    Some(Outcome::Success { terms, method, .. }) => {
                        vec![terms.as_str(), method.as_str()]
                    }
                    Some(other) => vec![other.text()],
                    None => Vec::new(),
                }),
                Field::shown("concluded_on", "结案日期", "Concluded", |c, _| {
                    opt_date(c.concluded_on)
                }),
                Field::parts(
                    "follow_ups",
                    "回访与履行",
                    "Follow-ups",
                    |c, l| {
                        c.follow_ups
                            .iter()
                            .map(|f| {
                                let fulfilment =
                                    f.fulfilment.map(|x| l.word(x.key())).unwrap_or_default();
                                format!("{} {fulfilment} {}", date(f.on), f.note)
                                    .split_whitespace()
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            })
                            .collect::<Vec<_>>()
                            .join("\n")
                    },
                    |c| c.follow_ups.iter().map(|f| f.note.as_str()).collect(),
                ),
                Field::shown(
                    "judicial",
                    "司法确认",
                    "Judicial confirmation",
                    |c, l| match &c.judicial {
                        Some(j) if j.applied => {
                            format!("{} {}", l.word("judicial.applied"), opt_date(j.on))
                                .trim_end()
                                .to_string()
                        }
                        _ => l.word("judicial.not_applied"),
                    },
                ),
                Field::shown("links", "关联来访", "Linked visits", |c, l| {
                    c.links
                        .iter()
                        .map(|link| l.record(link.kind, link.id))
                        .collect::<Vec<_>>()
                        .join("、")
                }),
            ]
        )
    }
}

fn parties_text(c: &MediationCase, l: &dyn Lookup) -> String {
    c.fields
        .parties
        .iter()
        .map(|p| {
            [
                l.word(p.role.key()),
                p.name.clone(),
                p.contact.clone(),
                p.id_number.clone(),
            ]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn outcome_text(c: &MediationCase, l: &dyn Lookup) -> String {
    match &c.outcome {
        None => String::new(),
        Some(Outcome::Success {
            terms,
            method,
            deadline,
        }) => format!(
            "{}：{terms}；{} {method}；{} {}",
            l.word(c.outcome.as_ref().map(Outcome::key).unwrap_or_default()),
            l.word("field.method"),
            l.word("field.deadline"),
            date(*deadline)
        ),
        Some(other) => format!("{}：{}", l.word(other.key()), other.text()),
    }
}
