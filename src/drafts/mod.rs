//! Caption drafts for each clip and platform: posts written around the
//! clip's own words, not its transcript pasted.
//!
//! For every clip: a headline title, and a draft per enabled platform
//! field, each within the platform's limit counted the platform's way (X
//! weighs emoji, CJK and links, see [`x_weighted_len`]) and with the hook
//! before the platform's "more" fold. A post is a tightened hook line, a
//! framing line from the language's templates, a short quote, the
//! platform's own call to action and hashtags from the configured ones and
//! the clip's names, key phrases and keywords ([`hashtag`]); it never
//! repeats more than [`MAX_TRANSCRIPT_SHARE`] of the clip's words
//! ([`transcript_share`]), and banned words and hashtags from
//! `clipper.toml` never appear. [`draft_clip`] drafts one clip,
//! [`draft_all`] all of an episode's, none a duplicate of another's.

mod check;
mod fillers;
mod llm;
mod share;
mod text;
mod thread;
mod topics;
mod xcount;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::config::ClientConfig;
use crate::domain::Platform;
use crate::highlights::{unsure_key, Clip};
use crate::lang::{self, TextRules};

pub use fillers::{remove_fillers, remove_fillers_in};
pub use share::{transcript_share, word_tokens, MAX_TRANSCRIPT_SHARE};
pub use text::hashtag;
pub use xcount::{x_weighted_len, URL_WEIGHT};

/// Which field of a platform's post a draft fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DraftKind {
    /// The post or caption.
    Post,
    /// A title (YouTube Shorts).
    Title,
    /// A description (YouTube Shorts).
    Description,
    /// A thread of 3–4 posts (X), in one text: the posts are separated by
    /// a line `---` ([`THREAD_BREAK`], [`thread_posts`]).
    Thread,
}

/// Which of a platform's versions a draft is: the first, the second
/// ([`Draft::variant`] 1) or the X thread. The client picks one per
/// platform in the review; the export sends the one picked.
pub const VERSIONS: [&str; 3] = ["a", "b", "thread"];

/// What separates the posts of a thread in its text.
pub const THREAD_BREAK: &str = "\n\n---\n\n";

/// The posts of a thread's text: split at lines that are `---`, each
/// trimmed, empty ones left out.
pub fn thread_posts(text: &str) -> Vec<String> {
    let mut posts = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.trim() == "---" {
            posts.push(std::mem::take(&mut current));
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    posts.push(current);
    posts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The version a draft key belongs to ([`VERSIONS`]): `x_thread` →
/// `thread`, `linkedin_b` or `youtube_title_b` → `b`, others `a`.
pub fn version_of_key(key: &str) -> &'static str {
    if key.ends_with("_thread") {
        "thread"
    } else if key.ends_with("_b") {
        "b"
    } else {
        "a"
    }
}

fn is_first(v: &u8) -> bool {
    *v == 0
}

/// One draft text for one platform field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// The platform.
    pub platform: Platform,
    /// The field.
    pub kind: DraftKind,
    /// The text.
    pub text: String,
    /// The platform's hard limit, in its own counting.
    pub limit: usize,
    /// The text's length in the platform's counting (X weighs emoji, CJK
    /// and URLs differently).
    pub length: usize,
    /// Characters visible before the "more" fold, where the platform has one.
    pub fold: Option<usize>,
    /// Who wrote it, with the `openai` writer: the model (as is or
    /// repaired, and how) or the builtin writer in its place, and why.
    /// None from the builtin writer alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// 0 for the first version of the platform's post, 1 for the second
    /// (another hook and framing), for the client to choose between.
    #[serde(default, skip_serializing_if = "is_first")]
    pub variant: u8,
}

/// What the drafts stage makes for one clip.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClipDrafts {
    /// A short title for the clip.
    pub title: String,
    /// One draft per enabled platform field.
    pub drafts: Vec<Draft>,
}

impl Draft {
    /// The key used in decisions and publish.csv: `x`, `linkedin`,
    /// `instagram`, `tiktok`, `youtube_title`, `youtube_description`.
    /// The second version's keys end in `_b` (`x_b`, `youtube_title_b`);
    /// X's thread is `x_thread`.
    pub fn key(&self) -> String {
        let base = match self.kind {
            DraftKind::Post => self.platform.name().to_string(),
            DraftKind::Title => format!("{}_title", self.platform.name()),
            DraftKind::Description => format!("{}_description", self.platform.name()),
            DraftKind::Thread => return format!("{}_thread", self.platform.name()),
        };
        if self.variant > 0 {
            format!("{base}_b")
        } else {
            base
        }
    }

    /// The version this draft is part of ([`VERSIONS`]).
    pub fn version(&self) -> &'static str {
        version_of_key(&self.key())
    }
}

/// X's limit, in weighted characters.
pub const X_LIMIT: usize = 280;
/// LinkedIn's post limit.
pub const LINKEDIN_LIMIT: usize = 3000;
/// LinkedIn's "see more" fold.
pub const LINKEDIN_FOLD: usize = 210;
/// Instagram's caption limit.
pub const INSTAGRAM_LIMIT: usize = 2200;
/// Instagram's "more" fold.
pub const INSTAGRAM_FOLD: usize = 125;
/// Instagram's hashtag limit per post.
pub const INSTAGRAM_MAX_HASHTAGS: usize = 30;
/// TikTok's caption limit.
pub const TIKTOK_LIMIT: usize = 2200;
/// YouTube's title limit.
pub const YOUTUBE_TITLE_LIMIT: usize = 100;
/// YouTube's description limit.
pub const YOUTUBE_DESCRIPTION_LIMIT: usize = 5000;
/// The most characters of a clip title (a headline; the YouTube title
/// field, [`YOUTUBE_TITLE_LIMIT`], may add the show's name).
pub const TITLE_MAX: usize = 60;

/// A platform field's hard limit, in the platform's own counting
/// ([`measure`]).
pub fn limit(platform: Platform, kind: DraftKind) -> usize {
    match (platform, kind) {
        (Platform::X, _) => X_LIMIT,
        (Platform::Linkedin, _) => LINKEDIN_LIMIT,
        (Platform::Instagram, _) => INSTAGRAM_LIMIT,
        (Platform::Tiktok, _) => TIKTOK_LIMIT,
        (Platform::Youtube, DraftKind::Title) => YOUTUBE_TITLE_LIMIT,
        (Platform::Youtube, _) => YOUTUBE_DESCRIPTION_LIMIT,
    }
}

/// Characters shown before the platform's "more" fold, where it has one
/// the drafts respect (LinkedIn, Instagram).
pub fn fold(platform: Platform, kind: DraftKind) -> Option<usize> {
    match (platform, kind) {
        (Platform::Linkedin, DraftKind::Post) => Some(LINKEDIN_FOLD),
        (Platform::Instagram, DraftKind::Post) => Some(INSTAGRAM_FOLD),
        _ => None,
    }
}

/// A text's length as the platform counts it: [`x_weighted_len`] for X,
/// Unicode characters (code points) elsewhere.
pub fn measure(platform: Platform, text: &str) -> usize {
    match platform {
        Platform::X => x_weighted_len(text),
        _ => text.chars().count(),
    }
}

