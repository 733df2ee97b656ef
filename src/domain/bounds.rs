//! How long a typed text of each kind's field may be, as the station's forms allow it: what the
//! county checks every imported record against. Kept beside the fields' descriptions, above
//! the kinds whose limits it names.

use super::fields::Described;
use super::RecordKind;

/// The most characters a typed text of `kind`'s field `name` may hold, as the forms allow it:
/// what the county checks every imported record against. A name is a line of a register (64);
/// a one-line text is a unit, a place, a number (200); a multi-line text is as long as its
/// kind's forms take (the consultations' 20,000), and minutes as long as a meeting ran.
pub fn max_chars(kind: RecordKind, name: &str) -> usize {
    match (kind, name) {
        (RecordKind::Member, "name") | (RecordKind::Intake, "visitor_name") => 64,
        (RecordKind::Meeting, "host") => 64,
        (_, "phone" | "id_number" | "proposal_number" | "referral_no" | "case_no") => 64,
        (RecordKind::Member, _) => 200,
        (RecordKind::Intake, "request" | "reopen_reason") => super::intake::REQUEST_MAX,
        (RecordKind::Case, "facts" | "points") => super::case::TEXT_MAX,
        (RecordKind::Meeting, "minutes") => 1_000_000,
        (_, "category" | "dispute_type" | "sector" | "party") => 200,
        (_, "title" | "address" | "place" | "source_note" | "submitted_to" | "referring_unit") => {
            200
        }
        (RecordKind::Shift, "reason") => 200,
        _ => super::consult::TEXT_MAX,
    }
}

/// The first typed text of `record` longer than its field allows: the field, its length and
/// its maximum.
pub fn too_long<T: Described>(record: &T) -> Option<(&'static str, usize, usize)> {
    T::fields().iter().find_map(|field| {
        let max = max_chars(T::KIND, field.name);
        field
            .typed_texts(record)
            .into_iter()
            .map(|text| text.chars().count())
            .find(|n| *n > max)
            .map(|n| (field.name, n, max))
    })
}
