//! `clipper eval highlights LABELS.json…`: the clips of labelled episodes
//! measured the way a social editor would judge them; `clipper eval
//! diarization AUDIO… --rttm REF`: speaker turns scored against a reference.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::folder::OutputFolder;
use crate::highlights::eval::{evaluate, Labels, Report};
use crate::highlights::Clip;

/// Evaluates each labelled episode's output folder and prints the figures.
pub fn highlights(
    labels: &[std::path::PathBuf],
    top: usize,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut reports = Vec::new();
    for path in labels {
        let report = one(path, top)?;
        reports.push(serde_json::json!({ "labels": path, "report": report }));
        if !json {
            print_report(path, &report)?;
        }
    }
    if json {
        super::out(serde_json::to_string_pretty(&reports)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn one(path: &Path, top: usize) -> anyhow::Result<Report> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let labels: Labels = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a labels file", path.display()))?;
    let episode = crate::util::paths::parent_or_dot(path).join(&labels.episode);
    let out = OutputFolder::for_input(&episode, None);
    let missing = || {
        format!(
            "{} has no clips yet: run clipper on {} first",
            out.path().display(),
            episode.display()
        )
    };
    let h = out.highlights()?.with_context(missing)?;
    let t: crate::transcript::Transcript = serde_json::from_slice(
        &std::fs::read(out.file(crate::folder::TRANSCRIPT)).with_context(missing)?,
    )
    .with_context(|| {
        format!(
            "{} is damaged",
            out.file(crate::folder::TRANSCRIPT).display()
        )
    })?;
    let clips: Vec<&Clip> = h.clips.iter().map(|c| &c.clip).collect();
    Ok(evaluate(&t, &clips, &labels, top))
}

fn print_report(path: &Path, r: &Report) -> std::io::Result<()> {
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    super::out(format_args!("{}", path.display()))?;
    super::out(format_args!("  clips                     {}", r.clips))?;
    super::out(format_args!(
        "  filler in the top {}       {}",
        r.top_k,
        list(&r.filler_in_top)
    ))?;
    super::out(format_args!(
        "  crossing a boundary       {}",
        list(&r.crossing)
    ))?;
    let shortest = r
        .min_edge_pause
        .map_or("none inside the episode".into(), |p| format!("{p:.2} s"));
    super::out(format_args!(
        "  shortest pause at a cut   {shortest} (under 0.3 s: {})",
        list(&r.short_edge_pauses)
    ))?;
    super::out(format_args!(
        "  dangling starts           {}",
        list(&r.dangling_starts)
    ))?;
    super::out(format_args!(
        "  median length             {:.1} s",
        r.median_length
    ))?;
    super::out(format_args!(
        "  good moments found        {}/{} (missed: {})",
        r.good_found.len(),
        r.good_found.len() + r.good_missed.len(),
        list(&r.good_missed)
    ))
}

/// One file's diarization figures.
#[derive(Debug, serde::Serialize)]
struct DiarizationRow {
    file: std::path::PathBuf,
    seconds: f64,
    reference_speakers: usize,
    speakers_found: usize,
    der: f64,
    der_without_overlap: f64,
    missed: f64,
    false_alarm: f64,
    confusion: f64,
    baseline_der: f64,
    baseline_der_without_overlap: f64,
    diarization_seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    near_changes: Option<crate::speakers::der::NearChanges>,
    /// The episode run's own turns (`--words`), scored the same way.
    #[serde(skip_serializing_if = "Option::is_none")]
    run: Option<RunScore>,
}

/// The speaker turns an episode run kept, as its words carry them: the
/// stretches of one speaker's words (gaps under [`RUN_GAP_S`] filled),
/// speech being only where words are.
#[derive(Debug, Clone, Copy, serde::Serialize)]
struct RunScore {
    speakers_found: usize,
    der: f64,
    der_without_overlap: f64,
    missed: f64,
    confusion: f64,
    /// The same words all given to one speaker.
    baseline_der: f64,
}

/// The longest gap between one speaker's words still counted as their
/// turn when scoring a run's words.
const RUN_GAP_S: f64 = 0.5;

/// The words of a transcript.json that carry a speaker: start, end and
/// speaker index (S1 is 0).
fn speaker_words(path: &Path) -> anyhow::Result<Vec<(f64, f64, usize)>> {
    let t: crate::transcript::Transcript = serde_json::from_slice(
        &std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
    )
    .with_context(|| format!("{} is not a transcript.json", path.display()))?;
    let words: Vec<(f64, f64, usize)> = t
        .words()
        .filter_map(|w| {
            let n: usize = w.speaker.as_deref()?.strip_prefix('S')?.parse().ok()?;
            Some((w.start, w.end, n.checked_sub(1)?))
        })
        .collect();
    anyhow::ensure!(
        !words.is_empty(),
        "{} has no words with speakers: run clipper on the audio with speakers on first",
        path.display()
    );
    Ok(words)
}

/// The same turns all given to one speaker: the baseline every score is
/// shown beside.
fn one_speaker(turns: &[crate::speakers::Turn]) -> Vec<crate::speakers::Turn> {
    turns
        .iter()
        .map(|t| crate::speakers::Turn { speaker: 0, ..*t })
        .collect()
}

/// A run's turns from its words (see [`RunScore`]).
fn turns_of_words(words: &[(f64, f64, usize)]) -> Vec<crate::speakers::Turn> {
    let mut turns: Vec<crate::speakers::Turn> = Vec::new();
    for &(start, end, speaker) in words {
        match turns.last_mut() {
            Some(t) if t.speaker == speaker && start - t.end <= RUN_GAP_S => t.end = t.end.max(end),
            _ => turns.push(crate::speakers::Turn {
                start,
                end,
                speaker,
            }),
        }
    }
    turns
}

/// The files `clipper eval diarization` reads besides the audio.
pub struct DiarizationPaths<'a> {
    /// The reference RTTM.
    pub rttm: &'a Path,
    /// A transcript.json whose words' speakers are scored near changes.
    pub words: Option<&'a Path>,
    /// The speaker model, when not the one found.
    pub speaker_model: Option<&'a Path>,
}

/// Diarizes one file and scores it (and the one-speaker baseline) against
/// its lines of the reference.
fn diarization_row(
    path: &Path,
    reference: &[crate::speakers::der::RefTurn],
    encoder: &crate::speakers::Encoder,
    options: &crate::speakers::Options,
    paths: &DiarizationPaths,
) -> anyhow::Result<DiarizationRow> {
    use crate::speakers::{self, der};
    let rttm = paths.rttm;
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let mut mine: Vec<der::RefTurn> = reference
        .iter()
        .filter(|r| r.file == stem)
        .cloned()
        .collect();
    let files: std::collections::BTreeSet<&str> =
        reference.iter().map(|r| r.file.as_str()).collect();
    if mine.is_empty() && files.len() == 1 {
        mine = reference.to_vec();
    }
    anyhow::ensure!(
        !mine.is_empty(),
        "{} has no lines for {stem} (it names {}); pass the RTTM of this recording",
        rttm.display(),
        files.into_iter().collect::<Vec<_>>().join(", ")
    );
    let samples = crate::audio::load_16k(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .samples;
    let seconds = samples.len() as f64 / 16_000.0;
    let started = std::time::Instant::now();
    let d = speakers::diarize_samples(&samples, encoder, options);
    let took = started.elapsed().as_secs_f64();
    let score = der::score(&mine, &d.turns, seconds, 0.25);
    let base = der::score(&mine, &one_speaker(&d.turns), seconds, 0.25);
    let names: std::collections::BTreeSet<&str> = mine.iter().map(|r| r.speaker.as_str()).collect();
    let words = paths.words.map(speaker_words).transpose()?;
    Ok(DiarizationRow {
        file: path.to_path_buf(),
        seconds,
        reference_speakers: names.len(),
        speakers_found: d.speakers,
        der: score.der(),
        der_without_overlap: score.der_without_overlap(),
        missed: score.missed,
        false_alarm: score.false_alarm,
        confusion: score.confusion,
        baseline_der: base.der(),
        baseline_der_without_overlap: base.der_without_overlap(),
        diarization_seconds: took,
        near_changes: words.as_ref().map(|w| der::near_changes(&mine, w, 1.0)),
        run: words.as_ref().map(|w| {
            let turns = turns_of_words(w);
            let found: std::collections::BTreeSet<usize> =
                turns.iter().map(|t| t.speaker).collect();
            let s = der::score(&mine, &turns, seconds, 0.25);
            RunScore {
                speakers_found: found.len(),
                der: s.der(),
                der_without_overlap: s.der_without_overlap(),
                missed: s.missed,
                confusion: s.confusion,
                baseline_der: der::score(&mine, &one_speaker(&turns), seconds, 0.25).der(),
            }
        }),
    })
}

/// Scores clipper's turns for each audio file against the RTTM, with the
/// one-speaker baseline (every speech frame one speaker) beside them.
pub fn diarization(
    audio: &[std::path::PathBuf],
    paths: &DiarizationPaths,
    options: &crate::speakers::Options,
    json: bool,
) -> anyhow::Result<ExitCode> {
    use crate::speakers::{self, der};
    let rttm = paths.rttm;
    anyhow::ensure!(
        paths.words.is_none() || audio.len() == 1,
        "--words scores one transcript: give one audio file with it"
    );
    let text =
        std::fs::read_to_string(rttm).with_context(|| format!("cannot read {}", rttm.display()))?;
    let reference = der::parse_rttm(&text)
        .map_err(|e| anyhow::anyhow!("{} is not an RTTM file: {e}", rttm.display()))?;
    let model = crate::model::speaker::find(paths.speaker_model)?;
    let encoder = speakers::Encoder::load(&model)?;
    let rows = audio
        .iter()
        .map(|path| diarization_row(path, &reference, &encoder, options, paths))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if json {
        super::out(serde_json::to_string_pretty(&rows)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    super::out(format_args!(
        "{:<36} {:>6} {:>9} {:>7} {:>9} {:>7} {:>7} {:>7} {:>9} {:>9} {:>6}",
        "file",
        "sec",
        "speakers",
        "DER",
        "DER-ovl",
        "miss",
        "FA",
        "conf",
        "1-spk",
        "1-spk-ovl",
        "time"
    ))?;
    for r in &rows {
        super::out(format_args!(
            "{:<36} {:>6.1} {:>4} / {:<2} {:>6.1}% {:>8.1}% {:>6.1}s {:>6.1}s {:>6.1}s {:>8.1}% {:>8.1}% {:>5.1}s",
            r.file.file_name().unwrap_or_default().to_string_lossy(),
            r.seconds,
            r.speakers_found,
            r.reference_speakers,
            100.0 * r.der,
            100.0 * r.der_without_overlap,
            r.missed,
            r.false_alarm,
            r.confusion,
            100.0 * r.baseline_der,
            100.0 * r.baseline_der_without_overlap,
            r.diarization_seconds
        ))?;
        if let Some(n) = r.near_changes {
            super::out(format_args!(
                "  words within 1 s of a speaker change: {} of {} with the right speaker ({:.0} %)",
                n.right,
                n.words,
                100.0 * n.right as f64 / n.words.max(1) as f64
            ))?;
        }
        if let Some(run) = r.run {
            super::out(format_args!(
                "  the episode run's turns (its words): {} speakers, DER {:.1}% ({:.1}% without overlap; \
                 missed {:.1}s, confusion {:.1}s), one speaker for all {:.1}%",
                run.speakers_found,
                100.0 * run.der,
                100.0 * run.der_without_overlap,
                run.missed,
                run.confusion,
                100.0 * run.baseline_der
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
