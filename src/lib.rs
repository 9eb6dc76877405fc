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
pub mod eval;
pub mod model;
pub mod transcribe;
pub mod transcript;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use cli::{Cli, Command, ModelCommand, Quantize};
use model::WeightType;

/// Runs a parsed command line. Errors are returned for `main` to print.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Transcribe(args) => {
            let model = model::find_model(args.model.model.as_deref())?;
            let settings = transcribe::Settings {
                threads: args
                    .threads
                    .unwrap_or_else(|| transcribe::Settings::default().threads),
                beam: args.beam as usize,
            };
            let transcript = transcribe::transcribe_file(&args.file, &model, &settings)?;
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
