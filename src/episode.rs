//! `clipper episode.mp3`: the whole job for one episode, stage by stage.
//!
//! transcript → highlight clips → caption drafts → clip media → show notes
//! → review sheet → decisions, all into the episode's [`OutputFolder`]. Each stage makes its
//! own output; [`finish_episode`] runs every stage after transcription, so a
//! saved transcript (from an earlier run whose transcript settings still
//! hold, or one the user corrected) is re-drafted in about a second without
//! Whisper. The new files are staged and swapped in at the end; the client's
//! decisions are carried over.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::audio::{chapters, AudioError};
use crate::bundle::{FinishedClip, Highlights};
use crate::config::{ClientConfig, DraftsFrom};
use crate::decisions::{Decisions, MergeReport};
use crate::folder::{self, CacheKey, FolderError, OutputFolder, RunRecord, Staging};
use crate::media::video::{self, RenderProgress};
use crate::shownotes::ShowNotes;
use crate::transcribe::{Engine, Progress, Settings, TranscribeError};
use crate::transcript::Transcript;
use crate::util::{paths, time};

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
    /// The input's size and modification time when the run began: if they
    /// differ at the end, the file changed while it was read (still being
    /// copied) and nothing is kept.
    pub source_stamp: Option<FileStamp>,
    /// The speaker model (default: found by [`crate::model::speaker::find`]).
    pub speaker_model: Option<PathBuf>,
    /// Turns from one track per speaker (`--tracks`), used instead of
    /// diarizing the mix.
    pub tracks: Option<crate::speakers::Diarization>,
    /// The show's voice prints (`voiceprints.json` beside its
    /// `clipper.toml`): names learned in earlier episodes, and where this
    /// one's named speakers are saved. None: names come from `[speakers]`
    /// only.
    pub voiceprints: Option<PathBuf>,
}

/// A file's size and modification time.
pub type FileStamp = (u64, Option<std::time::SystemTime>);

/// The size and modification time of `path` now.
pub fn file_stamp(path: &Path) -> std::io::Result<FileStamp> {
    let m = std::fs::metadata(path)?;
    Ok((m.len(), m.modified().ok()))
}

impl EpisodeOptions {
    /// These options with the client's `language = "auto"` resolved to the
    /// language the transcript is in (English when it does not say), so
    /// every later stage reads the episode's own word lists.
    pub fn in_language_of(&self, transcript: &Transcript) -> EpisodeOptions {
        let mut opts = self.clone();
        if opts.config.language == crate::lang::codes::AUTO {
            opts.config.language = transcript.language.clone().unwrap_or_else(|| "en".into());
        }
        opts
    }

    /// The output folder of `input` under these options.
    pub fn folder(&self, input: &Path) -> OutputFolder {
        OutputFolder::for_input(input, self.output.as_deref())
    }
}

/// What processing an episode produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EpisodeReport {
    /// The output folder.
    #[serde(serialize_with = "crate::util::paths::serialize_lossy")]
    pub dir: PathBuf,
    /// Audio duration, seconds.
    pub duration: f64,
    /// Speech, seconds.
    pub speech: f64,
    /// Clips made.
    pub clips: usize,
    /// False when the transcript was reused (only later stages ran).
    pub transcribed: bool,
    /// What happened to earlier decisions.
    pub decisions: MergeReport,
    /// Warnings from the engine.
    pub warnings: Vec<String>,
    /// Why fewer clips than asked were found, if so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<String>,
    /// Names the glossary respelled in the transcript.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub respelled: Vec<crate::glossary::Correction>,
    /// The episode's language (Whisper's code), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// How sure the guess was, when clipper guessed the language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language_probability: Option<f32>,
    /// Why the `openai` writer fell back to builtin drafts, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub writer: Option<String>,
    /// Notes on the run that do not come from the transcript (a language
    /// without text rules, see [`language_note`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The note for a language without its own text rules
/// ([`crate::lang::has_rules`]): scoring and drafts then use
/// language-neutral features only, and the run says so.
pub fn language_note(code: &str) -> Option<String> {
    (!crate::lang::has_rules(code)).then(|| {
        format!(
            "no text rules for {} yet: clips and drafts use language-neutral features only",
            crate::lang::codes::name(code)
        )
    })
}

