//! `clipper EPISODE...` / `clipper DIR`: the whole job for every episode.
//!
//! Two steps. [`plan`] checks every episode before any work (its output
//! folder, client settings, earlier decisions and cache key) and gives a
//! [`Job`]: planned, or refused with the reason. [`Runner`] then does the
//! planned ones one after another: reuses what is up to date, loads the model
//! once and only when something must be transcribed, records failures and
//! goes on, and stops cleanly on Ctrl-C.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Instant;

use anyhow::Context;

use super::{usage_error, EXIT_INTERRUPTED, EXIT_PERMANENT, STOP};
use crate::cli::RunArgs;
use crate::config::ClientConfig;
use crate::episode::{self, EpisodeError, EpisodeOptions, EpisodeReport};
use crate::folder::{hash_file, CacheKey, FailureRecord, OutputFolder};
use crate::progress::{Bar, SeasonBar};
use crate::transcribe::{self, Engine, Settings};
use crate::transcript::Transcript;
use crate::util::time;
use crate::{model, season};

/// One episode of a run, as planned before any work.
enum Job {
    /// Ready to run.
    Planned(Box<Planned>),
    /// Cannot be done, and why (reported as the episode's failure).
    Refused {
        file: PathBuf,
        out: OutputFolder,
        reason: String,
    },
}

/// A planned episode: its folder, options (with the cache key) and, with
/// `--transcript`, the transcript to use instead of Whisper's.
struct Planned {
    file: PathBuf,
    out: OutputFolder,
    opts: EpisodeOptions,
    key: CacheKey,
    given: Option<Transcript>,
}

impl Job {
    fn file(&self) -> &Path {
        match self {
            Job::Planned(p) => &p.file,
            Job::Refused { file, .. } => file,
        }
    }
}

/// What became of one episode.
enum Outcome {
    /// Processed now.
    Done(EpisodeReport),
    /// Its complete output was made from the same audio and settings.
    Unchanged,
    /// Failed now; recorded with the key when a retry would fail the same
    /// way (not for a bug in clipper).
    Failed(String, Option<CacheKey>),
    /// Failed before on the same audio and settings; not tried again.
    FailedBefore(FailureRecord),
}

/// One episode's line in `--json` output.
/// Paths are written as text; bytes that are not UTF-8 become U+FFFD.
#[derive(serde::Serialize)]
struct EpisodeLine<'a> {
    #[serde(serialize_with = "crate::util::paths::serialize_lossy")]
    input: &'a Path,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<&'a EpisodeReport>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "lossy_opt")]
    output: Option<&'a Path>,
}

fn lossy_opt<S: serde::Serializer>(p: &Option<&Path>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => crate::util::paths::serialize_lossy(p, s),
        None => s.serialize_none(),
    }
}

/// Runs the episodes of the command line and writes the season indexes.
pub fn run(mut args: RunArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let tracks = if args.tracks {
        match mix_tracks(&args.inputs) {
            Ok((mix, turns)) => {
                args.inputs = vec![mix];
                Some(turns)
            }
            Err(msg) => return usage_error(msg),
        }
    } else {
        None
    };
    let files = match find(&args) {
        Ok(files) => files,
        Err(msg) => return usage_error(msg),
    };
    let roots: Vec<&PathBuf> = args.inputs.iter().filter(|i| i.is_dir()).collect();
    if files.is_empty() {
        // an empty shard: its share of the season is done
        super::season::write_indexes(&roots);
        return Ok(ExitCode::SUCCESS);
    }
    let given = match &args.transcript {
        Some(path) => Some(read_transcript(path)?),
        None => None,
    };
    let language = args.engine.settings().language;
    let model = match given {
        Some(_) => None,
        None => Some(model::find_model_for(
            args.model.model.as_deref(),
            &language,
        )?),
    };
    // A multilingual model besides an English-only first choice guesses
    // each episode's language (and transcribes the ones not in English).
    let detector = model
        .as_ref()
        .and_then(|m| model::detector_for(m, &language));
    super::note_unchecked_language(model.as_ref(), detector.as_ref(), &language);
    let transcript_settings = transcript_settings(&args, model.as_ref(), detector.as_ref())?;
    super::install_stop_handler();
    let jobs = plan(&args, &files, transcript_settings, given, tracks.as_ref());
    if jobs.iter().all(|j| matches!(j, Job::Refused { .. })) {
        // Nothing can be done at all (e.g. the output folder is read-only):
        // say so before loading anything.
        for j in &jobs {
            if let Job::Refused { file, reason, .. } = j {
                eprintln!("error: {}: {reason}", file.display());
            }
        }
        return Ok(ExitCode::FAILURE);
    }
    let mut runner = Runner::new(&args, model, detector, jobs.len());
    for job in &jobs {
        if STOP.load(Ordering::SeqCst) || !runner.run(job)? {
            break;
        }
    }
    runner.bar.finish();
    super::season::write_indexes(&roots);
    Ok(runner.close(jobs.len(), started))
}

