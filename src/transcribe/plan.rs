//! Voice activity and chunk planning: where the speech is, and where to cut.
//!
//! Whisper reads at most 30 s at a time. Cutting a long episode blindly every
//! 30 s splits words and sentences; feeding it long silences invites invented
//! text. So clipper first measures the loudness of every 20 ms frame (an
//! [`EnergyTrack`]), sets a speech threshold from the episode's own noise
//! floor and speech level, and then [`plan`]s chunks of at most 30 s that
//! begin and end inside pauses. Silences longer than
//! [`PlanConfig::skip_silence_s`] are left out altogether and reported.

use serde::Serialize;

/// Samples per analysis frame (20 ms at 16 kHz).
pub const FRAME: usize = 320;
/// Frames per second.
pub const FRAMES_PER_S: f64 = 16_000.0 / FRAME as f64;
/// Loudness given to digital silence, dBFS.
const FLOOR_DB: f32 = -120.0;

/// Per-frame loudness (RMS in dBFS) of a 16 kHz stream, built incrementally.
#[derive(Debug, Clone, Default)]
pub struct EnergyTrack {
    /// Loudness of each complete frame, dBFS.
    pub db: Vec<f32>,
    partial_sum: f64,
    partial_len: usize,
    /// Total samples pushed.
    pub samples: usize,
}

impl EnergyTrack {
    /// Adds samples.
    pub fn push(&mut self, samples: &[f32]) {
        self.samples += samples.len();
        for &s in samples {
            self.partial_sum += (s as f64) * (s as f64);
            self.partial_len += 1;
            if self.partial_len == FRAME {
                self.close_frame();
            }
        }
    }

    fn close_frame(&mut self) {
        let ms = self.partial_sum / self.partial_len.max(1) as f64;
        let db = if ms > 1e-12 {
            (10.0 * ms.log10()) as f32
        } else {
            FLOOR_DB
        };
        self.db.push(db.max(FLOOR_DB));
        self.partial_sum = 0.0;
        self.partial_len = 0;
    }

    /// Closes the last, partial frame.
    pub fn finish(&mut self) {
        if self.partial_len > 0 {
            self.close_frame();
        }
    }

    /// Builds a track from a whole signal.
    pub fn from_samples(samples: &[f32]) -> EnergyTrack {
        let mut t = EnergyTrack::default();
        t.push(samples);
        t.finish();
        t
    }
}

/// Settings of the planner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanConfig {
    /// Longest chunk, seconds (Whisper's window is 30 s).
    pub max_chunk_s: f64,
    /// A chunk is not cut before this length when a later pause exists.
    pub min_chunk_s: f64,
    /// Shortest quiet stretch that counts as a pause to cut in.
    pub min_pause_s: f64,
    /// Quiet stretches at least this long are skipped, not transcribed.
    pub skip_silence_s: f64,
    /// Quiet margin kept before and after speech at a skipped silence.
    pub pad_s: f64,
    /// Threshold above the noise floor, as a share of the floor-to-speech range.
    pub threshold_share: f32,
}

/// Longest chunk when the encoder reads only the chunk (an English-only
/// model), seconds: see `Engine::plan_config` for the measurement.
pub const SHORT_WINDOW_MAX_S: f64 = 20.0;

impl PlanConfig {
    /// This plan with chunks of at most [`SHORT_WINDOW_MAX_S`]; the shortest
    /// chunk cut before a later pause shrinks in proportion (12 s of 30 s,
    /// so 8 s of 20 s), which keeps the cuts in pauses rather than in words.
    pub fn with_short_windows(&self) -> PlanConfig {
        let max_chunk_s = self.max_chunk_s.min(SHORT_WINDOW_MAX_S);
        PlanConfig {
            max_chunk_s,
            min_chunk_s: self.min_chunk_s * max_chunk_s / self.max_chunk_s,
            ..self.clone()
        }
    }
}

