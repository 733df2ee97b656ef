//! Opening and printing a written document with the system's own programs: `xdg-open` and
//! `lp` on Linux (LibreOffice prints office files when it is there, as `lp` cannot), `open`
//! and `lp` on macOS, `start` and the shell's print verb on Windows. Programs are looked up on
//! a search path given when the launcher is made, so that a missing program is said in a
//! sentence before anything runs, and tests can stand a recording program in.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum LaunchError {
    /// None of these programs is on the search path.
    #[error("no program to {0}: {1}")]
    NoProgram(&'static str, String),
    /// The print system is there but has no default printer.
    #[error("no default printer")]
    NoPrinter,
    /// The program ran and said it failed.
    #[error("{0} failed: {1}")]
    Failed(String, String),
    #[error("the file is gone: {0}")]
    Missing(PathBuf),
}

/// Where the launcher looks for programs.
#[derive(Debug, Clone)]
pub struct Launcher {
    search_path: OsString,
}

/// How long an opener is given to say it failed; a viewer that stays open is left running.
const OPEN_GRACE: Duration = Duration::from_secs(3);

impl Launcher {
    /// The programs on this process's `PATH`.
    pub fn from_env() -> Launcher {
        Launcher {
            search_path: std::env::var_os("PATH").unwrap_or_default(),
        }
    }

    /// The programs in these directories only.
    pub fn with_path(search_path: impl Into<OsString>) -> Launcher {
        Launcher {
            search_path: search_path.into(),
        }
    }

    /// The program's file on the search path.
    pub fn find(&self, program: &str) -> Option<PathBuf> {
        let names: Vec<String> = if cfg!(windows) {
            vec![
                format!("{program}.exe"),
                format!("{program}.cmd"),
                format!("{program}.bat"),
            ]
        } else {
            vec![program.to_string()]
        };
        std::env::split_paths(&self.search_path)
            .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
            .find(|candidate| is_program(candidate))
    }

    fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .env("PATH", &self.search_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        command
    }

    /// Opens `file` with the program the system has for its type.
    pub fn open(&self, file: &Path) -> Result<(), LaunchError> {
        if !file.exists() {
            return Err(LaunchError::Missing(file.to_path_buf()));
        }
        let (program, args) = self.opener(file)?;
        let mut command = self.command(&program);
        command.args(args);
        let child = command
            .spawn()
            .map_err(|e| LaunchError::Failed(program.display().to_string(), e.to_string()))?;
        wait_a_little(child, &program)
    }

    #[cfg(windows)]
    fn opener(&self, file: &Path) -> Result<(PathBuf, Vec<OsString>), LaunchError> {
        let cmd = self
            .find("cmd")
            .ok_or_else(|| LaunchError::NoProgram("open", "cmd".into()))?;
        Ok((
            cmd,
            vec!["/C".into(), "start".into(), "".into(), file.into()],
        ))
    }

    #[cfg(not(windows))]
    fn opener(&self, file: &Path) -> Result<(PathBuf, Vec<OsString>), LaunchError> {
        let name = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        let program = self
            .find(name)
            .ok_or_else(|| LaunchError::NoProgram("open", name.into()))?;
        Ok((program, vec![file.into()]))
    }

    /// Sends `file` to the default printer.
    pub fn print(&self, file: &Path) -> Result<(), LaunchError> {
        if !file.exists() {
            return Err(LaunchError::Missing(file.to_path_buf()));
        }
        let (program, args) = self.printer(file)?;
        let output = self
            .command(&program)
            .args(args)
            .output()
            .map_err(|e| LaunchError::Failed(program.display().to_string(), e.to_string()))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(LaunchError::Failed(
                program.display().to_string(),
                first_line(&output.stderr),
            ))
        }
    }

    #[cfg(windows)]
    fn printer(&self, file: &Path) -> Result<(PathBuf, Vec<OsString>), LaunchError> {
        let shell = self
            .find("powershell")
            .ok_or_else(|| LaunchError::NoProgram("print", "powershell".into()))?;
        let quoted = file.display().to_string().replace('\'', "''");
        Ok((
            shell,
            vec![
                "-NoProfile".into(),
                "-Command".into(),
                format!("Start-Process -FilePath '{quoted}' -Verb Print").into(),
            ],
        ))
    }

    #[cfg(not(windows))]
    fn printer(&self, file: &Path) -> Result<(PathBuf, Vec<OsString>), LaunchError> {
        let lpstat = self
            .find("lpstat")
            .ok_or_else(|| LaunchError::NoProgram("print", "lp".into()))?;
        let asked = self
            .command(&lpstat)
            .arg("-d")
            .stdout(Stdio::piped())
            .output()
            .map_err(|e| LaunchError::Failed("lpstat".into(), e.to_string()))?;
        if !has_default_printer(&String::from_utf8_lossy(&asked.stdout)) {
            return Err(LaunchError::NoPrinter);
        }
        let office = matches!(
            file.extension().and_then(|e| e.to_str()),
            Some("docx" | "xlsx")
        );
        if office {
            if let Some(soffice) = self.find("soffice").or_else(|| self.find("libreoffice")) {
                return Ok((soffice, vec!["--headless".into(), "-p".into(), file.into()]));
            }
        }
        let lp = self
            .find("lp")
            .ok_or_else(|| LaunchError::NoProgram("print", "lp".into()))?;
        Ok((lp, vec!["--".into(), file.into()]))
    }
}

/// `lpstat -d` says "system default destination: NAME" when there is a default printer.
fn has_default_printer(answer: &str) -> bool {
    answer
        .lines()
        .any(|line| line.contains("default destination:") && !line.trim_end().ends_with(':'))
}

fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| crate::text::sanitize(l.trim()).into_owned())
        .unwrap_or_default()
}

/// Waits briefly for an opener: one that fails at once says why; one still running (a viewer
/// that stays open) is left to run, and reaped by a thread when it ends.
fn wait_a_little(mut child: std::process::Child, program: &Path) -> Result<(), LaunchError> {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(_)) => {
                let mut stderr = Vec::new();
                if let Some(mut pipe) = child.stderr.take() {
                    use std::io::Read;
                    let _ = pipe.read_to_end(&mut stderr);
                }
                return Err(LaunchError::Failed(
                    program.display().to_string(),
                    first_line(&stderr),
                ));
            }
            Ok(None) if started.elapsed() < OPEN_GRACE => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(None) => {
                std::thread::spawn(move || child.wait());
                return Ok(());
            }
            Err(e) => {
                return Err(LaunchError::Failed(
                    program.display().to_string(),
                    e.to_string(),
                ))
            }
        }
    }
}

#[cfg(unix)]
fn is_program(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_program(path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_printer_is_read_from_lpstat() {
        assert!(has_default_printer("system default destination: Office\n"));
        assert!(!has_default_printer("no system default destination\n"));
        assert!(!has_default_printer(""));
    }

    #[test]
    fn a_missing_program_is_named() {
        let launcher = Launcher::with_path("");
        let file = std::env::temp_dir();
        let err = launcher.open(&file);
        if cfg!(windows) {
            assert_eq!(err, Err(LaunchError::NoProgram("open", "cmd".into())));
        } else if !cfg!(target_os = "macos") {
            assert_eq!(err, Err(LaunchError::NoProgram("open", "xdg-open".into())));
        }
    }
}
