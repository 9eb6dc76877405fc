//! The `clipper` binary: parse the command line, run, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

/// Tunes glibc's allocator for a long-running process with a few worker
/// threads that allocate and free megabyte-sized buffers per chunk (audio,
/// mel spectrograms): large blocks always come from (and go back to) the
/// kernel instead of fragmenting the heaps, and the workers share two
/// arenas. On a 10-minute episode this lowered peak RSS from 430 to 391 MB
/// at the same speed (README, Performance).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only changes allocator parameters; it is called
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

/// True when the error comes from writing to a closed pipe.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = clipper::cli::Cli::parse();
    match clipper::commands::run(cli) {
        Ok(code) => code,
        // The reader of stdout went away (`clipper transcribe f | head -1`):
        // nothing is wrong, and nobody is left to tell.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
