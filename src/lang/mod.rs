//! Word lists per language, in one place.
//!
//! The scorer ([`crate::highlights::score`]) and the drafts
//! ([`crate::drafts`]) judge text by words (hook openers, fillers, small
//! title words, ...), and those words depend on the language spoken. Each
//! language is one file here (`en.rs`, ...) holding one [`TextRules`], so
//! adding a language means adding a file and a line in [`rules`]' table,
//! not editing the scorer or the drafts. A language without a file gets
//! [`neutral`]'s rules (no word lists: only language-neutral features
//! count), never another language's words; [`has_rules`] tells the caller,
//! so the run can say so.
//!
//! This is the bottom layer: it imports no other module of the crate.

pub mod codes;
mod de;
mod detect;
mod en;
mod es;
mod fr;
mod id;
mod neutral;
mod pt;
pub mod ui;
pub mod words;

pub use detect::reads_as_other;

/// The word lists for one language. All words are lowercase, with `'` as
/// the apostrophe; each field says which code reads it and how.
#[derive(Debug)]
pub struct TextRules {
    // Highlight scoring (`highlights::score`).
    /// Words or phrases a clip's first sentence may open with to count as a
    /// hook (`hook` feature); matched against the sentence's leading words,
    /// the first in this order named in the reason.
    pub hook_openers: &'static [&'static str],
    /// Words or phrases of a strong claim (`claims` feature; also makes a
    /// short line `quotable`); matched as whole words anywhere in the clip
    /// and named in this order. Close to [`TextRules::strong_words`] but not
    /// the same: claims are assertions (`must`, `should`, `need`, `key`,
    /// `important`, `right`), where the drafts' strong words are what makes
    /// a hook line grab (`why`, `how`, `here's`, `stop`, `lesson`, `every`);
    /// one merged list would change both the scores and the chosen hooks.
    pub claim_words: &'static [&'static str],
    /// Phrases that signal a story (`story` feature), matched as whole
    /// words anywhere in the clip.
    pub story_cues: &'static [&'static str],
    /// Emotional words (`emotion` feature; also makes a short line
    /// `quotable`), matched as whole words anywhere in the clip.
    pub emotion_words: &'static [&'static str],
    /// Words or phrases that enumerate (`list` feature: two or more make a
    /// list).
    pub list_cues: &'static [&'static str],
    /// Amounts written as words (`numbers` feature, on top of digits and
    /// currency signs).
    pub number_words: &'static [&'static str],
    /// Openers that lean on what came before the clip
    /// (`self_contained_start` penalty); matched against the first
    /// sentence's leading words, the longest match named in the reason.
    /// Wider than [`TextRules::weak_openers`] (it also holds pronouns,
    /// `yes`/`no`/`exactly` and phrases such as `as i said`, and lacks
    /// `okay`, `ok`, `plus`, `like`) because a clip must stand alone, while
    /// a draft's later sentence follows its own clip's words.
    pub back_references: &'static [&'static str],
    /// Common words that carry no topic, left out of a clip's keywords and
    /// of the cohesion overlap ([`crate::highlights::score::content_words`]).
    /// Only words of four letters or more matter there; shorter ones in the
    /// list never match.
    pub stopwords: &'static [&'static str],

    // Filler removal (`drafts::fillers`).
    /// Fillers that are never content, removed anywhere.
    pub fillers: &'static [&'static str],
    /// Words that are fillers only with a comma after them, at the start of
    /// a sentence or after a comma (`like, ...`; Indonesian `ya, ...`):
    /// `like this` and `ya` as an answer are content.
    pub comma_fillers: &'static [&'static str],
    /// Particles that are fillers only at the end of a clause, right
    /// before a comma or the full stop and not first in the sentence
    /// (Indonesian `bingung gitu.`, `mahal sih.`); elsewhere (`gitu aja`,
    /// `bukan gitu caranya`) they stay. Empty in English.
    pub closing_fillers: &'static [&'static str],
    /// Two-word fillers (`you know`, `i mean`), removed only where they
    /// stand apart (at the start, between commas, before the full stop):
    /// `you know what` and `I mean it` are content.
    pub filler_phrases: &'static [[&'static str; 2]],
    /// Conjunctions a two-word filler may follow without a comma
    /// (`and you know, ...`). A word is compared without its surrounding
    /// punctuation, so an entry starting with `'` never matches. Not
    /// [`TextRules::weak_openers`]: a filler after `yeah` or `well` needs
    /// its comma to count.
    pub conjunctions: &'static [&'static str],
    /// Discourse markers that keep their comma when a filler after them
    /// goes (`So, um, the thing` → `So, the thing`).
    pub discourse_markers: &'static [&'static str],
    /// Words that cannot end a clause: a comma after them was only there for
    /// the filler (`we were, uh, trying` → `we were trying`).
    pub no_clause_end: &'static [&'static str],
    /// Words that open a new clause or phrase: a comma before them stays
    /// when a filler between goes (`price, uh, our churn` → `price, our
    /// churn`).
    pub keep_comma_before: &'static [&'static str],
    /// Words often doubled on purpose (`that that`, `had had`, `no, no`):
    /// not collapsed into one.
    pub no_dedup: &'static [&'static str],

    // Draft text tools (`drafts::text`).
    /// Words that should not end a shortened line (`... and the…`); they
    /// move to the next line. Unlike [`TextRules::title_small_words`] it
    /// holds `that`, `my`, `our`, `your`, `their`, `is`, `are`, `was`, `so`
    /// and `if`, which read badly before `…` but are capitalised in a title,
    /// and lacks `nor`, `yet`, `vs`, `via`, `into`, `over`, `per`.
    pub dangling: &'static [&'static str],
    /// Small words kept lowercase inside a Title Case title (not first or
    /// last).
    pub title_small_words: &'static [&'static str],

    // Drafts (`drafts`).
    /// First words that make a sentence lean on the one before it: a
    /// sentence opening with one is less likely to be a draft's hook.
    /// Narrower than [`TextRules::back_references`], see there; pronouns are
    /// in [`TextRules::needs_context`].
    pub weak_openers: &'static [&'static str],
    /// Pronouns that need the sentence before to make sense: a later
    /// sentence of the clip opening with one is less likely to be the hook,
    /// and one ending on one is less likely to be the hook and never a
    /// quote.
    pub needs_context: &'static [&'static str],
    /// Words that make a line quotable: a sentence holding one (as a whole
    /// word) is more likely to be a draft's hook. See
    /// [`TextRules::claim_words`] for how it differs from the scorer's list.
    pub strong_words: &'static [&'static str],
    /// Words a title does not start with: dropped from the front of a hook
    /// made into a title (while more than three words are left). Differs
    /// from [`TextRules::weak_openers`] (`look`, `now` here; `or`, `also`,
    /// `then`, `plus` there): one list for both would change which words a
    /// title loses and which sentence becomes the hook.
    pub title_openers: &'static [&'static str],

    // What is not content (`highlights::content`): each list names one kind
    // of filler; a sentence holding one of its phrases (as whole words) is
    // that kind, and so are up to two sentences between two of the same
    // kind. Kept out of every clip.
    /// Ads and sponsor reads: offers, promo codes, web addresses read out.
    pub ad_cues: &'static [&'static str],
    /// Phone menus and other recorded prompts.
    pub menu_cues: &'static [&'static str],
    /// Show intros: welcomes, host introductions, "subscribe" requests.
    pub intro_cues: &'static [&'static str],
    /// Show outros: thanks for listening, see you next time.
    pub outro_cues: &'static [&'static str],
    /// Housekeeping: events, tickets, newsletters, memberships.
    pub housekeeping_cues: &'static [&'static str],
    /// Number words a phone menu reads after "press" (digits count too).
    pub digit_words: &'static [&'static str],

    // Posts (`drafts`): the words a post adds around the clip's own.
    /// Words a post's hook line does not open with: dropped from the front
    /// of the sentence made the hook (with the comma after them) while
    /// more than three words are left (`So, most founders think…` → `Most
    /// founders think…`). Unlike [`TextRules::weak_openers`] it lacks
    /// `because`, `or` and `then`, which change the meaning when dropped.
    pub post_openers: &'static [&'static str],
    /// The framing line under a post's hook, first usable one first (one
    /// whose placeholders are all known; posts of later clips start
    /// further down the list, so that an episode's posts vary). Placeholders:
    /// `{guest}` and `{show}` (from `clipper.toml`), `{topic}` (the clip's
    /// key phrase or keywords, as spoken), `{chapter}` (its chapter title).
    /// Nothing else may be said: the line must never state a fact the clip
    /// or the settings do not.
    pub framing_templates: &'static [&'static str],
    /// The article a bare common-noun topic takes in a framing line or a
    /// reader question ("Sam on the first engineer", not "Sam on first
    /// engineer"); empty where the language needs none or clipper has no
    /// rule for it. See `drafts::topic_in_text` for when it applies.
    pub topic_article: &'static str,
    /// LinkedIn's call to action, a question to the reader; `{topic}` as in
    /// [`TextRules::framing_templates`], templates without it when the clip
    /// has no topic.
    pub reader_questions: &'static [&'static str],
    /// Instagram's and TikTok's call to action when the client's `cta` is
    /// a link (captions there cannot link).
    pub bio_cta: &'static str,
    /// The call to action where a link belongs (X, LinkedIn, YouTube) when
    /// the client's `cta` only points to a bio.
    pub link_cta: &'static str,
    /// Phrases that send the reader to a profile's bio: a `cta` holding one
    /// is kept off X, LinkedIn and YouTube.
    pub bio_phrases: &'static [&'static str],
    /// The opening and closing quotation marks that set a quote off.
    pub quote_marks: [&'static str; 2],
    /// Words too common to be a hashtag or a topic's head word: a list,
    /// written for clipper, of a few hundred of the most frequent English
    /// words (function words, frequent verbs, nouns, adjectives and
    /// adverbs, and some contractions). No hashtag made from the clip is
    /// one of these or of [`TextRules::stopwords`].
    pub common_words: &'static [&'static str],

    // Thought boundaries (`highlights::candidates`).
    /// Openers that continue the sentence before (a clip does not end just
    /// before one, and a long pause before one is not a topic change).
    pub continuations: &'static [&'static str],
    /// Personal pronouns a clip may not open with unless it names the
    /// person in its first two sentences.
    pub person_pronouns: &'static [&'static str],
    /// The fixed words a post and a title add around the clip's own.
    pub words: DraftWords,
}

