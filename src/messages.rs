//! The user's sentences for the errors of the lower layers (store, bundle, documents), in
//! the desk's language. Kept apart from `i18n`, which the layers themselves use for words,
//! so that no layer and `i18n` import each other.

use crate::i18n::{
    case_field_label, case_refusal_message, field_label, kind_name, refusal_message,
    validation_message,
};
use crate::store::StoreError;

/// The message for a store error, in the current language.
/// Why a passphrase is refused, in the user's language.
pub fn weakness_message(weakness: crate::domain::passphrase::Weakness) -> String {
    use crate::domain::passphrase::Weakness;
    match weakness {
        Weakness::Short => crate::tr!(
            "error.weak_short",
            min = crate::domain::passphrase::MIN_PASSPHRASE_CHARS
        ),
        Weakness::OnlyDigits => crate::tr!("error.weak_digits"),
        Weakness::Repetitive => crate::tr!("error.weak_repetitive"),
    }
}

pub fn store_error(err: &StoreError) -> String {
    match err {
        StoreError::CannotOpen { path, reason } => {
            crate::tr!(
                "error.cannot_open",
                path = path.display(),
                reason = library_detail(&reason.to_string())
            )
        }
        StoreError::NotStationdesk { path } => {
            crate::tr!("error.not_stationdesk", path = path.display())
        }
        StoreError::Corrupt => crate::tr!("error.corrupt"),
        StoreError::ReadOnly => crate::tr!("error.read_only"),
        StoreError::DiskFull => crate::tr!("error.disk_full"),
        StoreError::NewerSchema { found, supported } => {
            crate::tr!("error.newer_schema", found = found, supported = supported)
        }
        StoreError::AlreadyInitialised => crate::tr!("error.already_initialised"),
        StoreError::NotInitialised => crate::tr!("error.not_initialised"),
        StoreError::OtherStation => crate::tr!("error.other_station"),
        StoreError::CaseNotConcluded(number) => crate::tr!(
            "intakes.case_not_concluded",
            number = crate::text::sanitize(number)
        ),
        StoreError::HandOverOpen(title) => crate::tr!(
            "intakes.handover_open",
            title = crate::text::sanitize(title)
        ),
        StoreError::Cancelled => crate::tr!("error.cancelled"),
        StoreError::NobodySignedIn => crate::tr!("error.nobody_signed_in"),
        StoreError::NotFound { kind, id } => {
            crate::tr!("error.not_found", kind = kind_name(kind.as_str()), id = id)
        }
        StoreError::Deleted { kind, id } => {
            crate::tr!("error.deleted", kind = kind_name(kind.as_str()), id = id)
        }
        StoreError::NotDeleted { kind, id } => {
            crate::tr!(
                "error.not_deleted",
                kind = kind_name(kind.as_str()),
                id = id
            )
        }
        StoreError::Invalid(problems) => problems
            .iter()
            .map(|(field, e)| format!("{}: {}", field_label(field), validation_message(e)))
            .collect::<Vec<_>>()
            .join("; "),
        StoreError::InvalidFields(problems) => problems
            .iter()
            .map(|(field, e)| format!("{}: {}", field_label(field), validation_message(e)))
            .collect::<Vec<_>>()
            .join("; "),
        StoreError::InvalidCase(problems) => problems
            .iter()
            .map(|(field, e)| format!("{}: {}", case_field_label(*field), validation_message(e)))
            .collect::<Vec<_>>()
            .join("; "),
        StoreError::Refused(refusal) => refusal_message(refusal),
        StoreError::CaseRefused(refusal) => case_refusal_message(refusal),
        StoreError::ConsultRefused(refusal) => match refusal {
            crate::domain::consult::ConsultRefusal::NotFrom(step) => {
                crate::tr!("consult.refused_state", step = crate::tr!(step.key()))
            }
            crate::domain::consult::ConsultRefusal::Invalid(field, problem) => {
                format!("{}: {}", field_label(field), validation_message(problem))
            }
            crate::domain::consult::ConsultRefusal::Time(refusal) => {
                crate::i18n::time_refusal_message(refusal)
            }
            other => crate::tr!(other.key()),
        },
        StoreError::ShiftRefused(refusal) => match refusal {
            crate::domain::roster::ShiftRefusal::NotFrom(state) => {
                crate::tr!("shift.refused_state", state = crate::tr!(state.key()))
            }
            crate::domain::roster::ShiftRefusal::Invalid(field, problem) => {
                format!("{}: {}", field_label(field), validation_message(problem))
            }
            other => crate::tr!(other.key()),
        },
        StoreError::Setting(key) => crate::tr!(*key),
        StoreError::Key(reason) => crate::tr!("error.key", reason = reason),
        StoreError::Locked => crate::tr!("error.locked"),
        StoreError::WrongPassphrase => crate::tr!("error.wrong_passphrase"),
        StoreError::NoSlot => crate::tr!("error.no_slot"),
        StoreError::NoKeys { path } => crate::tr!(
            "error.no_keys",
            path = path.display(),
            db = path.with_extension("").display()
        ),
        StoreError::KeysDamaged(reason) => {
            crate::tr!("error.keys_damaged", reason = crate::text::sanitize(reason))
        }
        StoreError::WeakPassphrase(weakness) => weakness_message(*weakness),
        StoreError::Rules { path, error } => crate::tr!(
            "assess.error_file",
            path = path.display(),
            reason = rules_error(error)
        ),
        StoreError::Io { path, source } => {
            crate::tr!(
                "error.io",
                path = path.display(),
                reason = io_reason(source)
            )
        }
        StoreError::BadRecord(reason) => crate::tr!("error.bad_record", reason = reason),
        StoreError::Sqlite(e) => {
            crate::tr!("error.sqlite", reason = library_detail(&e.to_string()))
        }
    }
}

