//! Plain types and rules. Nothing here does I/O.

/// How many tokens it is given (for the length of an enum's `ALL`).
macro_rules! count_tokens {
    () => { 0usize };
    ($head:tt $($tail:tt)*) => { 1usize + count_tokens!($($tail)*) };
}

/// An enum stored and sent by name: `ALL` in order, `as_str` (the name in the database and
/// in bundles), `parse`, and `key` (its message key, `prefix.name`, for the words people
/// read). One definition for every such enum in the domain.
macro_rules! named_enum {
    ($name:ident, $prefix:literal, [$($variant:ident => $text:literal),+ $(,)?]) => {
        impl $name {
            pub const ALL: [$name; count_tokens!($($variant)+)] = [$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == text)
            }

            pub fn key(self) -> &'static str {
                match self {
                    $($name::$variant => concat!($prefix, ".", $text)),+
                }
            }
        }
    };
}

pub mod activity;
pub mod assessment;
pub mod bounds;
pub mod case;
pub mod consult;
pub mod dates;
pub mod fields;
pub mod intake;
pub mod lists;
pub mod lockout;
pub mod member;
pub mod passphrase;
pub mod performance;
pub mod pinyin_key;
pub mod record;
pub mod roster;
pub mod search;
pub mod station;
pub mod timeline;
pub mod validate;

pub use intake::{DuePolicy, Intake, IntakeEvent, IntakeFields, IntakeRefusal, IntakeState};
pub use member::{Gender, Level, Member, MemberFields};
pub use record::{RecordKind, RecordMeta};
pub use station::{Station, StationSetup};
pub use validate::ValidationError;
