//! clipper: podcast episodes in, transcripts, highlight clips, caption drafts
//! and a client approval sheet out, all on the local machine.
//!
//! The pipeline runs one way, stage by stage:
//! [`audio`] decodes and resamples to 16 kHz mono → [`transcribe`] runs
//! Whisper (whisper.cpp) over it → a [`transcript::Transcript`] comes out.
//! [`model`] imports and finds the Whisper models the engine loads.
//! [`run`] maps the command line onto these stages.

pub mod atomic;
pub mod audio;
pub mod cli;
pub mod config;
pub mod drafts;
pub mod episode;
pub mod eval;
pub mod highlights;
pub mod lang;
pub mod model;
pub mod output;
pub mod progress;
pub mod review;
pub mod season;
pub mod transcribe;
pub mod transcript;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context;

use cli::{Cli, Command, ModelCommand, Quantize, ReviewCommand};
use model::WeightType;

/// `clipper transcribe`: the engine (or the whisper-cli baseline), then the
/// transcript files and a closing line.
fn transcribe_command(args: cli::TranscribeArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let model = model::find_model(args.model.model.as_deref())?;
    let settings = transcribe::Settings {
        beam: args.beam as usize,
        ..args.engine.settings()
    };
    let file = &args.file;
    let name = file.display();
    if !file.is_file() {
        anyhow::bail!("{name}: no such file");
    }
    let transcript = if args.baseline_whisper_cli {
        let audio = audio::load_16k_with(file, &settings.decode)
            .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        let threads = settings.jobs * settings.threads;
        transcribe::baseline::transcribe_like_whisper_cli(&model, &audio.samples, threads)
            .map_err(|e| anyhow::anyhow!("{name}: {e}"))?
    } else {
        let engine = transcribe::Engine::load(&model)?;
        let bar = progress::Bar::new(&format!(
            "{}",
            file.file_name().unwrap_or_default().to_string_lossy()
        ));
        let stop = std::sync::atomic::AtomicBool::new(false);
        let t = engine
            .transcribe_file(file, &settings, &bar, &stop)
            .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        bar.finish();
        t
    };
    let dir = args
        .output
        .clone()
        .unwrap_or_else(|| output::default_dir(file));
    output::write_transcript(&dir, &transcript)
        .with_context(|| format!("cannot write the transcript into {}", dir.display()))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &transcript)?;
        writeln!(out)?;
    } else {
        for s in &transcript.segments {
            writeln!(
                out,
                "[{} --> {}]  {}",
                transcript::format_timestamp(s.start),
                transcript::format_timestamp(s.end),
                s.text
            )?;
        }
    }
    out.flush()?;
    drop(out);
    for w in &transcript.warnings {
        eprintln!("warning: {name}: {w}");
    }
    let wall = started.elapsed().as_secs_f64();
    let workers = if args.baseline_whisper_cli {
        format!(
            "whisper-cli baseline, {} threads",
            settings.jobs * settings.threads
        )
    } else {
        format!(
            "{} job{} × {} thread{}",
            settings.jobs,
            if settings.jobs == 1 { "" } else { "s" },
            settings.threads,
            if settings.threads == 1 { "" } else { "s" }
        )
    };
    eprintln!(
        "{} of audio in {} ({:.1}× real time), {} speech, {workers} → {}",
        transcript::format_duration(transcript.audio_duration),
        transcript::format_duration(wall),
        transcript.audio_duration / wall.max(1e-9),
        transcript::format_duration(transcript.speech_duration),
        dir.display()
    );
    Ok(())
}

/// Set by Ctrl-C (SIGINT) or SIGTERM: finish nothing new, clean up, exit.
static STOP: AtomicBool = AtomicBool::new(false);

/// Exit code of an interrupted run (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: u8 = 130;

/// Exit code for bad usage (the same as clap's).
const EXIT_USAGE: u8 = 2;

