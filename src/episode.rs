//! `clipper episode.mp3`: the whole job for one episode.
//!
//! transcript → highlight clips → caption drafts → clip media → review sheet
//! → decisions, all into `<stem>.clipper/`. The folder is rebuilt in a
//! staging folder beside it and swapped in at the end, so a crash leaves
//! the previous complete set; the client's decisions are carried over.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::audio::{self, chapters};
use crate::config::ClientConfig;
use crate::highlights::{self, Clip, Highlights};
use crate::output;
use crate::review::decisions::{Decisions, MergeReport};
use crate::season::{CacheKey, RunRecord, RUN_RECORD};
use crate::transcribe::{Engine, Progress, Settings, TranscribeError};
use crate::transcript::{Segment, Transcript, Word};

/// Options for one episode.
#[derive(Debug, Clone, Default)]
pub struct EpisodeOptions {
    /// Output folder (default `<stem>.clipper/` beside the input).
    pub output: Option<PathBuf>,
    /// Number of clips (default: about one per five minutes, 3-15).
    pub clips: Option<usize>,
    /// The client's settings.
    pub config: ClientConfig,
    /// Transcription settings.
    pub settings: Settings,
    /// What the output is made from; written as `run.json`, the mark of a
    /// complete output folder that a later run may reuse.
    pub cache_key: Option<CacheKey>,
}

/// What processing an episode produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EpisodeReport {
    /// The output folder.
    pub dir: PathBuf,
    /// Audio duration, seconds.
    pub duration: f64,
    /// Speech, seconds.
    pub speech: f64,
    /// Clips made.
    pub clips: usize,
    /// What happened to earlier decisions.
    pub decisions: MergeReport,
    /// Warnings from the engine.
    pub warnings: Vec<String>,
}

/// Why an episode failed.
#[derive(Debug, thiserror::Error)]
pub enum EpisodeError {
    /// Transcription failed.
    #[error(transparent)]
    Transcribe(#[from] TranscribeError),
    /// Writing the outputs failed.
    #[error("cannot write the output folder {0}: {1}")]
    Write(PathBuf, String),
    /// clipper itself failed on this episode: a bug, to be reported with
    /// the file if possible.
    #[error("clipper failed on it (a bug; please report it): {0}")]
    Bug(String),
}

/// Writes 16-bit PCM mono WAV bytes.
fn wav_bytes(samples: &[f32], rate: u32) -> Vec<u8> {
    let data_len = samples.len() as u32 * 2;
    let mut b = Vec::with_capacity(44 + data_len as usize);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // PCM
    b.extend_from_slice(&1u16.to_le_bytes()); // mono
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&(rate * 2).to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for &s in samples {
        b.extend_from_slice(&((s.clamp(-1.0, 1.0) * 32767.0).round() as i16).to_le_bytes());
    }
    b
}

/// Cuts the clips out of the source at its own sample rate (mono), in one
/// streaming pass.
fn extract_clips(
    input: &Path,
    clips: &[Clip],
    decode: &audio::DecodeOptions,
) -> Result<(u32, Vec<Vec<f32>>), audio::AudioError> {
    let rate = std::cell::Cell::new(0u32);
    let mut pos = 0usize;
    let mut out: Vec<Vec<f32>> = vec![Vec::new(); clips.len()];
    audio::decode::decode_mono_with(
        input,
        decode,
        &mut |info| {
            rate.set(info.sample_rate);
            Ok(())
        },
        &mut |block| {
            let r = rate.get() as f64;
            for (i, c) in clips.iter().enumerate() {
                let (a, b) = ((c.start * r) as usize, (c.end * r) as usize);
                let lo = a.max(pos);
                let hi = b.min(pos + block.len());
                if lo < hi {
                    out[i].extend_from_slice(&block[lo - pos..hi - pos]);
                }
            }
            pos += block.len();
        },
    )?;
    Ok((rate.get(), out))
}

/// The transcript of one clip, in clip time, for its subtitle file.
fn clip_transcript(t: &Transcript, clip: &Clip) -> Transcript {
    let words: Vec<Word> = t
        .words()
        .filter(|w| w.start >= clip.start && w.end <= clip.end + 0.05)
        .map(|w| Word {
            start: w.start - clip.start,
            end: (w.end - clip.start).min(clip.duration()),
            ..w.clone()
        })
        .collect();
    Transcript {
        segments: Segment::from_words(words, 0.0, 0.0).into_iter().collect(),
        audio_duration: clip.duration(),
        speech_duration: clip.duration(),
        model: t.model.clone(),
        settings: serde_json::Value::Null,
        skipped: Vec::new(),
        pauses: Vec::new(),
        timings: Default::default(),
        warnings: Vec::new(),
        loudness_db: Vec::new(),
    }
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), EpisodeError> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| EpisodeError::Write(dir.to_path_buf(), e.to_string()))?;
    }
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| EpisodeError::Write(dir.to_path_buf(), e.to_string()))
}

