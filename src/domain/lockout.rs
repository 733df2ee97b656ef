//! The desk lock's limit on wrong PINs: after [`FREE_TRIES`] wrong PINs in a row, the desk
//! waits before it takes the next one, 30 s, then doubling with each further wrong PIN (to at
//! most [`MAX_WAIT_SECONDS`]). A right PIN starts the count again.

/// Wrong PINs in a row the desk takes without waiting.
pub const FREE_TRIES: u32 = 5;
/// The first wait.
pub const FIRST_WAIT_SECONDS: i64 = 30;
/// The longest wait (64 minutes).
pub const MAX_WAIT_SECONDS: i64 = 30 * 128;

/// How long the desk waits after the `failures`-th wrong PIN in a row (none before the fifth).
pub fn wait_after(failures: u32) -> Option<i64> {
    let beyond = failures.checked_sub(FREE_TRIES)?;
    let doubled = FIRST_WAIT_SECONDS.saturating_mul(1i64 << beyond.min(20));
    Some(doubled.min(MAX_WAIT_SECONDS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_free_then_thirty_seconds_doubling_to_a_cap() {
        assert_eq!(wait_after(4), None);
        assert_eq!(wait_after(5), Some(30));
        assert_eq!(wait_after(6), Some(60));
        assert_eq!(wait_after(7), Some(120));
        assert_eq!(wait_after(40), Some(MAX_WAIT_SECONDS));
    }
}
