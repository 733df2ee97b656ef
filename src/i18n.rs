//! The user's language: Simplified Chinese by default, English on request. Every message
//! comes from `assets/locales/*.yml`.

use crate::domain::ValidationError;

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};

/// A message in the current language: `tr!("key")` or `tr!("key", name = value)`, where the
/// message's `%{name}` is replaced by `value`.
#[macro_export]
macro_rules! tr {
    ($key:expr) => {
        $crate::i18n::message(&$key, &[])
    };
    ($key:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message(&$key, &[$((stringify!($name), $value.to_string())),+])
    };
}

/// The message `key` in `language`, whatever the UI speaks (bundles are in Chinese).
pub fn message_in(language: Language, key: &str) -> String {
    rust_i18n::t!(key, locale = language.code()).into_owned()
}

/// The message `key` in the current language with its `%{name}` placeholders filled in.
pub fn message(key: &str, args: &[(&str, String)]) -> String {
    let template = rust_i18n::t!(key, locale = current_language().code());
    if args.is_empty() {
        return template.into_owned();
    }
    let mut text = template.into_owned();
    for (name, value) in args {
        text = text.replace(&format!("%{{{name}}}"), value);
    }
    text
}

static PROCESS_LANGUAGE: AtomicU8 = AtomicU8::new(0);

thread_local! {
    static THREAD_LANGUAGE: Cell<Option<Language>> = const { Cell::new(None) };
}

/// The languages the program speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum Language {
    #[default]
    Chinese = 0,
    English = 1,
}

impl Language {
    /// Understands `zh`, `zh-CN`, `zh_CN.UTF-8`, `en`, `en-US`, `english`, `中文`.
    pub fn parse(text: &str) -> Option<Language> {
        let lower = text.trim().to_lowercase();
        if lower.starts_with("zh") || lower == "中文" || lower == "chinese" {
            Some(Language::Chinese)
        } else if lower.starts_with("en") {
            Some(Language::English)
        } else {
            None
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::Chinese => "zh-CN",
            Language::English => "en",
        }
    }
}

/// Switches every message of the program to `language`.
pub fn set_language(language: Language) {
    PROCESS_LANGUAGE.store(language as u8, Ordering::Relaxed);
}

/// Switches the messages of this thread alone (tests render both languages side by side).
pub fn set_thread_language(language: Language) {
    THREAD_LANGUAGE.with(|cell| cell.set(Some(language)));
}

/// Switches the program and this thread (the UI thread) to `language`.
pub fn use_language(language: Language) {
    set_language(language);
    set_thread_language(language);
}

pub fn current_language() -> Language {
    THREAD_LANGUAGE.with(Cell::get).unwrap_or_else(|| {
        if PROCESS_LANGUAGE.load(Ordering::Relaxed) == Language::English as u8 {
            Language::English
        } else {
            Language::Chinese
        }
    })
}

/// The message for a validation error, in the current language.
pub fn validation_message(err: &ValidationError) -> String {
    match err {
        ValidationError::TooLong { max } => crate::tr!("validate.too_long", max = max),
        ValidationError::AgeRecipientLength { len } => {
            crate::tr!("validate.age_recipient_length", len = len)
        }
        other => crate::tr!(other.key()),
    }
}

/// A field's label, in the current language.
pub fn field_label(field: &str) -> String {
    // Numbered fields (`party2_name`, `mediator3`) share the label of their kind, numbered.
    if let Some(rest) = field.strip_prefix("party") {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Some(what) = rest[digits.len()..].strip_prefix('_') {
            return format!(
                "{}{digits} {}",
                crate::tr!("field.litigant"),
                crate::tr!(format!("field.party_{what}"))
            );
        }
    }
    crate::tr!(format!("field.{field}"))
}