impl Default for PlanConfig {
    fn default() -> Self {
        PlanConfig {
            max_chunk_s: 30.0,
            min_chunk_s: 12.0,
            min_pause_s: 0.1,
            skip_silence_s: 2.0,
            pad_s: 0.3,
            threshold_share: 0.35,
        }
    }
}

/// A span of the audio, in samples at 16 kHz.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    /// First sample.
    pub start: usize,
    /// One past the last sample.
    pub end: usize,
}

impl Span {
    /// Start in seconds.
    pub fn start_s(&self) -> f64 {
        self.start as f64 / 16_000.0
    }
    /// End in seconds.
    pub fn end_s(&self) -> f64 {
        self.end as f64 / 16_000.0
    }
    /// Length in seconds.
    pub fn len_s(&self) -> f64 {
        (self.end - self.start) as f64 / 16_000.0
    }
}

/// The chunk plan of one file.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Chunks to transcribe, in order, non-overlapping, each ≤ max_chunk_s.
    pub chunks: Vec<Span>,
    /// Quiet stretches left out (≥ skip_silence_s, plus lead-in and tail).
    pub skipped: Vec<Span>,
    /// For each skipped span: true when it is mostly steady sound (music or
    /// noise) rather than silence.
    pub skipped_steady: Vec<bool>,
    /// Every pause found (quiet runs ≥ min_pause_s), for later stages that
    /// cut clips in pauses.
    pub pauses: Vec<Span>,
    /// The speech threshold used, dBFS.
    pub threshold_db: f32,
    /// Frames judged speech, in seconds.
    pub speech_s: f64,
}

fn percentile(sorted: &[f32], p: f64) -> f32 {
    if sorted.is_empty() {
        return FLOOR_DB;
    }
    let idx = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[idx]
}

/// The speech threshold of a set of frames: noise floor (10th percentile)
/// plus a share (default 35 %) of the range up to the speech level (95th
/// percentile), at least [`MIN_MARGIN_DB`] above the floor and never below
/// `lowest` (see [`lowest_threshold`]). Digital silence is left out; frames
/// that are all digital silence get a threshold no frame reaches.
fn threshold_of(db: &[f32], share: f32, lowest: f32) -> f32 {
    let mut v: Vec<f32> = db.iter().copied().filter(|&d| d > -100.0).collect();
    if v.len() < 10 {
        return 0.0;
    }
    v.sort_by(f32::total_cmp);
    let floor = percentile(&v, 0.10);
    let loud = percentile(&v, 0.95);
    let t = floor + ((loud - floor) * share).max(MIN_MARGIN_DB);
    t.max(lowest)
}

/// Least distance of the threshold above the noise floor, dB.
const MIN_MARGIN_DB: f32 = 8.0;
/// Lowest threshold of a recording at an ordinary level, dBFS: anything
/// quieter is a pause.
const MIN_THRESHOLD_DB: f32 = -55.0;
/// How far below a quiet recording's speech level (its 95th percentile) its
/// lowest threshold sits, dB.
const QUIET_RANGE_DB: f32 = 30.0;
/// The spread from floor (10th percentile) to speech level (95th) that
/// makes a quiet recording speech rather than steady noise, dB.
const QUIET_SPREAD_DB: f32 = 20.0;

/// The lowest threshold for a whole track: [`MIN_THRESHOLD_DB`], or for a
/// recording so quiet that its speech stays near or under it,
/// [`QUIET_RANGE_DB`] below its own speech level, when its loudness spreads
/// like speech (at least [`QUIET_SPREAD_DB`] from floor to speech).
///
/// A FLEURS sentence recorded at -55 dBFS at its loudest (-62 on average)
/// lost all but half a second to the fixed -55 and came out as six words
/// of nonsense; faster-whisper, which reads the whole file, heard it well.
fn lowest_threshold(db: &[f32]) -> f32 {
    let mut v: Vec<f32> = db.iter().copied().filter(|&d| d > -100.0).collect();
    if v.len() < 10 {
        return MIN_THRESHOLD_DB;
    }
    v.sort_by(f32::total_cmp);
    let (floor, level) = (percentile(&v, 0.10), percentile(&v, 0.95));
    if level - floor < QUIET_SPREAD_DB {
        return MIN_THRESHOLD_DB;
    }
    MIN_THRESHOLD_DB.min(level - QUIET_RANGE_DB)
}

