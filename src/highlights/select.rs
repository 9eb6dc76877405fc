//! Choosing the clips: the best-scoring windows that do not overlap, are
//! spread over the episode and are about different things.

use std::collections::HashSet;

use super::score::content_words;

/// How many clips an episode gets by default: about one per five minutes,
/// at least 3, at most 15.
pub fn default_count(duration_s: f64) -> usize {
    ((duration_s / 300.0).round() as usize).clamp(3, 15)
}

/// A scored candidate, as selection sees it.
#[derive(Debug, Clone)]
pub struct Scored {
    /// Cut-in, seconds.
    pub start: f64,
    /// Cut-out, seconds.
    pub end: f64,
    /// The score.
    pub score: f64,
    /// The text, for topic comparison.
    pub text: String,
}

/// Indices of the chosen candidates, best first. A candidate is taken when
/// it overlaps no chosen clip, its centre is at least `duration / (2 × n)`
/// from every chosen centre (spread), and it shares under half its content
/// words with each chosen clip (distinct topics).
pub fn select(cands: &[Scored], n: usize, duration_s: f64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by(|&a, &b| {
        cands[b]
            .score
            .total_cmp(&cands[a].score)
            .then(cands[a].start.total_cmp(&cands[b].start))
    });
    let min_gap = duration_s / (2.0 * n.max(1) as f64);
    let words: Vec<HashSet<String>> = cands
        .iter()
        .map(|c| content_words(&c.text).into_iter().collect())
        .collect();
    let mut chosen: Vec<usize> = Vec::new();
    for pass in 0..2 {
        for &i in &order {
            if chosen.len() >= n {
                break;
            }
            let c = &cands[i];
            let ok = chosen.iter().all(|&j| {
                let d = &cands[j];
                let overlap = c.start < d.end && d.start < c.end;
                let centre_gap = ((c.start + c.end) - (d.start + d.end)).abs() / 2.0;
                let shared = words[i].intersection(&words[j]).count() as f64
                    / words[i].len().min(words[j].len()).max(1) as f64;
                // the second pass relaxes spread and topic, never overlap
                !overlap && (pass == 1 || (centre_gap >= min_gap && shared < 0.5))
            });
            if ok && !chosen.contains(&i) {
                chosen.push(i);
            }
        }
    }
    chosen.sort_by(|&a, &b| cands[b].score.total_cmp(&cands[a].score));
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(start: f64, end: f64, score: f64, text: &str) -> Scored {
        Scored {
            start,
            end,
            score,
            text: text.into(),
        }
    }

    #[test]
    fn no_overlaps_spread_and_distinct_topics() {
        let cands = vec![
            c(0.0, 30.0, 10.0, "pricing strategy matters enormously"),
            c(10.0, 40.0, 9.5, "different words entirely here"),
            c(35.0, 60.0, 9.0, "pricing strategy matters enormously again"),
            c(300.0, 330.0, 5.0, "hiring engineers remotely works"),
            c(600.0, 630.0, 4.0, "fundraising rounds explained simply"),
        ];
        let chosen = select(&cands, 3, 900.0);
        assert_eq!(chosen, vec![0, 3, 4]);
        assert_eq!(default_count(235.0), 3);
        assert_eq!(default_count(3600.0), 12);
        assert_eq!(default_count(4.0 * 3600.0), 15);
    }
}
