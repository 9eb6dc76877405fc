//! How many threads one whisper.cpp call may use right now.
//!
//! ggml (built without OpenMP, as whisper-rs builds it) splits each step of
//! the encoder and decoder across a call's threads and waits for all of them
//! at a spinning barrier. While every thread has a core that is quick; when
//! another program holds a core, the spinning thread burns its time slice
//! waiting for one that is not running, and a chunk takes tens of times
//! longer (measured: a 2-minute piece with `--jobs 1 --threads 2` went from
//! 10 s to 157 s while other builds loaded the machine).
//!
//! So a worker asks for more than one thread only for the cores that are
//! free when its chunk starts: the number of runnable tasks the kernel
//! reports (`procs_running` in `/proc/stat`), less clipper's own running
//! threads, tells how many cores other programs are using. One thread never waits at a barrier and always runs.
//! A chunk that started on free cores keeps its threads if load arrives in
//! the middle of it; the next chunk asks again.

/// The threads a whisper.cpp call should use now: `wanted` (the `--threads`
/// setting), fewer when other tasks keep the machine's cores busy, never
/// less than one.
pub fn threads_now(wanted: usize) -> usize {
    if wanted <= 1 {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match (runnable_tasks(), own_runnable_threads()) {
        // clipper's own threads (this one, the other workers, the audio
        // decoder) are not "other work": the jobs × threads budget is the
        // user's choice
        (Some(running), Some(own)) => threads_given(wanted, cores, running.saturating_sub(own)),
        (Some(running), None) => threads_given(wanted, cores, running.saturating_sub(1)),
        _ => wanted,
    }
}

/// `wanted` threads, limited to the cores not taken by `busy` other tasks.
fn threads_given(wanted: usize, cores: usize, busy: usize) -> usize {
    wanted.min(cores.saturating_sub(busy)).max(1)
}

/// Tasks running or ready to run on the whole machine, including the
/// caller; `None` where the kernel does not say (not Linux).
fn runnable_tasks() -> Option<usize> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    stat.lines()
        .find_map(|l| l.strip_prefix("procs_running "))
        .and_then(|n| n.trim().parse().ok())
}

/// This process's threads that are running or ready to run (state `R` in
/// `/proc/self/task/*/stat`), at least one: the caller.
fn own_runnable_threads() -> Option<usize> {
    let tasks = std::fs::read_dir("/proc/self/task").ok()?;
    let running = tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("stat")).ok())
        .filter(|stat| {
            // "pid (name) S ...": the state follows the last ')'
            stat.rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('R'))
        })
        .count();
    Some(running.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_shrink_to_the_free_cores_but_never_to_zero() {
        assert_eq!(threads_given(2, 2, 0), 2, "a quiet machine");
        assert_eq!(threads_given(2, 2, 1), 1, "a program on one core");
        assert_eq!(threads_given(4, 2, 0), 2, "never more than the cores");
        assert_eq!(threads_given(2, 2, 7), 1, "a busy machine");
        assert_eq!(threads_given(4, 8, 3), 4);
    }

    #[test]
    fn one_thread_is_asked_for_without_looking() {
        assert_eq!(threads_now(1), 1);
        assert!(threads_now(2) >= 1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_kernel_counts_this_test_as_running() {
        assert!(runnable_tasks().unwrap() >= 1);
        let own = own_runnable_threads().unwrap();
        assert!(own >= 1 && own <= runnable_tasks().unwrap() + 1, "{own}");
    }
}
