//! `agreement` and `register`: the documents the desk prints, written from the command line.

use std::path::{Path, PathBuf};

use stationdesk::documents::register::{Contact, RegisterContext, RegisterVisit};
use stationdesk::documents::{AgreementContext, SigningDate};
use stationdesk::store::{Store, StoreError};
use stationdesk::tr;

use crate::*;

fn document_failure(e: stationdesk::documents::DocumentError) -> Failure {
    Failure::Message(stationdesk::messages::document_error(&e))
}

/// Writes the agreement of case `case_no` and prints its path.
pub(crate) fn agreement(
    store: &Store,
    path: &Path,
    case_no: &str,
    out: Option<PathBuf>,
    blank_date: bool,
) -> Result<(), Failure> {
    let station = store.station()?.ok_or(StoreError::NotInitialised)?;
    let case = store
        .case_by_number(case_no)?
        .ok_or_else(|| Failure::Message(tr!("cli.no_such_case", number = case_no)))?;
    let mediators = store.member_names(&case.fields.mediators)?;
    let committee = store.mediation_committee()?;
    let dir = out.unwrap_or_else(|| stationdesk::documents::documents_dir(path));
    let context = AgreementContext {
        station: &station,
        mediators: &mediators,
        committee: &committee,
        date: if blank_date {
            SigningDate::Blank
        } else {
            SigningDate::Filled
        },
    };
    let written =
        stationdesk::documents::write_agreement(&case, &context, &dir).map_err(document_failure)?;
    println!("{}", written.display());
    if committee.is_empty() {
        eprintln!("{}", tr!("cases.agreement_no_committee"));
    }
    Ok(())
}

/// The period a register covers: a month, or two dates.
fn register_period(
    month: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(chrono::NaiveDate, chrono::NaiveDate), Failure> {
    // The desk's one date parser: 2026-12-02, 12-02, 12月2日, 20261202, 今天, 昨天…
    let date = |text: &str| {
        stationdesk::domain::dates::parse_date(text, stationdesk::clock::today())
            .map_err(|_| Failure::Message(tr!("cli.bad_date", value = text)))
    };
    match (month, from, to) {
        (Some(month), None, None) => crate::cli::roster::parse_month(month),
        (None, Some(from), Some(to)) => {
            let (from, to) = (date(from)?, date(to)?);
            if to < from {
                return Err(Failure::Message(tr!("register.to_before_from")));
            }
            Ok((from, to))
        }
        _ => Err(Failure::Message(tr!("cli.register_period"))),
    }
}

/// Writes the visitor register of the period as .docx and .xlsx and prints both paths.
pub(crate) fn register(
    store: &Store,
    path: &Path,
    month: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    whole_contact: bool,
    out: Option<PathBuf>,
) -> Result<(), Failure> {
    let station = store.station()?.ok_or(StoreError::NotInitialised)?;
    let (from, to) = register_period(month, from, to)?;
    let listings = store.register_visits(from, to)?;
    let visits: Vec<RegisterVisit<'_>> = listings
        .iter()
        .map(|l| RegisterVisit {
            intake: &l.intake,
            member: l.member_name.as_deref(),
        })
        .collect();
    let context = RegisterContext {
        station: &station,
        from,
        to,
        contact: if whole_contact {
            Contact::Whole
        } else {
            Contact::Masked
        },
    };
    let dir = out.unwrap_or_else(|| stationdesk::documents::documents_dir(path));
    let written = stationdesk::documents::register::write_register(&visits, &context, &dir)
        .map_err(document_failure)?;
    for file in written {
        println!("{}", file.display());
    }
    eprintln!("{}", tr!("cli.register_done", count = visits.len()));
    Ok(())
}
