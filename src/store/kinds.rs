//! The one list of record kinds. Every loop over kinds — the search index, the bundle's
//! files and tables, the county's sheets, what an export would carry — visits this list, so
//! a kind added here is everywhere, and a kind not added is caught by the test below.
//!
//! Adding a kind: a domain file with its type and its [`Described`] fields, a store file
//! with its [`RecordTable`], its screens, a migration, a variant of [`RecordKind`] and one
//! line in [`each_kind`]; the compiler points to the rest (the search opener, the names).
//!
//! [`Described`]: crate::domain::fields::Described
//! [`RecordKind`]: crate::domain::RecordKind

use super::table::RecordTable;
use crate::domain::activity::Activity;
use crate::domain::case::MediationCase;
use crate::domain::consult::{Meeting, Report, Topic};
use crate::domain::roster::Shift;
use crate::domain::{Intake, Member};

/// Work done once per kind, generic over the kind's record type.
pub trait KindVisitor {
    type Error;
    fn visit<T: RecordTable>(&mut self) -> Result<(), Self::Error>;
}

/// Visits every kind, in the order bundles list them.
pub fn each_kind<V: KindVisitor>(visitor: &mut V) -> Result<(), V::Error> {
    visitor.visit::<Member>()?;
    visitor.visit::<Shift>()?;
    visitor.visit::<Intake>()?;
    visitor.visit::<MediationCase>()?;
    visitor.visit::<Topic>()?;
    visitor.visit::<Meeting>()?;
    visitor.visit::<Report>()?;
    visitor.visit::<Activity>()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RecordKind;

    struct Kinds(Vec<RecordKind>);

    impl KindVisitor for Kinds {
        type Error = ();
        fn visit<T: RecordTable>(&mut self) -> Result<(), ()> {
            self.0.push(T::KIND);
            Ok(())
        }
    }

    #[test]
    fn the_list_holds_every_kind_once_in_order() {
        let mut kinds = Kinds(Vec::new());
        assert_eq!(each_kind(&mut kinds), Ok(()));
        assert_eq!(kinds.0, RecordKind::ALL.to_vec());
    }
}
