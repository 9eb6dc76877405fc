//! Chapters in the form YouTube turns into chapter marks: the first at
//! 00:00, at least [`MIN_CHAPTERS`], each at least [`MIN_CHAPTER_S`] long,
//! in ascending order. A file's ID3 chapters are used as given (a chapter
//! too short is folded into its neighbour); without them, or with fewer
//! than three, the chapters are the transcript's topics
//! ([`crate::highlights::topics::segment`]) with filler (ads, intro, outro)
//! as chapters of their own, each titled by its most distinctive keywords.

use std::collections::{BTreeMap, HashMap};

use super::{Analysis, NoteChapter};
use crate::domain::Chapter;
use crate::highlights::content::Filler;
use crate::highlights::score;
use crate::util::time;

/// The shortest chapter YouTube accepts, seconds.
pub const MIN_CHAPTER_S: f64 = 10.0;
/// The fewest chapters YouTube shows as chapters.
pub const MIN_CHAPTERS: usize = 3;
/// Keywords in a topic chapter's title.
const TITLE_WORDS: usize = 3;

/// A stretch of the episode with what it is made of.
#[derive(Debug, Clone, PartialEq)]
struct Span<T> {
    start: f64,
    end: f64,
    item: T,
}

/// Folds every span shorter than `min` into a neighbour (the first into the
/// next one, any other into the one before), shortest first, until all are
/// long enough or one is left. `join(earlier, later)` makes the merged item.
fn merge_short<T>(
    mut v: Vec<Span<T>>,
    min: f64,
    join: impl Fn(Span<T>, Span<T>) -> T,
) -> Vec<Span<T>> {
    while v.len() > 1 {
        let shortest = (0..v.len())
            .filter(|&k| v[k].end - v[k].start < min)
            .min_by(|&x, &y| (v[x].end - v[x].start).total_cmp(&(v[y].end - v[y].start)));
        let Some(k) = shortest else { break };
        let at = if k == 0 { 0 } else { k - 1 };
        let later = v.remove(at + 1);
        let earlier = v.remove(at);
        let (start, end) = (earlier.start, later.end);
        v.insert(
            at,
            Span {
                start,
                end,
                item: join(earlier, later),
            },
        );
    }
    v
}

/// Start of each span set to its predecessor's end, the first to 0.
fn chapter_list(spans: &[Span<String>]) -> Vec<NoteChapter> {
    spans
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let start = if k == 0 { 0.0 } else { s.start };
            NoteChapter {
                start,
                end: s.end,
                time: time::clock(start),
                title: s.item.split_whitespace().collect::<Vec<_>>().join(" "),
            }
        })
        .collect()
}

/// Chapters from the file's ID3 chapters, titles as given; None when the
/// file has fewer than [`MIN_CHAPTERS`] that last [`MIN_CHAPTER_S`].
pub fn from_id3(chapters: &[Chapter], duration: f64) -> Option<Vec<NoteChapter>> {
    let mut sorted: Vec<&Chapter> = chapters.iter().filter(|c| c.start < duration).collect();
    sorted.sort_by(|a, b| a.start.total_cmp(&b.start));
    let spans: Vec<Span<String>> = sorted
        .iter()
        .enumerate()
        .map(|(k, c)| Span {
            start: if k == 0 { 0.0 } else { c.start.max(0.0) },
            end: sorted.get(k + 1).map_or(duration, |n| n.start),
            item: c.title.clone(),
        })
        .collect();
    // A short chapter keeps the title of the longer one it joins.
    let spans = merge_short(spans, MIN_CHAPTER_S, |a, b| {
        if b.end - b.start > a.end - a.start {
            b.item
        } else {
            a.item
        }
    });
    (spans.len() >= MIN_CHAPTERS).then(|| chapter_list(&spans))
}