/// A staging folder that is removed unless it was swapped in, so an error
/// or an interruption leaves no partial output behind.
struct Staging {
    path: PathBuf,
    keep: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Cleans up after a run that was killed while writing `dir`: its staging
/// folders go; if it died between moving the old folder aside and moving
/// the new one in, the old folder (with the client's decisions) comes back.
pub fn recover(dir: &Path) {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let name = name.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let (tmp, old) = (format!(".{name}.tmp-"), format!(".{name}.old-"));
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&tmp) {
            let _ = std::fs::remove_dir_all(e.path());
        } else if n.starts_with(&old) {
            if dir.exists() {
                let _ = std::fs::remove_dir_all(e.path());
            } else {
                let _ = std::fs::rename(e.path(), dir);
            }
        }
    }
}

/// Processes one episode with a loaded engine.
pub fn process_episode(
    engine: &Engine,
    input: &Path,
    opts: &EpisodeOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<EpisodeReport, EpisodeError> {
    let started = std::time::Instant::now();
    let transcript = engine.transcribe_file(input, &opts.settings, progress, stop)?;
    let chapters = chapters::read_chapters(input);
    let mut clips = highlights::find(
        &transcript,
        transcript.loudness_db.clone(),
        &chapters,
        &opts.config.buckets,
        opts.clips,
    );
    let episode_name = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::drafts::draft_for_episode(&mut clips, &opts.config, &episode_name);
    let (rate, media) =
        extract_clips(input, &clips, &opts.settings.decode).map_err(TranscribeError::Audio)?;

    let dir = opts
        .output
        .clone()
        .unwrap_or_else(|| output::default_dir(input));
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out.clipper".into());
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let werr = |e: std::io::Error| EpisodeError::Write(dir.clone(), e.to_string());
    std::fs::create_dir_all(&parent).map_err(werr)?;
    recover(&dir);
    let mut staging = Staging {
        path: parent.join(format!(".{name}.tmp-{}", std::process::id())),
        keep: false,
    };
    std::fs::create_dir_all(staging.path.join("clips")).map_err(werr)?;
    let staging_path = staging.path.clone();
    let staging_dir: &Path = &staging_path;

    for (clip, samples) in clips.iter_mut().zip(&media) {
        let wav = format!("clips/{}.wav", clip.id);
        let srt = format!("clips/{}.srt", clip.id);
        write_file(staging_dir, &wav, &wav_bytes(samples, rate))?;
        let sub = output::srt::render(&clip_transcript(&transcript, clip));
        write_file(staging_dir, &srt, sub.as_bytes())?;
        clip.media = vec![wav, srt];
    }
    let h = Highlights {
        episode: episode_name.clone(),
        show_name: opts.config.show_name.clone(),
        duration: transcript.audio_duration,
        chapters,
        clips,
        weights: highlights::score::weights()
            .map(|(f, w)| (f.name().to_string(), w))
            .collect(),
    };
    output::write_transcript(staging_dir, &transcript).map_err(werr)?;
    let json = serde_json::to_vec_pretty(&h).map_err(|e| werr(std::io::Error::other(e)))?;
    write_file(staging_dir, "highlights.json", &json)?;
    // Carry the decisions over from the previous run.
    let mut decisions = Decisions::load(&dir)
        .map_err(|e| EpisodeError::Write(dir.clone(), e.to_string()))?
        .unwrap_or_else(|| Decisions::new(&episode_name));
    let merge = decisions.sync(&h);
    decisions
        .save(staging_dir)
        .map_err(|e| EpisodeError::Write(dir.clone(), e.to_string()))?;
    let current = serde_json::to_value(&decisions).ok();
    write_file(
        staging_dir,
        "review.html",
        crate::review::sheet::render_html(&h, current.as_ref()).as_bytes(),
    )?;
    write_file(
        staging_dir,
        "review.md",
        crate::review::markdown::render_markdown(&h).as_bytes(),
    )?;
    // The run record goes in last: it marks the folder complete.
    if let Some(key) = &opts.cache_key {
        let record = RunRecord {
            format: "clipper-run".into(),
            input: episode_name.clone(),
            key: key.clone(),
            clips: h.clips.len(),
            duration: transcript.audio_duration,
            speech: transcript.speech_duration,
            seconds: started.elapsed().as_secs_f64(),
            finished_at: crate::review::decisions::now_rfc3339(),
            warnings: transcript.warnings.clone(),
        };
        let json =
            serde_json::to_vec_pretty(&record).map_err(|e| werr(std::io::Error::other(e)))?;
        write_file(staging_dir, RUN_RECORD, &json)?;
    }
    // Swap the new set in.
    let had_old = dir.exists();
    if had_old {
        std::fs::rename(&dir, &old).map_err(werr)?;
    }
    if let Err(e) = std::fs::rename(staging_dir, &dir) {
        if had_old {
            let _ = std::fs::rename(&old, &dir);
        }
        return Err(werr(e));
    }
    staging.keep = true;
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(EpisodeReport {
        dir,
        duration: transcript.audio_duration,
        speech: transcript.speech_duration,
        clips: h.clips.len(),
        decisions: merge,
        warnings: transcript.warnings,
    })
}
