//! `review.md`: the approval sheet as Markdown, for clients who prefer to
//! answer by e-mail.
//!
//! First the episode's show notes (summary, chapters, key quotes), then per
//! clip: a heading with rank, title and times, the transcript as a
//! quote, why it ranked, each draft in a fenced block with its length against
//! the limit, and a reply template to fill in. Titles, reasons and the
//! transcript are backslash-escaped where Markdown would read them as markup
//! (or raw HTML); drafts stay verbatim inside fences long enough that no
//! backticks in them can close the block.

use crate::bundle::{FinishedClip, Highlights};
use crate::decisions::{ClipDecision, Decisions};
use crate::drafts::Draft;
use crate::shownotes::ShowNotes;
use crate::util::time::{clock, clock_range as time_range};

use super::sheet::{audio_path, draft_label, format_points, generated_texts};
pub use crate::util::markdown::escape_inline;

/// Renders `review.md` for `h`.
pub fn render_markdown(h: &Highlights) -> String {
    render_markdown_with_notes(h, None)
}

/// [`render_markdown`] with the episode's show notes (summary, chapters,
/// key quotes) before the clips.
pub fn render_markdown_with_notes(h: &Highlights, notes: Option<&ShowNotes>) -> String {
    render_markdown_full(h, notes, None)
}

/// [`render_markdown_with_notes`] with each clip's current decision (after
/// `review apply`), so the e-mail copy says where things stand.
pub fn render_markdown_full(
    h: &Highlights,
    notes: Option<&ShowNotes>,
    decisions: Option<&Decisions>,
) -> String {
    let mut out = String::new();
    let show = if h.show_name.is_empty() {
        String::new()
    } else {
        format!("{}: ", escape_inline(&h.show_name))
    };
    out.push_str(&format!(
        "# Clip review: {show}{}\n\n",
        escape_inline(&h.episode)
    ));
    let n = h.clips.len();
    out.push_str(&format!(
        "{n} clip{} from {} ({}).\n\n**How to answer:** reply to this e-mail and, \
         under each clip's \"Your answer\", tick one box (`[x] approve`) on the \
         Decision line for all its posts, or on a platform's line for that post \
         alone (it wins over the clip's). Where a platform has two versions \
         (A and B, and for X a thread), tick the one to post on its version \
         line; A goes out if you tick none. Add a comment if you like, and \
         paste any draft you changed under its name. Lines left as they are say \
         nothing; a line clipper cannot read is sent back to you, never guessed.\n",
        if n == 1 { "" } else { "s" },
        escape_inline(&h.episode),
        clock(h.duration)
    ));
    if let Some(n) = notes {
        out.push_str("\n---\n\n");
        notes_section(&mut out, n);
        notes_answer(&mut out, decisions);
    }
    if h.clips.is_empty() {
        out.push_str("\nNo clips were found in this episode.\n");
    }
    for c in &h.clips {
        out.push_str("\n---\n\n");
        clip_section(&mut out, c);
        if let Some(d) = decisions.and_then(|d| d.clips.get(&c.id)) {
            decided_so_far(&mut out, c, d);
        }
    }
    out
}

/// Where a clip's decisions stand: the clip's, then each platform's
/// (its own decision or the clip's, and whether it changed since).
fn decided_so_far(out: &mut String, c: &FinishedClip, d: &ClipDecision) {
    out.push_str(&format!(
        "\nDecided so far: {} (version {}, {}, {}){}\n",
        d.status.label(),
        d.version,
        escape_inline(&d.author),
        d.updated_at,
        if d.comment.is_empty() {
            String::new()
        } else {
            format!(": {}", escape_inline(&d.comment))
        }
    ));
    let generated = generated_texts(c);
    let mut seen = Vec::new();
    for x in &c.drafts {
        if seen.contains(&x.platform) {
            continue;
        }
        seen.push(x.platform);
        let p = x.platform.name().to_string();
        let state = d.state_now(&p, &generated);
        let label = x.platform.label();
        let by = d
            .platforms
            .get(&p)
            .filter(|o| o.status != crate::decisions::Status::Pending)
            .map(|o| format!(" ({}, {})", escape_inline(&o.author), o.at))
            .unwrap_or_default();
        let picked = match crate::decisions::chosen_version(d, &p) {
            "a" => String::new(),
            v => format!(", version {} picked", version_name(v)),
        };
        out.push_str(&format!("* {label} post: {}{by}{picked}\n", state.label()));
    }
}

/// The reply lines for the show notes, with the decision so far.
fn notes_answer(out: &mut String, decisions: Option<&Decisions>) {
    out.push_str("\n**Your answer on the show notes**\n\n");
    out.push_str(&format!("- Show notes: {CHOICES}\n"));
    out.push_str("- Show notes comment:\n");
    if let Some(n) = decisions.and_then(|d| d.shownotes.as_ref()) {
        out.push_str(&format!(
            "\nDecided so far: {} ({}, {})\n",
            n.status.label(),
            escape_inline(&n.author),
            n.at
        ));
    }
}

