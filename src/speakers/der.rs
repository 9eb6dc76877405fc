//! Diarization error rate against a reference RTTM, clipper's own scorer.
//!
//! Time is scored in 10 ms frames, as NIST's md-eval does it: frames within
//! the collar (0.25 s by default) of a reference turn's start or end are
//! not scored; in every other frame the reference speakers present count
//! towards the scored time, a missing system speaker is a miss, an extra
//! one a false alarm, and a speaker mapped to the wrong reference speaker
//! a confusion. System and reference speakers are paired one to one so
//! that the paired time is largest (every pairing tried; meetings have few
//! speakers). Overlapping reference speech is scored by default (a system
//! that gives one speaker per frame misses the second voice there);
//! [`Score::without_overlap`] leaves those frames out.

use super::turns::Turn;

/// A reference turn from an RTTM file.
#[derive(Debug, Clone, PartialEq)]
pub struct RefTurn {
    /// The recording it belongs to (RTTM's second field).
    pub file: String,
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// The speaker's label.
    pub speaker: String,
}

/// Parses `SPEAKER file channel start duration <NA> <NA> speaker …` lines.
pub fn parse_rttm(text: &str) -> Result<Vec<RefTurn>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.first() != Some(&"SPEAKER") {
            continue;
        }
        let num = |k: usize| -> Result<f64, String> {
            f.get(k)
                .and_then(|v| v.parse::<f64>().ok())
                .ok_or_else(|| format!("line {}: field {} is not a number", i + 1, k + 1))
        };
        let (start, dur) = (num(3)?, num(4)?);
        let speaker = f
            .get(7)
            .ok_or_else(|| format!("line {}: no speaker name", i + 1))?;
        out.push(RefTurn {
            file: f[1].to_string(),
            start,
            end: start + dur,
            speaker: speaker.to_string(),
        });
    }
    Ok(out)
}

/// The parts of a diarization error rate, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Score {
    /// Reference speaker time scored.
    pub scored: f64,
    /// Reference speech with too few system speakers.
    pub missed: f64,
    /// System speech with too few reference speakers.
    pub false_alarm: f64,
    /// Speech given to the wrong speaker.
    pub confusion: f64,
    /// The same, with overlapping reference speech left out.
    #[serde(skip)]
    pub without_overlap: Option<(f64, f64, f64, f64)>,
}

impl Score {
    /// (missed + false alarm + confusion) / scored.
    pub fn der(&self) -> f64 {
        (self.missed + self.false_alarm + self.confusion) / self.scored.max(1e-9)
    }
    /// The error rate with overlapping reference speech not scored.
    pub fn der_without_overlap(&self) -> f64 {
        self.without_overlap
            .map_or(f64::NAN, |(s, m, f, c)| (m + f + c) / s.max(1e-9))
    }
}

const STEP: f64 = 0.01;

