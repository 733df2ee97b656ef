//! Desk settings: the language, the idle lock, the reply and follow-up periods of visits, the
//! days to conclude a case, the duty slots and the mediation committee of the agreements.

use crate::i18n::Language;
use crate::store::{Store, StoreError};
use crate::tui::widgets::form::{Choice, Field, Form};

/// The setting keys in the database.
pub const LANGUAGE: &str = "language";
pub const LOCK_MINUTES: &str = "lock_minutes";
pub const DEFAULT_LOCK_MINUTES: u32 = 5;

/// What the settings hold, read from the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeskSettings {
    pub language: Option<Language>,
    pub lock_minutes: u32,
    /// Days to reply to a visitor, and to follow up after the reply.
    pub due: crate::domain::DuePolicy,
}

impl DeskSettings {
    pub fn load(store: &Store) -> Result<DeskSettings, StoreError> {
        let language = store
            .setting(LANGUAGE)?
            .as_deref()
            .and_then(Language::parse);
        let lock_minutes = store
            .setting(LOCK_MINUTES)?
            .and_then(|v| v.parse().ok())
            .filter(|m| (1..=240).contains(m))
            .unwrap_or(DEFAULT_LOCK_MINUTES);
        Ok(DeskSettings {
            language,
            lock_minutes,
            due: store.due_policy()?,
        })
    }
}

/// What the settings form starts with.
pub struct SettingsValues<'a> {
    pub language: Language,
    pub lock_minutes: u32,
    pub due: crate::domain::DuePolicy,
    pub slots: &'a str,
    pub case_days: u32,
    /// The township or street the station serves (sent to the county with every bundle).
    pub town: &'a str,
    pub committee: &'a str,
    pub recipient: &'a str,
    pub require_pin: bool,
    /// Whether this computer opens the station without the passphrase, and where it keeps the
    /// secret that does.
    pub this_computer: Option<crate::store::Kept>,
}

pub struct SettingsForm {
    pub form: Form,
}

impl SettingsForm {
    pub fn new(values: SettingsValues<'_>) -> SettingsForm {
        let SettingsValues {
            language: current,
            lock_minutes,
            due,
            slots,
            case_days,
            town,
            committee,
            recipient,
            require_pin,
            this_computer,
        } = values;
        let slot_choices = vec![
            Choice::new("morning,afternoon", crate::tr!("settings.slots_halves")),
            Choice::new("day", crate::tr!("settings.slots_day")),
        ];
        let languages = vec![
            Choice::new("zh-CN", "简体中文"),
            Choice::new("en", "English"),
        ];
        SettingsForm {
            form: Form::new(vec![
                Field::choice(
                    "language",
                    crate::tr!("settings.language"),
                    languages,
                    current.code(),
                ),
                Field::text(
                    "lock_minutes",
                    crate::tr!("settings.lock_minutes"),
                    &lock_minutes.to_string(),
                )
                .required()
                .with_hint(crate::tr!("settings.lock_hint")),
                Field::text(
                    "reply_days",
                    crate::tr!("settings.reply_days"),
                    &due.reply_days.to_string(),
                )
                .required()
                .with_hint(crate::tr!("settings.days_hint")),
                Field::text(
                    "follow_up_days",
                    crate::tr!("settings.follow_up_days"),
                    &due.follow_up_days.to_string(),
                )
                .required()
                .with_hint(crate::tr!("settings.days_hint")),
                Field::text(
                    "case_days",
                    crate::tr!("settings.case_days"),
                    &case_days.to_string(),
                )
                .required()
                .with_hint(crate::tr!("settings.days_hint")),
                Field::choice(
                    "roster_slots",
                    crate::tr!("settings.roster_slots"),
                    slot_choices,
                    slots,
                ),
                Field::text("town", crate::tr!("settings.town"), town)
                    .with_hint(crate::tr!("settings.town_hint")),
                Field::text(
                    "mediation_committee",
                    crate::tr!("settings.committee"),
                    committee,
                )
                .with_hint(crate::tr!("settings.committee_hint")),
                Field::text(
                    "county_recipient",
                    crate::tr!("settings.recipient"),
                    recipient,
                )
                .with_hint(crate::tr!("settings.recipient_hint")),
                Field::toggle(
                    "require_pin",
                    crate::tr!("settings.require_pin"),
                    require_pin,
                )
                .with_hint(crate::tr!("settings.require_pin_hint")),
                Field::secret("new_passphrase", crate::tr!("settings.new_passphrase"))
                    .with_hint(crate::tr!("settings.new_passphrase_hint")),
                Field::secret("passphrase_again", crate::tr!("settings.passphrase_again")),
                Field::toggle(
                    "this_computer",
                    crate::tr!("settings.this_computer"),
                    this_computer.is_some(),
                )
                .with_hint(match this_computer {
                    Some(crate::store::Kept::System) => format!(
                        "{} {}",
                        crate::tr!("settings.this_computer_hint"),
                        crate::tr!("settings.this_computer_kept_system")
                    ),
                    Some(crate::store::Kept::File) => format!(
                        "{} {}",
                        crate::tr!("settings.this_computer_hint"),
                        crate::tr!("settings.this_computer_kept_file")
                    ),
                    None => crate::tr!("settings.this_computer_hint"),
                }),
            ]),
        }
    }