/// A draft's length as [`Draft::length`] gives it: [`measure`] of its
/// text, and for a thread of its longest post (each post is held to the
/// limit on its own).
pub fn draft_length(platform: Platform, kind: DraftKind, text: &str) -> usize {
    match kind {
        DraftKind::Thread => thread_posts(text)
            .iter()
            .map(|p| measure(platform, p))
            .max()
            .unwrap_or(0),
        _ => measure(platform, text),
    }
}

/// Facts about the episode the drafts may mention.
///
/// The fixed words the drafts add (`From`, `with`, `Chapter:`, `Episode:`,
/// `A clip on`) are those of [`ClientConfig::language`]
/// ([`lang::TextRules::words`]); the clip's own words are used as spoken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DraftContext<'a> {
    /// The episode's title (from its tags or file name); empty if unknown.
    pub episode_title: &'a str,
}

/// How quotable a sentence is as the hook line; the first sentence
/// starts ahead, so another wins only when clearly stronger. A question
/// the clip goes on to answer is the set-up, not the line to quote; a
/// sentence opening (after the first) or ending on a word that points back
/// cannot stand alone.
fn hook_score(s: &str, index: usize, count: usize, rules: &TextRules) -> f64 {
    let words = lang::words::word_count(s);
    let lower = s.to_lowercase();
    let first = lower
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .replace('’', "'");
    let mut score = 0.0;
    if index == 0 {
        score += 2.0;
    }
    if words < 4 {
        score -= 3.0;
    } else if words <= 22 {
        score += 1.0;
    } else if words > 35 {
        score -= 2.0;
    }
    if rules.weak_openers.contains(&first.as_str()) {
        score -= 1.5;
    }
    if index > 0 && rules.needs_context.contains(&first.as_str()) {
        score -= 1.0;
    }
    // Ending on a word that points back ("We want to do that.") leans on
    // what came before just as much.
    if crate::highlights::score::ends_pointing_back(s, rules) {
        score -= 1.0;
    }
    if rules
        .strong_words
        .iter()
        .any(|w| text::contains_word(&lower, w))
    {
        score += 1.0;
    }
    if s.chars().any(|c| c.is_ascii_digit()) {
        score += 0.5;
    }
    let end = s.trim_end();
    if end.ends_with(['!', '?']) {
        score += 0.5;
    }
    if end.ends_with(['?', '？']) && index + 1 < count {
        score -= 3.0;
    }
    score
}

/// A hashtag's comparison key: lowercase, no `#`, letters and digits only.
fn tag_key(tag: &str) -> String {
    tag.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The word lists the drafts use: those of the client's language, English
/// while it is still `auto` (the episode resolves it to the transcript's
/// language first, see `EpisodeOptions::in_language_of`; a caller that
/// drafts without a transcript gets English, as before languages).
fn rules_of(cfg: &ClientConfig) -> &'static TextRules {
    if cfg.language == lang::codes::AUTO {
        lang::rules("en")
    } else {
        lang::rules(&cfg.language)
    }
}

/// The most words a hook line keeps; a longer sentence is cut after a
/// word (at a clause end if one keeps half of them) and ends in `…`.
pub const HOOK_MAX_WORDS: usize = 25;
use crate::transcript::is_speaker_id;

/// The most words of a quote set off in a post: only a sentence this short
/// is quoted, never cut.
pub const QUOTE_MAX_WORDS: usize = 20;

/// Everything a clip's drafts are made of, filtered for banned words.
#[derive(Debug)]
struct Material<'a> {
    cfg: &'a ClientConfig,
    /// The word lists of the client's language ([`rules_of`]).
    rules: &'static TextRules,
    /// Each of the clip's sentences (fillers out, banned ones left out, in
    /// order) tightened ([`fillers::tighten`]), whole.
    lines: Vec<String>,
    /// Indices into `sentences`, most quotable first.
    hook_order: Vec<usize>,
    /// Opening line when no sentence may be used.
    neutral: String,
    keywords: Vec<String>,
    default_tags: Vec<String>,
    clip_tags: Vec<String>,
    /// What the clip is about, in its words (a key phrase or keywords).
    topic: Option<String>,
    show: Option<String>,
    guest: Option<String>,
    /// Who says the clip, when `[speakers]` named them: the quote is
    /// attributed to them ("— Dana (host)").
    speaker: Option<String>,
    chapter: Option<String>,
    episode: Option<String>,
    /// The call to action where a link belongs (X, LinkedIn, YouTube).
    link_cta: Option<String>,
    /// The call to action pointing to the bio (Instagram, TikTok).
    bio_cta: Option<String>,
    /// The clip's transcript, for [`transcript_share`].
    clip_text: String,
    /// The clip's place in the episode: later clips pick later templates.
    seed: usize,
}

/// `s` with its whitespace collapsed, unless it is empty or holds a banned
/// word.
fn allowed(s: &str, banned: &[String]) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty() && !text::contains_any(&s, banned)).then_some(s)
}

/// The clip's sentences with the pieces of one sentence put back
/// together. The scorer cuts a sentence where the speaker changes, and on
/// crosstalk or a diarization slip that leaves halves a draft must not
/// quote alone ("I was in hell with" | "that."). A piece that does not end
/// a sentence ([`lang::words::ends_sentence`]) takes the next one with it.
fn rejoin_turn_splits(sentences: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in sentences.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match out.last_mut() {
            Some(prev) if !lang::words::ends_sentence(prev) => {
                let unspaced = prev.chars().last().is_some_and(lang::words::is_unspaced);
                if !unspaced {
                    prev.push(' ');
                }
                prev.push_str(s);
            }
            _ => out.push(s.to_string()),
        }
    }
    out
}

/// The clip's sentences (split from its text if it has none; pieces of
/// one sentence rejoined, see [`rejoin_turn_splits`]), fillers removed;
/// those with no word left, a banned word or seen before are left out.
fn clean_sentences(clip: &Clip, banned: &[String], rules: &TextRules) -> Vec<String> {
    let raw: Vec<String> = if clip.sentences.iter().any(|s| !s.trim().is_empty()) {
        rejoin_turn_splits(&clip.sentences)
    } else {
        text::split_sentences(&clip.text)
    };
    let mut sentences: Vec<String> = Vec::new();
    for s in &raw {
        let clean = fillers::remove_fillers_in(s, rules);
        if !clean.chars().any(char::is_alphanumeric) {
            continue;
        }
        if let Some(clean) = allowed(&clean, banned) {
            if !sentences.contains(&clean) {
                sentences.push(clean);
            }
        }
    }
    sentences
}

/// Indices into `sentences`, most quotable first ([`hook_score`]; ties in
/// order).
fn hook_order(sentences: &[String], rules: &TextRules) -> Vec<usize> {
    let mut hook_order: Vec<usize> = (0..sentences.len()).collect();
    let scores: Vec<f64> = sentences
        .iter()
        .enumerate()
        .map(|(i, s)| hook_score(s, i, sentences.len(), rules))
        .collect();
    hook_order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    hook_order
}

/// The clip's most quotable sentence, the one its hook lines lead with
/// (for the quote cards).
pub fn best_quote<'s>(sentences: &'s [String], rules: &TextRules) -> Option<&'s str> {
    hook_order(sentences, rules)
        .first()
        .map(|&i| sentences[i].as_str())
}

/// The clip's keywords that are allowed, each once whatever its case.
fn clip_keywords(clip: &Clip, banned: &[String]) -> Vec<String> {
    let mut keywords: Vec<String> = Vec::new();
    for k in &clip.keywords {
        if let Some(k) = allowed(k, banned) {
            if !keywords
                .iter()
                .any(|x| x.to_lowercase() == k.to_lowercase())
            {
                keywords.push(k);
            }
        }
    }
    keywords
}