/// The label of a case's field: a party's by its place among the parties (当事人2 姓名).
pub fn case_field_label(field: crate::domain::case::CaseField) -> String {
    use crate::domain::case::CaseField;
    let party = |n: usize, what: &str| {
        format!(
            "{}{} {}",
            crate::tr!("field.litigant"),
            n + 1,
            crate::tr!(format!("field.party_{what}"))
        )
    };
    match field {
        CaseField::DisputeType => crate::tr!("field.dispute_type"),
        CaseField::ReferringUnit => crate::tr!("field.referring_unit"),
        CaseField::ReferralNo => crate::tr!("field.referral_no"),
        CaseField::PartyName(n) => party(n, "name"),
        CaseField::PartyContact(n) => party(n, "contact"),
        CaseField::PartyId(n) => party(n, "id"),
        CaseField::Facts => crate::tr!("field.facts"),
        CaseField::Points => crate::tr!("field.points"),
        CaseField::Mediators => crate::tr!("field.mediator1"),
        CaseField::Amount => crate::tr!("field.amount"),
        CaseField::ReceivedOn => crate::tr!("field.received_on"),
    }
}

/// Why an intake event was refused, in the current language.
pub fn refusal_message(refusal: &crate::domain::IntakeRefusal) -> String {
    use crate::domain::IntakeRefusal;
    match refusal {
        IntakeRefusal::NotFrom(state) => {
            crate::tr!("intake.refused_state", state = crate::tr!(state.key()))
        }
        IntakeRefusal::Invalid(field, problem) => {
            format!("{}: {}", field_label(field), validation_message(problem))
        }
        IntakeRefusal::Time(refusal) => time_refusal_message(refusal),
    }
}

/// Why a date was refused — in the future, or before the step it follows — naming both.
pub fn time_refusal_message(refusal: &crate::domain::timeline::TimeRefusal) -> String {
    use crate::domain::timeline::TimeRefusal;
    let moment = |at: chrono::NaiveDateTime| {
        if at.time() == chrono::NaiveTime::MIN {
            at.format("%Y-%m-%d").to_string()
        } else {
            at.format("%Y-%m-%d %H:%M").to_string()
        }
    };
    match refusal {
        TimeRefusal::Future { field, at, now } => crate::tr!(
            "time.future",
            field = field_label(field),
            at = moment(*at),
            now = now.format("%Y-%m-%d %H:%M")
        ),
        TimeRefusal::Before {
            field,
            at,
            step,
            follows,
        } => crate::tr!(
            "time.before",
            field = field_label(field),
            at = at.format("%Y-%m-%d"),
            step = crate::tr!(step.key()),
            follows = follows.format("%Y-%m-%d")
        ),
    }
}

/// Why a case event was refused, in the current language.
pub fn case_refusal_message(refusal: &crate::domain::case::CaseRefusal) -> String {
    use crate::domain::case::CaseRefusal;
    match refusal {
        CaseRefusal::NotFrom(state) => {
            crate::tr!("case.refused_state", state = crate::tr!(state.key()))
        }
        CaseRefusal::Invalid(field, problem) => {
            format!("{}: {}", field_label(field), validation_message(problem))
        }
        CaseRefusal::Time(refusal) => time_refusal_message(refusal),
        other => crate::tr!(other.key()),
    }
}

/// The duty report's coverage line: the figure, and why there is none when no scheduled slot
/// has ended yet.
pub fn coverage_line(coverage: crate::domain::roster::Coverage) -> String {
    match coverage.percent() {
        Some(_) => crate::tr!("roster.coverage", coverage = coverage.text()),
        None => crate::tr!("roster.coverage_none", coverage = coverage.text()),
    }
}

/// The name of a record kind, in the current language.
/// The label of a figure of a member's record (`duty.served` → 到岗); an activity kind's
/// figure (`activity:提案`) is the kind's name.
pub fn figure_label(figure: &str) -> String {
    match figure.strip_prefix(crate::domain::performance::ACTIVITY_PREFIX) {
        Some(kind) => crate::text::sanitize(kind).into_owned(),
        None => crate::tr!(format!("figure.{}", figure.replace('.', "_"))),
    }
}

pub fn kind_name(kind: &str) -> String {
    crate::tr!(format!("kind.{kind}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse() {
        assert_eq!(Language::parse("zh_CN.UTF-8"), Some(Language::Chinese));
        assert_eq!(Language::parse("en-US"), Some(Language::English));
        assert_eq!(Language::parse("fr"), None);
    }
}
