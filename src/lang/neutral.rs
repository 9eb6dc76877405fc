//! The language-neutral rules: for a language without its own file
//! (Japanese, Chinese, Thai, ... today), so that no other language's
//! words judge its text.
//!
//! Every word list is empty, so the scorer counts language-neutral
//! features only (length, pauses, loudness, digits, questions, topic
//! changes) and the drafts remove no fillers and drop no openers. The
//! quotation marks are the plain `"`. What a post must still say is in
//! English, on purpose and for now: the calls to action (`link_cta`,
//! `bio_cta`; the client's own `cta` from `clipper.toml` replaces them),
//! and the fixed words (`From {show}`, ...), since an empty post is worse
//! than one English line the VA can edit. The framing templates use
//! punctuation only (`{show}: {topic}`).

use super::{en, TextRules};

/// The language-neutral rules; the other languages' files start from
/// these (`..neutral::RULES`) so a list they do not fill stays empty.
pub const RULES: TextRules = TextRules {
    hook_openers: &[],
    claim_words: &[],
    story_cues: &[],
    emotion_words: &[],
    list_cues: &[],
    number_words: &[],
    back_references: &[],
    stopwords: &[],
    fillers: &[],
    comma_fillers: &[],
    closing_fillers: &[],
    filler_phrases: &[],
    conjunctions: &[],
    discourse_markers: &[],
    no_clause_end: &[],
    keep_comma_before: &[],
    no_dedup: &[],
    dangling: &[],
    title_small_words: &[],
    weak_openers: &[],
    needs_context: &[],
    strong_words: &[],
    title_openers: &[],
    ad_cues: &[],
    menu_cues: &[],
    intro_cues: &[],
    outro_cues: &[],
    housekeeping_cues: &[],
    digit_words: &[],
    post_openers: &[],
    framing_templates: &["{guest}: {topic}", "{show}: {topic}", "{topic}", "{show}"],
    topic_article: "",
    reader_questions: &[],
    // English on purpose (see the module's header).
    bio_cta: "Full episode: link in bio.",
    link_cta: "Listen to the full episode.",
    bio_phrases: &["link in bio"],
    quote_marks: ["\"", "\""],
    common_words: &[],
    continuations: &[],
    person_pronouns: &[],
    words: en::WORDS,
};