/// Whether none of `text`'s words is one of the clip's unsure words
/// ([`Clip::unsure`]).
fn heard_clearly(text: &str, unsure: &[String]) -> bool {
    unsure.is_empty()
        || !text
            .split_whitespace()
            .any(|w| unsure.contains(&unsure_key(w)))
}

/// Where the clip's own hashtags come from, best first: its proper nouns
/// (two at most), its key phrases (three at most), then its keywords.
fn tag_sources(
    sentences: &[String],
    keywords: &[String],
    phrases: &[String],
    rules: &TextRules,
) -> Vec<String> {
    let names = topics::proper_nouns(sentences, rules);
    names
        .into_iter()
        .take(2)
        .chain(phrases.iter().take(3).cloned())
        .chain(keywords.iter().cloned())
        .collect()
}

/// The hashtags made from the configured ones and from `sources`, in that
/// order: banned tags and tags with banned words are left out, a tag made
/// by both lists only counts in the first, a tag that is part of one
/// already there is left out, and a tag made from the clip is never a
/// common word ([`topics::is_common`]). The client's own tags are
/// kept as configured.
fn clip_hashtags(
    cfg: &ClientConfig,
    sources: &[String],
    rules: &TextRules,
) -> (Vec<String>, Vec<String>) {
    let banned = &cfg.banned_words;
    let banned_tags: Vec<String> = cfg.banned_hashtags.iter().map(|t| tag_key(t)).collect();
    let mut seen: Vec<String> = Vec::new();
    let mut make_tags = |sources: &[String], own: bool| -> Vec<String> {
        let mut out = Vec::new();
        for src in sources {
            let Some(mut tag) = hashtag(src) else {
                continue;
            };
            if !own && src.starts_with(char::is_uppercase) && !src.contains(' ') {
                // A name keeps its capitals: `#Tokyo`, not `#tokyo`.
                let name: String = src.chars().filter(|c| c.is_alphanumeric()).collect();
                if name.to_lowercase() == tag[1..] {
                    tag = format!("#{name}");
                }
            }
            let key = tag_key(&tag);
            let bad = banned_tags.contains(&key)
                || text::contains_any(src, banned)
                || text::contains_any(&text::hashtag_words(&tag), banned)
                || banned.iter().any(|b| tag_key(b) == key)
                || (!own && topics::is_common(&tag[1..].to_lowercase(), rules));
            // A word of a tag already there says less than it: #dana
            // after #DanaWhitfield, #engineer after #FirstEngineer.
            let repeats = seen.iter().any(|s| s.contains(&key));
            if bad || repeats {
                continue;
            }
            seen.push(key);
            out.push(tag);
        }
        out
    };
    let default_tags = make_tags(&cfg.default_hashtags, true);
    let clip_tags = make_tags(sources, false);
    (default_tags, clip_tags)
}

/// The opening line when no sentence of the clip may be used: its
/// keywords, else the show's name, else a plain line.
fn neutral_line(keywords: &[String], show: Option<&String>, rules: &TextRules) -> String {
    let w = &rules.words;
    if !keywords.is_empty() {
        let ks: Vec<String> = keywords.iter().take(3).cloned().collect();
        w.clip_on.replace("{keywords}", &text::join_and(&ks, rules))
    } else if let Some(show) = show {
        w.highlight_from.replace("{show}", show)
    } else {
        w.highlight.to_string()
    }
}

/// What the clip is about, in its own words: its best key phrase, else
/// its first proper noun, else its two first keywords that are not common
/// words and that it says at least twice (in any form, [`same_stem`]:
/// "price" and "pricing"). A keyword said once is often not
/// what the clip is about, nor a noun ("On suggestion" from "Just a
/// suggestion.", "On opens", "On the flight and gosh"); a post with no
/// topic takes a framing line without one.
fn clip_topic(
    sentences: &[String],
    keywords: &[String],
    phrases: &[String],
    rules: &TextRules,
) -> Option<String> {
    if let Some(p) = phrases.first() {
        return Some(p.clone());
    }
    if let Some(n) = topics::proper_nouns(sentences, rules).into_iter().next() {
        return Some(n);
    }
    let said: Vec<String> = sentences
        .iter()
        .flat_map(|s| crate::highlights::score::words(s))
        .collect();
    let ks: Vec<String> = keywords
        .iter()
        .filter(|k| !topics::is_common(&k.to_lowercase(), rules))
        .filter(|k| {
            let k = k.to_lowercase();
            said.iter().filter(|w| same_stem(w, &k)).count() >= 2
        })
        .take(2)
        .cloned()
        .collect();
    (!ks.is_empty()).then(|| text::join_and(&ks, rules))
}

/// Whether two lowercase words are forms of one word, by a shared start:
/// all of the shorter word but at most its last letter, and at least four
/// letters (all of a shorter word): "price" and "pricing", "churn" and
/// "churned", "opens" and "open"; not "form" and "from".
fn same_stem(a: &str, b: &str) -> bool {
    let shared = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    shared >= 4.min(shorter) && shared + 1 >= shorter
}

/// A topic as it reads after "on" or "about": with the language's
/// [`lang::TextRules::topic_article`] when it is a common-noun phrase of
/// two words or more ("first engineer" → "the first engineer"). A name
/// (any capital), a plural ("pricing mistakes"), a gerund ("raising
/// money") or a phrase that opens with a function word ("our customers")
/// stays as spoken.
fn topic_in_text(topic: &str, rules: &TextRules) -> String {
    let words: Vec<&str> = topic.split_whitespace().collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return topic.to_string();
    };
    let plural = last.ends_with('s') && !last.ends_with("ss");
    let bare = !rules.topic_article.is_empty()
        && words.len() >= 2
        && words.iter().all(|w| w.chars().all(|c| !c.is_uppercase()))
        && !rules.stopwords.contains(first)
        && !first.ends_with("ing")
        && !plural;
    if bare {
        format!("{} {topic}", rules.topic_article)
    } else {
        topic.to_string()
    }
}

/// The client's call to action split by where it goes: `(link, bio)`. A
/// `cta` that points to the bio (`link in bio`) is the bio one, and the
/// link one is what is left of it without the bio phrase, else
/// [`lang::TextRules::link_cta`]; any other `cta` is the link one, and
/// the bio one is [`lang::TextRules::bio_cta`]. Banned words keep a line
/// out. The default `cta` (English) counts as none in another language,
/// so the language's own wording replaces it.
fn split_cta(cta: &str, banned: &[String], rules: &TextRules) -> (Option<String>, Option<String>) {
    let english = lang::rules("en");
    let cta = if cta.trim() == ClientConfig::default().cta && !std::ptr::eq(rules, english) {
        ""
    } else {
        cta
    };
    let cta = cta.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = cta.to_lowercase();
    let bio_at = rules
        .bio_phrases
        .iter()
        .find_map(|p| lower.find(p).map(|i| (i, p.len())));
    let (link, bio) = match bio_at {
        Some((i, n)) => {
            let rest = format!("{}{}", &cta[..i], &cta[i + n..]);
            let rest = rest
                .replace("()", "")
                .replace("( )", "")
                .trim()
                .trim_end_matches(['(', ':', ',', '-', '—', ' ', '.'])
                .trim()
                .to_string();
            let link = if rest.split_whitespace().count() >= 2 {
                format!("{rest}.")
            } else {
                rules.link_cta.to_string()
            };
            (link, cta.clone())
        }
        None if cta.is_empty() => (rules.link_cta.to_string(), rules.bio_cta.to_string()),
        None => (cta.clone(), rules.bio_cta.to_string()),
    };
    (allowed(&link, banned), allowed(&bio, banned))
}