/// Why an episode failed.
#[derive(Debug, thiserror::Error)]
pub enum EpisodeError {
    /// Transcription failed.
    #[error(transparent)]
    Transcribe(#[from] TranscribeError),
    /// The audio could not be read again to cut the clips.
    #[error(transparent)]
    Audio(#[from] AudioError),
    /// The clip media could not be made.
    #[error(transparent)]
    Media(#[from] crate::media::MediaError),
    /// A file of the output folder could not be read or written.
    #[error(transparent)]
    Folder(#[from] FolderError),
    /// The input changed while clipper read it.
    #[error("the file changed while clipper read it (is it still being copied?); nothing was kept, run again when it is complete")]
    Changed,
    /// clipper itself failed on this episode: a bug, to be reported with
    /// the file if possible.
    #[error("clipper failed on it (a bug; please report it): {0}")]
    Bug(String),
}

impl EpisodeError {
    /// True when the file's sound needs FFmpeg, which is not installed: a
    /// failure that installing it mends, so it is not remembered as final.
    pub fn needs_ffmpeg(&self) -> bool {
        use crate::audio::AudioError::NeedsFfmpeg;
        matches!(
            self,
            EpisodeError::Audio(NeedsFfmpeg(_))
                | EpisodeError::Transcribe(TranscribeError::Audio(NeedsFfmpeg(_)))
        )
    }
}

/// Processes one episode with a loaded engine: reuses the transcript of an
/// earlier run when only later settings changed (see
/// [`OutputFolder::reusable_transcript`]), else transcribes, then
/// [`finish_episode`].
pub fn process_episode(
    engine: &Engine,
    input: &Path,
    opts: &EpisodeOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<EpisodeReport, EpisodeError> {
    let out = opts.folder(input);
    out.recover();
    let reused = opts
        .cache_key
        .as_ref()
        .and_then(|k| out.reusable_transcript(k));
    let (transcript, transcribed) = match reused {
        Some(t) => (t, false),
        None => (
            engine.transcribe_file(input, &opts.settings, progress, stop)?,
            true,
        ),
    };
    let shown = crate::media::video::NoRenderProgress;
    finish_episode(input, transcript, transcribed, opts, &shown)
}

/// Gives the transcript its speakers as the settings ask: kept from a
/// saved transcript diarized with the same settings, found anew otherwise
/// (a pass over the audio with the speaker encoder), or taken off when
/// speakers are turned off, then named ([`name_speakers`]). A missing
/// speaker model or an unreadable input gives a note for the run (what to
/// install, or `--no-speakers`), never a failed episode.
fn tell_speakers(input: &Path, transcript: &mut Transcript, opts: &EpisodeOptions) -> Vec<String> {
    let cfg = &opts.config.speakers;
    if let Some(turns) = &opts.tracks {
        crate::speakers::unlabel(transcript);
        crate::speakers::label_from_tracks(transcript, turns);
        return name_speakers(input, transcript, opts);
    }
    if !cfg.enabled {
        crate::speakers::unlabel(transcript);
        return Vec::new();
    }
    let options = crate::speakers::Options {
        count: cfg.count,
        threshold: cfg.threshold.unwrap_or(crate::speakers::DEFAULT_THRESHOLD),
        ..Default::default()
    };
    let mut notes = Vec::new();
    if !crate::speakers::labelled_with(transcript, &options) {
        crate::speakers::unlabel(transcript);
        if let Err(e) = crate::speakers::diarize_episode(
            input,
            &opts.settings.decode,
            transcript,
            &options,
            opts.speaker_model.as_deref(),
        ) {
            notes.push(format!("speakers were not told apart: {e}"));
        } else if crate::speakers::diarized_without_vad(transcript) {
            notes.push(format!(
                "speakers were told apart without the speech detector (the speaker model \
                 predates it), so quiet non-speech sounds may count as a speaker: run `{}` \
                 to add it",
                crate::model::speaker::INSTALL_COMMAND
            ));
        }
    }
    notes.extend(name_speakers(input, transcript, opts));
    notes
}

/// Names the speakers: from `[speakers]` every time and, with the show's
/// voice prints, from the voices named in earlier episodes (saving this
/// episode's named voices for the next); returns the notes for the run. A
/// voice-print file that cannot be read or written is a note, never a
/// failed episode.
fn name_speakers(input: &Path, transcript: &mut Transcript, opts: &EpisodeOptions) -> Vec<String> {
    use crate::speakers::prints;
    let names = &opts.config.speakers.names;
    crate::speakers::name(transcript, names);
    let Some(path) = opts.voiceprints.as_deref() else {
        return Vec::new();
    };
    if transcript.speakers.is_empty() {
        return Vec::new();
    }
    let mut saved = match prints::VoicePrints::load(path) {
        Ok(p) => p,
        Err(e) => return vec![format!("voice prints not used: {e}")],
    };
    let before = saved.clone();
    let episode = paths::file_name(input);
    let threshold = prints::MATCH_THRESHOLD;
    let mut notes = prints::name_for_season(transcript, names, &mut saved, &episode, threshold);
    if saved != before {
        if let Err(e) = saved.save(path) {
            notes.push(format!("voice prints not saved: {e}"));
        }
    }
    notes
}

/// Every stage after transcription: clips, drafts, media, review sheet,
/// decisions, then the swap into the output folder. `transcript` must carry
/// its loudness track (as the engine, [`OutputFolder::reusable_transcript`]
/// and [`crate::transcribe::measure_loudness`] give it). `render` hears
/// how far each clip video is.
pub fn finish_episode(
    input: &Path,
    mut transcript: Transcript,
    transcribed: bool,
    opts: &EpisodeOptions,
    render: &dyn RenderProgress,
) -> Result<EpisodeReport, EpisodeError> {
    let started = std::time::Instant::now();
    let opts = &opts.in_language_of(&transcript);
    let rules = crate::lang::rules(&opts.config.language);
    let respelled = crate::glossary::apply(&mut transcript, &opts.config.glossary, rules);
    let speaker_notes = tell_speakers(input, &mut transcript, opts);
    let out = opts.folder(input);
    let episode = paths::file_name(input);
    let (mut h, writer) = assemble(input, &transcript, &episode, opts);
    let staging = out.stage()?;
    let media_warnings = write_media(input, &transcript, &mut h, opts, (&staging, render))?;
    let named_subtitles = opts.config.speakers.in_subtitles;
    crate::output::write_transcript_with(staging.path(), &transcript, named_subtitles)
        .map_err(|e| FolderError::Write(staging.path().join(folder::TRANSCRIPT), e))?;
    staging.write(
        folder::LEVELS,
        &folder::encode_levels(&transcript.loudness_db),
    )?;
    staging.write_json(folder::HIGHLIGHTS, &h)?;
    let mut decisions = out.decisions()?.unwrap_or_else(|| Decisions::new(&episode)); // carried over
    let merge = decisions.sync(&h);
    staging.write_json(folder::DECISIONS, &decisions)?;
    let notes = crate::shownotes::build(&transcript, &h.chapters, &episode, rules);
    write_show_notes(&staging, &notes)?;
    let current = serde_json::to_value(&decisions).ok();
    let read = |m: &str| std::fs::read(staging.path().join(m)).ok();
    let html =
        crate::review::sheet::render_html_with_notes(&h, current.as_ref(), Some(&notes), &read);
    staging.write(folder::REVIEW_HTML, html.as_bytes())?;
    let md = crate::review::markdown::render_markdown_full(&h, Some(&notes), Some(&decisions));
    staging.write(folder::REVIEW_MD, md.as_bytes())?;
    // The run record goes in last: it marks the folder complete.
    if let Some(key) = &opts.cache_key {
        let record = RunRecord {
            format: "clipper-run".into(),
            input: episode.clone(),
            key: key.clone(),
            clips: h.clips.len(),
            duration: transcript.audio_duration,
            speech: transcript.speech_duration,
            seconds: run_seconds(started, &transcript, transcribed),
            finished_at: time::now_rfc3339(),
            warnings: transcript.warnings.clone(),
        };
        staging.write_json(folder::RUN_RECORD, &record)?;
    }
    crate::folder::hold_before_swap();
    if let Some(stamp) = opts.source_stamp {
        if file_stamp(input).ok() != Some(stamp) {
            return Err(EpisodeError::Changed);
        }
    }
    staging.commit()?;
    let run_notes = transcript_notes(&transcript, opts);
    Ok(EpisodeReport {
        dir: out.path().to_path_buf(),
        duration: transcript.audio_duration,
        speech: transcript.speech_duration,
        clips: h.clips.len(),
        shortfall: h.shortfall.clone(),
        respelled,
        writer,
        transcribed,
        decisions: merge,
        language: transcript.language.clone(),
        language_probability: transcript.language_probability,
        warnings: [transcript.warnings, media_warnings].concat(),
        notes: run_notes.into_iter().chain(speaker_notes).collect(),
    })
}

/// Every clip's media into the staging folder, listed in `h`; returns
/// the warnings to show (no FFmpeg, a video that failed, a logo that went
/// missing since the run began: then no logo is drawn).
fn write_media(
    input: &Path,
    transcript: &Transcript,
    h: &mut Highlights,
    opts: &EpisodeOptions,
    (staging, render): (&Staging, &dyn RenderProgress),
) -> Result<Vec<String>, EpisodeError> {
    let clips: Vec<_> = h.clips.iter().map(|c| c.clip.clone()).collect();
    let mut warnings = Vec::new();
    let logo = crate::media::logo_image(&opts.config.media).unwrap_or_else(|e| {
        warnings.push(format!("{e}; no logo drawn"));
        None
    });
    let media = crate::media::make(
        input,
        transcript,
        &clips,
        &opts.settings.decode,
        &opts.config.media,
        &crate::media::Labels {
            show: &opts.config.show_name,
            logo: logo.as_ref(),
            speakers_in_subtitles: opts.config.speakers.in_subtitles,
        },
    )?;
    for (clip, files) in h.clips.iter_mut().zip(media) {
        for f in files {
            staging.write(&f.name, &f.bytes)?;
            clip.files.push(f.entry());
            clip.media.push(f.name);
        }
    }
    let logo = logo.map(|l| video::Logo {
        path: Path::new(&opts.config.media.logo),
        width: l.width,
        height: l.height,
    });
    warnings.extend(write_videos(
        input,
        transcript,
        h,
        opts,
        (staging, render, logo),
    ));
    Ok(warnings)
}

/// The clip videos, rendered by FFmpeg into the staging folder when it is
/// installed and the settings ask for them (`CLIPPER_NO_VIDEO` in the
/// environment skips them for one run). Returns the warnings to show.
fn write_videos(
    input: &Path,
    transcript: &Transcript,
    h: &mut Highlights,
    opts: &EpisodeOptions,
    (staging, render, logo): (&Staging, &dyn RenderProgress, Option<video::Logo>),
) -> Vec<String> {
    let settings = &opts.config.media;
    if !settings.video
        || settings.formats.is_empty()
        || std::env::var_os("CLIPPER_NO_VIDEO").is_some()
    {
        return Vec::new();
    }
    if !video::ffmpeg_available() {
        return vec![video::NO_FFMPEG.to_string()];
    }
    let jobs: Vec<video::Job> = h
        .clips
        .iter()
        .map(|c| video::Job {
            id: c.id.clone(),
            start: c.clip.start,
            audio: format!("{}/{}.mp3", crate::media::CLIPS_DIR, c.id),
            duration: c.duration(),
            words: crate::media::clip_transcript(transcript, c)
                .words()
                .cloned()
                .collect(),
            speaker: crate::media::speaker_name(c)
                .unwrap_or_default()
                .to_string(),
        })
        .collect();
    let picture = settings
        .picture
        .then(|| video::picture_track(input))
        .flatten();
    let embedded = embedded_cover(input, settings, picture.is_some(), staging);
    let background = match (&picture, settings.cover.as_str(), &embedded) {
        (Some(p), _, _) => video::Background::Episode(p),
        (None, "", Some(file)) => video::Background::Cover(file),
        (None, "", None) => video::Background::Colour,
        (None, cover, _) => video::Background::Cover(Path::new(cover)),
    };
    let brand = video::Brand {
        settings,
        show: &h.show_name,
        background,
        logo,
    };
    let made = video::render_all(staging.path(), &jobs, &brand, render);
    if let Some(file) = embedded {
        let _ = std::fs::remove_file(file);
    }
    let mut warnings = Vec::new();
    for (clip, result) in h.clips.iter_mut().zip(made) {
        match result {
            Ok(files) => {
                for f in files {
                    clip.media.push(f.path.clone());
                    clip.files.push(f);
                }
            }
            Err(e) => warnings.push(format!("clip video not made: {e}")),
        }
    }
    warnings
}

/// The cover picture embedded in an audio episode, written into the
/// staging folder for FFmpeg (hidden; the caller removes it), when the
/// videos need it: no picture track and no `cover` in the settings.
fn embedded_cover(
    input: &Path,
    settings: &crate::config::MediaConfig,
    has_picture: bool,
    staging: &Staging,
) -> Option<PathBuf> {
    if has_picture || !settings.cover.is_empty() {
        return None;
    }
    let art = crate::audio::cover::embedded_picture(input)?;
    let file = staging
        .path()
        .join(format!(".cover.{}", art.format.extension()));
    std::fs::write(&file, &art.data).ok()?;
    Some(file)
}

/// Seconds the run took: the stages after transcription since `started`,
/// plus the transcription when it ran.
fn run_seconds(started: std::time::Instant, transcript: &Transcript, transcribed: bool) -> f64 {
    let transcription = if transcribed {
        transcript.timings.total
    } else {
        0.0
    };
    started.elapsed().as_secs_f64() + transcription
}

/// `shownotes.md`, `shownotes.json` and `chapters.json` into the staging
/// folder.
fn write_show_notes(staging: &Staging, notes: &ShowNotes) -> Result<(), FolderError> {
    let md = crate::shownotes::render::markdown(notes);
    staging.write(folder::SHOWNOTES_MD, md.as_bytes())?;
    staging.write_json(folder::SHOWNOTES_JSON, notes)?;
    staging.write_json(
        folder::CHAPTERS_JSON,
        &crate::shownotes::render::json_chapters(notes),
    )
}

/// The drafts of `clips` (found in `transcript`), written from the
/// transcript `config.drafts_from` names: the episode's own, or, when it is
/// `english` and the transcript has an English translation, each clip
/// retold in the translation's sentences ([`Clip::retold`]) with English
/// text rules. Where the clips are cut does not change.
///
/// [`Clip::retold`]: crate::highlights::Clip::retold
pub fn draft_clips(
    clips: &[crate::highlights::Clip],
    transcript: &Transcript,
    config: &ClientConfig,
    episode: &str,
) -> crate::drafts::Written {
    let english = (config.drafts_from == DraftsFrom::English)
        .then_some(transcript.english.as_deref())
        .flatten();
    match english {
        Some(english) => {
            let en = crate::lang::rules("en");
            let retold: Vec<_> = clips.iter().map(|c| c.retold(english, en)).collect();
            let config = ClientConfig {
                language: "en".into(),
                ..config.clone()
            };
            crate::drafts::write_for_episode(&retold, &config, episode)
        }
        None => crate::drafts::write_for_episode(clips, config, episode),
    }
}

/// The run's notes about the transcript's language and its English
/// translation: no text rules for the language ([`language_note`]); a
/// translation asked for with `--translate` that was not needed or not
/// possible; drafts asked from an English translation there is none of.
pub fn transcript_notes(transcript: &Transcript, opts: &EpisodeOptions) -> Vec<String> {
    let mut notes: Vec<String> = language_note(&opts.config.language).into_iter().collect();
    let english_episode = transcript.language.as_deref().unwrap_or("en") == "en";
    match opts.config.drafts_from {
        DraftsFrom::Original => notes.extend(crate::transcribe::translation_note(
            &opts.settings,
            transcript,
        )),
        DraftsFrom::English if !english_episode && transcript.english.is_none() => notes.push(
            "drafts written from the original transcript: there is no English translation \
             of it to write them from (drafts_from = \"english\")"
                .into(),
        ),
        DraftsFrom::English => {}
    }
    notes
}

/// Clips and drafts of an episode, joined (media names come later), and
/// the writer's warning, if any.
fn assemble(
    input: &Path,
    transcript: &Transcript,
    episode: &str,
    opts: &EpisodeOptions,
) -> (Highlights, Option<String>) {
    let chapters = chapters::read_chapters(input);
    let found = crate::highlights::find(
        transcript,
        transcript.loudness_db.clone(),
        &chapters,
        &opts.config.buckets,
        opts.clips,
        crate::lang::rules(&opts.config.language),
    );
    let clips = found.clips;
    let written = draft_clips(&clips, transcript, &opts.config, episode);
    let h = Highlights {
        episode: episode.to_string(),
        show_name: opts.config.show_name.clone(),
        ui_language: opts.config.ui_language.clone(),
        duration: transcript.audio_duration,
        chapters,
        clips: clips
            .into_iter()
            .zip(written.drafts)
            .map(|(c, d)| FinishedClip::new(c, d, Vec::new()))
            .collect(),
        weights: crate::highlights::score::weights()
            .map(|(f, w)| (f.name().to_string(), w))
            .collect(),
        excluded: found.excluded,
        shortfall: found.shortfall,
    };
    (h, written.warning)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlights::Clip;
    use crate::transcript::Word;

    /// `text` as words half a second apart from 10 s on.
    fn spoken(text: &str) -> Transcript {
        let words = text
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| Word {
                speaker: None,
                start: 10.0 + i as f64 * 0.5,
                end: 10.4 + i as f64 * 0.5,
                word: format!(" {w}"),
                probability: 0.9,
            })
            .collect();
        Transcript::from_words(words, 60.0, "models/ggml-base-q8_0.bin")
    }

    const SPANISH: &str = "El mercado de los libros antiguos crece cada año en Madrid. \
        Los coleccionistas pagan precios récord por las primeras ediciones firmadas.";
    const ENGLISH: &str = "The market for antique books grows every year in Madrid. \
        Collectors pay record prices for signed first editions.";

    fn spanish_episode(translated: bool) -> (Transcript, Clip) {
        let mut t = spoken(SPANISH);
        t.language = Some("es".into());
        t.english = translated.then(|| Box::new(spoken(ENGLISH)));
        let sentences: Vec<String> = SPANISH
            .split_inclusive(". ")
            .map(|s| s.trim().into())
            .collect();
        let clip = Clip {
            id: Clip::id_for(9.8, 30.0, SPANISH),
            rank: 1,
            start: 9.8,
            end: 30.0,
            text: SPANISH.into(),
            sentences,
            bucket: "20-45s".into(),
            score: 1.0,
            contributions: Vec::new(),
            chapter: None,
            summary: String::new(),
            keywords: vec!["libros".into(), "coleccionistas".into()],
            speaker: None,
            unsure: Vec::new(),
        };
        (t, clip)
    }

    fn all_drafts(t: &Transcript, clip: &Clip, drafts_from: DraftsFrom) -> String {
        let config = ClientConfig {
            language: "es".into(),
            drafts_from,
            ..ClientConfig::default()
        };
        let written = draft_clips(std::slice::from_ref(clip), t, &config, "ep.mp3");
        written.drafts[0]
            .drafts
            .iter()
            .map(|d| d.text.to_lowercase() + "\n")
            .collect()
    }

    #[test]
    fn drafts_are_written_from_the_transcript_drafts_from_names() {
        let (t, clip) = spanish_episode(true);
        let original = all_drafts(&t, &clip, DraftsFrom::Original);
        assert!(original.contains("libros antiguos"), "{original}");
        assert!(!original.contains("antique"), "{original}");
        let english = all_drafts(&t, &clip, DraftsFrom::English);
        assert!(english.contains("antique books"), "{english}");
        assert!(!english.contains("libros"), "{english}");
        // the cut stays the clip's own
        let retold = clip.retold(t.english.as_deref().unwrap(), crate::lang::rules("en"));
        assert_eq!(
            (retold.id, retold.start, retold.end),
            (clip.id, clip.start, clip.end)
        );
    }

    #[test]
    fn english_drafts_without_a_translation_are_the_originals_and_say_so() {
        let (t, clip) = spanish_episode(false);
        let drafts = all_drafts(&t, &clip, DraftsFrom::English);
        assert!(drafts.contains("libros antiguos"), "{drafts}");
        let mut opts = EpisodeOptions::default();
        opts.config.language = "es".into();
        opts.config.drafts_from = DraftsFrom::English;
        let notes = transcript_notes(&t, &opts);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("no English translation"), "{notes:?}");
        // with the translation there is nothing to say
        let (t, _) = spanish_episode(true);
        assert!(transcript_notes(&t, &opts).is_empty());
    }

    #[test]
    fn translate_on_an_english_episode_is_a_note() {
        let mut opts = EpisodeOptions::default();
        opts.config.language = "en".into();
        opts.settings.translate = true;
        let mut t = spoken(ENGLISH);
        t.language = Some("en".into());
        t.settings = serde_json::json!({ "multilingual": true });
        let notes = transcript_notes(&t, &opts);
        assert_eq!(notes, ["the episode is in English: nothing to translate"]);
        // an English-only model cannot tell: the note says what would
        t.settings = serde_json::json!({ "multilingual": false });
        let notes = transcript_notes(&t, &opts);
        assert!(notes[0].contains("clipper model install base"), "{notes:?}");
        // not asked for: no note
        opts.settings.translate = false;
        assert!(transcript_notes(&t, &opts).is_empty());
    }
}