/// The fixed wording of posts and titles, as templates: `{show}`,
/// `{guest}`, `{from}` (the `from` line made so far), `{episode}`,
/// `{chapter}`, `{keywords}` (joined with [`DraftWords::and`]), `{at}` (a
/// time such as `12:34`) and `{n}` (a number) are filled in.
#[derive(Debug)]
pub struct DraftWords {
    /// Where the clip is from: `From {show}`.
    pub from: &'static str,
    /// With the guest, when no show is named: `With {guest}`.
    pub with: &'static str,
    /// The guest after the show: `{from} with {guest}`.
    pub from_with: &'static str,
    /// The episode line: `Episode: {episode}`.
    pub episode: &'static str,
    /// The chapter line: `Chapter: {chapter}`.
    pub chapter: &'static str,
    /// A post's opening when no sentence of the clip may be used:
    /// `A clip on {keywords}.`
    pub clip_on: &'static str,
    /// The same without keywords: `A highlight from {show}.`
    pub highlight_from: &'static str,
    /// The same without keywords or show.
    pub highlight: &'static str,
    /// A title from the show's name: `Highlight from {show}`.
    pub title_from: &'static str,
    /// The title of last resort.
    pub title: &'static str,
    /// The marker telling two clips with the same words apart: `Clip at
    /// {at}`.
    pub clip_at: &'static str,
    /// The same with the clip's number: `Clip {n} at {at}`.
    pub clip_n_at: &'static str,
    /// The suffix telling two titles apart: ` (Part {n})`.
    pub part: &'static str,
    /// The word joining the last two items of a list (`a, b and c`).
    pub and: &'static str,
}

