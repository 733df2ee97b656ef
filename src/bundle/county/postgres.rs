//! The county store on PostgreSQL, for an office whose staff import and read at once, or a
//! city that merges its counties. Several importers may run at the same moment: each import's
//! transaction first takes a transaction-scoped advisory lock on its station (and then on its
//! signing key), so two importers of one station take turns — neither accepts a seq the other
//! took, neither leaves a gap — while importers of different stations go on side by side. The
//! locks are always taken in the same order (station, then key), so they cannot deadlock.

use std::sync::Arc;

use postgres::{Client, NoTls};

use super::schema::{self, STEPS};
use super::{
    Accepted, BundleRow, Chain, ChainTx, CountyStore, ImportOutcome, ImportWork, LogRow,
    StationRow, Stored,
};
use crate::bundle::BundleError;
use crate::store::StoreError;

fn pg(e: postgres::Error) -> BundleError {
    BundleError::County(describe(&e))
}

/// What the server said — its severity, SQLSTATE, message, detail and hint — or, for an error
/// of the connection itself, the whole chain of causes ("error connecting to server: Connection
/// refused"): what a person needs to act, never the bare "db error".
fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut text = format!("{} {}: {}", db.severity(), db.code().code(), db.message());
        if let Some(detail) = db.detail() {
            text.push_str(&format!(" ({detail})"));
        }
        if let Some(hint) = db.hint() {
            text.push_str(&format!(" ({hint})"));
        }
        return text;
    }
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let said = c.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        cause = c.source();
    }
    text
}

/// Where a connection goes — the host or socket, the port, the database and the user — fit to
/// print (never the password).
fn place(config: &postgres::Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
    format!(
        "host={} port={} dbname={} user={}",
        if hosts.is_empty() {
            "localhost".to_string()
        } else {
            hosts.join(",")
        },
        if ports.is_empty() {
            "5432".to_string()
        } else {
            ports.join(",")
        },
        config.get_dbname().unwrap_or(""),
        config.get_user().unwrap_or("")
    )
}