/// A usage error: message, exit code 2.
fn usage_error(msg: String) -> anyhow::Result<ExitCode> {
    eprintln!("error: {msg}");
    Ok(ExitCode::from(EXIT_USAGE))
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

/// Checks that clipper can create files in `dir` (creating it if needed).
fn check_writable(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let probe = dir.join(format!(".clipper-probe-{}", std::process::id()));
    std::fs::write(&probe, b"")?;
    std::fs::remove_file(&probe)
}

/// The message of a caught panic.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// One episode's line in `--json` output.
#[derive(serde::Serialize)]
struct EpisodeLine<'a> {
    input: &'a Path,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a episode::EpisodeReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<&'a Path>,
}

/// One episode of a run, as planned before any work: its output folder,
/// and either its options (with the cache key) or why it cannot be done.
struct Job {
    file: std::path::PathBuf,
    dir: std::path::PathBuf,
    opts: Option<episode::EpisodeOptions>,
    problem: Option<String>,
}

/// What became of one episode.
enum Outcome {
    /// Processed now.
    Done(episode::EpisodeReport),
    /// Its complete output was made from the same audio and settings.
    Unchanged,
    /// Failed now (recorded for the next run when there is a key).
    Failed(String),
    /// Failed before on the same audio and settings; not tried again.
    FailedBefore(season::FailureRecord),
    /// Stopped by Ctrl-C / SIGTERM; nothing was kept.
    Interrupted,
}

/// Does one planned episode: recovers what a killed run left, reuses an
/// up-to-date output or failure, else loads the model if it is not loaded
/// yet and processes the episode. A panic inside is that episode's failure.
fn run_job(
    job: &Job,
    force: bool,
    model: &model::ModelInfo,
    engine: &mut Option<transcribe::Engine>,
    season_bar: &progress::SeasonBar,
) -> anyhow::Result<Outcome> {
    let opts = match (&job.opts, &job.problem) {
        (_, Some(problem)) => return Ok(Outcome::Failed(problem.clone())),
        (None, None) => return Ok(Outcome::Failed("cannot plan it".into())),
        (Some(opts), None) => opts,
    };
    let key = opts
        .cache_key
        .as_ref()
        .expect("every planned job has a key");
    episode::recover(&job.dir);
    if !force {
        if season::cached(&job.dir, key).is_some() {
            return Ok(Outcome::Unchanged);
        }
        if let Some(f) = season::cached_failure(&job.dir, key) {
            return Ok(Outcome::FailedBefore(f));
        }
    }
    let engine = match engine {
        Some(e) => e,
        None => {
            season_bar.status("loading the model");
            let e = transcribe::Engine::load(model)?;
            season_bar.message(&format!(
                "model {} loaded once in {:.2} s",
                model.path.display(),
                e.load_seconds()
            ));
            engine.insert(e)
        }
    };
    let label = job.file.file_name().unwrap_or_default().to_string_lossy();
    season_bar.status(&label);
    let bar = progress::Bar::under(season_bar, &label);
    // A bug that panics on one episode must not cost the rest of the
    // season: it becomes that episode's failure (its staging folder goes on
    // the way out).
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        episode::process_episode(engine, &job.file, opts, &bar, &STOP)
    }))
    .unwrap_or_else(|panic| Err(episode::EpisodeError::Bug(panic_message(&*panic))));
    bar.finish();
    Ok(match r {
        Ok(r) => Outcome::Done(r),
        Err(episode::EpisodeError::Transcribe(transcribe::TranscribeError::Interrupted)) => {
            Outcome::Interrupted
        }
        Err(e) => Outcome::Failed(e.to_string()),
    })
}