/// Seconds on each side of a frame that its threshold is computed from.
const LOCAL_WINDOW_S: f64 = 5.0;

/// A speech threshold for every frame, from the loudness around it (±5 s),
/// so a quiet guest after a loud host, or speech after a music bed, is
/// judged against its own surroundings, and none under the track's
/// [`lowest_threshold`]. Computed per second of audio.
pub fn local_thresholds(track: &EnergyTrack, share: f32) -> Vec<f32> {
    let n = track.db.len();
    let block = FRAMES_PER_S as usize;
    let half = (LOCAL_WINDOW_S * FRAMES_PER_S) as usize;
    let lowest = lowest_threshold(&track.db);
    let mut out = Vec::with_capacity(n);
    for b in (0..n).step_by(block.max(1)) {
        let from = b.saturating_sub(half);
        let to = (b + block + half).min(n);
        let t = threshold_of(&track.db[from..to], share, lowest);
        out.extend(std::iter::repeat_n(t, (b + block).min(n) - b));
    }
    out
}

/// The speech threshold over the whole track (the median of the local ones).
pub fn threshold_db(track: &EnergyTrack, share: f32) -> f32 {
    let mut t = local_thresholds(track, share);
    if t.is_empty() {
        return 0.0;
    }
    t.sort_by(f32::total_cmp);
    t[t.len() / 2]
}

/// Frames per window of the steady-sound detector (2 s).
const STEADY_WINDOW: usize = 100;
/// Steady windows in a row before a stretch counts as music or noise (4 s).
const STEADY_MIN_WINDOWS: usize = 2;

/// Marks frames in stretches of steady sound, music or noise, which speech
/// is not. Speech comes in syllables: within two seconds, many 20 ms frames
/// are far below the mean energy (the "low-energy frame" ratio is 0.4-0.9 in
/// our speech samples) and loudness jumps from frame to frame (mean change
/// 1.7-6 dB). Music beds and noise are smoother (ratio under 0.3, change
/// under 1.6 dB). Only windows clearly on the steady side of both, four
/// seconds or more in a row, are marked, so speech is not lost.
pub fn steady_frames(track: &EnergyTrack) -> Vec<bool> {
    let n = track.db.len();
    let mut steady = vec![false; n];
    let windows: Vec<bool> = track
        .db
        .chunks(STEADY_WINDOW)
        .map(|w| {
            if w.len() < STEADY_WINDOW / 2 {
                return false;
            }
            let lin: Vec<f64> = w.iter().map(|&d| 10f64.powf(d as f64 / 10.0)).collect();
            let mean = lin.iter().sum::<f64>() / lin.len() as f64;
            let low = lin.iter().filter(|&&e| e < 0.5 * mean).count() as f64 / lin.len() as f64;
            let flux =
                w.windows(2).map(|p| (p[1] - p[0]).abs()).sum::<f32>() / (w.len() - 1) as f32;
            low < 0.3 && flux < 1.6
        })
        .collect();
    let mut i = 0;
    while i < windows.len() {
        let start = i;
        while i < windows.len() && windows[i] {
            i += 1;
        }
        if i - start >= STEADY_MIN_WINDOWS {
            let (a, b) = (start * STEADY_WINDOW, (i * STEADY_WINDOW).min(n));
            steady[a..b].iter_mut().for_each(|f| *f = true);
        }
        i = i.max(start + 1);
    }
    steady
}

/// Median of each frame and its two neighbours on each side.
fn median5(db: &[f32]) -> Vec<f32> {
    (0..db.len())
        .map(|i| {
            let mut w: Vec<f32> = db[i.saturating_sub(2)..(i + 3).min(db.len())].to_vec();
            w.sort_by(f32::total_cmp);
            w[w.len() / 2]
        })
        .collect()
}