/// Scores `system` turns against `reference` over `duration` seconds.
pub fn score(reference: &[RefTurn], system: &[Turn], duration: f64, collar: f64) -> Score {
    let n = (duration / STEP).ceil() as usize;
    let mut names: Vec<&str> = Vec::new();
    for r in reference {
        if !names.contains(&r.speaker.as_str()) {
            names.push(&r.speaker);
        }
    }
    let frame = |t: f64| ((t / STEP).round().max(0.0) as usize).min(n);
    let mut refs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut scored = vec![true; n];
    for r in reference {
        let id = names.iter().position(|s| *s == r.speaker).unwrap();
        for present in &mut refs[frame(r.start)..frame(r.end).max(frame(r.start))] {
            if !present.contains(&id) {
                present.push(id);
            }
        }
        for edge in [r.start, r.end] {
            let (a, b) = (frame(edge - collar), frame(edge + collar));
            scored[a..b.max(a)].iter_mut().for_each(|s| *s = false);
        }
    }
    let k = system.iter().map(|t| t.speaker + 1).max().unwrap_or(0);
    let mut hyp: Vec<Vec<usize>> = vec![Vec::new(); n];
    for t in system {
        for present in &mut hyp[frame(t.start)..frame(t.end).max(frame(t.start))] {
            if !present.contains(&t.speaker) {
                present.push(t.speaker);
            }
        }
    }
    // Paired time of every (reference, system) speaker pair.
    let mut together = vec![vec![0usize; k]; names.len()];
    for f in (0..n).filter(|f| scored[*f]) {
        for r in &refs[f] {
            for h in &hyp[f] {
                together[*r][*h] += 1;
            }
        }
    }
    let map = best_pairing(&together, k);
    let tally = |skip_overlap: bool| {
        let (mut s, mut m, mut fa, mut c) = (0usize, 0usize, 0usize, 0usize);
        for f in (0..n).filter(|f| scored[*f] && !(skip_overlap && refs[*f].len() > 1)) {
            let (nr, nh) = (refs[f].len(), hyp[f].len());
            let right = refs[f]
                .iter()
                .filter(|r| map[**r].is_some_and(|h| hyp[f].contains(&h)))
                .count();
            s += nr;
            m += nr.saturating_sub(nh);
            fa += nh.saturating_sub(nr);
            c += nr.min(nh) - right;
        }
        [s, m, fa, c].map(|v| v as f64 * STEP)
    };
    let [s, m, fa, c] = tally(false);
    let [s2, m2, fa2, c2] = tally(true);
    Score {
        scored: s,
        missed: m,
        false_alarm: fa,
        confusion: c,
        without_overlap: Some((s2, m2, fa2, c2)),
    }
}

/// Words near reference speaker changes, and how many got the right speaker.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct NearChanges {
    /// Words whose middle is within the distance of a reference change.
    pub words: usize,
    /// Of those, the words whose speaker maps to the reference speaker.
    pub right: usize,
}

/// Word-level speaker accuracy near changes: `words` are (start, end,
/// system speaker index); a word counts when its middle lies inside a
/// reference turn and within `within` seconds of a change of reference
/// speaker. System speakers are paired with reference speakers one to one
/// by the word time they share.
pub fn near_changes(
    reference: &[RefTurn],
    words: &[(f64, f64, usize)],
    within: f64,
) -> NearChanges {
    let mut names: Vec<&str> = Vec::new();
    for r in reference {
        if !names.contains(&r.speaker.as_str()) {
            names.push(&r.speaker);
        }
    }
    let mut sorted: Vec<&RefTurn> = reference.iter().collect();
    sorted.sort_by(|a, b| a.start.total_cmp(&b.start));
    let changes: Vec<f64> = sorted
        .windows(2)
        .filter(|p| p[0].speaker != p[1].speaker)
        .map(|p| (p[0].end.min(p[1].start) + p[1].start) / 2.0)
        .collect();
    let who = |t: f64| {
        sorted
            .iter()
            .find(|r| r.start <= t && t < r.end)
            .map(|r| names.iter().position(|n| *n == r.speaker).unwrap())
    };
    let k = words.iter().map(|w| w.2 + 1).max().unwrap_or(0);
    let mut together = vec![vec![0usize; k]; names.len()];
    for w in words {
        if let Some(r) = who((w.0 + w.1) / 2.0) {
            together[r][w.2] += ((w.1 - w.0) * 100.0).round().max(1.0) as usize;
        }
    }
    let map = best_pairing(&together, k);
    let mut out = NearChanges::default();
    for w in words {
        let mid = (w.0 + w.1) / 2.0;
        let Some(r) = who(mid) else { continue };
        if changes.iter().any(|c| (c - mid).abs() <= within) {
            out.words += 1;
            if map[r] == Some(w.2) {
                out.right += 1;
            }
        }
    }
    out
}