impl<'a> EpisodeLine<'a> {
    /// The line of an episode that failed for `reason`.
    fn failed(input: &'a Path, reason: String) -> EpisodeLine<'a> {
        EpisodeLine {
            input,
            status: "failed",
            reason: Some(reason),
            report: None,
            output: None,
        }
    }
}

/// What a run did with each episode.
#[derive(Default)]
struct Tally {
    done: usize,
    unchanged: usize,
    failed: usize,
}

/// `clipper EPISODE...` / `clipper DIR`: finds the episodes, skips those
/// already done, loads the model once (only when there is work), processes
/// the rest one after another, records failures and goes on, then writes
/// the season index of every folder given.
fn run_episodes(args: cli::RunArgs) -> anyhow::Result<ExitCode> {
    let season_started = Instant::now();
    for i in &args.inputs {
        if !i.exists() {
            return usage_error(format!("{}: no such file or folder", i.display()));
        }
    }
    let all = season::find_episodes(&args.inputs);
    if all.is_empty() {
        return usage_error("no audio files found in the inputs given".into());
    }
    let files = match args.shard {
        Some(shard) => shard.take(all),
        None => all,
    };
    if args.output.is_some() && files.len() > 1 {
        return usage_error(format!(
            "-o/--output works with one episode only ({} given)",
            files.len()
        ));
    }
    let roots: Vec<&std::path::PathBuf> = args.inputs.iter().filter(|i| i.is_dir()).collect();
    let model = model::find_model(args.model.model.as_deref())?;
    let settings = args.engine.settings();
    let model_hash = season::hash_file(&model.path)
        .with_context(|| format!("cannot read the model {}", model.path.display()))?;
    install_stop_handler();

    // Plan: each episode's output folder, its key, and whether it is done.
    let mut jobs = Vec::new();
    let mut seen_dirs = std::collections::HashMap::new();
    let mut tally = Tally::default();
    for file in &files {
        let dir = args
            .output
            .clone()
            .unwrap_or_else(|| output::default_dir(file));
        let mut job = Job {
            file: file.clone(),
            dir: dir.clone(),
            opts: None,
            problem: None,
        };
        if let Some(other) = seen_dirs.insert(dir.clone(), file.clone()) {
            job.problem = Some(format!(
                "its output folder {} is also {}'s; rename one of them",
                dir.display(),
                other.display()
            ));
            jobs.push(job);
            continue;
        }
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Err(e) = check_writable(parent) {
            job.problem = Some(format!(
                "cannot write its output folder in {}: {e}; choose another folder with -o",
                parent.display()
            ));
            jobs.push(job);
            continue;
        }
        let config_path = args
            .config
            .clone()
            .or_else(|| config::ClientConfig::find(file));
        let cfg = match config_path.as_deref().map(config::ClientConfig::load) {
            Some(Ok(cfg)) => cfg,
            Some(Err(e)) => {
                job.problem = Some(format!("its client settings cannot be used: {e}"));
                jobs.push(job);
                continue;
            }
            None => config::ClientConfig::default(),
        };
        let key_settings = serde_json::json!({
            "clipper": env!("CARGO_PKG_VERSION"),
            "model": model_hash,
            "beam": settings.beam,
            "plan": settings.plan,
            "raw_format": format!("{:?}", settings.decode.raw_format),
            "clips": args.clips,
            "config": cfg,
        });
        match season::CacheKey::new(file, key_settings) {
            Ok(key) => {
                job.opts = Some(episode::EpisodeOptions {
                    output: args.output.clone(),
                    clips: args.clips.map(usize::from),
                    config: cfg,
                    settings: settings.clone(),
                    cache_key: Some(key),
                });
            }
            Err(e) => job.problem = Some(format!("cannot read it: {e}")),
        }
        jobs.push(job);
    }
    if jobs.iter().all(|j| j.problem.is_some()) {
        // Nothing can be done at all (e.g. the output folder is read-only):
        // say so before loading anything.
        for j in &jobs {
            eprintln!(
                "error: {}: {}",
                j.file.display(),
                j.problem.as_deref().unwrap_or("")
            );
        }
        return Ok(ExitCode::FAILURE);
    }

    let season_bar = progress::SeasonBar::new(jobs.len());
    let say = |line: String| season_bar.message(&line);
    let mut engine: Option<transcribe::Engine> = None;
    for job in &jobs {
        if STOP.load(Ordering::SeqCst) {
            break;
        }
        let name = job.file.display();
        let started = Instant::now();
        let outcome = run_job(job, args.force, &model, &mut engine, &season_bar)?;
        let line = match &outcome {
            Outcome::Interrupted => break,
            Outcome::Done(r) => {
                tally.done += 1;
                season::clear_failure(&job.dir);
                for w in &r.warnings {
                    say(format!("warning: {name}: {w}"));
                }
                for id in &r.decisions.orphaned {
                    say(format!("note: {name}: decision for {id} kept, but the clip is no longer among the highlights"));
                }
                let wall = started.elapsed().as_secs_f64();
                say(format!(
                    "{name}: {} clips, {} of audio in {} ({:.1}× real time) → {}",
                    r.clips,
                    transcript::format_duration(r.duration),
                    transcript::format_duration(wall),
                    r.duration / wall.max(1e-9),
                    r.dir.display()
                ));
                EpisodeLine {
                    input: &job.file,
                    status: "done",
                    reason: None,
                    report: Some(r),
                    output: Some(&r.dir),
                }
            }
            Outcome::Unchanged => {
                tally.unchanged += 1;
                season::clear_failure(&job.dir);
                say(format!(
                    "{name}: unchanged since the last run, kept {} (--force redoes it)",
                    job.dir.display()
                ));
                EpisodeLine {
                    input: &job.file,
                    status: "unchanged",
                    reason: None,
                    report: None,
                    output: Some(&job.dir),
                }
            }
            Outcome::FailedBefore(f) => {
                tally.failed += 1;
                let reason = format!(
                    "{} (unchanged since it failed at {}; --force retries it)",
                    f.reason, f.at
                );
                say(format!("error: {name}: {reason}"));
                EpisodeLine::failed(&job.file, reason)
            }
            Outcome::Failed(reason) => {
                tally.failed += 1;
                // Best effort: an unwritable folder cannot take the record.
                let key = job.opts.as_ref().and_then(|o| o.cache_key.as_ref());
                let _ = season::record_failure(&job.dir, &job.file, reason, key);
                say(format!("error: {name}: {reason}"));
                EpisodeLine::failed(&job.file, reason.clone())
            }
        };
        if args.json {
            println!("{}", serde_json::to_string(&line)?);
        }
        season_bar.episode_done();
    }
    season_bar.finish();

    for root in &roots {
        let index = season::SeasonIndex::build(root);
        match index.write(root) {
            Ok(()) => eprintln!(
                "season index: {} ({} done, {} failed, {} not processed yet)",
                root.join("season.html").display(),
                index.totals.done,
                index.totals.failed,
                index.totals.pending
            ),
            Err(e) => eprintln!(
                "warning: cannot write the season index in {}: {e}",
                root.display()
            ),
        }
    }
    let interrupted = STOP.load(Ordering::SeqCst);
    let left = jobs.len() - tally.done - tally.unchanged - tally.failed;
    if jobs.len() > 1 || interrupted {
        eprintln!(
            "{} episodes: {} done, {} unchanged, {} failed{} in {}",
            jobs.len(),
            tally.done,
            tally.unchanged,
            tally.failed,
            if interrupted {
                format!(", {left} not done")
            } else {
                String::new()
            },
            transcript::format_duration(season_started.elapsed().as_secs_f64())
        );
    }
    if interrupted {
        eprintln!("interrupted; nothing partial was kept. Run the same command again to resume.");
        return Ok(ExitCode::from(EXIT_INTERRUPTED));
    }
    Ok(if tally.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs a parsed command line. Errors are returned for `main` to print.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let Some(command) = cli.command else {
        return run_episodes(cli.run);
    };
    match command {
        Command::Transcribe(args) => transcribe_command(args)?,
        Command::Init(args) => {
            if args.path.exists() && !args.force {
                anyhow::bail!(
                    "{} already exists; pass --force to overwrite it",
                    args.path.display()
                );
            }
            let cfg = config::ClientConfig {
                show_name: args.show.unwrap_or_default(),
                ..Default::default()
            };
            atomic::write_bytes(&args.path, cfg.to_commented_toml().as_bytes())
                .with_context(|| format!("cannot write {}", args.path.display()))?;
            eprintln!(
                "wrote {}; edit it, then run clipper on an episode",
                args.path.display()
            );
        }
        Command::Review(ReviewCommand::Apply { dir, file }) => {
            let r = review::decisions::apply(&dir, &file)?;
            println!(
                "{}: {} changed, {} unchanged, {} kept for clips no longer in the episode",
                dir.join("decisions.json").display(),
                r.changed.len(),
                r.unchanged,
                r.orphaned.len()
            );
            for id in &r.orphaned {
                eprintln!(
                    "note: decision for {id} kept, but the clip is no longer among the highlights"
                );
            }
        }
        Command::Season(cli::SeasonCommand::Index { dir, json }) => {
            if !dir.is_dir() {
                return usage_error(format!("{}: no such folder", dir.display()));
            }
            let index = season::SeasonIndex::build(&dir);
            index
                .write(&dir)
                .with_context(|| format!("cannot write the season index in {}", dir.display()))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&index)?);
            }
            eprintln!(
                "{}: {} episodes, {} done, {} failed, {} not processed yet",
                dir.join("season.html").display(),
                index.totals.episodes,
                index.totals.done,
                index.totals.failed,
                index.totals.pending
            );
        }
        Command::Export(args) => {
            let r = review::export::export(&args.dir)?;
            println!(
                "{}: {} approved clips, {} rows in publish.csv",
                args.dir.display(),
                r.clips.len(),
                r.rows
            );
            for id in &r.skipped_orphans {
                eprintln!(
                    "note: {id} is approved but no longer among the highlights; not exported"
                );
            }
        }
        Command::Model(ModelCommand::Import(args)) => {
            let weight_type = match args.quantize {
                Quantize::F16 => WeightType::F16,
                Quantize::Q8_0 => WeightType::Q8_0,
                Quantize::Q5_1 => WeightType::Q5_1,
            };
            let started = Instant::now();
            let report = model::import::import(
                &args.src,
                args.output.as_deref(),
                Path::new("models"),
                weight_type,
            )
            .with_context(|| format!("cannot import {}", args.src.display()))?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "wrote {} ({} {}, {}, {} tensors, {:.1} MB) in {:.1} s",
                    report.output.display(),
                    report.hparams.size_name(),
                    if report.hparams.is_multilingual() {
                        "multilingual"
                    } else {
                        "English-only"
                    },
                    report.weight_type.name(),
                    report.tensors,
                    report.bytes as f64 / 1e6,
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Command::Model(ModelCommand::List(args)) => {
            let models = model::list_models(args.model.model.as_deref());
            if args.json {
                println!("{}", serde_json::to_string_pretty(&models)?);
            } else if models.is_empty() {
                println!("no models found; to install one, {}", model::INSTALL_HINT);
            } else {
                println!(
                    "{:<2}{:<44} {:<6} {:<13} {:<6} {:>9}  FOUND BY",
                    "", "PATH", "TYPE", "LANGUAGE", "WEIGHTS", "SIZE"
                );
                for (i, m) in models.iter().enumerate() {
                    println!(
                        "{:<2}{:<44} {:<6} {:<13} {:<6} {:>7.1}MB  {}",
                        if i == 0 { "*" } else { "" },
                        m.path.display(),
                        m.size_name,
                        if m.multilingual {
                            "multilingual"
                        } else {
                            "English-only"
                        },
                        m.quantization,
                        m.bytes as f64 / 1e6,
                        m.source
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
