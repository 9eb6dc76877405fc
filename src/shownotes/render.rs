//! The show notes as files: `shownotes.md` for the episode page and the
//! YouTube description (chapters in a plain block, one `MM:SS Title` line
//! each, ready to paste), and `chapters.json` in the Podcasting 2.0 JSON
//! chapters format (version 1.2: `version`, `chapters` with `startTime` in
//! seconds and `title`), which a feed links with `<podcast:chapters>`.

use serde_json::{json, Value};

use super::{ChapterSource, ShowNotes};
use crate::util::markdown::escape_inline;
use crate::util::time;

/// The `version` written into `chapters.json`.
pub const JSON_CHAPTERS_VERSION: &str = "1.2.0";

/// `shownotes.md`.
pub fn markdown(n: &ShowNotes) -> String {
    let mut out = format!("# Show notes: {}\n\n", escape_inline(&n.episode));
    out.push_str("## Summary\n\n");
    if n.summary.is_empty() {
        out.push_str("(no sentences to summarise)\n\n");
    } else {
        out.push_str(&format!("{}\n\n", escape_inline(&n.summary)));
    }
    out.push_str("## Chapters\n\n");
    let from = match n.chapters_from {
        ChapterSource::Id3 => "from the file's chapters",
        ChapterSource::Topics => "from topic changes in the transcript",
    };
    out.push_str(&format!(
        "{} chapters, {from}; paste the lines into a YouTube description:\n\n",
        n.chapters.len()
    ));
    out.push_str("```text\n");
    out.push_str(&youtube_chapters(n));
    out.push_str("```\n\n");
    out.push_str("## Key quotes\n\n");
    for q in &n.quotes {
        out.push_str(&format!("- ({}) {}\n", q.time, quote(q)));
    }
    if n.quotes.is_empty() {
        out.push_str("(none found)\n");
    }
    out.push_str("\n## Keywords\n\n");
    out.push_str(&format!("{}\n", escape_inline(&n.keywords.join(", "))));
    out
}

/// A key quote as Markdown: the line in quotation marks, then `— Name`
/// when the speaker is named.
pub fn quote(q: &super::Line) -> String {
    let text = format!("“{}”", escape_inline(&q.text));
    match &q.speaker {
        Some(name) => format!("{text} — {}", escape_inline(name)),
        None => text,
    }
}

/// The chapters as YouTube reads them from a description: one
/// `MM:SS Title` (or `H:MM:SS Title`) line each, the first at 00:00.
pub fn youtube_chapters(n: &ShowNotes) -> String {
    n.chapters
        .iter()
        .map(|c| {
            let title = c.title.replace("```", "'''");
            format!("{} {}\n", time::clock(c.start), title.trim())
        })
        .collect()
}

/// `chapters.json`, Podcasting 2.0 JSON chapters.
pub fn json_chapters(n: &ShowNotes) -> Value {
    let chapters: Vec<Value> = n
        .chapters
        .iter()
        .map(|c| {
            json!({
                "startTime": seconds(c.start),
                "endTime": seconds(c.end),
                "title": c.title,
            })
        })
        .collect();
    json!({
        "version": JSON_CHAPTERS_VERSION,
        "fileName": n.episode,
        "chapters": chapters,
    })
}

/// Seconds to the millisecond, as a JSON number (whole seconds without a
/// fraction).
fn seconds(s: f64) -> Value {
    let ms = (s.max(0.0) * 1000.0).round() as u64;
    if ms.is_multiple_of(1000) {
        json!(ms / 1000)
    } else {
        json!(ms as f64 / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Line, NoteChapter};
    use super::*;

    fn notes() -> ShowNotes {
        let chapter = |start: f64, end: f64, title: &str| NoteChapter {
            start,
            end,
            time: time::clock(start),
            title: title.into(),
        };
        let line = Line {
            start: 61.5,
            end: 64.0,
            time: "01:01".into(),
            text: "Pricing is *psychology* <b>.".into(),
            speaker: None,
        };
        ShowNotes {
            episode: "ep_1.mp3".into(),
            duration: 3700.0,
            summary: line.text.clone(),
            summary_sentences: vec![line.clone()],
            chapters_from: ChapterSource::Topics,
            chapters: vec![
                chapter(0.0, 14.8, "Intro"),
                chapter(14.8, 3600.0, "Pricing ``` psychology"),
                chapter(3600.0, 3700.0, "Outro"),
            ],
            quotes: vec![line],
            keywords: vec!["pricing".into()],
        }
    }

    #[test]
    fn markdown_has_youtube_lines_and_escaped_text() {
        let md = markdown(&notes());
        assert!(
            md.contains("```text\n00:00 Intro\n00:14 Pricing ''' psychology\n1:00:00 Outro\n```"),
            "{md}"
        );
        assert!(
            md.contains("- (01:01) “Pricing is \\*psychology\\* \\<b\\>.”"),
            "{md}"
        );
        assert!(md.starts_with("# Show notes: ep\\_1.mp3\n"));
    }

    #[test]
    fn json_chapters_follow_podcasting_2() {
        let j = json_chapters(&notes());
        assert_eq!(j["version"], "1.2.0");
        assert_eq!(j["chapters"][0]["startTime"], json!(0));
        assert_eq!(j["chapters"][1]["startTime"], json!(14.8));
        assert_eq!(j["chapters"][2]["title"], "Outro");
        assert_eq!(j["chapters"][2]["endTime"], json!(3700));
    }
}
