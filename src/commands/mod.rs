//! The commands: one file each, mapping parsed arguments onto the library's
//! stages and printing what they did. Nothing below this module prints.

mod episodes;
mod eval;
mod export;
mod init;
mod model;
mod review;
mod season;
mod transcribe;

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::cli::{Cli, Command, EvalCommand, ModelCommand, ReviewCommand, SeasonCommand};

/// Set by Ctrl-C (SIGINT) or SIGTERM: finish nothing new, clean up, exit.
static STOP: AtomicBool = AtomicBool::new(false);

/// Exit code of an interrupted run (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: u8 = 130;

/// Exit code for bad usage (the same as clap's).
const EXIT_USAGE: u8 = 2;

/// Exit code when the only failures are permanent ones, recorded with
/// their file and settings (a bad file): retrying the same command will not
/// help, so a scheduler should not (exit 1 is worth a retry).
const EXIT_PERMANENT: u8 = 3;

/// Runs a parsed command line. Errors are returned for `main` to print.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let Some(command) = cli.command else {
        return episodes::run(cli.run);
    };
    match command {
        Command::Transcribe(args) => transcribe::run(args),
        Command::Init(args) => init::run(args),
        Command::Review(ReviewCommand::Apply { dir, file, author }) => {
            review::apply(&dir, &file, author.as_deref())
        }
        Command::Season(SeasonCommand::Index { dir, json }) => season::index(&dir, json),
        Command::Export(args) => export::run(&args),
        Command::Eval(EvalCommand::Highlights { labels, top, json }) => {
            eval::highlights(&labels, top, json)
        }
        Command::Eval(EvalCommand::Diarization {
            audio,
            rttm,
            speakers,
            threshold,
            step,
            words,
            speaker_model,
            json,
        }) => {
            let options = crate::speakers::Options {
                count: speakers,
                threshold: threshold.unwrap_or(crate::speakers::DEFAULT_THRESHOLD),
                step: step.map_or(crate::speakers::DEFAULT_STEP, |s| {
                    (s * 100.0).round().max(1.0) as usize
                }),
            };
            let paths = eval::DiarizationPaths {
                rttm: &rttm,
                words: words.as_deref(),
                speaker_model: speaker_model.as_deref(),
            };
            eval::diarization(&audio, &paths, &options, json)
        }
        Command::Model(ModelCommand::Import(args)) => model::import(args),
        Command::Model(ModelCommand::List(args)) => model::list(args),
        Command::Model(ModelCommand::Install(args)) => model::install(args),
    }
}

/// A usage error: message, exit code 2.
fn usage_error(msg: String) -> anyhow::Result<ExitCode> {
    eprintln!("error: {msg}");
    Ok(ExitCode::from(EXIT_USAGE))
}

/// Writes one line to stdout; a closed pipe comes back as an error that
/// `main` turns into a quiet exit (where `println!` would panic).
fn out(line: impl std::fmt::Display) -> std::io::Result<()> {
    writeln!(std::io::stdout().lock(), "{line}")
}

/// Installs the Ctrl-C/SIGTERM handler once: the first signal asks the
/// run to stop after cleaning up; a second one ends the process at once
/// (the next run cleans up what it left).
fn install_stop_handler() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if STOP.swap(true, Ordering::SeqCst) {
                std::process::exit(EXIT_INTERRUPTED.into());
            }
        });
    });
}

/// Says, once per run, that the episodes' language cannot be checked: the
/// only model is English-only and nothing else can listen for the language.
fn note_unchecked_language(
    model: Option<&crate::model::ModelInfo>,
    detector: Option<&crate::model::ModelInfo>,
    language: &str,
) {
    if language == crate::lang::codes::AUTO
        && model.is_some_and(|m| !m.multilingual)
        && detector.is_none()
    {
        eprintln!(
            "note: English assumed and not checked: the only model is English-only. \
             For shows in other languages, `clipper model install base` (then clipper \
             hears each episode's language), or pass --language"
        );
    }
}
