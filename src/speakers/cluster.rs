//! Grouping window embeddings into speakers: agglomerative clustering with
//! average linkage on cosine similarity.
//!
//! Every window starts as its own group; the two most similar groups
//! (mean similarity over all their pairs) are joined until no pair is
//! above the threshold, or until the fixed number of speakers is left.
//! When the count is estimated, a group with too few windows to be a
//! speaker (see [`cluster`]) then joins its most similar group. Every
//! window finally goes to its nearest speaker centroid.
//! Long episodes are clustered on an even sample of windows (at most
//! [`MAX_CLUSTERED`]) and the rest join their nearest speaker, so memory
//! and time stay bounded.

use super::embed::cosine;

/// Windows clustered pairwise at most; the rest are assigned to centroids.
pub const MAX_CLUSTERED: usize = 1200;

/// Labels `0..k` for `embeddings`, numbered by first appearance.
/// `count` fixes the number of speakers (when there are that many windows);
/// otherwise groups join while their average similarity is at least
/// `threshold`, and a group of fewer than `min_windows` windows (or 4 %
/// of them on long recordings) joins its most similar group.
pub fn cluster(
    embeddings: &[Vec<f32>],
    threshold: f32,
    count: Option<usize>,
    min_windows: usize,
) -> Vec<usize> {
    let n = embeddings.len();
    if n == 0 {
        return Vec::new();
    }
    let stride = n.div_ceil(MAX_CLUSTERED);
    let sample: Vec<usize> = (0..n).step_by(stride).collect();
    let picked: Vec<&[f32]> = sample.iter().map(|i| embeddings[*i].as_slice()).collect();
    let min = min_windows
        .div_ceil(stride)
        .max(picked.len() * 4 / 100)
        .max(1);
    let groups = agglomerate(&picked, threshold, count, min);
    let centroids = centroids(&picked, &groups);
    let labels: Vec<usize> = embeddings.iter().map(|e| nearest(&centroids, e)).collect();
    renumber(&labels)
}

/// The nearest centroid's index.
pub fn nearest(centroids: &[Vec<f32>], e: &[f32]) -> usize {
    (0..centroids.len())
        .max_by(|a, b| cosine(&centroids[*a], e).total_cmp(&cosine(&centroids[*b], e)))
        .unwrap_or(0)
}

/// Unit-length mean embedding of each label.
pub fn centroids(embeddings: &[&[f32]], labels: &[usize]) -> Vec<Vec<f32>> {
    let k = labels.iter().max().map_or(0, |m| m + 1);
    let dim = embeddings.first().map_or(0, |e| e.len());
    let mut sums = vec![vec![0f32; dim]; k];
    for (e, l) in embeddings.iter().zip(labels) {
        for (s, v) in sums[*l].iter_mut().zip(e.iter()) {
            *s += v;
        }
    }
    for s in &mut sums {
        let norm = s.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
        s.iter_mut().for_each(|v| *v /= norm);
    }
    sums
}

/// Labels renumbered `0..k` in order of first appearance.
pub fn renumber(labels: &[usize]) -> Vec<usize> {
    let mut map: Vec<(usize, usize)> = Vec::new();
    labels
        .iter()
        .map(|l| match map.iter().find(|(from, _)| from == l) {
            Some((_, to)) => *to,
            None => {
                map.push((*l, map.len()));
                map.len() - 1
            }
        })
        .collect()
}

/// Groups being joined: their pairwise mean similarities and sizes.
struct Groups {
    n: usize,
    sim: Vec<f32>,
    size: Vec<usize>,
    alive: Vec<bool>,
    owner: Vec<usize>,
    /// Each live group's most similar live partner.
    best: Vec<(f32, usize)>,
    count: usize,
}

impl Groups {
    fn new(items: &[&[f32]]) -> Groups {
        let n = items.len();
        let mut sim = vec![0f32; n * n];
        for i in 0..n {
            for j in i + 1..n {
                let s = cosine(items[i], items[j]);
                sim[i * n + j] = s;
                sim[j * n + i] = s;
            }
        }
        let mut g = Groups {
            n,
            sim,
            size: vec![1; n],
            alive: vec![true; n],
            owner: (0..n).collect(),
            best: vec![(f32::NEG_INFINITY, 0); n],
            count: n,
        };
        for i in 0..n {
            g.best[i] = g.best_of(i);
        }
        g
    }

    fn best_of(&self, i: usize) -> (f32, usize) {
        (0..self.n)
            .filter(|j| *j != i && self.alive[*j])
            .map(|j| (self.sim[i * self.n + j], j))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or((f32::NEG_INFINITY, i))
    }

