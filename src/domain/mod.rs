//! Plain types and rules. Nothing here does I/O.

pub mod case;
pub mod consult;
pub mod dates;
pub mod fields;
pub mod intake;
pub mod lists;
pub mod member;
pub mod pinyin_key;
pub mod record;
pub mod roster;
pub mod search;
pub mod station;
pub mod validate;

pub use intake::{DuePolicy, Intake, IntakeEvent, IntakeFields, IntakeRefusal, IntakeState};
pub use member::{Gender, Level, Member, MemberFields};
pub use record::{RecordKind, RecordMeta};
pub use station::{Station, StationSetup};
pub use validate::ValidationError;
