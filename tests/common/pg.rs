//! A throwaway PostgreSQL cluster for a test: `initdb` into a temporary directory, a Unix
//! socket in that directory (no TCP), `pg_ctl stop` when dropped — never a system-wide service.
//! As root (CI), the server runs as the unprivileged `postgres` user that Debian's package
//! creates, as PostgreSQL requires.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU16, Ordering};

pub struct PgCluster {
    pub dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_user: Option<String>,
}

/// The newest PostgreSQL's `bin` directory with `initdb` and `pg_ctl` in it.
fn bin_dir() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").is_file() && p.join("pg_ctl").is_file())
        .collect();
    dirs.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    dirs.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

static NEXT_PORT: AtomicU16 = AtomicU16::new(0);

impl PgCluster {
    /// Starts a cluster, or `None` (with the reason on stderr) where PostgreSQL is missing.
    pub fn start() -> Option<PgCluster> {
        let Some(bin) = bin_dir() else {
            // .ci/run installs PostgreSQL and asks for it: there a missing server fails.
            assert!(
                std::env::var_os("STATIONDESK_REQUIRE_PG").is_none(),
                "STATIONDESK_REQUIRE_PG is set but PostgreSQL is not installed"
            );
            eprintln!("PostgreSQL is not installed here (/usr/lib/postgresql/*/bin/initdb)");
            return None;
        };
        let dir = tempfile::Builder::new()
            .prefix("stationdesk-pg-")
            .tempdir()
            .unwrap();
        let as_user = if is_root() {
            let ok = Command::new("chown")
                .arg("postgres:postgres")
                .arg(dir.path())
                .output()
                .is_ok_and(|o| o.status.success());
            if !ok {
                eprintln!("running as root without a postgres user to run the server as");
                return None;
            }
            Some("postgres".to_string())
        } else {
            None
        };
        let first = NEXT_PORT.fetch_add(1, Ordering::SeqCst);
        let port = 20_000 + (std::process::id() as u16 % 20_000) + first * 7;
        let cluster = PgCluster {
            dir,
            bin,
            port,
            as_user,
        };
        let data = cluster.data();
        let init = cluster.run(
            "initdb",
            &[
                "-D",
                &data,
                "-A",
                "trust",
                "-U",
                "county",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        assert!(
            init.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let options = format!(
            "-k {} -p {} -c listen_addresses='' -c fsync=off -c max_connections=40",
            cluster.dir.path().display(),
            cluster.port
        );
        let log = cluster.dir.path().join("server.log");
        let start = cluster.run(
            "pg_ctl",
            &[
                "-D",
                &data,
                "-o",
                &options,
                "-l",
                &log.display().to_string(),
                "-w",
                "start",
            ],
        );
        assert!(
            start.status.success(),
            "pg_ctl start: {}{}",
            String::from_utf8_lossy(&start.stderr),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        Some(cluster)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn run(&self, tool: &str, args: &[&str]) -> std::process::Output {
        let program = self.bin.join(tool);
        let mut command = match &self.as_user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&program);
                c
            }
            None => Command::new(&program),
        };
        command.args(args).current_dir(self.dir.path());
        command.output().unwrap()
    }

    /// Makes a database and returns its connection string.
    pub fn database(&self, name: &str) -> String {
        let created = self.run(
            "createdb",
            &[
                "-h",
                &self.dir.path().display().to_string(),
                "-p",
                &self.port.to_string(),
                "-U",
                "county",
                name,
            ],
        );
        assert!(
            created.status.success(),
            "createdb: {}",
            String::from_utf8_lossy(&created.stderr)
        );
        self.url(name)
    }

    pub fn url(&self, name: &str) -> String {
        format!(
            "host={} port={} user=county dbname={name}",
            self.dir.path().display(),
            self.port
        )
    }

    /// Runs SQL with psql and returns what it printed (unaligned, tuples only).
    pub fn psql(&self, name: &str, sql: &str) -> String {
        let out = self.run(
            "psql",
            &[
                "-h",
                &self.dir.path().display().to_string(),
                "-p",
                &self.port.to_string(),
                "-U",
                "county",
                "-d",
                name,
                "-XAtq",
                "-c",
                sql,
            ],
        );
        assert!(
            out.status.success(),
            "psql: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }
}
