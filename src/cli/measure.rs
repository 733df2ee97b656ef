//! What `stationdesk bench` measures and prints: a figure beside its baseline, a time, a size
//! or a count, and the median of a figure's runs.

use std::time::{Duration, Instant};

/// One measured figure and its baseline.
pub(crate) struct Figure {
    pub(crate) name: &'static str,
    pub(crate) value: Measure,
    pub(crate) baseline: Option<(&'static str, Measure)>,
}

#[derive(Clone, Copy)]
pub(crate) enum Measure {
    Time(Duration),
    Bytes(u64),
    Count(u64),
    Missing,
}

impl Measure {
    pub(crate) fn text(&self) -> String {
        match self {
            Measure::Time(d) if d.as_secs_f64() >= 1.0 => format!("{:.2} s", d.as_secs_f64()),
            Measure::Time(d) if d.as_secs_f64() >= 0.001 => {
                format!("{:.2} ms", d.as_secs_f64() * 1000.0)
            }
            Measure::Time(d) => format!("{:.3} ms", d.as_secs_f64() * 1000.0),
            Measure::Bytes(b) if *b >= 1 << 20 => format!("{:.1} MB", *b as f64 / 1048576.0),
            Measure::Bytes(b) => format!("{b} B"),
            Measure::Count(n) => n.to_string(),
            Measure::Missing => "-".to_string(),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Measure::Time(d) => Some(d.as_secs_f64()),
            Measure::Bytes(b) => Some(*b as f64),
            Measure::Count(n) => Some(*n as f64),
            Measure::Missing => None,
        }
    }
}

pub(crate) fn ratio(a: Measure, b: Measure) -> String {
    match (a.number(), b.number()) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}x", a / b),
        _ => "-".to_string(),
    }
}

pub(crate) fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs.get(runs.len() / 2).copied().unwrap_or_default()
}

pub(crate) fn timed<T>(work: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let out = work();
    (started.elapsed(), out)
}

pub(crate) fn fail(e: impl std::fmt::Display) -> String {
    e.to_string()
}
