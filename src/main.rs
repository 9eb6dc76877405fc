//! The `clipper` binary: parse the command line, run, map errors to exit codes.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

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

/// `clipper season` with a folder named `season` here runs the subcommand;
/// say how to process the folder instead.
fn hint_path_named_like_a_command() {
    let Some(first) = std::env::args_os().nth(1) else {
        return;
    };
    let named_like_command = clipper::cli::Cli::command()
        .get_subcommands()
        .any(|c| std::ffi::OsStr::new(c.get_name()) == first);
    if named_like_command && std::path::Path::new(&first).exists() {
        eprintln!(
            "note: {0} is also a file or folder here; to process it, run `clipper ./{0}`",
            first.to_string_lossy()
        );
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = match clipper::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            hint_path_named_like_a_command();
            std::process::exit(e.exit_code());
        }
    };
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
