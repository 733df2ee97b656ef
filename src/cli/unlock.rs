//! How a command gets the key of the station file: `--passphrase-file`, then
//! `STATIONDESK_PASSPHRASE`, then this computer's slot (when the station turned it on), then the
//! terminal (no echo). Never from an argument: a command line is seen by every user of the PC.

use std::path::{Path, PathBuf};

use stationdesk::store::{self, FileState, Passphrase, Slots, StoreError, Unlock};
use stationdesk::tr;

use crate::*;

/// The environment variable a script or a test gives the passphrase in.
pub(crate) const PASSPHRASE_ENV: &str = "STATIONDESK_PASSPHRASE";

/// Where the passphrase may come from, as the command line says.
#[derive(Clone, Default)]
pub(crate) struct KeySource {
    pub passphrase_file: Option<PathBuf>,
    /// Not `STATIONDESK_PASSPHRASE` (it holds the passphrase that opened the file, when a new
    /// one is asked for).
    pub ignore_env: bool,
}

impl KeySource {
    /// A passphrase given without a terminal: from the file, or from the environment.
    pub(crate) fn given(&self) -> Result<Option<Passphrase>, Failure> {
        if let Some(file) = &self.passphrase_file {
            let text = std::fs::read_to_string(file).map_err(|e| {
                Failure::Message(tr!(
                    "cli.passphrase_file",
                    path = file.display(),
                    reason = e
                ))
            })?;
            let first = text.lines().next().unwrap_or("");
            return Ok(Some(Passphrase::new(first)));
        }
        if self.ignore_env {
            return Ok(None);
        }
        Ok(std::env::var(PASSPHRASE_ENV)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| Passphrase::new(&v)))
    }

    /// What opens the file at `path`: for a file that does not exist yet or is plain (of an
    /// earlier version), a new passphrase; for an encrypted one, the way it can be opened.
    pub(crate) fn unlock(&self, path: &Path) -> Result<Unlock, Failure> {
        match store::file_state(path) {
            FileState::Missing | FileState::Plain => self.new_passphrase().map(Unlock::Passphrase),
            FileState::Encrypted => self.existing(path),
        }
    }

    /// An encrypted file's way to open: a given passphrase, this computer's slot, or one typed.
    fn existing(&self, path: &Path) -> Result<Unlock, Failure> {
        if let Some(unlock) = self.without_asking(path)? {
            return Ok(unlock);
        }
        let typed = prompt(&tr!("cli.passphrase_prompt"))?;
        Ok(Unlock::Passphrase(typed))
    }

    /// What opens the file at `path` without asking anyone: a passphrase given (file or
    /// environment), or, for an encrypted file, this computer's slot. `None`: it must be asked
    /// for (the desk asks full-screen).
    pub(crate) fn without_asking(&self, path: &Path) -> Result<Option<Unlock>, Failure> {
        if store::file_state(path) != FileState::Encrypted {
            return Ok(match self.given()? {
                Some(passphrase) => {
                    if let Some(weak) =
                        stationdesk::domain::passphrase::weakness(passphrase.as_str())
                    {
                        return Err(Failure::Store(StoreError::WeakPassphrase(weak)));
                    }
                    Some(Unlock::Passphrase(passphrase))
                }
                None => None,
            });
        }
        if let Some(passphrase) = self.given()? {
            return Ok(Some(Unlock::Passphrase(passphrase)));
        }
        if let Ok(slots) = Slots::load(&store::keys_path(path)) {
            // Only a station that chose it asks the system's credential store. Unwrapped here
            // once; the store then opens with the key itself.
            if let Some(machine) = slots
                .has_this_computer()
                .then(store::Machine::here)
                .flatten()
            {
                if let Ok(key) = slots.unlock(&Unlock::ThisComputer(machine)) {
                    return Ok(Some(Unlock::Key(key)));
                }
            }
        }
        Ok(None)
    }

    /// A new station passphrase: given, or typed twice; a weak one is refused.
    pub(crate) fn new_passphrase(&self) -> Result<Passphrase, Failure> {
        self.new_passphrase_of(Whose::Station)
    }

    /// A new passphrase of the station's or the county's file: given, or typed twice; a weak
    /// one is refused.
    pub(crate) fn new_passphrase_of(&self, whose: Whose) -> Result<Passphrase, Failure> {
        let passphrase = match self.given()? {
            Some(given) => given,
            None => {
                let proposal = store::generate_passphrase();
                eprintln!(
                    "{}",
                    match whose {
                        Whose::Station => tr!("cli.passphrase_new", proposal = proposal),
                        Whose::County => tr!("cli.county_passphrase_new", proposal = proposal),
                    }
                );
                let first = prompt(&whose.prompt())?;
                let second = prompt(&tr!("cli.passphrase_again"))?;
                if first.as_str() != second.as_str() {
                    return Err(Failure::Message(tr!("cli.passphrase_mismatch")));
                }
                first
            }
        };
        if let Some(weak) = stationdesk::domain::passphrase::weakness(passphrase.as_str()) {
            return Err(Failure::Store(StoreError::WeakPassphrase(weak)));
        }
        Ok(passphrase)
    }
}

/// Whose file a passphrase is asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Whose {
    Station,
    County,
}

impl Whose {
    fn prompt(self) -> String {
        match self {
            Whose::Station => tr!("cli.passphrase_prompt"),
            Whose::County => tr!("cli.county_passphrase_prompt"),
        }
    }
}

/// The county file's passphrase typed at the terminal (no echo); refused without a terminal.
pub(crate) fn county_prompt() -> Result<Passphrase, Failure> {
    prompt(&Whose::County.prompt())
}

/// Whether a passphrase can be asked for here.
pub(crate) fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal()
}

/// Reads a line from the terminal without echo; refused when there is no terminal.
fn prompt(label: &str) -> Result<Passphrase, Failure> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Store(StoreError::Locked));
    }
    let text = rpassword::prompt_password(format!("{label} "))
        .map_err(|e| Failure::Message(tr!("cli.terminal", reason = e)))?;
    Ok(Passphrase::new(&text))
}
