//! Members' work away from the desk (履职活动): proposals, inspections and research trips,
//! training, good deeds for residents, books read, meetings with their sector. The kinds are a
//! station list (`assets/lists/activity_kinds.txt`); a proposal also keeps its number and
//! whether it was filed (立案) and answered.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::fields::{date, members, yes_no, Described, Field, Lookup};
use super::record::{RecordKind, RecordMeta};
use super::validate::{self, ValidationError};

/// The kind whose activities are proposals (提案) and keep a proposal's details.
pub const PROPOSAL: &str = "提案";

/// The longest title.
pub const TITLE_MAX: usize = 100;
/// The longest description.
pub const DESCRIPTION_MAX: usize = 20_000;
/// The longest proposal number (a county's numbering such as `县政协〔2026〕第18号`).
pub const NUMBER_MAX: usize = 40;
/// The most members one activity names.
pub const MEMBERS_MAX: usize = 50;

/// A proposal's number and how far it went.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Proposal {
    /// 提案号, empty until the committee numbers it.
    pub number: String,
    /// 立案: accepted as a proposal by the committee.
    pub filed: bool,
    /// 已答复: the body it went to has answered.
    pub answered: bool,
}

/// What a person fills in about an activity, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActivityDraft {
    pub on: Option<NaiveDate>,
    pub kind: String,
    pub members: Vec<Uuid>,
    pub title: String,
    pub description: String,
    pub proposal: Proposal,
}

/// An activity (履职活动) as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    #[serde(flatten)]
    pub meta: RecordMeta,
    /// The day it took place.
    pub on: NaiveDate,
    /// One of the station's activity kinds (提案, 视察, 调研…).
    pub kind: String,
    /// The members who took part.
    pub members: Vec<Uuid>,
    pub title: String,
    pub description: String,
    /// For a proposal (kind [`PROPOSAL`]): its number, filed, answered.
    pub proposal: Option<Proposal>,
}

impl Activity {
    /// Checks a draft against the station's kinds; each error names its field. An activity
    /// cannot be dated after `today`: it records work done.
    pub fn from_draft(
        draft: &ActivityDraft,
        kinds: &[String],
        today: NaiveDate,
    ) -> Result<Activity, Vec<(&'static str, ValidationError)>> {
        let mut errors = Vec::new();
        let on = match draft.on {
            Some(on) if on > today => {
                errors.push(("on", ValidationError::Future));
                on
            }
            Some(on) => on,
            None => {
                errors.push(("on", ValidationError::Required));
                today
            }
        };
        let kind = draft.kind.trim().to_string();
        if kind.is_empty() {
            errors.push(("kind", ValidationError::Required));
        } else if !kinds.contains(&kind) {
            errors.push(("kind", ValidationError::Choice));
        }
        let mut member_ids: Vec<Uuid> = Vec::new();
        for id in &draft.members {
            if !member_ids.contains(id) {
                member_ids.push(*id);
            }
        }
        if member_ids.is_empty() {
            errors.push(("members", ValidationError::Required));
        } else if member_ids.len() > MEMBERS_MAX {
            errors.push(("members", ValidationError::TooLong { max: MEMBERS_MAX }));
        }
        let title = validate::required_text(&draft.title, TITLE_MAX)
            .map_err(|e| errors.push(("title", e)))
            .unwrap_or_default();
        let description = validate::optional_multiline(&draft.description, DESCRIPTION_MAX)
            .map_err(|e| errors.push(("description", e)))
            .unwrap_or_default();
        let proposal = if kind == PROPOSAL {
            let number = validate::optional_text(&draft.proposal.number, NUMBER_MAX)
                .map_err(|e| errors.push(("number", e)))
                .unwrap_or_default();
            if draft.proposal.answered && !draft.proposal.filed {
                errors.push(("answered", ValidationError::NotFiled));
            }
            Some(Proposal {
                number,
                filed: draft.proposal.filed,
                answered: draft.proposal.answered,
            })
        } else {
            None
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Activity {
            meta: RecordMeta::unsaved(),
            on,
            kind,
            members: member_ids,
            title,
            description,
            proposal,
        })
    }