/// Runs of quiet frames as (first frame, one past last) pairs.
fn quiet_runs(quiet: &[bool]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < quiet.len() {
        if quiet[i] {
            let s = i;
            while i < quiet.len() && quiet[i] {
                i += 1;
            }
            runs.push((s, i));
        } else {
            i += 1;
        }
    }
    runs
}

/// Whole frames in `s` seconds, rounded.
fn frames_in(s: f64) -> usize {
    (s * FRAMES_PER_S).round() as usize
}

/// Which frames are quiet: under their local threshold (after a 100 ms
/// median) or in steady sound, with blips of "speech" too short to be
/// speech filled in.
fn quiet_frames(track: &EnergyTrack, cfg: &PlanConfig, steady: &[bool]) -> Vec<bool> {
    let n = track.db.len();
    let thresholds = local_thresholds(track, cfg.threshold_share);
    // A 100 ms median keeps one loud frame (a click, a breath) from
    // splitting a pause, and one quiet frame from splitting a word.
    let smoothed = median5(&track.db);
    let mut quiet: Vec<bool> = smoothed
        .iter()
        .zip(&thresholds)
        .zip(steady)
        .map(|((&d, &t), &st)| d < t || st)
        .collect();
    // A blip of "speech" under 60 ms inside quiet is a click, not speech.
    let runs = quiet_runs(&quiet.iter().map(|q| !q).collect::<Vec<_>>());
    for (s, e) in runs {
        if e - s < 3 && s > 0 && e < n {
            quiet[s..e].iter_mut().for_each(|q| *q = true);
        }
    }
    quiet
}

/// The speech regions (frames) between the long silences: quiet runs of
/// at least `skip` frames, and the file's quiet start and end when longer
/// than `pad`.
fn speech_regions(
    pauses: &[(usize, usize)],
    n: usize,
    skip: usize,
    pad: usize,
) -> Vec<(usize, usize)> {
    // Long silences (and the file's quiet start and end) are skipped.
    let long: Vec<(usize, usize)> = pauses
        .iter()
        .copied()
        .filter(|&(s, e)| e - s >= skip || (s == 0 && e - s > pad) || (e == n && e - s > pad))
        .collect();
    let mut regions = Vec::new();
    let mut cursor = 0;
    for &(s, e) in &long {
        if s > cursor {
            regions.push((cursor, s));
        }
        cursor = e;
    }
    if cursor < n {
        regions.push((cursor, n));
    }
    regions
}

/// Where to end a chunk that starts at frame `start` and cannot run to
/// its region's end: the middle of the longest pause between `min_len`
/// and `max_len` frames in (pauses over a second count as a second; later
/// ones win ties), else the quietest frame in the last third.
fn cut_point(
    track: &EnergyTrack,
    pauses: &[(usize, usize)],
    start: usize,
    max_len: usize,
    min_len: usize,
) -> usize {
    let limit = start + max_len;
    let lo = start + min_len;
    // The best pause: the longest in [lo, limit], later ones winning ties.
    let best = pauses
        .iter()
        .filter(|&&(s, e)| e > lo && s < limit)
        .map(|&(s, e)| {
            let (s, e) = (s.max(lo), e.min(limit));
            (e - s, (s + e) / 2)
        })
        .max_by_key(|&(len, mid)| (len.min(frames_in(1.0)), mid));
    match best {
        Some((_, mid)) => mid,
        // No pause at all: cut at the quietest frame late in the window.
        None => (start + max_len * 2 / 3..limit)
            .min_by(|&a, &b| track.db[a].total_cmp(&track.db[b]))
            .unwrap_or(limit),
    }
}

