//! `clipper transcribe FILE`: the engine (or the whisper-cli baseline), the
//! transcript files, the text on stdout and a closing line on stderr.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::Context;

use crate::cli::TranscribeArgs;
use crate::transcribe::{self, Settings};
use crate::transcript::Transcript;
use crate::util::{paths, time};
use crate::{audio, folder, model, output, progress};

/// Transcribes one file.
pub fn run(args: TranscribeArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let settings = Settings {
        beam: args.beam as usize,
        ..args.engine.settings()
    };
    let model = model::find_model_for(args.model.model.as_deref(), &settings.language)?;
    let file = &args.file;
    if !file.is_file() {
        anyhow::bail!("{}: no such file", file.display());
    }
    let transcript = transcribe(file, &model, &settings, args.baseline_whisper_cli)
        .with_context(|| file.display().to_string())?;
    let dir = folder::OutputFolder::for_input(file, args.output.as_deref());
    output::write_transcript(dir.path(), &transcript)
        .with_context(|| format!("cannot write the transcript into {}", dir.path().display()))?;
    if args.json {
        super::out(serde_json::to_string_pretty(&transcript)?)?;
    } else {
        for s in &transcript.segments {
            let (a, b) = (time::timestamp(s.start), time::timestamp(s.end));
            super::out(format_args!("[{a} --> {b}]  {}", s.text))?;
        }
    }
    for w in &transcript.warnings {
        eprintln!("warning: {}: {w}", file.display());
    }
    if let Some(note) = transcribe::translation_note(&settings, &transcript) {
        eprintln!("note: {}: {note}", file.display());
    }
    if transcript.english.is_some() {
        eprintln!(
            "English translation: {}",
            dir.path()
                .join(format!("{}.txt", output::ENGLISH_STEM))
                .display()
        );
    }
    let wall = started.elapsed().as_secs_f64();
    let workers = if args.baseline_whisper_cli {
        format!(
            "whisper-cli baseline, {} threads",
            settings.jobs * settings.threads
        )
    } else {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        format!(
            "{} job{} × {} thread{}",
            settings.jobs,
            s(settings.jobs),
            settings.threads,
            s(settings.threads)
        )
    };
    eprintln!(
        "{} of audio in {} ({:.1}× real time), {} speech, {workers} → {}",
        time::duration(transcript.audio_duration),
        time::duration(wall),
        transcript.audio_duration / wall.max(1e-9),
        time::duration(transcript.speech_duration),
        dir.path().display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs the engine, or the whisper-cli baseline, on `file`.
fn transcribe(
    file: &Path,
    model: &model::ModelInfo,
    settings: &Settings,
    baseline: bool,
) -> anyhow::Result<Transcript> {
    if baseline {
        let audio = audio::load_16k_with(file, &settings.decode)?;
        let threads = settings.jobs * settings.threads;
        return Ok(transcribe::baseline::transcribe_like_whisper_cli(
            model,
            &audio.samples,
            threads,
        )?);
    }
    let engine = transcribe::Engine::load(model)?;
    let detector = model::detector_for(model, &settings.language);
    super::note_unchecked_language(Some(model), detector.as_ref(), &settings.language);
    let bar = progress::Bar::new(&paths::file_name(file));
    let t = transcribe::transcribe_in_language(
        &engine,
        detector.as_ref(),
        file,
        settings,
        &bar,
        &AtomicBool::new(false),
    )?;
    bar.finish();
    if let (Some(code), Some(p)) = (&t.language, t.language_probability) {
        eprintln!(
            "language: {} ({code}, {:.0} % sure)",
            crate::lang::codes::name(code),
            p * 100.0
        );
    }
    Ok(t)
}
