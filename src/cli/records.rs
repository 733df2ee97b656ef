//! `members` and `search`: the registry and the search box on the command line.

use std::io::Write;

use stationdesk::domain::{Member, RecordKind};
use stationdesk::i18n;
use stationdesk::store::{MemberFilter, Store};
use stationdesk::tr;

use crate::*;

pub(crate) fn list_members(
    store: &Store,
    text: String,
    all: bool,
    json: bool,
) -> Result<(), Failure> {
    let filter = MemberFilter {
        text,
        include_inactive: all,
        deleted: false,
    };
    let mut cursor = None;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    loop {
        let page = store.members_after(&filter, cursor.as_ref(), 500)?;
        for member in &page {
            let line = if json {
                serde_json::to_string(member).map_err(|e| Failure::Message(e.to_string()))?
            } else {
                member_line(member)
            };
            if writeln!(out, "{line}").is_err() {
                return Ok(());
            }
        }
        match page.last() {
            Some(last) if page.len() == 500 => cursor = Some(Store::member_cursor(last)),
            _ => break,
        }
    }
    Ok(())
}

pub(crate) fn search(
    store: &Store,
    query: &str,
    kind: Option<&str>,
    limit: usize,
    json: bool,
) -> Result<(), Failure> {
    let kind = match kind {
        None => None,
        Some(name) => Some(
            RecordKind::parse(name)
                .ok_or_else(|| Failure::Message(tr!("cli.unknown_kind", kind = name)))?,
        ),
    };
    let hits = store.search(query, kind, limit.clamp(1, 1000))?;
    if json {
        let text =
            serde_json::to_string_pretty(&hits).map_err(|e| Failure::Message(e.to_string()))?;
        println!("{text}");
        return Ok(());
    }
    use stationdesk::text::sanitize;
    for hit in &hits {
        println!(
            "{}\t{}\t{}\t{}\t{}",
            i18n::kind_name(hit.kind.as_str()),
            hit.date,
            sanitize(&hit.title),
            sanitize(&hit.snippet),
            hit.id
        );
    }
    if hits.is_empty() {
        eprintln!("{}", tr!("cli.no_hits"));
    }
    Ok(())
}

fn member_line(member: &Member) -> String {
    use stationdesk::text::sanitize;
    let f = &member.fields;
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}",
        member.meta.id,
        sanitize(&f.name),
        sanitize(&f.sector),
        sanitize(&f.party),
        sanitize(&f.phone),
        if f.active {
            tr!("member.active")
        } else {
            tr!("member.inactive")
        }
    )
}