/// A connection string with its password left out, fit to print.
pub fn redacted(target: &str) -> String {
    let t = target.trim();
    if let Some(rest) = t
        .strip_prefix("postgres://")
        .or_else(|| t.strip_prefix("postgresql://"))
    {
        let scheme = &t[..t.len() - rest.len()];
        if let Some((credentials, host)) = rest.split_once('@') {
            if let Some((user, _)) = credentials.split_once(':') {
                return format!("{scheme}{user}:***@{host}");
            }
        }
        return t.to_string();
    }
    t.split_whitespace()
        .map(|pair| {
            if pair.starts_with("password=") {
                "password=***".to_string()
            } else {
                pair.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// rustls with the web's roots and, when `PGSSLROOTCERT` names a PEM file, the county's own
/// certificate authority (a server with a self-signed certificate).
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, BundleError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Ok(path) = std::env::var("PGSSLROOTCERT") {
        let certs = CertificateDer::pem_file_iter(&path)
            .map_err(|e| BundleError::County(format!("{path}: {e}")))?;
        for cert in certs {
            let cert = cert.map_err(|e| BundleError::County(format!("{path}: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| BundleError::County(format!("{path}: {e}")))?;
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| BundleError::County(e.to_string()))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Locks for one transaction, keyed by text (PostgreSQL hashes it to the lock's number).
const LOCK: &str = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

pub struct PgCounty {
    client: Client,
    /// Statements prepared once per connection (the report and the report tables ask the
    /// same few questions hundreds of thousands of times).
    prepared: std::collections::HashMap<&'static str, postgres::Statement>,
}

impl PgCounty {
    fn statement(&mut self, sql: &'static str) -> Result<postgres::Statement, BundleError> {
        if let Some(statement) = self.prepared.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql).map_err(pg)?;
        self.prepared.insert(sql, statement.clone());
        Ok(statement)
    }

    /// Connects (TLS through rustls when the string says `sslmode=require`) and brings the
    /// schema up to date.
    pub fn connect(target: &str, indexing: &mut dyn FnMut()) -> Result<PgCounty, BundleError> {
        let config: postgres::Config = target
            .parse()
            .map_err(|e: postgres::Error| BundleError::County(e.to_string()))?;
        let client = match config.get_ssl_mode() {
            postgres::config::SslMode::Require => config.connect(tls()?),
            _ => config.connect(NoTls),
        }
        .map_err(|e| BundleError::County(format!("{} - {}", describe(&e), place(&config))))?;
        let mut county = PgCounty {
            client,
            prepared: Default::default(),
        };
        county.migrate(indexing)?;
        Ok(county)
    }

    /// Applies the steps the database lacks, in one transaction, holding a lock so that two
    /// programs starting at once do not both migrate.
    fn migrate(&mut self, indexing: &mut dyn FnMut()) -> Result<(), BundleError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        tx.execute(LOCK, &[&"stationdesk:schema"]).map_err(pg)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS county_schema (
                singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
                version    BIGINT NOT NULL
             )",
        )
        .map_err(pg)?;
        let version: i64 = tx
            .query_opt("SELECT version FROM county_schema WHERE singleton = 1", &[])
            .map_err(pg)?
            .map(|r| r.get(0))
            .unwrap_or(0);
        if version > schema::latest() {
            return Err(BundleError::Store(StoreError::NewerSchema {
                found: version,
                supported: schema::latest(),
            }));
        }
        for step in STEPS.iter().skip(version as usize) {
            tx.batch_execute(step.postgres).map_err(pg)?;
        }
        super::pg_desk::fill_search(&mut tx, pg, indexing)?;
        tx.execute(
            "INSERT INTO county_schema (singleton, version) VALUES (1, $1)
             ON CONFLICT (singleton) DO UPDATE SET version = excluded.version",
            &[&schema::latest()],
        )
        .map_err(pg)?;
        tx.commit().map_err(pg)
    }
}

struct Tx<'a, 'b> {
    tx: &'a mut postgres::Transaction<'b>,
    /// Record versions not yet sent, in COPY's text format; sent some thousands at a time
    /// through a temporary table (COPY, then one upsert of them all).
    pending: String,
    rows: usize,
    /// The changes the bundle carries, not yet sent.
    history: super::pg_history::HistoryBatch,
}

const BATCH: usize = 5000;
/// Or this many bytes of them, whichever comes first: 5,000 mediation cases with their search
/// entries are some 30 MB.
const BATCH_BYTES: usize = 8 << 20;

/// Made once per connection; emptied after every batch.
const INCOMING: &str = "CREATE TEMP TABLE IF NOT EXISTS county_incoming (
    n           BIGINT,
    station_id  TEXT COLLATE \"C\",
    kind        TEXT COLLATE \"C\",
    id          TEXT COLLATE \"C\",
    rev         BIGINT,
    deleted     BOOLEAN,
    data        TEXT,
    date        TEXT,
    doc         TSVECTOR
)";

impl Tx<'_, '_> {
    fn flush(&mut self) -> Result<(), BundleError> {
        self.history.flush(self.tx, pg)?;
        if self.rows == 0 {
            return Ok(());
        }
        self.tx.batch_execute(INCOMING).map_err(pg)?;
        let mut writer = self
            .tx
            .copy_in("COPY county_incoming FROM STDIN")
            .map_err(pg)?;
        super::pg_desk::send_copy(&mut writer, &self.pending)?;
        writer.finish().map_err(pg)?;
        // The search entries of the records this batch changes: the old entry out, the new
        // one in (none for a deleted record), as SQLite's index keeps them.
        self.tx
            .batch_execute(super::pg_desk::SEARCH_ENTRIES)
            .map_err(pg)?;
        // A record sent twice keeps its highest rev (the first of equal ones), as sending
        // them one by one would.
        self.tx
            .batch_execute(
                "INSERT INTO county_record (station_id, kind, id, rev, deleted, data)
                 SELECT DISTINCT ON (station_id, kind, id) station_id, kind, id, rev, deleted, data
                 FROM county_incoming ORDER BY station_id, kind, id, rev DESC, n
                 ON CONFLICT (station_id, kind, id) DO UPDATE SET
                    rev = excluded.rev, deleted = excluded.deleted, data = excluded.data
                 WHERE excluded.rev > county_record.rev;
                 TRUNCATE county_incoming;",
            )
            .map_err(pg)?;
        self.pending.clear();
        self.rows = 0;
        Ok(())
    }
}

impl ChainTx for Tx<'_, '_> {
    fn chain(&mut self, station: &str) -> Result<Option<Chain>, BundleError> {
        Ok(self
            .tx
            .query_opt(
                "SELECT public_key, last_seq, last_manifest FROM county_station WHERE station_id = $1",
                &[&station],
            )
            .map_err(pg)?
            .map(|r| Chain {
                key: r.get(0),
                last_seq: r.get::<_, i64>(1) as u64,
                last_manifest: r.get(2),
            }))
    }

    fn station_of_key(&mut self, key: &str) -> Result<Option<String>, BundleError> {
        Ok(self
            .tx
            .query_opt(
                "SELECT code FROM county_station WHERE public_key = $1 LIMIT 1",
                &[&key],
            )
            .map_err(pg)?
            .map(|r| r.get(0)))
    }

    fn station_of_code(&mut self, code: &str) -> Result<Option<(String, String)>, BundleError> {
        Ok(self
            .tx
            .query_opt(
                "SELECT station_id, name FROM county_station WHERE code = $1 AND successor IS NULL
                 ORDER BY station_id LIMIT 1",
                &[&code],
            )
            .map_err(pg)?
            .map(|r| (r.get(0), r.get(1))))
    }

    fn retire(&mut self, old: &str, new: &str) -> Result<(), BundleError> {
        self.tx
            .execute(
                "UPDATE county_station SET successor = $2 WHERE station_id = $1",
                &[&old, &new],
            )
            .map_err(pg)?;
        Ok(())
    }

    fn log(&mut self, row: &LogRow) -> Result<(), BundleError> {
        self.tx
            .execute(
                "INSERT INTO county_log (at, event, station_code, detail) VALUES ($1, $2, $3, $4)",
                &[&row.at, &row.event, &row.station_code, &row.detail],
            )
            .map_err(pg)?;
        Ok(())
    }

    fn history(
        &mut self,
        station: &str,
        seq: u64,
        line: &crate::store::HistoryRef<'_>,
    ) -> Result<(), BundleError> {
        if self.history.push(station, seq, line) {
            self.history.flush(self.tx, pg)?;
        }
        Ok(())
    }

    fn bundle_manifest(
        &mut self,
        station: &str,
        seq: u64,
    ) -> Result<Option<(String, String)>, BundleError> {
        Ok(self
            .tx
            .query_opt(
                "SELECT manifest, imported_at FROM county_bundle WHERE station_id = $1 AND seq = $2",
                &[&station, &(seq as i64)],
            )
            .map_err(pg)?
            .map(|r| (r.get(0), r.get(1))))
    }

    fn upsert(
        &mut self,
        station: &str,
        kind: &str,
        id: &str,
        rev: i64,
        deleted: bool,
        data: &str,
        entry: Option<&(String, String)>,
    ) -> Result<(), BundleError> {
        let entry = super::index_entry(kind, data, deleted, entry);
        let line = &mut self.pending;
        line.push_str(&self.rows.to_string());
        for field in [station, kind, id] {
            line.push('\t');
            super::pg_desk::copy_field(line, field);
        }
        line.push('\t');
        line.push_str(&rev.to_string());
        line.push('\t');
        line.push(if deleted { 't' } else { 'f' });
        line.push('\t');
        super::pg_desk::copy_field(line, data);
        match entry.as_deref() {
            Some((body, date)) => {
                line.push('\t');
                super::pg_desk::copy_field(line, date);
                line.push('\t');
                super::pg_desk::copy_field(line, &crate::domain::search::pg_vector(body));
            }
            None => line.push_str("\t\\N\t\\N"),
        }
        line.push('\n');
        self.rows += 1;
        if self.rows >= BATCH || self.pending.len() >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn accept(&mut self, b: &Accepted<'_>) -> Result<(), BundleError> {
        self.flush()?;
        self.tx
            .execute(
                "INSERT INTO county_bundle (station_id, seq, manifest, created_at, imported_at, counts, quotas)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &b.station_id,
                    &(b.seq as i64),
                    &b.manifest_sha256,
                    &b.created_at,
                    &b.imported_at,
                    &b.counts,
                    &b.quotas,
                ],
            )
            .map_err(pg)?;
        self.tx
            .execute(
                "INSERT INTO county_station (station_id, code, name, public_key, last_seq, last_manifest, last_bundle_at, town)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (station_id) DO UPDATE SET code = excluded.code, name = excluded.name,
                    last_seq = excluded.last_seq, last_manifest = excluded.last_manifest,
                    last_bundle_at = excluded.last_bundle_at, town = excluded.town",
                &[
                    &b.station_id,
                    &b.code,
                    &b.name,
                    &b.key,
                    &(b.seq as i64),
                    &b.manifest_sha256,
                    &b.created_at,
                    &b.town,
                ],
            )
            .map_err(pg)?;
        Ok(())
    }
}

impl CountyStore for PgCounty {
    fn import_tx(
        &mut self,
        station: &str,
        key: &str,
        _records: u64,
        work: ImportWork<'_>,
    ) -> Result<ImportOutcome, BundleError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        tx.execute(LOCK, &[&format!("station:{station}")])
            .map_err(pg)?;
        tx.execute(LOCK, &[&format!("key:{key}")]).map_err(pg)?;
        let outcome = {
            let mut chain = Tx {
                tx: &mut tx,
                pending: String::new(),
                rows: 0,
                history: Default::default(),
            };
            let outcome = work(&mut chain)?;
            chain.flush()?;
            outcome
        };
        tx.commit().map_err(pg)?;
        Ok(outcome)
    }

    fn stations(&mut self) -> Result<Vec<StationRow>, BundleError> {
        Ok(self
            .client
            .query(
                "SELECT station_id, code, name, last_seq, last_bundle_at, successor, town
                 FROM county_station ORDER BY code, station_id",
                &[],
            )
            .map_err(pg)?
            .iter()
            .map(|r| StationRow {
                id: r.get(0),
                code: r.get(1),
                name: r.get(2),
                last_seq: r.get(3),
                last_bundle_at: r.get(4),
                successor: r.get(5),
                town: r.get(6),
            })
            .collect())
    }

    fn report_count(&mut self, table: &str) -> Result<Option<u64>, BundleError> {
        super::pg_desk::report_count(&mut self.client, table).map_err(pg)
    }

    fn index_column(&mut self, table: &str, column: &str) -> Result<(), BundleError> {
        super::pg_desk::index_column(&mut self.client, table, column).map_err(pg)
    }

    fn nth_greatest(
        &mut self,
        table: &str,
        column: &str,
        n: u64,
    ) -> Result<Option<String>, BundleError> {
        let offset = n.saturating_sub(1) as i64;
        // Found by an index of the column (made here once), not a sort of the whole table.
        self.index_column(table, column)?;
        Ok(self
            .client
            .query_opt(
                &format!(
                    "SELECT \"{column}\" FROM \"{table}\"
                     ORDER BY 1 COLLATE \"C\" DESC LIMIT 1 OFFSET $1"
                ),
                &[&offset],
            )
            .map_err(pg)?
            .map(|r| r.try_get::<_, Option<String>>(0))
            .transpose()
            .map_err(pg)?
            .flatten())
    }

    fn each_report_row(
        &mut self,
        table: &str,
        rows: &super::ReportRows,
        each: &mut dyn FnMut(&[&str]) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        super::pg_desk::each_report_row(&mut self.client, table, rows, each, pg)
    }

    fn each_table_row(
        &mut self,
        table: &str,
        columns: &[&str],
        since: Option<(&str, &str)>,
        each: super::EachTableRow<'_>,
    ) -> Result<(), BundleError> {
        super::pg_desk::each_table_row(&mut self.client, table, columns, since, each, pg)
    }

    fn report_table(
        &mut self,
        table: &str,
        station: Option<&str>,
    ) -> Result<Option<super::desk::ReportTable>, BundleError> {
        super::pg_desk::report_table(&mut self.client, table, station).map_err(pg)
    }

    fn search(
        &mut self,
        typed: &str,
        stations: Option<&[String]>,
        period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
        limit: usize,
    ) -> Result<super::Searched, BundleError> {
        let Some(query) = crate::domain::search::pg_query(typed) else {
            return Ok(Vec::new());
        };
        super::pg_desk::search(&mut self.client, &query, stations, period, limit).map_err(pg)
    }

    fn history_of(
        &mut self,
        station: &str,
        id: &str,
    ) -> Result<Vec<(crate::store::HistoryLine, u64)>, BundleError> {
        super::pg_desk::history_of(&mut self.client, station, id).map_err(pg)
    }

    fn each_history(
        &mut self,
        station: &str,
        each: &mut dyn FnMut(crate::store::HistoryLine, u64) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        super::pg_desk::each_history(&mut self.client, station, each, pg)
    }

    fn has_history(&mut self, station: &str) -> Result<bool, BundleError> {
        Ok(self
            .client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM county_history WHERE station_id = $1)",
                &[&station],
            )
            .map_err(pg)?
            .get(0))
    }

    fn add_topic(&mut self, topic: &super::hot::CountyTopic) -> Result<(), BundleError> {
        super::pg_desk::add_topic(&mut self.client, topic).map_err(pg)
    }

    fn topics(&mut self) -> Result<Vec<super::hot::CountyTopic>, BundleError> {
        super::pg_desk::topics(&mut self.client).map_err(pg)
    }

    fn log_rows(&mut self) -> Result<Vec<LogRow>, BundleError> {
        Ok(self
            .client
            .query(
                "SELECT at, event, station_code, detail FROM county_log ORDER BY at",
                &[],
            )
            .map_err(pg)?
            .iter()
            .map(|r| LogRow {
                at: r.get(0),
                event: r.get(1),
                station_code: r.get(2),
                detail: r.get(3),
            })
            .collect())
    }

    fn record(
        &mut self,
        station: &str,
        kind: &str,
        id: &str,
    ) -> Result<Option<String>, BundleError> {
        let statement = self.statement(
            "SELECT data FROM county_record WHERE station_id = $1 AND kind = $2 AND id = $3",
        )?;
        Ok(self
            .client
            .query_opt(&statement, &[&station, &kind, &id])
            .map_err(pg)?
            .map(|r| r.get(0)))
    }

    fn bundles_of(&mut self, station: &str) -> Result<(String, Vec<BundleRow>), BundleError> {
        let key: String = self
            .client
            .query_opt(
                "SELECT public_key FROM county_station WHERE station_id = $1",
                &[&station],
            )
            .map_err(pg)?
            .map(|r| r.get(0))
            .unwrap_or_default();
        let rows = self
            .client
            .query(
                "SELECT seq, manifest, created_at, imported_at, counts, quotas FROM county_bundle
                 WHERE station_id = $1 ORDER BY seq",
                &[&station],
            )
            .map_err(pg)?
            .iter()
            .map(|r| BundleRow {
                seq: r.get::<_, i64>(0) as u64,
                manifest: r.get(1),
                created_at: r.get(2),
                imported_at: r.get(3),
                counts: r.get(4),
                quotas: r.get(5),
            })
            .collect();
        Ok((key, rows))
    }

    fn station_page(
        &mut self,
        kind: &str,
        station: &str,
        after: &str,
        limit: usize,
    ) -> Result<Vec<Stored>, BundleError> {
        let statement = self.statement(
            "SELECT id, data FROM county_record
             WHERE station_id = $1 AND kind = $2 AND id > $3
             ORDER BY id LIMIT $4",
        )?;
        Ok(self
            .client
            .query(&statement, &[&station, &kind, &after, &(limit as i64)])
            .map_err(pg)?
            .iter()
            .map(|r| Stored {
                id: r.get(0),
                data: r.get(1),
            })
            .collect())
    }

    fn replace_rows(
        &mut self,
        table: &str,
        columns: &[String],
        station: &str,
        rows: &[Vec<String>],
    ) -> Result<(), BundleError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        tx.execute(LOCK, &[&format!("table:{table}")]).map_err(pg)?;
        let existing = super::pg_desk::columns_of(&mut tx, table).map_err(pg)?;
        let wanted: Vec<String> = std::iter::once("station_id".to_string())
            .chain(columns.iter().cloned())
            .collect();
        if existing != wanted {
            let defs: Vec<String> = columns.iter().map(|c| format!("\"{c}\" TEXT")).collect();
            tx.batch_execute(&format!(
                "DROP TABLE IF EXISTS \"{table}\";
                 CREATE TABLE \"{table}\" (station_id TEXT COLLATE \"C\" NOT NULL, {});",
                defs.join(", ")
            ))
            .map_err(pg)?;
        }
        tx.batch_execute(&super::pg_desk::order_index(
            table,
            columns.iter().any(|c| c == super::REPORT_ID_COLUMN),
        ))
        .map_err(pg)?;
        tx.execute(
            &format!("DELETE FROM \"{table}\" WHERE station_id = $1"),
            &[&station],
        )
        .map_err(pg)?;
        super::pg_desk::copy_rows(&mut tx, table, columns, station, rows, pg)?;
        tx.commit().map_err(pg)
    }

    fn append_rows(
        &mut self,
        table: &str,
        columns: &[String],
        station: &str,
        rows: &[Vec<String>],
    ) -> Result<(), BundleError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        tx.execute(LOCK, &[&format!("table:{table}")]).map_err(pg)?;
        super::pg_desk::copy_rows(&mut tx, table, columns, station, rows, pg)?;
        tx.commit().map_err(pg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_left_out_of_what_is_shown() {
        assert_eq!(
            redacted("postgres://county:s3cret@db.example/county"),
            "postgres://county:***@db.example/county"
        );
        assert_eq!(
            redacted("host=/run/postgresql dbname=county password=s3cret"),
            "host=/run/postgresql dbname=county password=***"
        );
        assert_eq!(
            redacted("postgresql://county@localhost/county"),
            "postgresql://county@localhost/county"
        );
    }
}
