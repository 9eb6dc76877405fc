//! The X thread: a clip told in three or four numbered posts, for the
//! client who wants more than one post's worth of it.
//!
//! The first post is the hook with its framing line; the middle ones
//! carry the clip's other sentences in the order spoken (tightened, each
//! whole or cut after a word with `…`), packed into at most two posts and
//! never so many that the thread repeats more than
//! [`MAX_TRANSCRIPT_SHARE`] of the clip's words; the last carries the
//! show, the chapter, the link and the hashtags. A clip with nothing to
//! put in a middle post gets no thread.

use crate::domain::Platform;
use crate::lang;

use super::{
    measure, text, transcript_share, Draft, DraftKind, Material, MAX_TRANSCRIPT_SHARE,
    THREAD_BREAK, X_LIMIT,
};

/// The most posts between the first and the last.
const MAX_MIDDLE: usize = 2;

/// Room kept in every post for its number (`3/4 `).
const NUMBER_ROOM: usize = 6;

/// The fewest words a sentence needs to go into a middle post ("Okay."
/// says nothing on its own).
const MIN_WORDS: usize = 4;

/// Whether `s` fits a post with room for its number.
fn fits(s: &str) -> bool {
    measure(Platform::X, s) + NUMBER_ROOM <= X_LIMIT
}

/// `s` whole when it fits a post, else cut after a word with `…`.
fn fitted(s: &str, rules: &lang::TextRules) -> Option<String> {
    if fits(s) {
        Some(s.to_string())
    } else {
        text::cut_to_fit(s, rules, fits).map(|(cut, _)| cut)
    }
}

/// The first post: the hook, and the framing line when it fits.
fn first_post(m: &Material, hook: Option<usize>) -> Option<String> {
    let hook = fitted(&m.hook_text(hook), m.rules)?;
    let framed = m
        .framing(0)
        .map(|f| format!("{hook}\n\n{}", f.text))
        .filter(|p| fits(p));
    Some(framed.unwrap_or(hook))
}

/// The last post: show and handle, chapter and link, then up to two hashtags (X's
/// own count), as many as fit.
fn last_post(m: &Material) -> Option<String> {
    let w = &m.rules.words;
    let handle = m.handle(Platform::X);
    let from = match (m.show.as_deref(), handle) {
        (Some(s), Some(h)) if h.to_lowercase().contains(&s.to_lowercase()) => Some(h.to_string()),
        (Some(s), Some(h)) => Some(format!("{s} ({h})")),
        (Some(s), None) => Some(s.to_string()),
        (None, h) => h.map(str::to_string),
    };
    let show = from.map(|f| w.from.replace("{show}", &f));
    let chapter = m
        .chapter
        .as_deref()
        .map(|c| w.chapter.replace("{chapter}", c));
    let cta = m.link_cta.clone();
    // Everything, else without the chapter, else the link alone.
    let mut post = [
        vec![show.clone(), chapter, cta.clone()],
        vec![show, cta.clone()],
        vec![cta],
    ]
    .into_iter()
    .map(|lines| lines.into_iter().flatten().collect::<Vec<_>>().join("\n"))
    .find(|p| fits(p))
    .unwrap_or_default();
    let mut tags: Vec<&str> = Vec::new();
    for tag in m
        .tags_for(Platform::X)
        .into_iter()
        .take(m.tag_count(Platform::X))
    {
        tags.push(tag);
        let candidate = [post.as_str(), &tags.join(" ")]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        if !fits(&candidate) {
            tags.pop();
        }
    }
    if !tags.is_empty() {
        if !post.is_empty() {
            post.push_str("\n\n");
        }
        post.push_str(&tags.join(" "));
    }
    (!post.is_empty()).then_some(post)
}

/// The middle posts: the clip's other sentences in order, packed; stops
/// before the thread (with `first` and `last`) would repeat more than
/// [`MAX_TRANSCRIPT_SHARE`] of the clip.
fn middle_posts(m: &Material, hook: usize, first: &str, last: &str) -> Vec<String> {
    let within_share = |middle: &[String], current: &str| {
        let mut all = vec![first.to_string()];
        all.extend(middle.iter().cloned());
        all.push(current.to_string());
        all.push(last.to_string());
        transcript_share(&m.clip_text, &all.join("\n")) <= MAX_TRANSCRIPT_SHARE
    };
    let mut middle: Vec<String> = Vec::new();
    let mut current = String::new();
    let lines = m
        .lines
        .iter()
        .enumerate()
        .filter(|&(i, l)| i != hook && lang::words::word_count(l) >= MIN_WORDS);
    for (_, line) in lines {
        let joined = format!("{current} {line}");
        let joined = joined.trim();
        if fits(joined) && within_share(&middle, joined) {
            current = joined.to_string();
            continue;
        }
        if !current.is_empty() {
            middle.push(std::mem::take(&mut current));
            if middle.len() == MAX_MIDDLE {
                return middle;
            }
        }
        match fitted(line, m.rules) {
            Some(line) if within_share(&middle, &line) => current = line,
            _ => break,
        }
    }
    if !current.is_empty() {
        middle.push(current);
    }
    middle
}

/// The clip's X thread for the hook the posts lead with, or `None` when X
/// is not drafted for or the clip has too little for one.
pub(super) fn thread(m: &Material, hook: Option<usize>) -> Option<Draft> {
    if !m.cfg.platforms.contains(&Platform::X) {
        return None;
    }
    let first = first_post(m, hook)?;
    let last = last_post(m)?;
    let middle = middle_posts(m, hook?, &first, &last);
    if middle.is_empty() {
        return None;
    }
    let mut posts = vec![first];
    posts.extend(middle);
    posts.push(last);
    let n = posts.len();
    let posts: Vec<String> = posts
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}/{n} {p}", i + 1))
        .collect();
    let text = posts.join(THREAD_BREAK);
    Some(Draft {
        platform: Platform::X,
        kind: DraftKind::Thread,
        length: super::draft_length(Platform::X, DraftKind::Thread, &text),
        text,
        limit: X_LIMIT,
        fold: None,
        note: None,
        variant: 0,
    })
}