/// The one-to-one pairing of reference speakers to system speakers with
/// the most paired time (`None`: unpaired).
fn best_pairing(together: &[Vec<usize>], k: usize) -> Vec<Option<usize>> {
    fn search(
        r: usize,
        together: &[Vec<usize>],
        used: &mut Vec<bool>,
        current: &mut Vec<Option<usize>>,
        best: &mut (usize, Vec<Option<usize>>),
        total: usize,
    ) {
        if r == together.len() {
            if total >= best.0 {
                *best = (total, current.clone());
            }
            return;
        }
        current[r] = None;
        search(r + 1, together, used, current, best, total);
        for h in 0..used.len() {
            if !used[h] && together[r][h] > 0 {
                used[h] = true;
                current[r] = Some(h);
                search(r + 1, together, used, current, best, total + together[r][h]);
                used[h] = false;
                current[r] = None;
            }
        }
    }
    let mut best = (0, vec![None; together.len()]);
    search(
        0,
        together,
        &mut vec![false; k],
        &mut vec![None; together.len()],
        &mut best,
        0,
    );
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: f64, end: f64, s: &str) -> RefTurn {
        RefTurn {
            file: "f".into(),
            start,
            end,
            speaker: s.into(),
        }
    }
    fn t(start: f64, end: f64, speaker: usize) -> Turn {
        Turn {
            start,
            end,
            speaker,
        }
    }

    #[test]
    fn perfect_labels_under_other_names_score_zero_and_errors_add_up() {
        let reference = vec![r(0.0, 10.0, "A"), r(10.0, 20.0, "B")];
        let same = score(&reference, &[t(0.0, 10.0, 1), t(10.0, 20.0, 0)], 20.0, 0.25);
        assert!(same.der() < 1e-9, "{same:?}");
        // one speaker for all: the 10 s of B (minus the collar) are confused
        let one = score(&reference, &[t(0.0, 20.0, 0)], 20.0, 0.0);
        assert!((one.der() - 0.5).abs() < 1e-6, "{one:?}");
        // nothing said: all missed
        let none = score(&reference, &[], 20.0, 0.25);
        assert!((none.der() - 1.0).abs() < 1e-9);
        // the collar hides a boundary placed 0.2 s late
        let late = score(&reference, &[t(0.0, 10.2, 0), t(10.2, 20.0, 1)], 20.0, 0.25);
        assert!(late.der() < 1e-9, "{late:?}");
        let no_collar = score(&reference, &[t(0.0, 10.2, 0), t(10.2, 20.0, 1)], 20.0, 0.0);
        assert!((no_collar.confusion - 0.2).abs() < 1e-6, "{no_collar:?}");
    }

    #[test]
    fn overlap_counts_unless_left_out() {
        let reference = vec![r(0.0, 10.0, "A"), r(5.0, 10.0, "B")];
        let s = score(&reference, &[t(0.0, 10.0, 0)], 10.0, 0.0);
        assert!(
            (s.missed - 5.0).abs() < 1e-6 && (s.scored - 15.0).abs() < 1e-6,
            "{s:?}"
        );
        assert!(s.der_without_overlap() < 1e-9);
        let rttm = "SPEAKER dev00 1 1.440 11.872 <NA> <NA> MEE009 <NA> <NA>\n";
        let p = parse_rttm(rttm).unwrap();
        assert_eq!(p[0].speaker, "MEE009");
        assert!((p[0].end - 13.312).abs() < 1e-9);
        assert!(parse_rttm("SPEAKER x 1 a 2 <NA> <NA> S").is_err());
    }

    #[test]
    fn words_near_a_change_count_right_only_under_the_paired_speaker() {
        let reference = vec![r(0.0, 10.0, "A"), r(10.0, 20.0, "B")];
        // system speaker 1 is A, 0 is B; the word at 10.2 s is wrong
        let words = [
            (2.0, 2.5, 1),
            (9.2, 9.6, 1),
            (10.1, 10.4, 1),
            (10.6, 10.9, 0),
            (15.0, 16.0, 0),
        ];
        let n = near_changes(&reference, &words, 1.0);
        assert_eq!((n.words, n.right), (3, 2));
    }
}