/// What the desk says of a bundle written: where, its number and records, and which kinds the
/// bundle's workbook lists only in part (see [`crate::bundle::report_rows`]).
pub fn exported(outcome: &crate::bundle::ExportOutcome) -> String {
    let manifest = &outcome.manifest;
    let count: u64 = manifest.counts.iter().map(|(_, n)| n).sum();
    let mut text = crate::tr!(
        "bundle.exported",
        path = outcome.path.display(),
        seq = manifest.seq,
        count = count
    );
    let rows = crate::bundle::report_rows(manifest.plaintext);
    let cut: Vec<String> = manifest
        .counts
        .iter()
        .filter(|(_, n)| *n > rows)
        .map(|(kind, n)| crate::tr!("bundle.report_cut_kind", kind = kind_name(kind), count = n))
        .collect();
    if !cut.is_empty() {
        // The sentence brings its own space where the language wants one.
        let kinds = cut.join(&crate::tr!("bundle.report_cut_join"));
        text.push_str(&if manifest.plaintext {
            crate::tr!("bundle.report_cut", kinds = kinds, rows = rows)
        } else {
            crate::tr!("bundle.report_cut_sealed", kinds = kinds, rows = rows)
        });
    }
    text
}

/// The message for a bundle error, in the current language.
pub fn bundle_error(err: &crate::bundle::BundleError) -> String {
    use crate::bundle::BundleError as E;
    match err {
        E::Store(e) => store_error(e),
        E::NoRecipient => crate::tr!("bundle.no_recipient"),
        E::BadRecipient => crate::tr!("validate.age_recipient"),
        E::Io(what, e) => crate::tr!("error.io", path = what, reason = io_reason(e)),
        E::ReadBack => crate::tr!("bundle.read_back"),
        E::NeedIdentity => crate::tr!("bundle.need_identity"),
        E::BadIdentity(why) => crate::tr!("bundle.bad_identity", reason = library_detail(why)),
        E::WrongIdentity => crate::tr!("bundle.wrong_identity"),
        E::HostileHeader => crate::tr!("bundle.hostile_header"),
        E::Damaged(why) => crate::tr!("bundle.damaged", reason = library_detail(why)),
        E::UnknownFormat(what) => crate::tr!(
            "bundle.unknown_format",
            format = crate::text::sanitize(what)
        ),
        E::BadSignature => crate::tr!("bundle.bad_signature"),
        E::FileMismatch(what) => {
            crate::tr!("bundle.file_mismatch", file = crate::text::sanitize(what))
        }
        E::PartUnreadable { part, reason } => crate::tr!(
            "bundle.part_unreadable",
            file = crate::text::sanitize(part),
            reason = library_detail(reason)
        ),
        E::KeyMismatch => crate::tr!("bundle.key_mismatch"),
        E::Gap { from, to } if from == to => crate::tr!("bundle.gap", missing = from),
        E::Gap { from, to } => crate::tr!("bundle.gap", missing = format!("{from}-{to}")),
        E::OutOfBounds(what) => {
            crate::tr!("bundle.out_of_bounds", what = crate::text::sanitize(what))
        }
        E::DuplicateEntries => crate::tr!("bundle.duplicate_entries"),
        E::ForeignRecord(id) => {
            crate::tr!("bundle.foreign_record", id = crate::text::sanitize(id))
        }
        E::KeyOfOtherStation(code) => {
            crate::tr!("bundle.key_of_other", code = crate::text::sanitize(code))
        }
        E::CodeTaken { code, listed, new } => crate::tr!(
            "bundle.code_taken",
            code = crate::text::sanitize(code),
            listed = crate::text::sanitize(listed),
            new = crate::text::sanitize(new)
        ),
        E::Internal(why) => crate::tr!("bundle.internal", reason = crate::text::sanitize(why)),
        E::TargetNotEmpty => crate::tr!("bundle.migrate_not_empty"),
        E::County(why) => crate::tr!("bundle.county_db", reason = crate::text::sanitize(why)),
        E::CountyKey { problem, path } => {
            use crate::bundle::CountyKeyProblem as P;
            let path = crate::text::sanitize(path);
            match problem {
                P::NothingToMakeItWith => crate::tr!("county.key_nothing", path = path),
                P::NotOpened => crate::tr!("county.key_not_opened", path = path),
                P::NotGiven => crate::tr!("county.key_not_given", path = path),
                P::NoKeys => crate::tr!("county.key_no_keys", path = path),
            }
        }
        E::Fork(seq) => crate::tr!("bundle.fork", seq = seq),
        E::Stopped => crate::tr!("bundle.stopped"),
        E::DiskFull {
            folder,
            free,
            needed,
        } => crate::tr!(
            "bundle.disk_full",
            folder = crate::text::sanitize(folder),
            free = free.map(megabytes).unwrap_or_else(|| "?".to_string()),
            needed = megabytes(*needed)
        ),
        E::InvalidRecord {
            kind,
            id,
            field,
            reason,
        } => crate::tr!(
            "bundle.invalid_record",
            kind = kind_name(kind.as_str()),
            id = crate::text::sanitize(id),
            field = if field.is_empty() {
                String::new()
            } else {
                crate::text::sanitize(field).into_owned()
            },
            reason = crate::text::sanitize(reason)
        ),
        E::DiffersFromImported {
            station,
            seq,
            imported_at,
        } => crate::tr!(
            "bundle.differs_from_imported",
            station = crate::text::sanitize(station),
            seq = seq,
            date = local_date(imported_at)
        ),
        E::Exists(path) => crate::tr!("bundle.exists", path = path),
        E::NotDelivered {
            seq,
            file_name,
            reason,
        } => crate::tr!(
            "bundle.not_delivered",
            seq = seq,
            file = file_name,
            reason = bundle_error(reason)
        ),
        E::NothingChanged => crate::tr!("bundle.nothing_changed"),
        E::NotInArchive(name) => {
            crate::tr!("bundle.not_in_archive", file = crate::text::sanitize(name))
        }
        E::PlaintextImport => crate::tr!("bundle.plaintext_import"),
        E::Sheet(why) => crate::tr!("bundle.sheet", reason = why),
    }
}

