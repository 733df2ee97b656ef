//! A member of the committee (委员) in the station's registry.

use serde::{Deserialize, Serialize};

use super::fields::{yes_no, Described, Field, Lookup};
use super::record::{RecordKind, RecordMeta};
use super::validate::{self, ValidationError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    #[default]
    Unspecified,
    Male,
    Female,
}

named_enum!(Gender, "gender", [
    Unspecified => "unspecified",
    Male => "male",
    Female => "female",
]);

/// The level of the committee a member sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    National,
    Provincial,
    City,
    #[default]
    County,
}

named_enum!(Level, "level", [
    National => "national",
    Provincial => "provincial",
    City => "city",
    County => "county",
]);

/// The fields of a member a person edits, before they are checked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MemberFields {
    pub name: String,
    pub gender: Gender,
    /// 界别, one of the station's sector list.
    pub sector: String,
    pub level: Level,
    /// Party affiliation: 中共党员, one of the eight democratic parties, 无党派人士, 群众.
    pub party: String,
    pub phone: String,
    pub specialties: String,
    /// Serves as a part-time people's mediator (兼职人民调解员).
    pub mediator: bool,
    pub active: bool,
}

/// A member as stored: checked fields plus identity and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    #[serde(flatten)]
    pub meta: RecordMeta,
    #[serde(flatten)]
    pub fields: MemberFields,
}

/// The longest name accepted.
pub const NAME_MAX: usize = 40;
/// The longest free text of the short fields.
pub const SHORT_TEXT_MAX: usize = 200;

/// Party affiliations that make a member a 党员委员; every other one is 党外委员.
pub const COMMUNIST_PARTY: &str = "中共党员";

impl MemberFields {
    /// Checks and normalises the fields; each error names its field.
    pub fn validate(&self) -> Result<MemberFields, Vec<(&'static str, ValidationError)>> {
        let mut errors = Vec::new();
        let mut checked = self.clone();
        match validate::required_text(&self.name, NAME_MAX) {
            Ok(name) => checked.name = name,
            Err(e) => errors.push(("name", e)),
        }
        match validate::phone(&self.phone) {
            Ok(phone) => checked.phone = phone,
            Err(e) => errors.push(("phone", e)),
        }
        for (field, value, target) in [
            ("sector", &self.sector, &mut checked.sector),
            ("party", &self.party, &mut checked.party),
            ("specialties", &self.specialties, &mut checked.specialties),
        ] {
            match validate::optional_text(value, SHORT_TEXT_MAX) {
                Ok(text) => *target = text,
                Err(e) => errors.push((field, e)),
            }
        }
        if errors.is_empty() {
            Ok(checked)
        } else {
            Err(errors)
        }
    }

    /// 党员委员 (member of the Communist Party) or 党外委员.
    pub fn is_party_member(&self) -> bool {
        self.party == COMMUNIST_PARTY
    }
}

impl Member {
    pub fn new(fields: MemberFields) -> Member {
        Member {
            meta: RecordMeta::unsaved(),
            fields,
        }
    }
}

/// A member's fields as people read them (the bundle's columns, the search).
impl Described for Member {
    const KIND: RecordKind = RecordKind::Member;
    fn known_as(&self, _: &dyn Lookup) -> String {
        self.fields.name.clone()
    }
    fn fields() -> &'static [Field<Member>] {
        crate::fields_of!(
            Member,
            [
                Field::typed("name", "field.name", |m| &m.fields.name),
                Field::shown("gender", "field.gender", |m, l| {
                    l.word(m.fields.gender.key())
                }),
                Field::typed("sector", "field.sector", |m| &m.fields.sector),
                Field::shown("level", "field.level", |m, l| {
                    l.word(m.fields.level.key())
                }),
                Field::typed("party", "field.party", |m| &m.fields.party),
                Field::personal("phone", "field.phone", |m| &m.fields.phone),
                Field::typed("specialties", "field.specialties", |m| {
                    &m.fields.specialties
                }),
                Field::shown("mediator", "field.mediator", |m, l| {
                    yes_no(m.fields.mediator, l)
                }),
                Field::shown("active", "field.active", |m, l| {
                    yes_no(m.fields.active, l)
                }),
            ]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> MemberFields {
        MemberFields {
            name: " 李秀兰 ".into(),
            gender: Gender::Female,
            sector: "医药卫生界".into(),
            level: Level::County,
            party: "中共党员".into(),
            phone: "138 0013 8000".into(),
            specialties: "全科医学".into(),
            mediator: false,
            active: true,
        }
    }

    #[test]
    fn validation_normalises_fields() {
        let checked = fields().validate().unwrap_or_default();
        assert_eq!(checked.name, "李秀兰");
        assert_eq!(checked.phone, "13800138000");
        assert!(checked.is_party_member());
    }

    #[test]
    fn validation_names_each_bad_field() {
        let mut bad = fields();
        bad.name = "  ".into();
        bad.phone = "12345".into();
        let errors = bad.validate().err().unwrap_or_default();
        assert_eq!(
            errors,
            vec![
                ("name", ValidationError::Required),
                ("phone", ValidationError::Phone)
            ]
        );
    }

    #[test]
    fn enums_round_trip() {
        for g in Gender::ALL {
            assert_eq!(Gender::parse(g.as_str()), Some(g));
        }
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(l));
        }
    }
}
