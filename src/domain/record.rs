//! Identity and history shared by every kind of record.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The kinds of record, named alike in the CLI, in search results and in bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Member,
    Shift,
    Intake,
    Case,
    Topic,
    Meeting,
    Report,
    Activity,
}

impl RecordKind {
    pub const ALL: [RecordKind; 8] = [
        RecordKind::Member,
        RecordKind::Shift,
        RecordKind::Intake,
        RecordKind::Case,
        RecordKind::Topic,
        RecordKind::Meeting,
        RecordKind::Report,
        RecordKind::Activity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Member => "member",
            RecordKind::Shift => "shift",
            RecordKind::Intake => "intake",
            RecordKind::Case => "case",
            RecordKind::Topic => "topic",
            RecordKind::Meeting => "meeting",
            RecordKind::Report => "report",
            RecordKind::Activity => "activity",
        }
    }

    /// The message key of the kind's name (`kind.case` → 调解案件).
    pub fn key(self) -> &'static str {
        match self {
            RecordKind::Member => "kind.member",
            RecordKind::Shift => "kind.shift",
            RecordKind::Intake => "kind.intake",
            RecordKind::Case => "kind.case",
            RecordKind::Topic => "kind.topic",
            RecordKind::Meeting => "kind.meeting",
            RecordKind::Report => "kind.report",
            RecordKind::Activity => "kind.activity",
        }
    }

    pub fn parse(text: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What every record carries besides its own fields.
///
/// `rev` is the station-wide change sequence number of the record's latest version;
/// a record whose `deleted_at` is set is soft-deleted and can be restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordMeta {
    pub id: Uuid,
    pub station_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub rev: i64,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl RecordMeta {
    /// A meta for a record not yet stored: the store fills in every field on insert.
    pub fn unsaved() -> RecordMeta {
        RecordMeta {
            id: Uuid::nil(),
            station_id: Uuid::nil(),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            updated_at: DateTime::<Utc>::UNIX_EPOCH,
            rev: 0,
            deleted_at: None,
        }
    }

    pub fn is_saved(&self) -> bool {
        self.rev > 0
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(RecordKind::parse("nonsense"), None);
    }

    #[test]
    fn an_unsaved_meta_is_not_saved() {
        let meta = RecordMeta::unsaved();
        assert!(!meta.is_saved());
        assert!(!meta.is_deleted());
    }
}