/// The message for a document that could not be written, in the current language.
/// What a library said (in English), in the desk's language: the usual messages of age, zip,
/// SQLite and the system are translated; anything else is kept as a technical detail after
/// a word saying so.
pub fn library_detail(text: &str) -> String {
    let lower = text.to_lowercase();
    const KNOWN: [(&str, &str); 12] = [
        ("decryption", "lib.decryption"),
        ("no matching keys", "lib.wrong_key"),
        ("no such file", "io.not_found"),
        ("permission denied", "io.permission_denied"),
        ("no space left", "io.storage_full"),
        ("read-only file system", "io.read_only"),
        ("unexpected end of file", "lib.truncated"),
        ("invalid zip", "lib.not_zip"),
        ("could not find eocd", "lib.not_zip"),
        ("checksum", "lib.checksum"),
        ("database is locked", "lib.locked"),
        ("disk i/o error", "lib.disk_io"),
    ];
    match KNOWN.iter().find(|(needle, _)| lower.contains(needle)) {
        Some((_, key)) => crate::tr!(*key),
        None => crate::tr!("lib.other", detail = crate::text::sanitize(text)),
    }
}

/// What an I/O error means, in the desk's language (the system's own words are English).
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let key = match err.kind() {
        K::NotFound => "io.not_found",
        K::PermissionDenied => "io.permission_denied",
        K::AlreadyExists => "io.already_exists",
        K::StorageFull => "io.storage_full",
        K::ReadOnlyFilesystem => "io.read_only",
        K::InvalidData | K::UnexpectedEof => "io.invalid_data",
        _ => return crate::tr!("io.other", reason = err),
    };
    crate::tr!(key)
}

