//! The process's memory between two large pieces of work.
//!
//! glibc keeps what a program frees for its next allocations, in the arena of the thread that
//! made it, and gives the system back only what lies free at the top of its heap. After a
//! county import of a million records (its page cache, its batches, a reading thread's
//! arena) the process kept about 60 MB resident for some 40 MB in use (heaptrack), and the
//! report tables' rebuild that follows (two threads of its own, allocating other sizes) took
//! new pages beside it: 97–112 MB at the peak against the 100 MB an import may take.
//! [`give_back`] returns the free pages of every arena to the system between the two (the
//! peak then 77–80 MB). Elsewhere (Windows, musl) it does nothing: not measured there.

/// Gives the pages the allocator holds free back to the system.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes no pointer and touches only the allocator's own free lists;
    // glibc makes it safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