impl<'a> Material<'a> {
    /// Gathers what the drafts of `clip` may use, banned words filtered
    /// out; `seed` is the clip's place in the episode.
    fn new(clip: &Clip, cfg: &'a ClientConfig, ctx: &DraftContext, seed: usize) -> Material<'a> {
        let banned = &cfg.banned_words;
        let rules = rules_of(cfg);
        let sentences = clean_sentences(clip, banned, rules);
        let lines = sentences
            .iter()
            .map(|s| fillers::tighten(s, rules))
            .collect();
        let hook_order = hook_order(&sentences, rules);
        // Nothing the clip is "about" may rest on a word Whisper was unsure of.
        let clear = |t: &String| heard_clearly(t, &clip.unsure);
        let keywords: Vec<String> = clip_keywords(clip, banned)
            .into_iter()
            .filter(clear)
            .collect();
        let phrases: Vec<String> = topics::key_phrases(&sentences, &keywords, rules)
            .into_iter()
            .filter(|p| !text::contains_any(p, banned) && clear(p))
            .collect();
        let sources: Vec<String> = tag_sources(&sentences, &keywords, &phrases, rules)
            .into_iter()
            .filter(clear)
            .collect();
        let (default_tags, clip_tags) = clip_hashtags(cfg, &sources, rules);
        let topic = clip_topic(&sentences, &keywords, &phrases, rules).filter(clear);
        let show = allowed(&cfg.show_name, banned);
        let guest = allowed(&cfg.guest, banned);
        // Only a name the client gave, never a bare id like S2.
        let speaker = clip
            .speaker
            .as_deref()
            .filter(|s| !is_speaker_id(s))
            .and_then(|s| allowed(s, banned));
        let chapter = clip.chapter.as_deref().and_then(|c| allowed(c, banned));
        let episode = allowed(ctx.episode_title, banned)
            .filter(|e| Some(e) != show.as_ref() && Some(e) != chapter.as_ref());
        let (link_cta, bio_cta) = split_cta(&cfg.cta, banned, rules);
        let neutral = neutral_line(&keywords, show.as_ref(), rules);
        let clip_text = if clip.text.trim().is_empty() {
            clip.sentences.join(" ")
        } else {
            clip.text.clone()
        };
        Material {
            cfg,
            rules,
            lines,
            hook_order,
            neutral,
            keywords,
            default_tags,
            clip_tags,
            topic,
            show,
            guest,
            speaker,
            chapter,
            episode,
            link_cta,
            bio_cta,
            clip_text,
            seed,
        }
    }

    /// The hook for a variant: the `variant`-th most quotable sentence.
    fn hook(&self, variant: usize) -> Option<usize> {
        if self.hook_order.is_empty() {
            None
        } else {
            Some(self.hook_order[variant % self.hook_order.len()])
        }
    }

    /// The hook line: the sentence tightened, within [`HOOK_MAX_WORDS`].
    fn hook_text(&self, hook: Option<usize>) -> String {
        hook.map_or_else(
            || self.neutral.clone(),
            |i| text::cut_words(&self.lines[i], HOOK_MAX_WORDS, self.rules),
        )
    }

    /// The quote set off under the hook: the most quotable other sentence
    /// of four to [`QUOTE_MAX_WORDS`] words that does not end pointing back
    /// ("We want to do that."), tightened, in quotation marks.
    fn quote(&self, hook: Option<usize>) -> Option<String> {
        let [open, close] = self.rules.quote_marks;
        let hook_line = hook.map(|h| self.lines[h].to_lowercase());
        self.hook_order
            .iter()
            .filter(|&&i| Some(i) != hook)
            .map(|&i| &self.lines[i])
            .find(|l| {
                let n = lang::words::word_count(l);
                (4..=QUOTE_MAX_WORDS).contains(&n)
                    && hook_line.as_deref() != Some(l.to_lowercase().as_str())
                    && !crate::highlights::score::ends_pointing_back(l, self.rules)
            })
            .map(|l| match &self.speaker {
                Some(who) => format!("{open}{l}{close} — {who}"),
                None => format!("{open}{l}{close}"),
            })
    }

    /// The framing line ([`lang::TextRules::framing_templates`]): the
    /// first template whose placeholders are all known, counted from the
    /// clip's place in the episode; with whether it names the show and the
    /// guest. The topic reads as in a sentence ([`topic_in_text`]), or as
    /// spoken after a colon.
    fn framing(&self, shift: usize) -> Option<Framing> {
        let rules = self.rules;
        let topic = self.topic_in_text();
        let values = [
            ("{guest}", self.guest.as_deref()),
            ("{show}", self.show.as_deref()),
            ("{topic}", topic.as_deref()),
            ("{chapter}", self.chapter.as_deref()),
        ];
        let usable: Vec<&str> = rules
            .framing_templates
            .iter()
            .copied()
            .filter(|t| values.iter().all(|(k, v)| v.is_some() || !t.contains(k)))
            .collect();
        let template = *usable.get((self.seed + shift) % usable.len().max(1))?;
        // A topic after a colon is a label, not running text: as spoken.
        let mut line = match &self.topic {
            Some(bare) => template.replace(": {topic}", &format!(": {bare}")),
            None => template.to_string(),
        };
        for (k, v) in values {
            if let Some(v) = v {
                line = line.replace(k, v);
            }
        }
        Some(Framing {
            text: text::capitalise(&line),
            names_show: template.contains("{show}"),
            names_guest: template.contains("{guest}"),
        })
    }

    /// LinkedIn's question to the reader
    /// ([`lang::TextRules::reader_questions`]), about the topic when the
    /// clip has one.
    fn question(&self, shift: usize) -> Option<String> {
        let rules = self.rules;
        let usable: Vec<&str> = rules
            .reader_questions
            .iter()
            .copied()
            .filter(|q| q.contains("{topic}") == self.topic.is_some())
            .collect();
        let q = usable.get((self.seed + shift) % usable.len().max(1))?;
        Some(q.replace("{topic}", self.topic_in_text().as_deref().unwrap_or("")))
    }

    /// The topic as it reads in a sentence ([`topic_in_text`]).
    fn topic_in_text(&self) -> Option<String> {
        self.topic.as_deref().map(|t| topic_in_text(t, self.rules))
    }

    /// The platform's own call to action: the link on X, LinkedIn and
    /// YouTube, the bio on Instagram and TikTok.
    fn cta(&self, platform: Platform) -> Option<&str> {
        match platform {
            Platform::Instagram | Platform::Tiktok => self.bio_cta.as_deref(),
            _ => self.link_cta.as_deref(),
        }
    }

    /// Title candidates for a hook, best first (see [`Material::title`]).
    fn title_candidates(&self, hook: Option<usize>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let order = hook
            .into_iter()
            .chain(self.hook_order.iter().copied().filter(|&i| Some(i) != hook))
            .take(3);
        for i in order {
            out.extend(headlines(&self.lines[i], self.rules));
        }
        if let Some(t) = &self.topic {
            out.push(text::title_case(t, self.rules));
        }
        let ks: Vec<String> = self
            .keywords
            .iter()
            .take(3)
            .map(|k| text::title_case(k, self.rules))
            .collect();
        for n in (1..=ks.len()).rev() {
            out.push(text::join_and(&ks[..n], self.rules));
        }
        let w = &self.rules.words;
        if let Some(show) = &self.show {
            out.push(w.title_from.replace("{show}", show));
        }
        out.push(w.title.to_string());
        let mut seen = HashSet::new();
        out.into_iter()
            .filter(|t| self.good_title(t))
            .filter(|t| seen.insert(t.to_lowercase()))
            .collect()
    }

    /// Whether `t` may be a title: at most [`TITLE_MAX`] characters, two
    /// words or more (four CJK characters), no `…`, no dangling last word
    /// ([`lang::TextRules::dangling`]), no banned word, and within
    /// [`MAX_TRANSCRIPT_SHARE`] of the clip's words.
    fn good_title(&self, t: &str) -> bool {
        let dangling = self.rules.dangling;
        let last = t
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        t.chars().count() <= TITLE_MAX
            && lang::words::word_count(t) >= 2
            && !t.contains('…')
            && !t.contains("...")
            && !dangling.contains(&last.as_str())
            && !text::contains_any(t, &self.cfg.banned_words)
            && transcript_share(&self.clip_text, t) <= MAX_TRANSCRIPT_SHARE
    }

    /// The clip's title for a hook: a headline of its main claim, the hook
    /// line when it is short enough, else one of its first two clauses
    /// (whole), else another quotable sentence or clause, else the topic,
    /// the keywords or the show. Title Case, no trailing punctuation but a
    /// `?` or `!`, at most [`TITLE_MAX`] characters, never cut.
    fn title(&self, hook: Option<usize>) -> String {
        self.title_candidates(hook)
            .into_iter()
            .next()
            .unwrap_or_else(|| self.rules.words.title.to_string())
    }

    /// Hashtag candidates for a platform, best first.
    fn tags_for(&self, platform: Platform) -> Vec<&str> {
        let d = self.default_tags.iter().map(String::as_str);
        let k = self.clip_tags.iter().map(String::as_str);
        if platform == Platform::X {
            // One of the show's own tags and one about the clip.
            let (mut d, mut k) = (d, k);
            let mut out = Vec::new();
            loop {
                let (a, b) = (d.next(), k.next());
                if a.is_none() && b.is_none() {
                    break out;
                }
                out.extend(a);
                out.extend(b);
            }
        } else {
            d.chain(k).collect()
        }
    }

    /// The client's handle on `platform`, unless it is blank or holds a
    /// banned word.
    fn handle(&self, platform: Platform) -> Option<&'a str> {
        self.cfg
            .handles
            .get(platform.name())
            .map(|h| h.trim())
            .filter(|h| !h.is_empty() && !text::contains_any(h, &self.cfg.banned_words))
    }