    /// The activity as a draft, for editing.
    pub fn draft(&self) -> ActivityDraft {
        ActivityDraft {
            on: Some(self.on),
            kind: self.kind.clone(),
            members: self.members.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            proposal: self.proposal.clone().unwrap_or_default(),
        }
    }

    /// The same record with the checked fields of `fresh` (identity and history kept).
    pub fn with_fields_of(&self, fresh: Activity) -> Activity {
        Activity {
            meta: self.meta.clone(),
            ..fresh
        }
    }

    pub fn is_proposal(&self) -> bool {
        self.proposal.is_some()
    }

    pub fn involves(&self, member: Uuid) -> bool {
        self.members.contains(&member)
    }
}

impl Described for Activity {
    const KIND: RecordKind = RecordKind::Activity;

    fn known_as(&self, _: &dyn Lookup) -> String {
        format!("{} {} {}", date(self.on), self.kind, self.title)
    }

    fn fields() -> &'static [Field<Activity>] {
        crate::fields_of!(
            Activity,
            [
                Field::whole("on", "field.on", |a, _| date(a.on)),
                Field::shown("kind", "field.kind", |a, _| a.kind.clone()),
                Field::shown("members", "field.members", |a, l| {
                    members(&a.members, l)
                }),
                Field::typed("title", "field.title", |a| &a.title),
                Field::typed("description", "field.activity.description", |a| &a
                    .description),
                Field::typed("proposal_number", "field.proposal_number", |a| {
                    a.proposal.as_ref().map(|p| p.number.as_str()).unwrap_or("")
                }),
                Field::shown("proposal_filed", "field.proposal_filed", |a, l| {
                    a.proposal
                        .as_ref()
                        .map(|p| yes_no(p.filed, l))
                        .unwrap_or_default()
                }),
                Field::shown("proposal_answered", "field.proposal_answered", |a, l| {
                    a.proposal
                        .as_ref()
                        .map(|p| yes_no(p.answered, l))
                        .unwrap_or_default()
                }),
            ]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn kinds() -> Vec<String> {
        crate::domain::lists::entries(crate::domain::lists::ACTIVITY_KINDS)
    }

    fn draft(kind: &str) -> ActivityDraft {
        ActivityDraft {
            on: Some(day(2026, 3, 2)),
            kind: kind.into(),
            members: vec![Uuid::from_u128(1), Uuid::from_u128(1), Uuid::from_u128(2)],
            title: "  关于加装电梯的提案 ".into(),
            description: "第一行\r\n第二行".into(),
            proposal: Proposal {
                number: "18".into(),
                filed: true,
                answered: false,
            },
        }
    }

    #[test]
    fn a_proposal_keeps_its_number_and_members_once() {
        let a = Activity::from_draft(&draft(PROPOSAL), &kinds(), day(2026, 12, 1))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(a.title, "关于加装电梯的提案");
        assert_eq!(a.description, "第一行\n第二行");
        assert_eq!(a.members.len(), 2);
        assert_eq!(
            a.proposal,
            Some(Proposal {
                number: "18".into(),
                filed: true,
                answered: false
            })
        );
        assert_eq!(
            Activity::from_draft(&a.draft(), &kinds(), day(2026, 12, 1)),
            Ok(a)
        );
    }

    #[test]
    fn other_kinds_keep_no_proposal() {
        let a = Activity::from_draft(&draft("读书"), &kinds(), day(2026, 12, 1))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(a.proposal, None);
    }

    #[test]
    fn refusals_name_their_fields() {
        let mut bad = draft("不存在的类型");
        bad.on = Some(day(2027, 1, 1));
        bad.members.clear();
        bad.title = " ".into();
        let errors = Activity::from_draft(&bad, &kinds(), day(2026, 12, 1))
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["on", "kind", "members", "title"]);
        let mut unfiled = draft(PROPOSAL);
        unfiled.proposal.filed = false;
        unfiled.proposal.answered = true;
        let errors = Activity::from_draft(&unfiled, &kinds(), day(2026, 12, 1))
            .err()
            .unwrap_or_default();
        assert_eq!(errors, vec![("answered", ValidationError::NotFiled)]);
    }
}