    /// Saves; `Ok(None)` when the form shows what to fix.
    pub fn save(
        &mut self,
        store: &mut Store,
        today: chrono::NaiveDate,
    ) -> Result<Option<DeskSettings>, StoreError> {
        if !self.form.check(today) {
            return Ok(None);
        }
        let minutes = self
            .form
            .value("lock_minutes")
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| (1..=240).contains(m));
        let Some(lock_minutes) = minutes else {
            self.form
                .set_error("lock_minutes", crate::tr!("settings.lock_invalid"));
            self.form.focus_first_error();
            return Ok(None);
        };
        let days = |form: &mut Form, name: &str| -> Option<u32> {
            let value = form
                .value(name)
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|d| (1..=365).contains(d));
            if value.is_none() {
                form.set_error(name, crate::tr!("settings.days_invalid"));
            }
            value
        };
        let reply_days = days(&mut self.form, "reply_days");
        let follow_up_days = days(&mut self.form, "follow_up_days");
        let case_days = days(&mut self.form, "case_days");
        let (Some(reply_days), Some(follow_up_days), Some(case_days)) =
            (reply_days, follow_up_days, case_days)
        else {
            self.form.focus_first_error();
            return Ok(None);
        };
        // A new station passphrase, when one is typed: strong enough, and typed the same twice.
        let new_passphrase = crate::store::Passphrase::new(&self.form.value("new_passphrase"));
        if !new_passphrase.as_str().is_empty() {
            let again = crate::store::Passphrase::new(&self.form.value("passphrase_again"));
            let problem = match crate::domain::passphrase::weakness(new_passphrase.as_str()) {
                Some(weak) => Some(("new_passphrase", crate::messages::weakness_message(weak))),
                None if again.as_str() != new_passphrase.as_str() => {
                    Some(("passphrase_again", crate::tr!("unlock.mismatch")))
                }
                None => None,
            };
            if let Some((field, message)) = problem {
                self.form.set_error(field, message);
                self.form.focus_first_error();
                return Ok(None);
            }
        }
        // The county recipient: checked before anything is saved; emptied, it is cleared.
        let recipient = self.form.value("county_recipient");
        let recipient = recipient.trim();
        let checked = if recipient.is_empty() {
            None
        } else {
            match crate::domain::validate::age_recipient(recipient) {
                Ok(checked) => Some(checked),
                Err(error) => {
                    self.form
                        .set_error("county_recipient", crate::i18n::validation_message(&error));
                    self.form.focus_first_error();
                    return Ok(None);
                }
            }
        };
        match checked {
            Some(checked) => store.set_county_recipient(&checked)?,
            None => store.clear_county_recipient()?,
        }
        store.set_setting("require_pin", &self.form.value("require_pin"))?;
        let town = self.form.value("town");
        match store.set_town(&town) {
            Ok(()) => {}
            Err(StoreError::Invalid(errors)) => {
                for (_, error) in errors {
                    self.form
                        .set_error("town", crate::i18n::validation_message(&error));
                }
                self.form.focus_first_error();
                return Ok(None);
            }
            Err(e) => return Err(e),
        }
        let committee = self.form.value("mediation_committee");
        match store.set_mediation_committee(&committee) {
            Ok(()) => {}
            Err(StoreError::Invalid(errors)) => {
                for (_, error) in errors {
                    self.form.set_error(
                        "mediation_committee",
                        crate::i18n::validation_message(&error),
                    );
                }
                self.form.focus_first_error();
                return Ok(None);
            }
            Err(e) => return Err(e),
        }
        let language = Language::parse(&self.form.value("language")).unwrap_or_default();
        store.set_setting(LANGUAGE, language.code())?;
        store.set_setting(LOCK_MINUTES, &lock_minutes.to_string())?;
        store.set_setting("reply_days", &reply_days.to_string())?;
        store.set_setting("follow_up_days", &follow_up_days.to_string())?;
        store.set_setting("case_days", &case_days.to_string())?;
        store.set_setting("roster_slots", &self.form.value("roster_slots"))?;
        if !new_passphrase.as_str().is_empty() {
            store.change_passphrase(&new_passphrase, crate::store::KdfCost::DESK)?;
        }
        let this_computer = self.form.value("this_computer") == "1";
        if this_computer != store.slots().has_this_computer() {
            let machine = crate::store::Machine::here().ok_or(StoreError::NoSlot)?;
            store.set_this_computer(this_computer, &machine)?;
        }
        self.form.mark_saved();
        Ok(Some(DeskSettings {
            language: Some(language),
            lock_minutes,
            due: crate::domain::DuePolicy {
                reply_days,
                follow_up_days,
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Kept;

    fn form(this_computer: Option<Kept>) -> SettingsForm {
        SettingsForm::new(SettingsValues {
            language: Language::Chinese,
            lock_minutes: DEFAULT_LOCK_MINUTES,
            due: crate::domain::DuePolicy {
                reply_days: 15,
                follow_up_days: 30,
            },
            slots: "morning,afternoon",
            case_days: 30,
            town: "",
            committee: "",
            recipient: "",
            require_pin: false,
            this_computer,
        })
    }

    fn hint(form: &SettingsForm) -> String {
        form.form
            .field("this_computer")
            .and_then(|field| field.hint.clone())
            .unwrap_or_default()
    }

    #[test]
    fn the_this_computer_hint_says_where_the_secret_is_kept() {
        crate::i18n::set_thread_language(Language::Chinese);
        let off = form(None);
        assert_eq!(off.form.value("this_computer"), "0");
        assert!(!hint(&off).contains("现在"));
        let system = form(Some(Kept::System));
        assert_eq!(system.form.value("this_computer"), "1");
        assert!(hint(&system).contains("系统凭据库中"), "{}", hint(&system));
        let file = form(Some(Kept::File));
        assert!(
            hint(&file).contains("配置文件夹的文件中"),
            "{}",
            hint(&file)
        );
    }
}
