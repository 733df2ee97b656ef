//! Desk settings: the language and the idle lock.

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
        })
    }
}

pub struct SettingsForm {
    pub form: Form,
}

impl SettingsForm {
    pub fn new(current: Language, lock_minutes: u32) -> SettingsForm {
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
        let language = Language::parse(&self.form.value("language")).unwrap_or_default();
        store.set_setting(LANGUAGE, language.code())?;
        store.set_setting(LOCK_MINUTES, &lock_minutes.to_string())?;
        self.form.mark_saved();
        Ok(Some(DeskSettings {
            language: Some(language),
            lock_minutes,
        }))
    }
}