    /// How many hashtags a platform's post carries.
    fn tag_count(&self, platform: Platform) -> usize {
        match platform {
            Platform::X => 2,
            Platform::Linkedin => 3,
            Platform::Instagram => self.cfg.instagram_hashtags.min(INSTAGRAM_MAX_HASHTAGS),
            Platform::Tiktok => 4,
            Platform::Youtube => 3,
        }
    }
}

/// A framing line and what it names.
#[derive(Debug, Clone)]
struct Framing {
    text: String,
    names_show: bool,
    names_guest: bool,
}

/// Headlines made from one line: the whole line, then its first two
/// clauses (four words or more; later ones say little out of context),
/// each without title openers ([`lang::TextRules::title_openers`]) and
/// trailing punctuation, in Title Case.
fn headlines(line: &str, rules: &TextRules) -> Vec<String> {
    let words = |s: &str| s.split_whitespace().count();
    let title_openers = rules.title_openers;
    let strip_opener = |s: &str| -> String {
        let mut s = s.trim().to_string();
        while let Some(first) = s.split_whitespace().next() {
            let w = first
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            if title_openers.contains(&w.as_str()) && words(&s) > 3 {
                s = text::capitalise(s[first.len()..].trim_start());
            } else {
                break;
            }
        }
        s
    };
    let mut out = vec![text::title_case(
        &text::clean_end(&strip_opener(line)),
        rules,
    )];
    for clause in line.split([',', ';', ':', '—', '–', '，', '、']).take(2) {
        let c = text::clean_end(&strip_opener(clause));
        if lang::words::word_count(&c) >= 4 {
            out.push(text::title_case(&c, rules));
        }
    }
    out
}

/// What a post shows; [`Layout::render`] turns it into text.
#[derive(Debug, Clone)]
struct Post {
    hook: String,
    hook_cut: bool,
    framing: bool,
    quote: bool,
    question: bool,
    show: bool,
    handle: bool,
    guest: bool,
    chapter: bool,
    episode: bool,
    cta: bool,
    tags: Vec<usize>,
}

/// How one platform's post is laid out and limited.
struct Layout<'m> {
    m: &'m Material<'m>,
    platform: Platform,
    limit: usize,
    fold: Option<usize>,
    hook_own_line: bool,
    framing: Option<Framing>,
    quote: Option<String>,
    question: Option<String>,
    cta: Option<&'m str>,
    handle: Option<&'m str>,
    marker: Option<&'m str>,
    tags: Vec<&'m str>,
}

/// Shortest hook left when the hook is shortened to make room for the
/// call to action or the show's name.
const MIN_HOOK: usize = 60;