/// Chapters from topic changes and filler stretches, titled by keywords.
pub fn from_topics(a: &Analysis, duration: f64) -> Vec<NoteChapter> {
    let n = a.sents.len();
    if n == 0 {
        return chapter_list(&[Span {
            start: 0.0,
            end: duration,
            item: "Episode".into(),
        }]);
    }
    let topic = &a.topic;
    let mut spans: Vec<Span<(usize, usize)>> = Vec::new();
    for i in 0..n {
        let new = i == 0 || topic[i] != topic[i - 1] || a.filler[i] != a.filler[i - 1];
        if new {
            if let Some(last) = spans.last_mut() {
                last.end = a.sents[i].start;
            }
            let start = if i == 0 { 0.0 } else { a.sents[i].start };
            spans.push(Span {
                start,
                end: duration,
                item: (i, i),
            });
        } else if let Some(last) = spans.last_mut() {
            last.item.1 = i;
        }
    }
    let spans = merge_short(spans, MIN_CHAPTER_S, |x, y| (x.item.0, y.item.1));
    let spans = split_to_minimum(a, spans);
    let titles = titles(a, &spans);
    let titled: Vec<Span<String>> = spans
        .into_iter()
        .zip(titles)
        .map(|(s, t)| Span {
            start: s.start,
            end: s.end,
            item: t,
        })
        .collect();
    chapter_list(&titled)
}

/// Splits the longest chapters at their longest pause between sentences
/// until there are [`MIN_CHAPTERS`] (when both halves stay long enough).
fn split_to_minimum(
    a: &Analysis,
    mut spans: Vec<Span<(usize, usize)>>,
) -> Vec<Span<(usize, usize)>> {
    while spans.len() < MIN_CHAPTERS {
        let mut best: Option<(usize, usize, f64)> = None; // (span, sentence, gap)
        for (k, s) in spans.iter().enumerate() {
            for j in s.item.0 + 1..=s.item.1 {
                let at = a.sents[j].start;
                let fits = at - s.start >= MIN_CHAPTER_S && s.end - at >= MIN_CHAPTER_S;
                let gap = at - a.sents[j - 1].end;
                if fits && best.is_none_or(|(_, _, g)| gap > g) {
                    best = Some((k, j, gap));
                }
            }
        }
        let Some((k, j, _)) = best else { break };
        let s = spans.remove(k);
        let at = a.sents[j].start;
        spans.insert(
            k,
            Span {
                start: at,
                end: s.end,
                item: (j, s.item.1),
            },
        );
        spans.insert(
            k,
            Span {
                start: s.start,
                end: at,
                item: (s.item.0, j - 1),
            },
        );
    }
    spans
}

/// Each chapter's title: the kind of filler when filler fills most of it,
/// else its most distinctive content words (used often in it, rarely in
/// the others), else its first words.
fn titles(a: &Analysis, spans: &[Span<(usize, usize)>]) -> Vec<String> {
    let counts: Vec<BTreeMap<String, (usize, usize)>> = spans
        .iter()
        .map(|s| {
            let mut m = BTreeMap::new();
            let content = (s.item.0..=s.item.1).filter(|&i| a.is_content(i));
            let words = content.flat_map(|i| score::content_words(&a.sents[i].text));
            for (pos, w) in words.enumerate() {
                m.entry(w).or_insert((0, pos)).0 += 1;
            }
            m
        })
        .collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for m in &counts {
        for w in m.keys() {
            *df.entry(w).or_default() += 1;
        }
    }
    let n = spans.len() as f64;
    spans
        .iter()
        .zip(&counts)
        .map(|(s, m)| {
            if let Some(kind) = dominant_filler(a, s.item) {
                return filler_title(kind, s.start, a.sents.last().map_or(0.0, |l| l.end));
            }
            let mut v: Vec<(&String, f64, usize)> = m
                .iter()
                .map(|(w, &(c, pos))| (w, c as f64 * (1.0 + n / df[w.as_str()] as f64).ln(), pos))
                .collect();
            v.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.2.cmp(&y.2)));
            let mut words: Vec<&str> = Vec::new();
            for (w, _, _) in &v {
                // one of "price" and "pricing", "engineer" and "engineers"
                let stem = |x: &str| x.chars().take(4).collect::<String>();
                if words.len() < TITLE_WORDS && !words.iter().any(|p| stem(p) == stem(w)) {
                    words.push(w);
                }
            }
            if words.is_empty() {
                first_words(&a.sents[s.item.0].text)
            } else {
                capitalise(&words.join(", "))
            }
        })
        .collect()
}

/// The filler kind taking most of the speaking time of sentences
/// `first..=last`, when filler takes more than half of it.
fn dominant_filler(a: &Analysis, (first, last): (usize, usize)) -> Option<Filler> {
    let mut time: Vec<(Option<Filler>, f64)> = Vec::new();
    for i in first..=last {
        let d = (a.sents[i].end - a.sents[i].start).max(0.01);
        match time.iter_mut().find(|(k, _)| *k == a.filler[i]) {
            Some(e) => e.1 += d,
            None => time.push((a.filler[i], d)),
        }
    }
    let total: f64 = time.iter().map(|x| x.1).sum();
    time.into_iter()
        .filter(|(k, d)| k.is_some() && *d > total / 2.0)
        .find_map(|(k, _)| k)
}