/// The boxes of a platform's version line (`[ ] A [ ] B [ ] thread`),
/// empty when the platform has one version only.
pub fn version_boxes(c: &FinishedClip, platform: crate::domain::Platform) -> String {
    let mut versions: Vec<&str> = Vec::new();
    for d in c.drafts.iter().filter(|d| d.platform == platform) {
        if !versions.contains(&d.version()) {
            versions.push(d.version());
        }
    }
    if versions.len() < 2 {
        return String::new();
    }
    versions
        .iter()
        .map(|v| format!("[ ] {}", version_name(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A version's name in `review.md`: `A`, `B`, `thread`.
pub fn version_name(version: &str) -> &str {
    match version {
        "a" => "A",
        "b" => "B",
        other => other,
    }
}

/// The boxes of a decision line.
const CHOICES: &str = "[ ] approve [ ] needs changes [ ] reject";

/// The show notes: summary, chapters with their times, key quotes.
fn notes_section(out: &mut String, n: &ShowNotes) {
    out.push_str("## Show notes\n\n");
    if !n.summary.is_empty() {
        out.push_str(&format!("**Summary:** {}\n\n", escape_inline(&n.summary)));
    }
    out.push_str("**Chapters**\n\n");
    for c in &n.chapters {
        out.push_str(&format!("- {} {}\n", c.time, escape_inline(&c.title)));
    }
    if !n.quotes.is_empty() {
        out.push_str("\n**Key quotes**\n\n");
        for q in &n.quotes {
            let line = crate::shownotes::render::quote(q);
            out.push_str(&format!("- ({}) {line}\n", q.time));
        }
    }
    out.push_str("\nThe full show notes are in shownotes.md; the chapters for podcast apps in chapters.json.\n");
}

/// The clip's line of facts: id, length, chapter, speaker, score, audio.
fn clip_facts(c: &FinishedClip) -> Vec<String> {
    let mut meta = vec![
        format!("Clip `{}`", c.id.replace('`', "'")),
        format!("{:.0} s", c.duration().max(0.0)),
    ];
    if let Some(chapter) = &c.chapter {
        meta.push(format!("chapter: {}", escape_inline(chapter)));
    }
    meta.extend(
        c.speaker
            .iter()
            .map(|w| format!("speaker: {}", escape_inline(w))),
    );
    meta.push(format!("score {:.1}", c.score));
    if let Some(audio) = audio_path(c) {
        meta.push(format!("audio: {}", escape_inline(audio)));
    }
    meta
}

fn clip_section(out: &mut String, c: &FinishedClip) {
    let title = if c.title.is_empty() {
        format!("Clip {}", c.rank)
    } else {
        c.title.clone()
    };
    out.push_str(&format!(
        "## {}. {} ({})\n\n",
        c.rank,
        escape_inline(&title),
        time_range(c.start, c.end)
    ));
    let meta = clip_facts(c);
    out.push_str(&meta.join(" · "));
    out.push_str("\n\n");

    for line in c.text.lines().filter(|l| !l.trim().is_empty()) {
        out.push_str("> ");
        out.push_str(&escape_inline(line.trim()));
        out.push('\n');
    }
    if c.text.trim().is_empty() {
        out.push_str("> (no words)\n");
    }
    out.push('\n');
    if !c.unsure.is_empty() {
        out.push_str(&format!(
            "**Words to check** (the transcription was unsure): {}\n\n",
            escape_inline(&c.unsure.join(", "))
        ));
    }

    let mut why: Vec<_> = c
        .contributions
        .iter()
        .filter(|k| k.points.abs() >= 0.05)
        .collect();
    why.sort_by(|a, b| b.points.total_cmp(&a.points));
    out.push_str(&format!(
        "**Why this clip:** {}\n\n",
        escape_inline(&c.plain_reason())
    ));
    if !why.is_empty() {
        out.push_str("**Score details**\n\n");
        for k in why {
            out.push_str(&format!(
                "- {} ({}): {}\n",
                escape_inline(k.feature.name()),
                format_points(k.points),
                escape_inline(&k.reason)
            ));
        }
        out.push('\n');
    }

    if !c.drafts.is_empty() {
        out.push_str("**Drafts**\n\n");
        for d in &c.drafts {
            draft_block(out, d);
        }
    }

    out.push_str("**Your answer**\n\n");
    out.push_str(&format!("- Clip: {}\n", c.id));
    out.push_str(&format!("- Decision (all posts): {CHOICES}\n"));
    let mut seen = Vec::new();
    for d in &c.drafts {
        if !seen.contains(&d.platform) {
            seen.push(d.platform);
            out.push_str(&format!("- {}: {CHOICES}\n", d.platform.label()));
            let boxes = version_boxes(c, d.platform);
            if !boxes.is_empty() {
                out.push_str(&format!("- {} version: {boxes}\n", d.platform.label()));
            }
        }
    }
    out.push_str("- Comment:\n");
    out.push_str("- Changed drafts (paste the new text under the platform name):\n");
}

fn draft_block(out: &mut String, d: &Draft) {
    let length = count(d);
    let over = if length > d.limit {
        ", over the limit"
    } else {
        ""
    };
    let fold = d
        .fold
        .filter(|f| length > *f)
        .map(|f| format!(", first {f} show before \"more\""))
        .unwrap_or_default();
    out.push_str(&format!(
        "{} ({length} / {}{over}{fold}):\n\n",
        draft_label(d),
        d.limit
    ));
    let fence = "`".repeat(longest_run(&d.text, '`').max(2) + 1);
    out.push_str(&format!("{fence}text\n{}\n{fence}\n\n", d.text.trim_end()));
    if let Some(note) = &d.note {
        out.push_str(&format!("_{}_\n\n", escape_inline(note)));
    }
}

/// The draft's length as the platform counts it (X weighs emoji, CJK and
/// links), measured again in case the text was edited after drafting.
fn count(d: &Draft) -> usize {
    crate::drafts::draft_length(d.platform, d.kind, &d.text)
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in s.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Platform;
    use crate::drafts::DraftKind;
    use crate::highlights::{Clip, Contribution, Feature};

    fn sample() -> Highlights {
        Highlights {
            episode: "ep_01.mp3".into(),
            show_name: "The *Growth* Hour".into(),
            ui_language: String::new(),
            duration: 1800.0,
            chapters: vec![],
            clips: vec![FinishedClip {
                clip: Clip {
                    speaker: None,
                    unsure: vec!["thing".into(), "quotes".into()],
                    id: "clip-000123".into(),
                    rank: 1,
                    start: 12.3,
                    end: 40.0,
                    text:
                        "Here's the thing: <script>alert(1)</script> & \"quotes\".\n# not a heading"
                            .into(),
                    sentences: vec![],
                    bucket: "15-30s".into(),
                    score: 12.34,
                    contributions: vec![Contribution {
                        feature: Feature::Hook,
                        value: 0.8,
                        weight: 8.0,
                        points: 6.4,
                        reason: "opens with \"Here's the thing\"".into(),
                    }],
                    chapter: Some("Intro".into()),
                    keywords: vec![],
                    summary: String::new(),
                },
                title: "1. The [real] secret".into(),
                drafts: vec![Draft {
                    platform: Platform::X,
                    kind: DraftKind::Post,
                    text: "Use ```code``` wisely #podcast".into(),
                    limit: 280,
                    length: 30,
                    fold: None,
                    note: None,
                    variant: 0,
                }],
                media: vec!["clips/clip-000123.wav".into()],
                files: vec![],
            }],
            weights: vec![],
            excluded: vec![],
            shortfall: None,
        }
    }

    #[test]
    fn renders_every_part() {
        let md = render_markdown(&sample());
        assert!(md.starts_with("# Clip review: The \\*Growth\\* Hour: ep\\_01.mp3\n"));
        assert!(
            md.contains("## 1. 1\\. The \\[real\\] secret (00:12–00:40)\n"),
            "{md}"
        );
        assert!(md.contains("chapter: Intro"));
        assert!(md.contains("audio: clips/clip-000123.wav"));
        assert!(md.contains("> Here's the thing: \\<script\\>alert(1)\\</script\\> & \"quotes\".\n> \\# not a heading\n"));
        assert!(md.contains("- hook (+6.4): opens with \"Here's the thing\"\n"));
        assert!(md.contains(
            "\n**Words to check** (the transcription was unsure): thing, quotes\n\n**Why this clip:**"
        ));
        assert!(md.contains("X (30 / 280):\n\n````text\nUse ```code``` wisely #podcast\n````\n"));
        assert!(md.contains(
            "- Clip: clip-000123\n- Decision (all posts): [ ] approve [ ] needs changes [ ] reject\n\
             - X: [ ] approve [ ] needs changes [ ] reject\n- Comment:\n"
        ));
        assert!(!md.contains("<script>"));
    }

    #[test]
    fn escapes_list_starts() {
        assert_eq!(escape_inline("- a"), "\\- a");
        assert_eq!(escape_inline("12. a"), "12\\. a");
        assert_eq!(escape_inline("1.5 million"), "1.5 million");
        assert_eq!(escape_inline("3)"), "3\\)");
        assert_eq!(escape_inline("plain, text."), "plain, text.");
    }
}