/// What opening or printing a document came to, as a sentence.
pub fn launch_error(err: &crate::documents::launch::LaunchError) -> String {
    use crate::documents::launch::LaunchError as E;
    match err {
        E::NoProgram("print", program) => {
            crate::tr!("documents.no_print_program", program = program)
        }
        E::NoProgram(_, program) => crate::tr!("documents.no_open_program", program = program),
        E::NoPrinter => crate::tr!("documents.no_printer"),
        E::Failed(program, why) => crate::tr!(
            "documents.program_failed",
            program = crate::text::sanitize(program),
            reason = crate::text::sanitize(why)
        ),
        E::Missing(path) => crate::tr!(
            "documents.missing",
            path = crate::text::sanitize(&path.display().to_string())
        ),
    }
}

pub fn document_error(err: &crate::documents::DocumentError) -> String {
    use crate::documents::DocumentError as E;
    match err {
        E::NoAgreement => crate::tr!("cases.no_agreement_yet"),
        E::Io(path, e) => crate::tr!("error.io", path = path.display(), reason = io_reason(e)),
        E::Format(why) => crate::tr!("error.document", reason = why),
    }
}

/// Why the assessment's rules file was refused, in the current language.
pub fn rules_error(err: &crate::domain::assessment::RulesError) -> String {
    use crate::domain::assessment::RulesError;
    match err {
        RulesError::Syntax(detail) => {
            crate::tr!(err.key(), detail = crate::text::sanitize(detail.trim()))
        }
        RulesError::UnknownFigure { rule, figure } => crate::tr!(
            err.key(),
            rule = crate::text::sanitize(rule),
            figure = crate::text::sanitize(figure)
        ),
        RulesError::NoFigure { rule } | RulesError::Negative { rule } => {
            crate::tr!(err.key(), rule = crate::text::sanitize(rule))
        }
        RulesError::Thresholds => crate::tr!(err.key()),
    }
}

