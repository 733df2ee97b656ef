//! A county at scale, generated: the bundles of N demo stations over Y years, as their desks
//! would have written them — a station database each (kept beside the bundles), a year of
//! records at a time made as of that year's end, and one bundle a year — so that an office can
//! try the county side at its own size, and the benchmarks have data.

use std::path::{Path, PathBuf};

use crate::bundle::{self, BundleError, ExportOptions};
use crate::domain::StationSetup;
use crate::store::Store;

use super::DemoOptions;

/// What to generate.
#[derive(Debug, Clone)]
pub struct CountyDemoOptions {
    pub stations: usize,
    pub years: u32,
    /// A station's registry in its first year (a few join each later year).
    pub members: usize,
    /// Desk records a station writes in a year (visits, cases…; shifts and consultations
    /// come on top, as in the station demo).
    pub records_per_year: usize,
    pub seed: u64,
}

impl Default for CountyDemoOptions {
    fn default() -> CountyDemoOptions {
        let station = DemoOptions::default();
        CountyDemoOptions {
            stations: 10,
            years: 1,
            members: station.members,
            records_per_year: station.records,
            seed: 1,
        }
    }
}

/// What was written.
#[derive(Debug, Clone)]
pub struct CountyDemoSummary {
    /// The county identity the bundles are encrypted to (made if it was missing).
    pub key: PathBuf,
    pub bundles: Vec<PathBuf>,
    pub records: u64,
}

const TOWNS: [&str; 12] = [
    "青溪镇",
    "河东街道",
    "新丰镇",
    "南山乡",
    "白鹭镇",
    "柳林街道",
    "石桥镇",
    "东湖乡",
    "云岭镇",
    "西关街道",
    "桃源乡",
    "长安镇",
];

/// The county identity in `dir`: read the recipient from `county.key` (the comment
/// `stationdesk county keygen` and `age-keygen` write), or make the key.
fn county_key(dir: &Path) -> Result<(PathBuf, String), BundleError> {
    let path = dir.join("county.key");
    let io = |e: std::io::Error| BundleError::Io(path.display().to_string(), e);
    if path.exists() {
        let text = std::fs::read_to_string(&path).map_err(io)?;
        let recipient = text
            .lines()
            .find_map(|l| l.strip_prefix("# public key: "))
            .map(str::trim)
            .map(str::to_string)
            .ok_or(BundleError::NoRecipient)?;
        return Ok((path, recipient));
    }
    let (text, recipient) = bundle::county_keygen();
    crate::files::write_private(&path, text.as_bytes()).map_err(io)?;
    Ok((path, recipient))
}

/// Writes the county demo into `dir`: `county.key`, `stations/<code>.db` and
/// `bundles/<code>-…-<seq>.sdb1`. `progress` hears (station-years done, in all).
pub fn run_county(
    options: &CountyDemoOptions,
    dir: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<CountyDemoSummary, BundleError> {
    let io = |p: &Path, e: std::io::Error| BundleError::Io(p.display().to_string(), e);
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let (key, recipient) = county_key(dir)?;
    let stations_dir = dir.join("stations");
    let bundles_dir = dir.join("bundles");
    for d in [&stations_dir, &bundles_dir] {
        std::fs::create_dir_all(d).map_err(|e| io(d, e))?;
    }
    let today = crate::clock::today();
    let total = options.stations * options.years as usize;
    let mut summary = CountyDemoSummary {
        key,
        bundles: Vec::new(),
        records: 0,
    };
    for n in 0..options.stations {
        let code = format!("CS{:03}", n + 1);
        let path = stations_dir.join(format!("{code}.db"));
        if path.exists() {
            return Err(BundleError::Exists(path.display().to_string()));
        }
        // The demo stations' files open with the passphrase DEMO_PASSPHRASE (or with the
        // county's identity, through their escrow slot).
        let mut store = Store::open_with(
            &path,
            &crate::store::Unlock::Passphrase(crate::store::Passphrase::new(
                super::DEMO_PASSPHRASE,
            )),
            crate::store::KdfCost::QUICK,
            &mut |_| {},
        )?;
        store.init_station(&StationSetup {
            name: match n / TOWNS.len() {
                0 => format!("{}政协委员工作站", TOWNS[n]),
                k => format!("{}{}号政协委员工作站", TOWNS[n % TOWNS.len()], k + 1),
            },
            code: code.clone(),
            county: "清河县".into(),
            county_recipient: recipient.clone(),
        })?;
        store.set_town(TOWNS[n % TOWNS.len()])?;
        for year in 0..options.years {
            let back = i64::from(options.years - 1 - year) * 365;
            let as_of = today - chrono::Duration::days(back);
            let demo = DemoOptions {
                seed: options.seed ^ ((n as u64) << 16) ^ u64::from(year),
                members: if year == 0 {
                    options.members
                } else {
                    (options.members / 20).max(1)
                },
                records: options.records_per_year,
            };
            super::run_as_of(&mut store, &demo, as_of, &mut |_, _| {})?;
            let out = bundle::export(
                &mut store,
                &bundles_dir,
                ExportOptions {
                    allow_empty: true,
                    ..ExportOptions::default()
                },
            )?;
            summary.records += out.manifest.counts.iter().map(|(_, c)| c).sum::<u64>();
            summary.bundles.push(out.path);
            progress(n * options.years as usize + year as usize + 1, total);
        }
    }
    Ok(summary)
}
