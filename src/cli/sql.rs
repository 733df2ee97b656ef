//! `sql`: a read-only query on the station file, for support and scripts, in place of
//! `sqlite3` (which cannot open the encrypted file). Output as aligned text, or the shapes of
//! `sqlite3 -json` and `sqlite3 -csv [-header]`.

use std::path::Path;
use std::process::ExitCode;

use stationdesk::store::{self, Unlock};

use crate::*;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Json,
    Csv { header: bool },
}

impl Format {
    pub(crate) fn of(json: bool, csv: bool, header: bool) -> Format {
        if json {
            Format::Json
        } else if csv {
            Format::Csv { header }
        } else {
            Format::Text
        }
    }
}

pub(crate) fn sql(
    path: &Path,
    unlock: &Unlock,
    query: &str,
    format: Format,
) -> Result<ExitCode, Failure> {
    let (columns, rows) = store::read_only_query(path, unlock, query)?;
    print_rows(&columns, &rows, format)
}

/// Prints rows as `sql` and `county sql` do.
pub(crate) fn print_rows(
    columns: &[String],
    rows: &[Vec<rusqlite::types::Value>],
    format: Format,
) -> Result<ExitCode, Failure> {
    let mut out = String::new();
    match format {
        Format::Json => {
            // sqlite3 -json: one object a row, the rows in an array; nothing for no rows.
            for (i, row) in rows.iter().enumerate() {
                let object: serde_json::Map<String, serde_json::Value> = columns
                    .iter()
                    .cloned()
                    .zip(row.iter().map(json_value))
                    .collect();
                out.push(if i == 0 { '[' } else { ',' });
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(&serde_json::Value::Object(object).to_string());
            }
            if !rows.is_empty() {
                out.push_str("]\n");
            }
        }
        Format::Csv { header } => {
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new());
            let fail = |e: csv::Error| Failure::Message(e.to_string());
            if header {
                writer.write_record(columns).map_err(fail)?;
            }
            for row in rows {
                writer
                    .write_record(row.iter().map(text_value))
                    .map_err(fail)?;
            }
            let bytes = writer
                .into_inner()
                .map_err(|e| Failure::Message(e.to_string()))?;
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
        Format::Text => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|v| stationdesk::text::sanitize(&text_value(v)).into_owned())
                        .collect()
                })
                .collect();
            let widths: Vec<usize> = columns
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    cells
                        .iter()
                        .filter_map(|row| row.get(i))
                        .map(|c| unicode_width::UnicodeWidthStr::width(c.as_str()))
                        .chain(std::iter::once(unicode_width::UnicodeWidthStr::width(
                            name.as_str(),
                        )))
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let line = |values: &[String]| {
                values
                    .iter()
                    .zip(&widths)
                    .map(|(v, w)| {
                        let pad =
                            w.saturating_sub(unicode_width::UnicodeWidthStr::width(v.as_str()));
                        format!("{v}{}", " ".repeat(pad))
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            if !rows.is_empty() {
                out.push_str(&line(columns));
                out.push('\n');
                let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
                out.push_str(&line(&rule));
                out.push('\n');
            }
            for row in &cells {
                out.push_str(&line(row));
                out.push('\n');
            }
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn json_value(value: &rusqlite::types::Value) -> serde_json::Value {
    use rusqlite::types::Value;
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(n) => serde_json::Value::from(*n),
        Value::Real(x) => serde_json::Value::from(*x),
        Value::Text(t) => serde_json::Value::from(t.as_str()),
        Value::Blob(b) => serde_json::Value::from(hex::encode(b)),
    }
}

fn text_value(value: &rusqlite::types::Value) -> String {
    use rusqlite::types::Value;
    match value {
        Value::Null => String::new(),
        Value::Integer(n) => n.to_string(),
        Value::Real(x) => x.to_string(),
        Value::Text(t) => t.clone(),
        Value::Blob(b) => hex::encode(b),
    }
}