/// `--tracks`: the speakers' tracks mixed into `<first stem>.mix.wav`
/// beside the first track (written atomically), and the turns their levels
/// give; or what is wrong with them.
fn mix_tracks(inputs: &[PathBuf]) -> Result<(PathBuf, crate::speakers::Diarization), String> {
    if inputs.len() < 2 || inputs.iter().any(|p| !p.is_file()) {
        return Err("--tracks needs two or more audio files, one per speaker".into());
    }
    let tracks = inputs
        .iter()
        .map(|p| {
            crate::audio::load_16k(p)
                .map(|a| a.samples)
                .map_err(|e| format!("{}: {e}", p.display()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let turns = crate::speakers::tracks::diarize_tracks(&tracks);
    let first = &inputs[0];
    let stem = first.file_stem().unwrap_or_default().to_string_lossy();
    let mix = first.with_file_name(format!("{stem}.mix.wav"));
    let bytes = crate::media::wav_bytes(&crate::speakers::tracks::mix(&tracks), 16_000);
    crate::atomic::write_bytes(&mix, &bytes)
        .map_err(|e| format!("cannot write the mix {}: {e}", mix.display()))?;
    Ok((mix, turns))
}

/// The episodes of the command line, or a usage error.
fn find(args: &RunArgs) -> Result<Vec<PathBuf>, String> {
    if let Some(i) = args.inputs.iter().find(|i| !i.exists()) {
        return Err(format!("{}: no such file or folder", i.display()));
    }
    let all = season::find_episodes(&args.inputs);
    if all.is_empty() {
        return Err("no audio files found in the inputs given".into());
    }
    let total = all.len();
    let files = match args.shard {
        Some(shard) => shard.take(all),
        None => all,
    };
    if let (Some(shard), true) = (args.shard, files.is_empty()) {
        eprintln!(
            "shard {}/{}: no episode falls to this share ({total} in all); nothing to do",
            shard.index, shard.count
        );
    }
    let one_only =
        |flag: &str| format!("{flag} works with one episode only ({} given)", files.len());
    if files.len() > 1 && args.output.is_some() {
        return Err(one_only("-o/--output"));
    }
    if files.len() > 1 && args.transcript.is_some() {
        return Err(one_only("--transcript"));
    }
    Ok(files)
}

/// Reads a transcript.json given with `--transcript`.
fn read_transcript(path: &Path) -> anyhow::Result<Transcript> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not a clipper transcript.json", path.display()))
}

/// The settings that shape a transcript: clipper's version, the model's
/// hash and the engine's decoding settings — or, with `--transcript`, the
/// given file's hash.
fn transcript_settings(
    args: &RunArgs,
    model: Option<&model::ModelInfo>,
    detector: Option<&model::ModelInfo>,
) -> anyhow::Result<serde_json::Value> {
    let settings = args.engine.settings();
    let hash = |m: &model::ModelInfo| {
        hash_file(&m.path).with_context(|| format!("cannot read the model {}", m.path.display()))
    };
    let source = match (model, &args.transcript) {
        (Some(m), _) => serde_json::json!({
            "model": hash(m)?,
            "language_model": detector.map(hash).transpose()?,
        }),
        (None, Some(t)) => serde_json::json!({ "transcript_file": hash_file(t)
            .with_context(|| format!("cannot read {}", t.display()))? }),
        (None, None) => serde_json::Value::Null,
    };
    let mut key = serde_json::json!({
        "clipper": env!("CARGO_PKG_VERSION"),
        "source": source,
        "beam": settings.beam,
        "plan": settings.plan,
        "raw_format": settings.decode.raw_format.map(|f| f.to_string()),
    });
    if settings.full_context {
        // Only when asked for, so the default key of earlier runs still holds.
        key["full_context"] = true.into();
    }
    Ok(key)
}

/// Checks every episode before any work and gives each its job.
fn plan(
    args: &RunArgs,
    files: &[PathBuf],
    transcript_settings: serde_json::Value,
    given: Option<Transcript>,
    tracks: Option<&crate::speakers::Diarization>,
) -> Vec<Job> {
    let settings = args.engine.settings();
    let mut seen: HashMap<OutputFolder, &Path> = HashMap::new();
    let mut given = given;
    files
        .iter()
        .map(|file| {
            let out = OutputFolder::for_input(file, args.output.as_deref());
            let refuse = |reason: String| Job::Refused {
                file: file.clone(),
                out: out.clone(),
                reason,
            };
            if let Some(other) = seen.insert(out.clone(), file) {
                return refuse(format!(
                    "its output folder {} is also {}'s; rename one of them",
                    out.path().display(),
                    other.display()
                ));
            }
            match plan_one(args, file, &out, &settings, &transcript_settings) {
                Ok((mut opts, key)) => Job::Planned(Box::new(Planned {
                    opts: {
                        opts.tracks = tracks.cloned();
                        opts
                    },
                    file: file.clone(),
                    out,
                    key,
                    given: given.take(),
                })),
                Err(reason) => refuse(reason),
            }
        })
        .collect()
}

/// The options and cache key of one episode, or why it cannot be done.
fn plan_one(
    args: &RunArgs,
    file: &Path,
    out: &OutputFolder,
    settings: &Settings,
    transcript_settings: &serde_json::Value,
) -> Result<(EpisodeOptions, CacheKey), String> {
    let regular = std::fs::metadata(file).is_ok_and(|m| m.is_file());
    if !regular {
        return Err(
            "it is not a regular file (a pipe, device or folder): clipper reads audio files only"
                .into(),
        );
    }
    let stamp = crate::episode::file_stamp(file).map_err(|e| format!("cannot read it: {e}"))?;
    out.check_writable().map_err(|e| {
        format!("cannot write its output folder: {e:#}; choose another folder with -o")
    })?;
    // A damaged decisions.json would be found only after the whole
    // transcription otherwise.
    out.decisions()
        .map_err(|e| format!("its decisions cannot be read: {:#}", anyhow::Error::from(e)))?;
    let config_path = args.config.clone().or_else(|| ClientConfig::find(file));
    let mut config = match config_path.as_deref().map(ClientConfig::load) {
        Some(Ok(cfg)) => cfg,
        Some(Err(e)) => return Err(format!("its client settings cannot be used: {e}")),
        None => ClientConfig::default(),
    };
    let language = match &args.engine.language {
        Some(given) => given.clone(),
        None => crate::lang::codes::parse(&config.language)?,
    };
    let mut transcript_settings = transcript_settings.clone();
    transcript_settings["language"] = language.clone().into();
    // drafts from the English translation need the translation
    let translate =
        args.engine.translate || config.drafts_from == crate::config::DraftsFrom::English;
    if translate {
        // Only when asked for, so the default key of earlier runs still holds.
        transcript_settings["translate"] = true.into();
    }
    apply_flags(args, &mut config)?;
    // (the schedule shapes only the export, never the clips or drafts)
    let shaping = ClientConfig {
        schedule: None,
        ..config.clone()
    };
    let no_video = std::env::var_os("CLIPPER_NO_VIDEO").is_some();
    // Another speaker model (a reinstall that added the VAD, say) redoes the
    // speakers and what follows them; the transcript is kept.
    let speaker_model = crate::model::speaker::find(args.speaker_model.as_deref())
        .ok()
        .and_then(|p| Some(serde_json::json!([p, std::fs::metadata(&p).ok()?.len()])));
    let later = serde_json::json!({
        "clips": args.clips,
        "config": shaping,
        "no_video": no_video,
        "speaker_model": speaker_model,
    });
    let key = CacheKey::new(file, transcript_settings, later)
        .map_err(|e| format!("cannot read it: {e}"))?;
    let voiceprints = voiceprints_of(config_path.as_deref(), &config);
    let opts = EpisodeOptions {
        output: args.output.clone(),
        clips: args.clips.map(usize::from),
        config,
        settings: Settings {
            language,
            translate,
            ..settings.clone()
        },
        cache_key: Some(key.clone()),
        source_stamp: Some(stamp),
        speaker_model: args.speaker_model.clone(),
        tracks: None,
        voiceprints,
    };
    Ok((opts, key))
}

/// The run's flags over the client's settings (writer, speakers), checked;
/// a logo that cannot be drawn is found now, before any work.
fn apply_flags(args: &RunArgs, config: &mut ClientConfig) -> Result<(), String> {
    args.writer.apply(&mut config.writer);
    if args.no_speakers {
        config.speakers.enabled = false;
    }
    if let Some(n) = args.speakers {
        config.speakers.count = Some(n.into());
    }
    if args.subtitle_speakers {
        config.speakers.in_subtitles = true;
    }
    config
        .validate()
        .map_err(|e| format!("its writer settings cannot be used: {e}"))?;
    if config.media.video || config.media.quote_cards {
        crate::media::logo_image(&config.media)
            .map_err(|e| format!("its client settings cannot be used: {e}"))?;
    }
    Ok(())
}

/// Where a show keeps its voice prints: beside its clipper.toml (without
/// one, there are no names to learn), unless speakers are off.
fn voiceprints_of(config_path: Option<&Path>, config: &ClientConfig) -> Option<PathBuf> {
    let path = config_path.filter(|_| config.speakers.enabled)?;
    Some(path.with_file_name(crate::speakers::prints::FILE_NAME))
}

/// Runs planned jobs one after another, with the season display, the
/// model loaded on first need, and the tally that decides the exit code.
struct Runner<'a> {
    args: &'a RunArgs,
    model: Option<model::ModelInfo>,
    engine: Option<Engine>,
    /// A multilingual model besides an English-only `model`, loaded for
    /// each episode whose language must be guessed or is not English (see
    /// `transcribe_in_language`).
    detector: Option<model::ModelInfo>,
    bar: SeasonBar,
    done: usize,
    unchanged: usize,
    failed: usize,
    /// Failures recorded with their audio and settings: a retry of the
    /// same file fails the same way.
    permanent: usize,
}

impl<'a> Runner<'a> {
    fn new(
        args: &'a RunArgs,
        model: Option<model::ModelInfo>,
        detector: Option<model::ModelInfo>,
        jobs: usize,
    ) -> Runner<'a> {
        Runner {
            args,
            model,
            engine: None,
            detector,
            bar: SeasonBar::new(jobs),
            done: 0,
            unchanged: 0,
            failed: 0,
            permanent: 0,
        }
    }

    /// Does one job and reports it; false when the run was interrupted.
    fn run(&mut self, job: &Job) -> anyhow::Result<bool> {
        let started = Instant::now();
        let outcome = match job {
            Job::Refused { reason, .. } => Outcome::Failed(reason.clone(), None),
            Job::Planned(p) => match self.run_planned(p)? {
                Some(outcome) => outcome,
                None => return Ok(false),
            },
        };
        let out = match job {
            Job::Planned(p) => &p.out,
            Job::Refused { out, .. } => out,
        };
        let line = self.report(job.file(), out, &outcome, started);
        if self.args.json {
            super::out(serde_json::to_string(&line)?)?;
        }
        self.bar.episode_done();
        Ok(true)
    }

    /// Recovers what a killed run left, reuses an up-to-date output or
    /// failure, else processes the episode. A panic inside is that
    /// episode's failure, reported as a bug and not remembered. `None`
    /// when Ctrl-C stopped it (nothing was kept).
    fn run_planned(&mut self, p: &Planned) -> anyhow::Result<Option<Outcome>> {
        // One writer per folder: a second run, `review apply` or `export` on
        // this episode waits until this one is done.
        let _lock = match p.out.lock() {
            Ok(lock) => lock,
            Err(e) => return Ok(Some(Outcome::Failed(chain(e), None))),
        };
        p.out.recover();
        if !self.args.force {
            if p.out.up_to_date(&p.key).is_some() {
                return Ok(Some(Outcome::Unchanged));
            }
            if let Some(f) = p.out.failed_before(&p.key) {
                return Ok(Some(Outcome::FailedBefore(f)));
            }
        }
        let reuse = match (&p.given, self.args.force) {
            (Some(_), _) | (None, true) => None,
            (None, false) => p.out.reusable_transcript(&p.key),
        };
        if reuse.is_none() && p.given.is_none() {
            self.ensure_engine()?;
        }
        // If this process dies on the episode, the next run finds it failed.
        let _ = p.out.mark_in_progress(&p.file, &p.key);
        let label = crate::util::paths::file_name(&p.file);
        self.bar.status(&label);
        let bar = Bar::under(&self.bar, &label);
        let engines = (self.engine.as_ref(), self.detector.as_ref());
        let watch = Watchdog::start(std::time::Duration::from_secs_f64(
            self.args.max_minutes.max(0.0) * 60.0,
        ));
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            process(p, reuse, engines, &bar, &watch)
        }))
        .unwrap_or_else(|panic| Err(EpisodeError::Bug(panic_message(&*panic))));
        bar.finish();
        Ok(match r {
            Ok(r) => Some(Outcome::Done(r)),
            Err(EpisodeError::Transcribe(transcribe::TranscribeError::Interrupted))
                if watch.timed_out() =>
            {
                let reason = format!(
                    "stopped after {} minutes (--max-minutes); the file may make the engine run away",
                    self.args.max_minutes
                );
                Some(Outcome::Failed(reason, Some(p.key.clone())))
            }
            Err(EpisodeError::Transcribe(transcribe::TranscribeError::Interrupted)) => {
                p.out.clear_failure();
                None
            }
            // Worth retrying: a bug, a write error, a file still being copied,
            // sound that FFmpeg (once installed) decodes.
            Err(e @ (EpisodeError::Bug(_) | EpisodeError::Folder(_) | EpisodeError::Changed)) => {
                Some(Outcome::Failed(chain(e), None))
            }
            Err(e) if e.needs_ffmpeg() => Some(Outcome::Failed(chain(e), None)),
            // The same audio under the same settings fails the same way.
            Err(e) => Some(Outcome::Failed(chain(e), Some(p.key.clone()))),
        })
    }

    /// Loads the model, once per run.
    fn ensure_engine(&mut self) -> anyhow::Result<()> {
        if self.engine.is_some() {
            return Ok(());
        }
        let model = self
            .model
            .as_ref()
            .expect("a model is found when transcripts are not given");
        self.bar.status("loading the model");
        let e = Engine::load(model)?;
        self.bar.message(&format!(
            "model {} loaded once in {:.2} s",
            model.path.display(),
            e.load_seconds()
        ));
        self.engine = Some(e);
        Ok(())
    }

    /// Counts and prints the outcome of one episode; its `--json` line.
    fn report<'l>(
        &mut self,
        file: &'l Path,
        out: &'l OutputFolder,
        outcome: &'l Outcome,
        started: Instant,
    ) -> EpisodeLine<'l> {
        let name = file.display();
        let failed = |reason: String| EpisodeLine {
            input: file,
            status: "failed",
            reason: Some(reason),
            report: None,
            output: None,
        };
        match outcome {
            Outcome::Done(r) => {
                self.done += 1;
                out.clear_failure();
                self.say_done(file, r, started);
                EpisodeLine {
                    input: file,
                    status: "done",
                    reason: None,
                    report: Some(r),
                    output: Some(&r.dir),
                }
            }
            Outcome::Unchanged => {
                self.unchanged += 1;
                out.clear_failure();
                self.bar.message(&format!(
                    "{name}: unchanged since the last run, kept {} (--force redoes it)",
                    out.path().display()
                ));
                EpisodeLine {
                    input: file,
                    status: "unchanged",
                    reason: None,
                    report: None,
                    output: Some(out.path()),
                }
            }
            Outcome::FailedBefore(f) => {
                self.failed += 1;
                self.permanent += 1;
                let reason = format!(
                    "{} (unchanged since it failed at {}; --force retries it)",
                    f.reason, f.at
                );
                self.bar.message(&format!("error: {name}: {reason}"));
                failed(reason)
            }
            Outcome::Failed(reason, key) => {
                self.failed += 1;
                self.permanent += usize::from(key.is_some());
                // Best effort: an unwritable folder cannot take the record.
                let _ = out.record_failure(file, reason, key.as_ref());
                self.bar.message(&format!("error: {name}: {reason}"));
                failed(reason.clone())
            }
        }
    }

    /// The lines of an episode just done: warnings, kept decisions, and
    /// what was made how fast.
    fn say_done(&self, file: &Path, r: &EpisodeReport, started: Instant) {
        let name = file.display();
        for w in &r.warnings {
            self.bar.message(&format!("warning: {name}: {w}"));
        }
        if let Some(why) = &r.writer {
            self.bar.message(&format!("warning: {name}: {why}"));
        }
        if let Some(why) = &r.shortfall {
            self.bar.message(&format!("note: {name}: {why}"));
        }
        for n in &r.notes {
            self.bar.message(&format!("note: {name}: {n}"));
        }
        if !r.respelled.is_empty() {
            let fixes: Vec<String> = r
                .respelled
                .iter()
                .map(|c| format!("{} → {}", c.heard, c.written))
                .collect();
            self.bar.message(&format!(
                "note: {name}: glossary respelled {}",
                fixes.join(", ")
            ));
        }
        for id in &r.decisions.orphaned {
            self.bar.message(&format!(
                "note: {name}: decision for {id} kept, but the clip is no longer among the highlights"
            ));
        }
        if let (Some(code), Some(p)) = (&r.language, r.language_probability) {
            self.bar.message(&format!(
                "{name}: language {} ({code}, {:.0} % sure)",
                crate::lang::codes::name(code),
                p * 100.0
            ));
        }
        let wall = started.elapsed().as_secs_f64();
        let how = if r.transcribed {
            format!(
                "{} of audio in {} ({:.1}× real time)",
                time::duration(r.duration),
                time::duration(wall),
                r.duration / wall.max(1e-9)
            )
        } else {
            format!("redrafted from the saved transcript in {:.1} s", wall)
        };
        self.bar.message(&format!(
            "{name}: {} clips, {how} → {}",
            r.clips,
            r.dir.display()
        ));
    }

    /// The closing line and the exit code.
    fn close(&self, jobs: usize, started: Instant) -> ExitCode {
        let interrupted = STOP.load(Ordering::SeqCst);
        let left = jobs - self.done - self.unchanged - self.failed;
        if jobs > 1 || interrupted {
            eprintln!(
                "{jobs} episodes: {} done, {} unchanged, {} failed{} in {}",
                self.done,
                self.unchanged,
                self.failed,
                if interrupted {
                    format!(", {left} not done")
                } else {
                    String::new()
                },
                time::duration(started.elapsed().as_secs_f64())
            );
        }
        if interrupted {
            eprintln!(
                "interrupted; nothing partial was kept. Run the same command again to resume."
            );
            return ExitCode::from(EXIT_INTERRUPTED);
        }
        if self.failed > self.permanent {
            ExitCode::FAILURE
        } else if self.failed > 0 {
            ExitCode::from(EXIT_PERMANENT)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Processes a planned episode from the transcript it has (given, or
/// reused from its folder), or with the engine.
fn process(
    p: &Planned,
    reuse: Option<Transcript>,
    (engine, detector): (Option<&Engine>, Option<&model::ModelInfo>),
    bar: &Bar,
    watch: &Watchdog,
) -> Result<EpisodeReport, EpisodeError> {
    if let Some(given) = &p.given {
        let mut t = given.clone();
        t.loudness_db = transcribe::measure_loudness(&p.file, &p.opts.settings.decode)?;
        return episode::finish_episode(&p.file, t, false, &p.opts, bar);
    }
    if let Some(t) = reuse {
        return episode::finish_episode(&p.file, t, false, &p.opts, bar);
    }
    let engine = engine.expect("the engine is loaded before an episode is transcribed");
    let t = transcribe::transcribe_in_language(
        engine,
        detector,
        &p.file,
        &p.opts.settings,
        bar,
        &watch.halt,
    )?;
    episode::finish_episode(&p.file, t, true, &p.opts, bar)
}

/// Stops one episode on Ctrl-C or when it runs past its time budget: a
/// thread raises `halt` for either, and says which.
struct Watchdog {
    halt: std::sync::Arc<std::sync::atomic::AtomicBool>,
    timed_out: std::sync::Arc<std::sync::atomic::AtomicBool>,
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Watchdog {
    /// Starts watching for `budget`.
    fn start(budget: std::time::Duration) -> Watchdog {
        use std::sync::atomic::AtomicBool;
        use std::sync::Arc;
        let (halt, timed_out, done) = (
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicBool::new(false)),
        );
        let (h, t, d) = (halt.clone(), timed_out.clone(), done.clone());
        let started = Instant::now();
        std::thread::spawn(move || {
            while !d.load(Ordering::SeqCst) {
                if STOP.load(Ordering::SeqCst) {
                    h.store(true, Ordering::SeqCst);
                } else if started.elapsed() > budget {
                    t.store(true, Ordering::SeqCst);
                    h.store(true, Ordering::SeqCst);
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        });
        Watchdog {
            halt,
            timed_out,
            done,
        }
    }

    /// True when the budget ran out (not Ctrl-C).
    fn timed_out(&self) -> bool {
        self.timed_out.load(Ordering::SeqCst)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
    }
}

/// An error with its causes, on one line.
fn chain(e: impl std::error::Error + Send + Sync + 'static) -> String {
    format!("{:#}", anyhow::Error::from(e))
}

/// The message of a caught panic.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
