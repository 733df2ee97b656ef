//! "Open here without typing" (this computer's slot) against a real Secret Service, as on a
//! Linux desk PC's desktop: a session bus of the test's own (`dbus-daemon`) and GNOME Keyring
//! in a home folder of its own, the real binary run as a person would at the command line.
//! Where `dbus-daemon` or `gnome-keyring-daemon` is missing the tests say they skipped;
//! STATIONDESK_REQUIRE_KEYRING=1 (CI) makes that a failure.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use stationdesk::store::{self, Kept, Slots};

/// A desktop session: its bus, its keyring daemon, its home.
struct Desktop {
    home: tempfile::TempDir,
    address: String,
    children: Vec<Child>,
}

impl Drop for Desktop {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn installed(program: &str) -> bool {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .any(|dir| dir.join(program).is_file())
}

impl Desktop {
    /// A session bus and GNOME Keyring. `unlocked`: the login keyring made and unlocked with
    /// a password, as logging in to a desktop does; else the daemon has no keyring it could
    /// open without asking someone (and there is no screen to ask on).
    fn start(unlocked: bool) -> Option<Desktop> {
        if !(installed("dbus-daemon") && installed("gnome-keyring-daemon")) {
            assert!(
                std::env::var("STATIONDESK_REQUIRE_KEYRING").as_deref() != Ok("1"),
                "dbus-daemon and gnome-keyring-daemon are required here"
            );
            eprintln!("skipped: dbus-daemon or gnome-keyring-daemon not installed");
            return None;
        }
        let home = tempfile::tempdir().unwrap();
        let runtime = home.path().join("run");
        std::fs::create_dir(&runtime).unwrap();
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_string();
        assert!(address.starts_with("unix:"), "bus address {address:?}");
        let mut desktop = Desktop {
            home,
            address,
            children: vec![bus],
        };
        let mut daemon = Command::new("gnome-keyring-daemon");
        daemon.args(["--foreground", "--components=secrets"]);
        if unlocked {
            daemon.arg("--unlock");
        }
        let mut keyring = desktop
            .env(&mut daemon)
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if let Some(mut stdin) = keyring.stdin.take() {
            if unlocked {
                stdin.write_all(b"login password").unwrap();
            }
        }
        desktop.children.push(keyring);
        desktop.wait_for_secret_service();
        Some(desktop)
    }

