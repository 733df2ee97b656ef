//! `crash-writer`: a writer the crash tests kill mid-write (hidden from the help).

use std::io::Write;

use stationdesk::demo;
use stationdesk::domain::StationSetup;
use stationdesk::store::Store;

use crate::*;

pub(crate) fn crash_writer(store: &mut Store, count: usize) -> Result<(), Failure> {
    use rand::SeedableRng;
    if store.station()?.is_none() {
        store.init_station(&StationSetup {
            name: "崩溃测试站".into(),
            code: "CRASH".into(),
            ..StationSetup::default()
        })?;
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(u64::from(std::process::id()));
    let stdout = std::io::stdout();
    for _ in 0..count {
        let member = store.add_member(&demo::demo_member(&mut rng))?;
        let mut out = stdout.lock();
        if writeln!(out, "{}", member.meta.id)
            .and_then(|_| out.flush())
            .is_err()
        {
            break;
        }
    }
    Ok(())
}