/// The languages with their own rules, by ISO 639-1 code.
static LANGUAGES: &[(&str, &TextRules)] = &[
    ("en", &en::RULES),
    ("id", &id::RULES),
    ("es", &es::RULES),
    ("de", &de::RULES),
    ("fr", &fr::RULES),
    ("pt", &pt::RULES),
];

/// The rules of languages without their own file ([`neutral::RULES`]).
static NEUTRAL: TextRules = neutral::RULES;

/// The own rules of a language code such as `en` or `en-US` (the part
/// before `-` or `_`, any case), if it has a file.
fn own_rules(language: &str) -> Option<&'static TextRules> {
    let primary = language.split(['-', '_']).next().unwrap_or("").trim();
    LANGUAGES
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(primary))
        .map(|(_, r)| *r)
}

/// The rules for a language code such as `en` or `en-US` (the part before
/// `-` or `_`, any case); the language-neutral rules (empty word lists,
/// see [`has_rules`]) for a language without its own.
pub fn rules(language: &str) -> &'static TextRules {
    own_rules(language).unwrap_or(&NEUTRAL)
}

/// Whether a language has its own rules; when it does not, [`rules`]
/// gives the language-neutral ones and scoring and drafts use
/// language-neutral features only.
pub fn has_rules(language: &str) -> bool {
    own_rules(language).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_find_their_rules_and_others_the_neutral_ones() {
        for code in ["en", "EN", "en-US", "en_GB"] {
            assert!(std::ptr::eq(rules(code), &en::RULES), "{code}");
            assert!(has_rules(code));
        }
        assert!(std::ptr::eq(rules("id"), &id::RULES) && has_rules("id"));
        assert!(std::ptr::eq(rules("pt-BR"), &pt::RULES));
        for code in ["ja", "zh", "th", "xx", ""] {
            assert!(std::ptr::eq(rules(code), &NEUTRAL), "{code}");
            assert!(!has_rules(code), "{code}");
        }
        assert!(NEUTRAL.stopwords.is_empty() && NEUTRAL.fillers.is_empty());
    }

    #[test]
    fn other_languages_borrow_no_english_words() {
        for (code, r) in LANGUAGES.iter().filter(|(c, _)| *c != "en") {
            for (mine, english) in [
                (r.fillers, en::RULES.fillers),
                (r.stopwords, en::RULES.stopwords),
                (r.common_words, en::RULES.common_words),
            ] {
                assert!(!mine.is_empty(), "{code}");
                assert!(!std::ptr::eq(mine, english), "{code}");
            }
            assert_ne!(r.link_cta, en::RULES.link_cta, "{code}");
            assert_ne!(r.bio_cta, en::RULES.bio_cta, "{code}");
            assert_ne!(r.framing_templates, en::RULES.framing_templates, "{code}");
        }
    }

    #[test]
    fn words_are_lowercase_and_trimmed() {
        for (code, r) in LANGUAGES {
            let lists = [
                r.hook_openers,
                r.claim_words,
                r.story_cues,
                r.emotion_words,
                r.list_cues,
                r.number_words,
                r.back_references,
                r.stopwords,
                r.fillers,
                r.comma_fillers,
                r.closing_fillers,
                r.conjunctions,
                r.discourse_markers,
                r.no_clause_end,
                r.keep_comma_before,
                r.no_dedup,
                r.dangling,
                r.title_small_words,
                r.weak_openers,
                r.needs_context,
                r.strong_words,
                r.title_openers,
                r.post_openers,
                r.bio_phrases,
                r.common_words,
            ];
            let phrases = r.filler_phrases.iter().flat_map(|p| p.iter().copied());
            for w in lists.iter().flat_map(|l| l.iter().copied()).chain(phrases) {
                assert!(!w.is_empty(), "{code}: empty word");
                assert_eq!(w, w.trim(), "{code}: {w:?}");
                assert_eq!(w, w.to_lowercase(), "{code}: {w:?}");
                assert!(!w.contains('’'), "{code}: {w:?} uses ’, not '");
            }
        }
    }
}
