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
pub mod model;
pub mod output;
pub mod progress;
pub mod review;
pub mod transcribe;
pub mod transcript;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
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
            "{} jobs × {} thread{}",
            settings.jobs,
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

/// Audio file extensions looked for in folders.
const AUDIO_EXTENSIONS: &[&str] = &[
    "mp3", "m4a", "mp4", "aac", "wav", "flac", "ogg", "oga", "opus", "aif", "aiff", "caf", "webm",
    "mka", "mkv",
];

/// Expands folders into their audio files (recursive, sorted).
fn expand_inputs(inputs: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden || p.to_string_lossy().ends_with(".clipper") {
                continue;
            }
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| {
                AUDIO_EXTENSIONS.contains(&e.to_string_lossy().to_lowercase().as_str())
            }) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for i in inputs {
        if i.is_dir() {
            walk(i, &mut out);
        } else {
            out.push(i.clone());
        }
    }
    out
}

/// `clipper EPISODE...`: loads the model once and processes each episode;
/// one failing episode is reported and the rest go on.
fn run_episodes(args: cli::RunArgs) -> anyhow::Result<ExitCode> {
    let files = expand_inputs(&args.inputs);
    if files.is_empty() {
        anyhow::bail!("no audio files found in the inputs given");
    }
    if args.output.is_some() && files.len() > 1 {
        anyhow::bail!(
            "-o/--output works with one episode only ({} given)",
            files.len()
        );
    }
    let model = model::find_model(args.model.model.as_deref())?;
    let engine = transcribe::Engine::load(&model)?;
    let settings = args.engine.settings();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let mut failed = 0;
    for file in &files {
        let started = Instant::now();
        let name = file.display();
        let config_path = args
            .config
            .clone()
            .or_else(|| config::ClientConfig::find(file));
        let cfg = match &config_path {
            Some(p) => config::ClientConfig::load(p)?,
            None => config::ClientConfig::default(),
        };
        let opts = episode::EpisodeOptions {
            output: args.output.clone(),
            clips: args.clips.map(usize::from),
            config: cfg,
            settings: settings.clone(),
        };
        let bar = progress::Bar::new(&file.file_name().unwrap_or_default().to_string_lossy());
        let result = episode::process_episode(&engine, file, &opts, &bar, &stop);
        bar.finish();
        match result {
            Ok(r) => {
                if args.json {
                    println!("{}", serde_json::to_string(&r)?);
                }
                for w in &r.warnings {
                    eprintln!("warning: {name}: {w}");
                }
                for id in &r.decisions.orphaned {
                    eprintln!("note: {name}: decision for {id} kept, but the clip is no longer among the highlights");
                }
                let wall = started.elapsed().as_secs_f64();
                eprintln!(
                    "{name}: {} clips, {} of audio in {} ({:.1}× real time) → {}",
                    r.clips,
                    transcript::format_duration(r.duration),
                    transcript::format_duration(wall),
                    r.duration / wall.max(1e-9),
                    r.dir.display()
                );
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {name}: {e}");
            }
        }
    }
    Ok(if failed > 0 {
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