    /// The most similar pair of live groups.
    fn closest(&self) -> (usize, f32, usize) {
        (0..self.n)
            .filter(|i| self.alive[*i])
            .map(|i| (i, self.best[i].0, self.best[i].1))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("a group is alive")
    }

    /// Joins group `j` into group `i`; the joined row is the size-weighted mean.
    fn join(&mut self, i: usize, j: usize) {
        let n = self.n;
        for k in 0..n {
            if self.alive[k] && k != i && k != j {
                let v = (self.size[i] as f32 * self.sim[i * n + k]
                    + self.size[j] as f32 * self.sim[j * n + k])
                    / (self.size[i] + self.size[j]) as f32;
                self.sim[i * n + k] = v;
                self.sim[k * n + i] = v;
            }
        }
        self.size[i] += self.size[j];
        self.alive[j] = false;
        self.owner
            .iter_mut()
            .filter(|o| **o == j)
            .for_each(|o| *o = i);
        self.count -= 1;
        for k in 0..n {
            if !self.alive[k] {
                continue;
            }
            if k == i || self.best[k].1 == i || self.best[k].1 == j {
                self.best[k] = self.best_of(k);
            } else if self.sim[k * n + i] > self.best[k].0 {
                self.best[k] = (self.sim[k * n + i], i);
            }
        }
    }
}

/// Average-linkage agglomeration; returns a group index per item. When
/// the count is estimated, a group of fewer than `min` items (a cough, a
/// laugh, a few words in another voice) then joins its most similar
/// neighbour, smallest first.
fn agglomerate(items: &[&[f32]], threshold: f32, count: Option<usize>, min: usize) -> Vec<usize> {
    let mut g = Groups::new(items);
    let target = count.unwrap_or(1).max(1);
    while g.count > target {
        let (i, s, j) = g.closest();
        if count.is_none() && s < threshold {
            break;
        }
        g.join(i, j);
    }
    if count.is_none() {
        while g.count > 1 {
            let small = (0..g.n)
                .filter(|i| g.alive[*i] && g.size[*i] < min)
                .min_by_key(|i| g.size[*i]);
            let Some(j) = small else { break };
            let i = g.best[j].1;
            g.join(i, j);
        }
    }
    renumber(&g.owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn two_voices_make_two_groups_and_a_fixed_count_is_kept() {
        let a = |x: f32| unit(&[1.0, x, 0.0]);
        let b = |x: f32| unit(&[0.0, x, 1.0]);
        let all = vec![a(0.1), b(0.1), a(0.2), b(0.0), a(0.0), b(0.2)];
        assert_eq!(cluster(&all, 0.8, None, 3), vec![0, 1, 0, 1, 0, 1]);
        assert_eq!(cluster(&all, 0.8, Some(1), 3), vec![0; 6]);
        assert_eq!(cluster(&all, 0.8, Some(3), 3).iter().max(), Some(&2));
        // at a threshold nothing reaches, single windows are too small to
        // be speakers of their own and join their nearest neighbours
        let strict = cluster(&all, 0.999_999, None, 3);
        assert_eq!(strict.iter().max(), Some(&1), "{strict:?}");
        // one odd window among six of one voice joins it
        let mut one_voice: Vec<Vec<f32>> = (0..6).map(|i| a(i as f32 * 0.05)).collect();
        one_voice.push(b(0.1));
        assert_eq!(cluster(&one_voice, 0.8, None, 3), vec![0; 7]);
    }

    #[test]
    fn a_two_second_group_joins_its_nearest_speaker_unless_fixed() {
        // two voices of 10 windows (8 s each) and a third voice of 3 windows
        // (2.4 s), closer to the first voice than to the second
        let a = |x: f32| unit(&[1.0, x, 0.0, 0.0]);
        let b = |x: f32| unit(&[0.0, x, 1.0, 0.0]);
        let c = |x: f32| unit(&[0.6, x, 0.0, 0.8]);
        let mut all: Vec<Vec<f32>> = Vec::new();
        for i in 0..10 {
            all.push(a(i as f32 * 0.02));
            all.push(b(i as f32 * 0.02));
        }
        all.extend((0..3).map(|i| c(i as f32 * 0.02)));
        // with 3 windows enough for a speaker, the third voice is one
        let loose = cluster(&all, 0.8, None, 3);
        assert_eq!(loose.iter().max(), Some(&2), "{loose:?}");
        // with 6 needed, its windows go to the first voice, not the second
        let labels = cluster(&all, 0.8, None, 6);
        assert_eq!(labels.iter().max(), Some(&1), "{labels:?}");
        assert!(labels[20..].iter().all(|l| *l == labels[0]), "{labels:?}");
        // a fixed count keeps the small voice
        assert_eq!(cluster(&all, 0.8, Some(3), 6).iter().max(), Some(&2));
    }
}