/// Bytes as megabytes, one decimal.
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// An RFC 3339 moment as a local date and time, or as it is when it does not read.
fn local_date(at: &str) -> String {
    crate::domain::dates::local_moment(at).unwrap_or_else(|| crate::text::sanitize(at).into_owned())
}

/// What a handed-over visit's reply records: the result of the record it was handed to, in
/// Chinese whatever the desk's language (the station's records are, as its paper registers).
pub fn handover_reply(handover: &crate::domain::intake::Handover) -> String {
    use crate::domain::intake::Handover;
    use crate::i18n::{message_in, Language::Chinese};
    match handover {
        Handover::Case { number, outcome } => message_in(Chinese, "intakes.closed_from_case_text")
            .replace("%{number}", number)
            .replace("%{outcome}", &message_in(Chinese, outcome)),
        Handover::Topic { title } => {
            message_in(Chinese, "intakes.closed_from_topic_text").replace("%{title}", title)
        }
        Handover::Report { title, adopted } => {
            let result = if *adopted {
                "reports.adopted"
            } else {
                "reports.not_adopted"
            };
            message_in(Chinese, "intakes.closed_from_report_text")
                .replace("%{title}", title)
                .replace("%{result}", &message_in(Chinese, result))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_says_which_kinds_the_workbook_lists_in_part() {
        crate::i18n::set_thread_language(crate::i18n::Language::Chinese);
        let manifest = crate::bundle::BundleManifest {
            format: String::new(),
            station_id: uuid::Uuid::nil(),
            station_code: "QX01".into(),
            station_name: String::new(),
            public_key: String::new(),
            seq: 3,
            rev_from: 0,
            rev_to: 9,
            previous_manifest_sha256: String::new(),
            created_at: String::new(),
            app_version: String::new(),
            plaintext: true,
            files: Vec::new(),
            counts: vec![
                ("member".into(), 30),
                ("intake".into(), crate::bundle::REPORT_ROWS + 1),
            ],
            quotas: None,
            key_escrow: None,
            history: None,
            town: None,
        };
        let mut outcome = crate::bundle::ExportOutcome {
            path: "stick/QX01-20261202-0003.sdb1".into(),
            manifest,
        };
        let text = exported(&outcome);
        assert!(
            text.starts_with(
                "已导出并校验：stick/QX01-20261202-0003.sdb1（批次 3，100031 条记录）"
            ),
            "{text}"
        );
        assert!(
            text.contains("来访接待（共 100001 条）只列出最近更改的 100000 条"),
            "{text}"
        );
        outcome.manifest.counts[1].1 = crate::bundle::REPORT_ROWS;
        assert!(!exported(&outcome).contains("report.xlsx"));
        // A bundle for the county lists fewer, and its data files hold the rest.
        outcome.manifest.plaintext = false;
        let text = exported(&outcome);
        assert!(
            text.contains(
                "来访接待（共 100000 条）只列出最近更改的 10000 条，每一条记录都在数据文件中"
            ),
            "{text}"
        );
        outcome.manifest.counts[1].1 = crate::bundle::SEALED_REPORT_ROWS;
        assert!(!exported(&outcome).contains("report.xlsx"));
    }

    #[test]
    fn library_messages_reach_the_user_in_the_desks_language() {
        crate::i18n::set_thread_language(crate::i18n::Language::Chinese);
        assert!(library_detail("decryption error").contains("解密失败"));
        assert!(library_detail("No such file or directory (os error 2)").contains("不存在"));
        assert!(library_detail("invalid Zip archive: Could not find EOCD").contains("压缩文件"));
        assert!(library_detail("something new").starts_with("技术信息："));
        let gone = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        assert_eq!(io_reason(&gone), "文件或文件夹不存在");
        crate::i18n::set_thread_language(crate::i18n::Language::English);
        assert!(library_detail("decryption error").starts_with("decryption failed"));
    }
}