impl Layout<'_> {
    /// The context lines: show, handle and guest (those the framing line
    /// does not name already); episode; chapter; the marker that tells a
    /// clip from another one with the same words.
    fn context_line(&self, p: &Post) -> String {
        let m = self.m;
        let w = &m.rules.words;
        let framed = self.framing.as_ref().filter(|_| p.framing);
        let mut from = String::new();
        let show = m
            .show
            .as_deref()
            .filter(|_| p.show && !framed.is_some_and(|f| f.names_show));
        let handle = self.handle.filter(|_| p.handle);
        match (show, handle) {
            // A handle that spells the show's name out says it already.
            (Some(s), Some(h)) if h.to_lowercase().contains(&s.to_lowercase()) => {
                from = w.from.replace("{show}", h)
            }
            (Some(s), Some(h)) => from = w.from.replace("{show}", &format!("{s} ({h})")),
            (Some(s), None) => from = w.from.replace("{show}", s),
            (None, Some(h)) => from = h.to_string(),
            (None, None) => {}
        }
        let guest = m
            .guest
            .as_deref()
            .filter(|_| p.guest && !framed.is_some_and(|f| f.names_guest));
        if let Some(g) = guest {
            if from.is_empty() {
                from = w.with.replace("{guest}", g);
            } else {
                from = w.from_with.replace("{from}", &from).replace("{guest}", g);
            }
        }
        let mut parts: Vec<String> = Vec::new();
        if !from.is_empty() {
            parts.push(from);
        }
        if let Some(e) = m.episode.as_deref().filter(|_| p.episode) {
            parts.push(w.episode.replace("{episode}", e));
        }
        if let Some(c) = m.chapter.as_deref().filter(|_| p.chapter) {
            parts.push(w.chapter.replace("{chapter}", c));
        }
        if let Some(mk) = self.marker {
            parts.push(mk.to_string());
        }
        parts.join("\n")
    }

    /// The hook split at the fold: the first line ends, shortened at a word
    /// (a clause if it can), within the fold; the rest follows.
    fn split_hook(&self, hook: &str) -> (String, Option<String>) {
        let Some(fold) = self.fold else {
            return (hook.to_string(), None);
        };
        if hook.chars().count() <= fold {
            return (hook.to_string(), None);
        }
        match text::cut_prefer_clause(hook, fold, 0.5, self.m.rules) {
            Some((first, end)) => {
                let rest = hook[end..].trim_start_matches(|c: char| {
                    c.is_whitespace()
                        || matches!(c, ',' | ';' | ':' | '—' | '–' | '-' | '、' | '，')
                });
                (first, Some(format!("…{rest}")))
            }
            None => (hook.to_string(), None),
        }
    }

    fn render(&self, p: &Post) -> String {
        let mut blocks: Vec<String> = Vec::new();
        if self.hook_own_line {
            let (first, cont) = self.split_hook(&p.hook);
            blocks.push(first);
            blocks.extend(cont);
        } else {
            blocks.push(p.hook.clone());
        }
        let framing = self.framing.as_ref().filter(|_| p.framing);
        blocks.extend(framing.map(|f| f.text.clone()));
        blocks.extend(self.quote.clone().filter(|_| p.quote));
        blocks.extend(self.question.clone().filter(|_| p.question));
        let mut tail: Vec<String> = Vec::new();
        let ctx = self.context_line(p);
        if !ctx.is_empty() {
            tail.push(ctx);
        }
        if let Some(cta) = self.cta.filter(|_| p.cta) {
            tail.push(cta.to_string());
        }
        if !tail.is_empty() {
            blocks.push(tail.join("\n"));
        }
        if !p.tags.is_empty() {
            let tags: Vec<&str> = p.tags.iter().map(|&i| self.tags[i]).collect();
            blocks.push(tags.join(" "));
        }
        blocks.join("\n\n")
    }

    /// Whether a post is within the platform's limit and repeats at most
    /// [`MAX_TRANSCRIPT_SHARE`] of the clip's words.
    fn fits(&self, p: &Post) -> bool {
        let text = self.render(p);
        measure(self.platform, &text) <= self.limit
            && transcript_share(&self.m.clip_text, &text) <= MAX_TRANSCRIPT_SHARE
    }

    /// `p` changed by `change`, if it fits; with `shrink`, the hook may be
    /// shortened (to no less than [`MIN_HOOK`]) to make it fit.
    fn try_add(
        &self,
        p: &Post,
        full_hook: &str,
        shrink: bool,
        change: impl Fn(&mut Post),
    ) -> Option<Post> {
        let mut q = p.clone();
        change(&mut q);
        if self.fits(&q) {
            return Some(q);
        }
        if !shrink || q.quote {
            return None;
        }
        let min = MIN_HOOK.min(measure(self.platform, full_hook));
        let cut = text::cut_to_fit(full_hook, self.m.rules, |h| {
            if measure(self.platform, h) < min {
                return true;
            }
            let mut r = q.clone();
            r.hook = h.to_string();
            self.fits(&r)
        })?;
        if measure(self.platform, &cut.0) < min {
            return None;
        }
        q.hook = cut.0;
        q.hook_cut = true;
        Some(q)
    }

    /// `p` changed by `change` where that fits (see [`Layout::try_add`]);
    /// left as it is where it does not.
    fn add(&self, p: &mut Post, full_hook: &str, shrink: bool, change: impl Fn(&mut Post)) {
        if let Some(q) = self.try_add(p, full_hook, shrink, change) {
            *p = q;
        }
    }

    /// A post of the hook alone, shortened at a word if the whole hook does
    /// not fit (cut hard, with `…`, if not even one word does).
    fn hook_only(&self, full_hook: &str) -> Post {
        let mut p = Post {
            hook: full_hook.to_string(),
            hook_cut: false,
            framing: false,
            quote: false,
            question: false,
            show: false,
            handle: false,
            guest: false,
            chapter: false,
            episode: false,
            cta: false,
            tags: Vec::new(),
        };
        if !self.fits(&p) {
            let fitted = text::cut_to_fit(full_hook, self.m.rules, |h| {
                let mut r = p.clone();
                r.hook = h.to_string();
                self.fits(&r)
            });
            match fitted {
                Some((h, _)) => p.hook = h,
                None => {
                    // Not one word fits: a hard cut is all that is left.
                    let mut h = String::new();
                    for c in full_hook.chars() {
                        h.push(c);
                        if measure(self.platform, &h) + 2 > self.limit {
                            h.pop();
                            break;
                        }
                    }
                    p.hook = format!("{h}…");
                }
            }
            p.hook_cut = true;
        }
        p
    }

    /// Adds the show's name and the platform's handle, both if they fit,
    /// else the show, else the handle (the hook may shrink for them).
    fn add_show_and_handle(&self, p: &mut Post, full_hook: &str) {
        let has_show = self.m.show.is_some();
        let has_handle = self.handle.is_some();
        if has_show || has_handle {
            let both = self.try_add(p, full_hook, true, |q| {
                q.show = has_show;
                q.handle = has_handle;
            });
            let one = || {
                self.try_add(p, full_hook, true, |q| q.show = has_show)
                    .filter(|_| has_show)
                    .or_else(|| {
                        self.try_add(p, full_hook, true, |q| q.handle = has_handle)
                            .filter(|_| has_handle)
                    })
            };
            if let Some(q) = both.or_else(one) {
                *p = q;
            }
        }
    }

    /// Adds the next hashtags (from `*next_tag` on, skipping those that do
    /// not fit) until the post has `tag_count` or none are left.
    fn add_tags(&self, p: &mut Post, full_hook: &str, tag_count: usize, next_tag: &mut usize) {
        let add_tag = |p: &mut Post, next_tag: &mut usize| {
            while *next_tag < self.tags.len() && p.tags.len() < tag_count {
                let i = *next_tag;
                *next_tag += 1;
                if let Some(q) = self.try_add(p, full_hook, false, |q| q.tags.push(i)) {
                    *p = q;
                    return;
                }
            }
        };
        while p.tags.len() < tag_count && *next_tag < self.tags.len() {
            add_tag(p, next_tag);
        }
    }

    /// The post: hook first, then what fits, in order of importance:
    /// the call to action, the framing line, show and handle, one
    /// hashtag (for these the hook may be shortened), the reader's
    /// question, guest, chapter, the quote, the episode, more hashtags.
    fn build(&self, full_hook: &str, tag_count: usize) -> String {
        let mut p = self.hook_only(full_hook);
        if self.cta.is_some() {
            self.add(&mut p, full_hook, true, |q| q.cta = true);
        }
        if self.framing.is_some() {
            self.add(&mut p, full_hook, true, |q| q.framing = true);
        }
        self.add_show_and_handle(&mut p, full_hook);
        let mut next_tag = 0;
        // One hashtag is worth a few words of a hook too long for X.
        while tag_count > 0 && p.tags.is_empty() && next_tag < self.tags.len() {
            let i = next_tag;
            next_tag += 1;
            self.add(&mut p, full_hook, true, |q| q.tags.push(i));
        }
        if self.question.is_some() {
            self.add(&mut p, full_hook, true, |q| q.question = true);
        }
        let m = self.m;
        if m.guest.is_some() {
            self.add(&mut p, full_hook, false, |q| q.guest = true);
        }
        if m.chapter.is_some() {
            self.add(&mut p, full_hook, false, |q| q.chapter = true);
        }
        if self.quote.is_some() && !p.hook_cut {
            self.add(&mut p, full_hook, false, |q| q.quote = true);
        }
        if m.episode.is_some() {
            self.add(&mut p, full_hook, false, |q| q.episode = true);
        }
        self.add_tags(&mut p, full_hook, tag_count, &mut next_tag);
        self.render(&p)
    }
}

