//! The station this desk belongs to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::validate::{self, ValidationError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Station {
    pub id: Uuid,
    pub name: String,
    pub code: String,
    pub county: String,
    /// The county office's age X25519 recipient (`age1…`), if configured.
    pub county_recipient: Option<String>,
    /// The station's public signing key, in minisign's public key file format.
    pub public_key: String,
    pub created_at: DateTime<Utc>,
}

/// The longest town name kept, in characters (and carried in a bundle's manifest).
pub const TOWN_MAX: usize = 30;

/// The township or street (乡镇、街道) a station serves, as typed: empty (not set), or one line
/// without control characters of at most [`TOWN_MAX`] characters, trimmed.
pub fn town(value: &str) -> Result<String, ValidationError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    validate::plain_name(value, TOWN_MAX)
}

/// What `init` and the first-run wizard ask for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StationSetup {
    pub name: String,
    pub code: String,
    pub county: String,
    pub county_recipient: String,
}

impl StationSetup {
    pub fn validate(&self) -> Result<StationSetup, Vec<(&'static str, ValidationError)>> {
        let mut errors = Vec::new();
        let mut checked = self.clone();
        validate::keep(
            &mut checked.name,
            "name",
            validate::plain_name(&self.name, 60),
            &mut errors,
        );
        validate::keep(
            &mut checked.code,
            "code",
            validate::station_code(&self.code),
            &mut errors,
        );
        validate::keep(
            &mut checked.county,
            "county",
            validate::optional_text(&self.county, 60),
            &mut errors,
        );
        if !self.county_recipient.trim().is_empty() {
            validate::keep(
                &mut checked.county_recipient,
                "county_recipient",
                validate::age_recipient(&self.county_recipient),
                &mut errors,
            );
        }
        if errors.is_empty() {
            Ok(checked)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_town_is_one_short_plain_line_or_nothing() {
        assert_eq!(town("  青溪镇 ").unwrap(), "青溪镇");
        assert_eq!(town("   ").unwrap(), "");
        assert!(town("青溪\n镇").is_err());
        assert!(town(&"镇".repeat(TOWN_MAX + 1)).is_err());
        assert!(town(&"镇".repeat(TOWN_MAX)).is_ok());
    }

    #[test]
    fn setup_requires_name_and_code() {
        let setup = StationSetup {
            name: "青溪镇委员工作站".into(),
            code: "QX01".into(),
            ..StationSetup::default()
        };
        assert!(setup.validate().is_ok());
        let bad = StationSetup::default();
        let fields: Vec<&str> = bad
            .validate()
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(fields, vec!["name", "code"]);
    }

    #[test]
    fn a_name_with_control_characters_is_refused_not_cleaned() {
        for name in ["青溪\u{1b}]0;x\u{7}站", "青溪\n站", "青溪\u{202e}站"] {
            let setup = StationSetup {
                name: name.into(),
                code: "QX01".into(),
                ..StationSetup::default()
            };
            let errors = setup.validate().err().unwrap_or_default();
            assert_eq!(
                errors,
                vec![("name", ValidationError::ControlCharacters)],
                "{name:?}"
            );
        }
    }
}
