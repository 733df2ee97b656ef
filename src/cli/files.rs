//! `check`: whether a file is a sound station database, read without changing it.

use std::process::ExitCode;

use stationdesk::store::{self, CheckVerdict};
use stationdesk::tr;

use crate::*;

pub(crate) fn check(
    path: &std::path::Path,
    source: &crate::cli::unlock::KeySource,
) -> Result<ExitCode, Failure> {
    // A plain file (of an earlier version) is checked as it is; an encrypted one with its key.
    let key = match store::file_state(path) {
        store::FileState::Encrypted => {
            let unlock = source.unlock(path)?;
            store::unlock_file(path, &unlock)?.map(|(key, _)| key)
        }
        _ => None,
    };
    let verdict = store::check_file(path, key.as_ref())?;
    let (message, ok) = match verdict {
        CheckVerdict::Sound {
            schema,
            read_only_disk: false,
        } => (tr!("check.sound", schema = schema), true),
        CheckVerdict::Sound {
            schema,
            read_only_disk: true,
        } => (tr!("check.sound_read_only", schema = schema), true),
        CheckVerdict::NotStationdesk => (tr!("check.not_stationdesk"), false),
        CheckVerdict::Newer { schema } => (tr!("check.newer", schema = schema), false),
        CheckVerdict::Damaged(problems) => (
            tr!(
                "check.damaged",
                count = problems.len(),
                first =
                    stationdesk::text::sanitize(problems.first().map(String::as_str).unwrap_or(""))
            ),
            false,
        ),
    };
    println!("{}: {message}", path.display());
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