/// The platforms to draft for, each once, in display order.
fn platforms(cfg: &ClientConfig) -> Vec<Platform> {
    Platform::ALL
        .into_iter()
        .filter(|p| cfg.platforms.contains(p))
        .collect()
}

/// The drafts for one clip, one hook choice, a settled title and an
/// optional marker that tells it apart from another clip; `variant` 1
/// makes the second version (the next framing line and reader question).
fn drafts_for(
    m: &Material,
    hook: Option<usize>,
    title: &str,
    marker: Option<&str>,
    variant: u8,
) -> Vec<Draft> {
    let full_hook = m.hook_text(hook);
    let quote = m.quote(hook);
    let framing = m.framing(variant.into());
    let mut out = Vec::new();
    for platform in platforms(m.cfg) {
        let handle = m.handle(platform);
        let make = |kind: DraftKind, text: String| Draft {
            platform,
            kind,
            length: measure(platform, &text),
            limit: limit(platform, kind),
            fold: fold(platform, kind),
            text,
            note: None,
            variant,
        };
        if platform == Platform::Youtube {
            let with_show = m
                .show
                .as_deref()
                .map(|s| format!("{title} | {s}"))
                .filter(|t| t.chars().count() <= YOUTUBE_TITLE_LIMIT)
                .filter(|t| transcript_share(&m.clip_text, t) <= MAX_TRANSCRIPT_SHARE);
            out.push(make(
                DraftKind::Title,
                with_show.unwrap_or_else(|| title.to_string()),
            ));
        }
        let kind = if platform == Platform::Youtube {
            DraftKind::Description
        } else {
            DraftKind::Post
        };
        let layout = Layout {
            m,
            platform,
            limit: limit(platform, kind),
            fold: fold(platform, kind),
            hook_own_line: matches!(platform, Platform::Linkedin | Platform::Instagram),
            framing: framing.clone(),
            quote: quote.clone(),
            question: (platform == Platform::Linkedin)
                .then(|| m.question(variant.into()))
                .flatten(),
            cta: m.cta(platform),
            handle,
            marker,
            tags: m.tags_for(platform),
        };
        out.push(make(kind, layout.build(&full_hook, m.tag_count(platform))));
    }
    out
}

/// Drafts one clip: its title, and one [`Draft`] per enabled platform
/// field (YouTube gives a title and a description, every other platform
/// one post).
///
/// A post is written, not pasted: the hook line (the clip's most quotable
/// sentence, tightened: fillers, false starts, repeated words and leaning
/// openers out; at most [`HOOK_MAX_WORDS`] words, else cut after a word
/// with `…`), a framing line from the language's templates (`{guest} on
/// {topic}`, `From {show}: {topic}`; the topic is the clip's key phrase or
/// keywords), a short quote set off in quotation marks (another sentence
/// of at most [`QUOTE_MAX_WORDS`] words), on LinkedIn a question to the
/// reader, then show, handle, guest, chapter and episode where the framing
/// line has not named them, the platform's call to action (the client's
/// link on X, LinkedIn and YouTube; "link in bio" only on Instagram and
/// TikTok) and hashtags (configured ones first, then the clip's proper
/// nouns and key phrases in CamelCase, then its keywords; never a common
/// word, never a banned one; X 2, LinkedIn 3, Instagram
/// [`ClientConfig::instagram_hashtags`], TikTok 4, YouTube 3). No post
/// repeats more than [`MAX_TRANSCRIPT_SHARE`] of the clip's words
/// ([`transcript_share`]). Sentences holding a banned word are left out;
/// when none is left a neutral line from the keywords opens the post. What
/// does not fit is dropped whole; a hook too long on its own is shortened
/// after a whole word and ends in `…`. On LinkedIn and Instagram the first
/// line ends within the fold.
pub fn draft_clip(clip: &Clip, cfg: &ClientConfig, ctx: &DraftContext) -> (String, Vec<Draft>) {
    let m = Material::new(clip, cfg, ctx, 0);
    let hook = m.hook(0);
    let title = m.title(hook);
    let mut drafts = drafts_for(&m, hook, &title, None, 0);
    let mut used = HashSet::new();
    used.insert(title.to_lowercase());
    let others = drafts.clone();
    drafts.extend(second_version(&m, hook, &others, &used, &HashSet::new()));
    drafts.extend(thread::thread(&m, hook));
    (title, drafts)
}

/// The second version of a clip's drafts (variant 1, keys ending in
/// `_b`): the next most quotable sentence as the hook (the same one when
/// the clip has one), the next framing line and reader question, a title
/// no clip has (`used_titles`). Only drafts that differ from the first
/// version's (`first`) and from every other clip's (`used_texts`) are
/// kept.
fn second_version(
    m: &Material,
    hook: Option<usize>,
    first: &[Draft],
    used_titles: &HashSet<String>,
    used_texts: &HashSet<(String, String)>,
) -> Vec<Draft> {
    let next = hook.and_then(|h| {
        let at = m.hook_order.iter().position(|&i| i == h)?;
        Some(m.hook_order[(at + 1) % m.hook_order.len()])
    });
    let next = next.or(hook);
    let title = unique_title(&m.title_candidates(next), used_titles, m.rules);
    drafts_for(m, next, &title, None, 1)
        .into_iter()
        .filter(|b| {
            let same = first
                .iter()
                .any(|a| a.platform == b.platform && a.kind == b.kind && a.text == b.text);
            !same && !used_texts.contains(&(b.key(), b.text.clone()))
        })
        .collect()
}

/// The first of `candidates` no other clip has; failing that the first
/// with room for a ` (Part n)` suffix (n = 2, 3, ...) that makes it new.
fn unique_title(candidates: &[String], used: &HashSet<String>, rules: &TextRules) -> String {
    if let Some(t) = candidates
        .iter()
        .find(|t| !used.contains(&t.to_lowercase()))
    {
        return t.clone();
    }
    for n in 2.. {
        let suffix = rules.words.part.replace("{n}", &n.to_string());
        let fitting = candidates
            .iter()
            .map(|c| format!("{c}{suffix}"))
            .find(|t| t.chars().count() <= TITLE_MAX && !used.contains(&t.to_lowercase()));
        if let Some(t) = fitting {
            return t;
        }
    }
    unreachable!("the parts never run out")
}