/// The cuts (frames) that split the speech region `[rs, re)` into chunks of
/// `min_len` to `max_len` frames (the last may be shorter), each in the
/// middle of a pause, choosing the set that costs least: every cut costs
/// one, plus up to four more the shorter its pause is than a second. So the
/// cuts fall in the region's longest pauses, where one sentence or speaker
/// ends and the next begins, rather than in the best pause of each window
/// taken in turn (which can leave the next window only short ones). `None`
/// when some stretch has no pause to cut in.
fn cuts_in_pauses(
    pauses: &[(usize, usize)],
    (rs, re): (usize, usize),
    max_len: usize,
    min_len: usize,
) -> Option<Vec<usize>> {
    let second = frames_in(1.0) as f64;
    // Node 0 is the region's start; node i > 0 is the i-th pause's middle.
    let mut at = vec![rs];
    let mut cost = vec![0.0];
    for &(s, e) in pauses.iter().filter(|&&(s, e)| s > rs && e < re) {
        at.push((s + e) / 2);
        cost.push(1.0 + 4.0 * (1.0 - ((e - s) as f64 / second).min(1.0)));
    }
    let mut best = vec![f64::INFINITY; at.len()];
    let mut from = vec![0; at.len()];
    best[0] = 0.0;
    let mut finish: Option<(f64, usize)> = None;
    for i in 0..at.len() {
        if !best[i].is_finite() {
            continue;
        }
        if re - at[i] <= max_len && finish.is_none_or(|(c, _)| best[i] < c) {
            finish = Some((best[i], i));
        }
        for j in i + 1..at.len() {
            let len = at[j] - at[i];
            if len > max_len {
                break;
            }
            if len >= min_len && best[i] + cost[j] < best[j] {
                best[j] = best[i] + cost[j];
                from[j] = i;
            }
        }
    }
    let (_, mut i) = finish?;
    let mut cuts = Vec::new();
    while i > 0 {
        cuts.push(at[i]);
        i = from[i];
    }
    cuts.reverse();
    Some(cuts)
}

/// Chunks (frames) over the speech regions, and the spans (samples) left
/// out between them: each region is padded by `pad_s` into the silence
/// around it and cut, in its pauses, into chunks of at most `max_chunk_s`.
fn lay_out_chunks(
    track: &EnergyTrack,
    cfg: &PlanConfig,
    pauses: &[(usize, usize)],
) -> (Vec<(usize, usize)>, Vec<Span>) {
    let n = track.db.len();
    let total = track.samples;
    let to_sample = |frame: usize| (frame * FRAME).min(total);
    let (skip, pad, max_len, min_len) = (
        frames_in(cfg.skip_silence_s),
        frames_in(cfg.pad_s),
        frames_in(cfg.max_chunk_s),
        frames_in(cfg.min_chunk_s),
    );
    let mut chunks = Vec::new();
    let mut skipped = Vec::new();
    // Speech regions between long silences, each padded into the silence.
    let mut prev_end = 0;
    for (rs, re) in speech_regions(pauses, n, skip, pad) {
        let (rs, re) = (rs.saturating_sub(pad).max(prev_end), (re + pad).min(n));
        if rs > prev_end {
            skipped.push(Span {
                start: to_sample(prev_end),
                end: to_sample(rs),
            });
        }
        // Cut the region into chunks of at most max_len, in pauses: the
        // best set of pauses when there is one, else window by window.
        let mut start = rs;
        if let Some(cuts) = cuts_in_pauses(pauses, (rs, re), max_len, min_len) {
            for cut in cuts {
                chunks.push((start, cut));
                start = cut;
            }
        }
        while start < re {
            if re - start <= max_len {
                chunks.push((start, re));
                break;
            }
            let cut = cut_point(track, pauses, start, max_len, min_len);
            chunks.push((start, cut));
            start = cut;
        }
        prev_end = re;
    }
    if prev_end < n {
        skipped.push(Span {
            start: to_sample(prev_end),
            end: total,
        });
    }
    (chunks, skipped)
}

/// For each skipped span: true when most of its frames are steady sound.
fn mostly_steady(skipped: &[Span], steady: &[bool], n: usize) -> Vec<bool> {
    skipped
        .iter()
        .map(|sp| {
            let (a, b) = (sp.start / FRAME, (sp.end / FRAME).min(n));
            let count = steady[a.min(b)..b].iter().filter(|s| **s).count();
            b > a && count * 2 > b - a
        })
        .collect()
}

