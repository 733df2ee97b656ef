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
                Field::whole("case_no", "field.case_no", |c, _| { c.case_no.clone() }),
                Field::shown("received_on", "field.received_on", |c, _| {
                    date(c.fields.received_on)
                }),
                Field::shown("source", "field.source", |c, l| {
                    l.word(c.fields.source.key())
                }),
                Field::typed("referring_unit", "field.referring_unit", |c| {
                    &c.fields.referring_unit
                }),
                Field::typed("referral_no", "field.referral_no", |c| {
                    &c.fields.referral_no
                }),
                Field::typed("dispute_type", "field.dispute_type", |c| {
                    &c.fields.dispute_type
                }),
                Field::parts("parties", "field.parties", parties_text, |c| {
                    c.fields
                        .parties
                        .iter()
                        .flat_map(|p| [p.name.as_str(), p.contact.as_str(), p.id_number.as_str()])
                        .collect()
                }),
                Field::typed("facts", "field.facts", |c| &c.fields.facts),
                Field::typed("points", "field.points", |c| { &c.fields.points }),
                Field::shown("amount", "field.amount", |c, _| c
                    .fields
                    .amount_fen
                    .map(format_amount)
                    .unwrap_or_default(),),
                Field::shown("mediators", "field.mediators", |c, l| {
                    members(&c.fields.mediators, l)
                }),
                Field::shown("state", "field.case.state", |c, l| {
                    l.word(c.state.key())
                }),
                Field::shown("due", "field.due", |c, _| date(c.due)),
                Field::parts(
                    "extensions",
                    "field.extensions",
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
                    "field.sessions",
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
                Field::parts("outcome", "field.outcome", outcome_text, |c| {
                    match &c.outcome {
                        Some(Outcome::Success { terms, method, .. }) => {
                            vec![terms.as_str(), method.as_str()]
                        }
                        Some(other) => vec![other.text()],
                        None => Vec::new(),
                    }
                }),
                Field::shown("concluded_on", "field.concluded_on", |c, _| {
                    opt_date(c.concluded_on)
                }),
                Field::parts(
                    "follow_ups",
                    "field.follow_ups",
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
                Field::shown("judicial", "field.judicial", |c, l| match &c.judicial {
                    Some(j) if j.applied => {
                        format!("{} {}", l.word("judicial.applied"), opt_date(j.on))
                            .trim_end()
                            .to_string()
                    }
                    _ => l.word("judicial.not_applied"),
                },),
                Field::shown("links", "field.case.links", |c, l| {
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
