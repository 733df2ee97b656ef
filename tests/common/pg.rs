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
        PgCluster::start_with(false)
    }

    /// A cluster that also listens on localhost over TCP with TLS, its certificate signed by
    /// a throwaway authority (`ca.crt` in the cluster's directory); connections are logged.
    pub fn start_tls() -> Option<PgCluster> {
        PgCluster::start_with(true)
    }

    /// The throwaway certificate authority of a [`PgCluster::start_tls`] cluster.
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    fn start_with(tls: bool) -> Option<PgCluster> {
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
        let mut options = format!(
            "-k {} -p {} -c listen_addresses='' -c fsync=off -c max_connections=40",
            cluster.dir.path().display(),
            cluster.port
        );
        if tls {
            cluster.make_certificates();
            options = format!(
                "-k {} -p {} -c listen_addresses=localhost -c fsync=off -c ssl=on \
                 -c ssl_cert_file=server.crt -c ssl_key_file=server.key -c log_connections=on",
                cluster.dir.path().display(),
                cluster.port
            );
        }
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

    /// A certificate authority and a server certificate for `localhost`, in the data
    /// directory (where the server reads them) and the authority beside it.
    fn make_certificates(&self) {
        let dir = self.dir.path();
        let data = dir.join("data");
        let openssl = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "openssl: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "2",
            "-subj",
            "/CN=stationdesk test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ]);
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
        )
        .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ]);
        for file in ["server.crt", "server.key"] {
            std::fs::copy(dir.join(file), data.join(file)).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(data.join(file), std::fs::Permissions::from_mode(0o600))
                    .unwrap();
            }
            if let Some(user) = &self.as_user {
                let owned = Command::new("chown")
                    .arg(format!("{user}:{user}"))
                    .arg(data.join(file))
                    .output()
                    .unwrap();
                assert!(owned.status.success());
            }
        }
    }

    /// A connection string over TCP to localhost, asking for TLS.
    pub fn tls_url(&self, name: &str) -> String {
        format!(
            "host=localhost port={} user=county dbname={name} sslmode=require",
            self.port
        )
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