/// Plans the chunks of a track.
pub fn plan(track: &EnergyTrack, cfg: &PlanConfig) -> Plan {
    let n = track.db.len();
    let total = track.samples;
    let to_sample = |frame: usize| (frame * FRAME).min(total);
    let threshold = threshold_db(track, cfg.threshold_share);
    let steady = steady_frames(track);
    let quiet = quiet_frames(track, cfg, &steady);
    let speech_frames = quiet.iter().filter(|q| !**q).count();
    let pauses: Vec<(usize, usize)> = quiet_runs(&quiet)
        .into_iter()
        .filter(|(s, e)| e - s >= frames_in(cfg.min_pause_s).max(1))
        .collect();
    let (chunks, skipped) = lay_out_chunks(track, cfg, &pauses);
    let mut chunks: Vec<Span> = chunks
        .into_iter()
        .map(|(s, e)| Span {
            start: to_sample(s),
            end: to_sample(e),
        })
        .filter(|c| c.end > c.start)
        .collect();
    if let Some(last) = chunks.last_mut() {
        if last.end + FRAME > total {
            last.end = total;
        }
    }
    let skipped_steady = mostly_steady(&skipped, &steady, n);
    Plan {
        chunks,
        skipped,
        skipped_steady,
        pauses: pauses
            .iter()
            .map(|&(s, e)| Span {
                start: to_sample(s),
                end: to_sample(e),
            })
            .collect(),
        threshold_db: threshold,
        speech_s: speech_frames as f64 / FRAMES_PER_S,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic "speech" signal: 300 ms bursts of noise-like tone with 80 ms
    /// gaps, and a 600 ms pause every `sentence_s` seconds.
    fn talk(seconds: f64, sentence_s: f64) -> Vec<f32> {
        let n = (seconds * 16_000.0) as usize;
        (0..n)
            .map(|i| {
                let t = i as f64 / 16_000.0;
                let in_sentence = t % sentence_s;
                let syllable = (t * 1000.0) as u64 % 380 < 300;
                if in_sentence > sentence_s - 0.6 || !syllable {
                    0.001 * ((i * 7919 % 1000) as f32 / 1000.0 - 0.5)
                } else {
                    0.3 * ((t * 2.0 * std::f64::consts::PI * 220.0).sin() as f32)
                }
            })
            .collect()
    }

    #[test]
    fn cuts_go_to_the_longest_pauses_the_lengths_allow() {
        let f = frames_in;
        let p = |s: f64, len: f64| (f(s), f(s + len));
        // A 50 s region: second-long pauses at 12 s and 34 s, a 0.3 s one
        // at 16 s, short breaths every 4 s elsewhere.
        let mut pauses = vec![p(12.0, 1.0), p(16.0, 0.3), p(34.0, 1.0)];
        pauses.extend([4.0, 8.0, 20.0, 24.0, 28.0, 40.0, 44.0].map(|s| p(s, 0.12)));
        pauses.sort();
        // Taking the best pause of the first 20 s window (12 s) would leave
        // the next windows only breaths (28 s, 44 s); the best set cuts at
        // 16 s so that the next cut reaches the pause at 34 s.
        let cuts = cuts_in_pauses(&pauses, (0, f(50.0)), f(20.0), f(8.0)).unwrap();
        assert_eq!(cuts, [(f(16.0) + f(16.3)) / 2, (f(34.0) + f(35.0)) / 2]);
        // With 30 s chunks one cut in a breath would do, but two in the
        // second-long pauses cost less.
        let cuts = cuts_in_pauses(&pauses, (0, f(50.0)), f(30.0), f(12.0)).unwrap();
        assert_eq!(cuts, [(f(12.0) + f(13.0)) / 2, (f(34.0) + f(35.0)) / 2]);
        // No pause in reach: no set of cuts, the caller cuts window by window.
        assert_eq!(cuts_in_pauses(&[], (0, f(50.0)), f(20.0), f(8.0)), None);
    }

    #[test]
    fn chunks_are_at_most_30s_cover_speech_and_cut_in_pauses() {
        let mut x = talk(95.0, 7.0);
        x.extend(vec![0.0; 16_000 * 10]); // 10 s of digital silence
        x.extend(talk(40.0, 9.0));
        let track = EnergyTrack::from_samples(&x);
        let plan = plan(&track, &PlanConfig::default());
        assert!(plan.chunks.len() >= 5, "{:?}", plan.chunks);
        for w in plan.chunks.windows(2) {
            assert!(w[0].end <= w[1].start);
        }
        for c in &plan.chunks {
            assert!(c.len_s() <= 30.0 + 1e-9, "{c:?}");
            // every cut point inside the file is quiet in the signal
            for edge in [c.start, c.end.min(x.len()) - 1] {
                if edge == 0 || edge + 1 >= x.len() {
                    continue;
                }
                let frame = edge / FRAME;
                let local = local_thresholds(&track, PlanConfig::default().threshold_share);
                assert!(track.db[frame] < local[frame], "edge {edge} loud");
            }
        }
        // the 10 s silence is skipped
        assert!(plan
            .skipped
            .iter()
            .any(|s| s.start_s() <= 96.0 && s.end_s() >= 104.0));
        let covered: f64 = plan.chunks.iter().map(Span::len_s).sum();
        assert!(covered > 120.0 && covered < 137.0, "{covered}");
    }

    #[test]
    fn a_quiet_recording_is_heard_at_its_own_level() {
        // the same talk at about -64 dBFS over a -91 dB hiss: none of it
        // reaches -55, all of it stands well above its floor
        let x: Vec<f32> = talk(40.0, 7.0)
            .iter()
            .enumerate()
            .map(|(i, s)| 0.003 * s + 1e-4 * ((i * 7919 % 1000) as f32 / 1000.0 - 0.5))
            .collect();
        let plan = plan(&EnergyTrack::from_samples(&x), &PlanConfig::default());
        let covered: f64 = plan.chunks.iter().map(Span::len_s).sum();
        assert!(covered > 35.0, "{covered} s of 40 in chunks");
        assert!(plan.speech_s > 25.0, "{} s of speech", plan.speech_s);
        // steady hiss alone stays a pause, however quiet
        let hiss: Vec<f32> = (0..16_000 * 10)
            .map(|i| 1e-4 * ((i * 7919 % 1000) as f32 / 1000.0 - 0.5))
            .collect();
        let plan = super::plan(&EnergyTrack::from_samples(&hiss), &PlanConfig::default());
        assert!(plan.chunks.is_empty(), "{:?}", plan.chunks);
    }

    #[test]
    fn silence_gives_no_chunks() {
        let track = EnergyTrack::from_samples(&vec![0.0; 16_000 * 5]);
        let plan = plan(&track, &PlanConfig::default());
        assert!(plan.chunks.is_empty());
        assert_eq!(plan.speech_s, 0.0);
    }

    #[test]
    fn speech_without_pauses_is_still_cut_at_30s() {
        // a tone whose loudness swings at 8 Hz: dips of 40 ms, never a pause
        let x: Vec<f32> = (0..16_000 * 70)
            .map(|i| {
                let t = i as f32 / 16_000.0;
                let envelope = 0.6 + 0.4 * (t * 8.0 * std::f32::consts::TAU).sin();
                0.3 * envelope * (t * 440.0 * std::f32::consts::TAU).sin()
            })
            .collect();
        let plan = plan(&EnergyTrack::from_samples(&x), &PlanConfig::default());
        assert!(plan.chunks.iter().all(|c| c.len_s() <= 30.0));
        let covered: usize = plan.chunks.iter().map(|c| c.end - c.start).sum();
        assert_eq!(covered, x.len());
    }
}
