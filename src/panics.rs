//! Work in a thread of our own whose library may panic where it could have returned an error
//! (rust_xlsxwriter panics when a temporary file cannot be written, as on a full disk): the
//! panic is caught, becomes an error the caller words as a sentence, and prints nothing — no
//! "thread panicked", no backtrace. Panics anywhere else still print as they always did.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether a panic on this thread is caught by [`quietly`], and so is not printed.
    static CAUGHT: Cell<bool> = const { Cell::new(false) };
}

static HOOK: Once = Once::new();

/// Runs `work`; a panic inside it is returned as its message instead of unwinding further.
pub fn quietly<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    HOOK.call_once(|| {
        // Wraps whatever hook is in place (the desk's, which gives the terminal back), so that
        // a caught panic reaches none of it.
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CAUGHT.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = CAUGHT.with(|c| c.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    CAUGHT.with(|c| c.set(was));
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a worker stopped".to_string())
    })
}

/// Whether a caught panic's message is a full disk's.
pub fn is_disk_full(message: &str) -> bool {
    message.contains("StorageFull") || message.contains("No space left")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_panic_comes_back_as_its_message_and_the_thread_goes_on() {
        let caught = std::thread::spawn(|| {
            let first = quietly(|| -> i32 { panic!("Couldn't write: StorageFull") });
            let second = quietly(|| 7);
            (first, second)
        })
        .join()
        .unwrap();
        assert_eq!(caught.0, Err("Couldn't write: StorageFull".to_string()));
        assert!(is_disk_full(caught.0.as_ref().unwrap_err()));
        assert_eq!(caught.1, Ok(7));
    }
}