/// The title and drafts of every clip, in order (best first), such that
/// no two clips share a title or the same text for the same platform
/// field. On a clash the later clip opens with its next most quotable
/// sentence; failing that its drafts name its time in the episode (`Clip
/// at 12:34`). A title another clip has gives way to the next headline
/// ([`Material::title`]), else gets `(Part 2)`, `(Part 3)`, ...
pub fn draft_all(clips: &[Clip], cfg: &ClientConfig, ctx: &DraftContext) -> Vec<ClipDrafts> {
    let mut used_texts: HashSet<(String, String)> = HashSet::new();
    let mut used_titles: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(clips.len());
    for (position, clip) in clips.iter().enumerate() {
        let m = Material::new(clip, cfg, ctx, position);
        let clashes = |drafts: &[Draft], used: &HashSet<(String, String)>| {
            drafts
                .iter()
                .any(|d| used.contains(&(d.key(), d.text.clone())))
        };
        let variants = m.hook_order.len().max(1);
        let mut chosen: Option<(String, Vec<Draft>, Option<usize>)> = None;
        for v in 0..variants {
            let hook = m.hook(v);
            let title = unique_title(&m.title_candidates(hook), &used_titles, m.rules);
            let drafts = drafts_for(&m, hook, &title, None, 0);
            if !clashes(&drafts, &used_texts) {
                chosen = Some((title, drafts, hook));
                break;
            }
        }
        let (title, mut drafts, hook) = chosen.unwrap_or_else(|| {
            let hook = m.hook(0);
            let title = unique_title(&m.title_candidates(hook), &used_titles, m.rules);
            let at = crate::util::time::clock(clip.start);
            let w = &m.rules.words;
            let n = (position + 1).to_string();
            let mut k = 0;
            loop {
                let marker = match k {
                    0 => w.clip_at.replace("{at}", &at),
                    1 => w.clip_n_at.replace("{n}", &n).replace("{at}", &at),
                    _ => format!(
                        "{} ({k})",
                        w.clip_n_at.replace("{n}", &n).replace("{at}", &at)
                    ),
                };
                let drafts = drafts_for(&m, hook, &title, Some(&marker), 0);
                if !clashes(&drafts, &used_texts) || k > 50 {
                    break (title, drafts, hook);
                }
                k += 1;
            }
        });
        used_titles.insert(title.to_lowercase());
        let second = second_version(&m, hook, &drafts, &used_titles, &used_texts);
        drafts.extend(second);
        drafts.extend(thread::thread(&m, hook));
        for d in &drafts {
            used_texts.insert((d.key(), d.text.clone()));
        }
        out.push(ClipDrafts { title, drafts });
    }
    out
}

/// The drafts' context for an episode known by its file name
/// (`episode`, e.g. `Ep 42 - Pricing Is Psychology.mp3`): the name
/// without its extension is the episode title when it reads like one (has
/// a space); a bare file stem such as `ep42_final` is left out.
fn episode_title(episode: &str) -> String {
    let stem = std::path::Path::new(episode)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = stem.trim();
    if stem.contains(' ') {
        stem.to_string()
    } else {
        String::new()
    }
}

/// [`draft_all`] for an episode known by its file name (`episode`, e.g.
/// `Ep 42 - Pricing Is Psychology.mp3`): the name without its extension
/// is the episode title in the drafts' context, when it reads like one
/// (has a space); a bare file stem such as `ep42_final` is left out.
pub fn draft_for_episode(clips: &[Clip], cfg: &ClientConfig, episode: &str) -> Vec<ClipDrafts> {
    let title = episode_title(episode);
    draft_all(
        clips,
        cfg,
        &DraftContext {
            episode_title: &title,
        },
    )
}

/// An episode's drafts from the configured writer, and the warning to show
/// once for the episode if the writer failed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Written {
    /// Title and drafts per clip, as [`draft_for_episode`] gives them.
    pub drafts: Vec<ClipDrafts>,
    /// Why some drafts fell back to the builtin writer, when the endpoint
    /// was not reached or answered nonsense (one line for the episode).
    pub warning: Option<String>,
}

/// The drafts of an episode from `cfg.writer`'s engine: the builtin ones
/// ([`draft_for_episode`]), or with the `openai` engine the model's,
/// each checked against the same rules (limit in the platform's counting,
/// banned words, hashtags never a common word, no "link in bio" where
/// there is no bio link) and repaired, else replaced by the builtin draft;
/// every such draft carries a [`Draft::note`] saying which. A model that
/// cannot be reached never fails the episode: the builtin drafts stay.
pub fn write_for_episode(clips: &[Clip], cfg: &ClientConfig, episode: &str) -> Written {
    let title = episode_title(episode);
    let ctx = DraftContext {
        episode_title: &title,
    };
    let mut drafts = draft_all(clips, cfg, &ctx);
    let warning = match cfg.writer.engine {
        crate::config::WriterEngine::Builtin => None,
        crate::config::WriterEngine::Openai => llm::rewrite(&mut drafts, clips, cfg, &ctx),
    };
    Written { drafts, warning }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pieces_of_a_sentence_split_at_a_turn_are_rejoined() {
        let got = rejoin_turn_splits(&strings(&[
            "Oh,",
            "my God.",
            "I was in hell with",
            "that.",
            "You're just kind of...",
            "recording things.",
            "Is it?",
            "Yes!",
        ]));
        assert_eq!(
            got,
            strings(&[
                "Oh, my God.",
                "I was in hell with that.",
                "You're just kind of... recording things.",
                "Is it?",
                "Yes!",
            ])
        );
        assert_eq!(
            rejoin_turn_splits(&strings(&["今日は", "いい天気です。"])),
            strings(&["今日はいい天気です。"])
        );
    }

    #[test]
    fn a_line_ending_on_a_back_reference_is_not_the_hook() {
        let en = lang::rules("en");
        let said = strings(&[
            "Okay, fine.",
            "We want to do that.",
            "We know we can take it out.",
        ]);
        assert_eq!(hook_order(&said, en)[0], 2);
    }

    #[test]
    fn a_keyword_said_once_is_not_the_topic() {
        let en = lang::rules("en");
        let said = strings(&[
            "Okay, fine.",
            "Just a suggestion.",
            "We know we can take it out.",
        ]);
        let keywords = strings(&["suggestion"]);
        assert_eq!(clip_topic(&said, &keywords, &[], en), None);
        let said = strings(&["Churn is the real cost.", "We cut churn in half."]);
        let keywords = strings(&["churn", "cost"]);
        assert_eq!(
            clip_topic(&said, &keywords, &[], en).as_deref(),
            Some("churn")
        );
        let said = strings(&["Pricing is psychology.", "We doubled our price."]);
        let keywords = strings(&["pricing", "psychology"]);
        assert_eq!(
            clip_topic(&said, &keywords, &[], en).as_deref(),
            Some("pricing")
        );
        assert!(same_stem("churned", "churn") && same_stem("open", "opens"));
        assert!(!same_stem("form", "from") && !same_stem("pricing", "prison"));
    }

    #[test]
    fn a_bare_common_noun_topic_takes_the_article_in_english_only() {
        let en = lang::rules("en");
        assert_eq!(topic_in_text("first engineer", en), "the first engineer");
        assert_eq!(topic_in_text("mass problem", en), "the mass problem");
        for kept in [
            "pricing",
            "pricing mistakes",
            "raising money",
            "our customers",
            "Rosarana maker",
            "Dana Whitfield",
            "business process",
        ] {
            let expected = if kept == "business process" {
                "the business process"
            } else {
                kept
            };
            assert_eq!(topic_in_text(kept, en), expected, "{kept}");
        }
        assert_eq!(
            topic_in_text("primer ingeniero", lang::rules("es")),
            "primer ingeniero"
        );
    }
}
