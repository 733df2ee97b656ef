//! Power-cut safety, as close as a test can get: a child process inserting members in a loop is
//! killed with SIGKILL at random moments. Afterwards the database passes the integrity check and
//! every record whose commit the child reported is there.
//!
//! `STATIONDESK_CRASH_ROUNDS=500 cargo test --release --test crash` runs a longer campaign.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use stationdesk::domain::Member;
use stationdesk::store::Store;
use uuid::Uuid;

#[test]
fn killed_writers_never_lose_a_reported_commit() {
    let rounds: usize = std::env::var("STATIONDESK_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let fx = common::Fixture::new();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let mut reported: HashSet<Uuid> = HashSet::new();
    let mut killed_mid_run = 0;

    for round in 0..rounds {
        let mut child = common::command()
            .args(["--db", fx.path.to_str().unwrap(), "crash-writer"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        let stdout = child.stdout.take().expect("child stdout");
        let seen: Arc<Mutex<Vec<Uuid>>> = Arc::default();
        let reader = {
            let seen = Arc::clone(&seen);
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    // A line cut short by the kill does not parse and was not reported.
                    if let Ok(id) = Uuid::parse_str(line.trim()) {
                        seen.lock().unwrap().push(id);
                    }
                }
            })
        };
        std::thread::sleep(Duration::from_millis(rng.random_range(30..250)));
        if child.try_wait().expect("poll child").is_none() {
            killed_mid_run += 1;
        }
        child.kill().expect("SIGKILL the writer");
        child.wait().expect("reap writer");
        reader.join().expect("reader thread");
        let ids = seen.lock().unwrap().clone();
        reported.extend(ids);

        let store = common::try_open(&fx.path).expect("reopen after kill");
        assert_eq!(
            store.integrity_check().unwrap(),
            Ok(()),
            "integrity check failed after round {round}"
        );
        for id in &reported {
            assert!(
                store.get::<Member>(*id).unwrap().is_some(),
                "member {id} was reported committed but is missing after round {round}"
            );
        }
    }
    assert!(
        killed_mid_run >= rounds * 9 / 10,
        "the writer kept finishing before the kill"
    );
    assert!(
        reported.len() > rounds,
        "too few commits reported: {}",
        reported.len()
    );
    let store = common::try_open(&fx.path).unwrap();
    // Every audit row belongs to a record that exists: no half-written change.
    assert_eq!(
        store.audit_count().unwrap() as usize,
        store_member_count(&store)
    );
}

fn store_member_count(store: &Store) -> usize {
    let everyone = stationdesk::store::MemberFilter {
        include_inactive: true,
        ..Default::default()
    };
    store.count_members(&everyone).unwrap() as usize
}