/// A filler chapter's title: its kind, except that intro and outro are
/// told apart by where they are (a sign-off asking listeners to subscribe
/// sounds like an intro, but at the end it is the outro).
fn filler_title(kind: Filler, start: f64, speech_end: f64) -> String {
    let kind = match kind {
        Filler::Intro | Filler::Outro if start > speech_end / 2.0 => Filler::Outro,
        Filler::Intro | Filler::Outro => Filler::Intro,
        k => k,
    };
    capitalise(kind.label())
}

/// The first five words of a sentence, with "…" when there are more.
fn first_words(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = words[..words.len().min(5)].join(" ");
    if words.len() > 5 {
        out.push('…');
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::testing::sents;
    use super::*;

    fn chapter(title: &str, start: f64, end: f64) -> Chapter {
        Chapter {
            title: title.into(),
            start,
            end,
        }
    }

    #[test]
    fn id3_chapters_start_at_zero_and_fold_short_ones() {
        let c = [
            chapter("Cold open", 2.0, 30.0),
            chapter("Jingle", 30.0, 34.0),
            chapter("Pricing", 34.0, 120.0),
            chapter("Hiring", 120.0, 200.0),
        ];
        let notes = from_id3(&c, 200.0).unwrap();
        let got: Vec<(&str, &str)> = notes
            .iter()
            .map(|c| (c.time.as_str(), c.title.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("00:00", "Cold open"),
                ("00:34", "Pricing"),
                ("02:00", "Hiring")
            ]
        );
        assert_eq!(notes[0].end, 34.0);
        // Too few to be YouTube chapters: None, so topics are used.
        assert_eq!(from_id3(&c[2..], 200.0), None);
        assert_eq!(from_id3(&[], 200.0), None);
    }

    #[test]
    fn topic_chapters_follow_pauses_and_filler_and_are_titled_by_keywords() {
        let rules = crate::lang::rules("en");
        let s = sents(&[
            ("Welcome to Signal and Noise.", 0.0),
            ("Pricing is psychology, not maths.", 3.0),
            ("Customers read pricing as a signal.", 0.5),
            ("Raise pricing and customers trust you.", 0.5),
            ("This episode is sponsored by Northwind Coffee.", 3.0),
            ("Use the promo code SIGNAL for coffee.", 0.5),
            ("Northwind Coffee, fuel for your best work.", 0.5),
            ("Hiring engineers is about next year.", 3.0),
            ("Hire engineers for problems you will have.", 0.5),
            ("Engineers want hard problems.", 0.5),
        ]);
        let a = Analysis::of_sentences(s, &[], rules);
        let end = a.sents.last().unwrap().end + 1.0;
        let c = from_topics(&a, end);
        assert_eq!(c[0].start, 0.0);
        assert!(c.len() >= MIN_CHAPTERS, "{c:?}");
        for w in c.windows(2) {
            assert!(w[1].start - w[0].start >= MIN_CHAPTER_S, "{c:?}");
        }
        let titles: Vec<&str> = c.iter().map(|c| c.title.as_str()).collect();
        assert!(titles.contains(&"Ad"), "{titles:?}");
        assert!(
            titles.iter().any(|t| t.starts_with("Pricing")),
            "{titles:?}"
        );
        assert!(
            titles.iter().any(|t| t.starts_with("Engineers")),
            "{titles:?}"
        );
    }

    #[test]
    fn one_long_topic_is_split_at_its_longest_pauses() {
        let rules = crate::lang::rules("en");
        let texts: Vec<String> = (0..12)
            .map(|k| format!("Pricing signals value to customers in market {k}."))
            .collect();
        let lines: Vec<(&str, f64)> = texts
            .iter()
            .enumerate()
            .map(|(k, t)| (t.as_str(), if k % 4 == 0 { 1.2 } else { 0.2 }))
            .collect();
        let a = Analysis::of_sentences(sents(&lines), &[], rules);
        let c = from_topics(&a, 60.0);
        assert_eq!(c.len(), MIN_CHAPTERS, "{c:?}");
        assert_eq!(c[0].start, 0.0);
    }
}
