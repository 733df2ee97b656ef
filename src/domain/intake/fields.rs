//! A visit's fields as people read them: the bundle's columns and the search.

use super::*;

/// A visit's fields as people read them (the bundle's columns, the search).
impl Described for Intake {
    const KIND: RecordKind = RecordKind::Intake;
    fn known_as(&self, l: &dyn Lookup) -> String {
        let visitor = if self.fields.visitor_name.is_empty() {
            l.word("intakes.anonymous")
        } else {
            self.fields.visitor_name.clone()
        };
        format!(
            "{} {visitor} {}",
            date(self.fields.visited_at.date()),
            self.fields.category
        )
    }
    fn fields() -> &'static [Field<Intake>] {
        crate::fields_of!(
            Intake,
            [
                Field::whole("visited_at", "field.visited_at", |i, _| {
                    local_time(i.fields.visited_at)
                }),
                Field::typed("visitor_name", "field.visitor_name", |i| {
                    &i.fields.visitor_name
                }),
                Field::shown("gender", "field.gender", |i, l| {
                    l.word(i.fields.gender.key())
                }),
                Field::personal("phone", "field.phone", |i| &i.fields.phone),
                Field::personal("id_number", "field.id_number", |i| { &i.fields.id_number }),
                Field::typed("address", "field.address", |i| &i.fields.address),
                Field::shown("visitors", "field.visitors", |i, _| {
                    i.fields.visitors.to_string()
                }),
                Field::typed("category", "field.category", |i| { &i.fields.category }),
                Field::typed("request", "field.request", |i| &i.fields.request),
                Field::shown("member", "field.member", |i, l| {
                    i.fields
                        .member_id
                        .map(|id| l.member(id))
                        .unwrap_or_default()
                }),
                Field::shown("state", "field.intake.state", |i, l| {
                    l.word(i.state.key())
                }),
                Field::parts("handling", "field.handling", handling_text, |i| {
                    match &i.handling {
                        Some(Handling::OnTheSpot { answer }) => vec![answer.as_str()],
                        Some(Handling::Referred { department, .. }) => vec![department.as_str()],
                        _ => Vec::new(),
                    }
                },),
                Field::parts(
                    "feedback",
                    "field.intake.feedback",
                    |i, _| {
                        i.feedback
                            .as_ref()
                            .map(|f| format!("{} {}", date(f.on), f.text))
                            .unwrap_or_default()
                    },
                    |i| i.feedback.iter().map(|f| f.text.as_str()).collect(),
                ),
                Field::parts(
                    "follow_up",
                    "field.follow_up",
                    |i, l| {
                        i.follow_up
                            .as_ref()
                            .map(|f| {
                                format!(
                                    "{} {} {}",
                                    date(f.on),
                                    l.word(f.satisfaction.key()),
                                    f.note
                                )
                                .trim_end()
                                .to_string()
                            })
                            .unwrap_or_default()
                    },
                    |i| i.follow_up.iter().map(|f| f.note.as_str()).collect(),
                ),
                Field::shown("reply_due", "field.reply_due", |i, _| { date(i.reply_due) }),
                Field::shown("follow_up_due", "field.follow_up_due", |i, _| {
                    opt_date(i.follow_up_due)
                }),
                Field::typed("reopen_reason", "field.reason", |i| i
                    .reopen_reason
                    .as_deref()
                    .unwrap_or(""),),
                Field::shown("links", "field.intake.links", |i, l| {
                    i.links
                        .iter()
                        .map(|link| {
                            format!(
                                "{} {}",
                                l.word(link.kind.key()),
                                l.record(link.kind, link.id)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("、")
                }),
            ]
        )
    }
}

fn handling_text(i: &Intake, l: &dyn Lookup) -> String {
    match &i.handling {
        None => String::new(),
        Some(Handling::OnTheSpot { answer }) => {
            format!("{}：{answer}", l.word("handling.on_the_spot"))
        }
        Some(Handling::Referred { department, on }) => {
            format!(
                "{}：{department}（{}）",
                l.word("handling.referred"),
                date(*on)
            )
        }
        Some(Handling::Converted { to, id }) => format!(
            "{}{}：{}",
            l.word("handling.converted"),
            l.word(to.key()),
            l.record(*to, *id)
        ),
    }
}