    /// The environment of a program of this desktop's user.
    fn env<'a>(&self, command: &'a mut Command) -> &'a mut Command {
        command
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_DATA_HOME", self.home.path().join("share"))
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
    }

    fn wait_for_secret_service(&self) {
        let start = Instant::now();
        loop {
            let out = self
                .env(&mut Command::new("dbus-send"))
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .output()
                .unwrap();
            if String::from_utf8_lossy(&out.stdout).contains("true") {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "GNOME Keyring did not come up on the test's bus"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn machine_dir(&self) -> PathBuf {
        self.home.path().join("config/stationdesk/machine")
    }

    /// The binary, as this desktop's user, with the tests' passphrase in its environment.
    fn run(&self, db: &Path, args: &[&str]) -> Output {
        let mut command = common::command();
        self.env(&mut command)
            .arg("--db")
            .arg(db)
            .args(args)
            .env_remove("STATIONDESK_LANG")
            .output()
            .unwrap()
    }

    /// The binary with no passphrase given and no terminal to type one on: it opens the
    /// station through this computer's slot or not at all. `on_bus`: with the desktop's bus.
    fn open_without_typing(&self, db: &Path, on_bus: bool) -> Output {
        let mut command = Command::new("setsid");
        command.arg("-w").arg(common::bin());
        self.env(&mut command)
            .arg("--db")
            .arg(db)
            .args(["sql", "SELECT code FROM station"])
            .env_remove("STATIONDESK_PASSPHRASE")
            .env_remove("STATIONDESK_LANG")
            .stdin(Stdio::null());
        if !on_bus {
            command.env_remove("DBUS_SESSION_BUS_ADDRESS");
        }
        command.output().unwrap()
    }
}

/// The desk in a pseudo-terminal (tmux, 100×30) as this desktop's user, with no passphrase
/// given: what it shows once it has drawn `expected`, or panics with the screen after 20 s.
fn desk_screen(desktop: &Desktop, db: &Path, expected: &str) -> String {
    let socket = format!("stationdesk-this-computer-{}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .arg("-L")
            .arg(&socket)
            .args(args)
            .output()
            .unwrap()
    };
    let mut start = Command::new("tmux");
    desktop
        .env(&mut start)
        .env_remove("STATIONDESK_PASSPHRASE")
        .env_remove("STATIONDESK_LANG")
        .arg("-L")
        .arg(&socket)
        .args(["new-session", "-d", "-s", "desk", "-x", "100", "-y", "30"])
        .arg(format!("{} --db '{}'", common::bin(), db.display()));
    let out = start.output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let began = Instant::now();
    let screen = loop {
        let screen = text(&tmux(&["capture-pane", "-p", "-t", "desk"]).stdout);
        if screen.contains(expected) || began.elapsed() > Duration::from_secs(20) {
            break screen;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = tmux(&["kill-server"]);
    assert!(screen.contains(expected), "{screen}");
    screen
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A desktop (see [`Desktop::start`]), a station made on it, and `this-computer on` run there:
/// the desktop, the station's folder and file, and what the command said.
fn turned_on(unlocked: bool) -> Option<(Desktop, tempfile::TempDir, PathBuf, String)> {
    let desktop = Desktop::start(unlocked)?;
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("station.db");
    let out = desktop.run(
        &db,
        &["init", "--name", "青溪镇政协委员工作站", "--code", "QX01"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = desktop.run(&db, &["this-computer", "on"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    Some((desktop, data, db, said))
}

fn kept(db: &Path) -> Option<Kept> {
    Slots::load(&store::keys_path(db))
        .unwrap()
        .this_computer_kept()
}

#[test]
fn the_secret_is_kept_in_the_desktop_keyring_and_opens_the_station_there_only() {
    let Some((desktop, _data, db, said)) = turned_on(true) else {
        return;
    };
    assert!(said.contains("已开启「本机免输口令」"), "{said}");
    assert!(said.contains("系统的凭据库中"), "{said}");
    assert_eq!(kept(&db), Some(Kept::System));
    // Not a file of ours anywhere: the keyring holds it.
    assert!(
        std::fs::read_dir(desktop.machine_dir()).map_or(true, |mut d| d.next().is_none()),
        "a secret file was written beside the keyring"
    );
    let keys_on = std::fs::read_to_string(store::keys_path(&db)).unwrap();

    // Opened without typing, through the keyring: a command, and the desk itself, which
    // shows its home screen without asking for the passphrase.
    let out = desktop.open_without_typing(&db, true);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("QX01"), "{}", text(&out.stdout));
    let home = desk_screen(&desktop, &db, "在任委员");
    assert!(!home.contains("工作站口令"), "{home}");

    // The same user without the desktop's keyring (a text console, a copy elsewhere): nothing
    // opens without the passphrase.
    let out = desktop.open_without_typing(&db, false);
    assert!(!out.status.success());
    assert!(!text(&out.stdout).contains("QX01"));
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );

    // Turned off: the slot and the keyring's secret are gone; a keys file from before (a
    // backup of it, say) no longer opens the station either.
    let out = desktop.run(&db, &["this-computer", "off"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(kept(&db), None);
    desk_screen(&desktop, &db, "工作站口令");
    assert!(!desktop.open_without_typing(&db, true).status.success());
    let keys_off = std::fs::read_to_string(store::keys_path(&db)).unwrap();
    std::fs::write(store::keys_path(&db), &keys_on).unwrap();
    assert!(!desktop.open_without_typing(&db, true).status.success());
    std::fs::write(store::keys_path(&db), keys_off).unwrap();
    // The passphrase still opens it.
    let out = desktop.run(&db, &["sql", "SELECT code FROM station"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_keyring_that_cannot_be_opened_leaves_the_secret_in_a_private_file() {
    let Some((desktop, _data, db, said)) = turned_on(false) else {
        return;
    };
    assert!(said.contains("本系统没有可用的凭据库"), "{said}");
    assert!(
        said.contains(&desktop.machine_dir().display().to_string()),
        "{said}"
    );
    assert_eq!(kept(&db), Some(Kept::File));
    let files: Vec<_> = std::fs::read_dir(desktop.machine_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    // The file opens the station, with or without the desktop's bus.
    for on_bus in [true, false] {
        let out = desktop.open_without_typing(&db, on_bus);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stdout).contains("QX01"));
    }
    let out = desktop.run(&db, &["this-computer", "off"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::read_dir(desktop.machine_dir())
        .unwrap()
        .next()
        .is_none());
    assert!(!desktop.open_without_typing(&db, true).status.success());
}
