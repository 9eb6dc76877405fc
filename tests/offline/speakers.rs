//! Who is speaking, downstream of diarization: names in the subtitles,
//! clips kept to one speaker's answer or a whole exchange, and the key
//! quotes attributed, from transcripts that carry speakers (the saved
//! interview with its host's and guest's turns marked, and hand-built
//! ones). No model is needed.

use std::path::Path;

use clipper::highlights::candidates::{self, Window};
use clipper::highlights::score::{self, EpisodeStats, Feature};
use clipper::highlights::{Bucket, Contribution};
use clipper::shownotes::ShowNotes;
use clipper::transcript::{Pause, Segment, Speaker, Transcript, Word};
use serde_json::Value;

use crate::common::*;

/// The interview's turns: the host until 25.2 s, the guest answering
/// until the ad at 54.4 s, the host (ad, question) until 82.4 s, then the
/// guest.
fn interview_speaker(t: f64) -> &'static str {
    if t < 25.0 || (54.0..82.0).contains(&t) {
        "S1"
    } else {
        "S2"
    }
}

/// The saved interview transcript with its speakers marked, recorded as
/// diarized with the default settings (so a run keeps them).
fn interview_with_speakers(dir: &Path) -> std::path::PathBuf {
    let mut t: Transcript = read(&fixture("dev-interview.transcript.json"));
    for seg in &mut t.segments {
        let s = interview_speaker(seg.start);
        seg.speaker = Some(s.into());
        seg.words
            .iter_mut()
            .for_each(|w| w.speaker = Some(s.into()));
    }
    t.speakers = ["S1", "S2"]
        .iter()
        .map(|id| Speaker {
            id: id.to_string(),
            name: None,
            seconds: 100.0,
            voice: Vec::new(),
        })
        .collect();
    let options = clipper::speakers::Options::default();
    t.settings["speakers"] = clipper::speakers::settings_of(&options);
    let path = dir.join("interview.transcript.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&t).unwrap()).unwrap();
    path
}

/// Runs the interview from its transcript with speakers, with `toml` as
/// its clipper.toml; returns its output folder.
fn run_interview(tmp: &Path, toml: &str, extra: &[&str]) -> std::path::PathBuf {
    let ep = tmp.join("dev-interview.mp3");
    std::fs::copy(sample("dev/dev-interview.mp3"), &ep).unwrap();
    std::fs::write(tmp.join("clipper.toml"), toml).unwrap();
    let transcript = interview_with_speakers(tmp);
    clipper(tmp)
        .arg(&ep)
        .arg("--transcript")
        .arg(&transcript)
        .args(extra)
        .assert()
        .success();
    tmp.join("dev-interview.clipper")
}

const NAMED: &str = "[speakers]\nS1 = \"Sam Rivera (host)\"\nS2 = \"Dana Whitfield\"\n";

#[test]
fn subtitles_name_the_speaker_where_it_changes_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = run_interview(tmp.path(), NAMED, &["--subtitle-speakers"]);
    let srt = std::fs::read_to_string(dir.join("transcript.srt")).unwrap();
    let vtt = std::fs::read_to_string(dir.join("transcript.vtt")).unwrap();
    let txt = std::fs::read_to_string(dir.join("transcript.txt")).unwrap();
    // SRT: the name opens the first cue of each turn, and only that one
    assert!(
        srt.contains("\nSam Rivera (host): Welcome to Signal"),
        "{srt}"
    );
    assert!(srt.contains("\nDana Whitfield: Most founders"), "{srt}");
    assert_eq!(srt.matches("Dana Whitfield: ").count(), 2, "{srt}");
    assert!(!srt.contains("S1") && !srt.contains("S2"));
    // VTT: every cue is a voice span
    assert!(vtt.contains("<v Dana Whitfield>Most founders"), "{vtt}");
    assert!(vtt.contains("<v Sam Rivera (host)>Welcome"), "{vtt}");
    let cues = vtt.split("\n\n").filter(|c| c.contains(" --> ")).count();
    assert_eq!(vtt.matches("<v ").count(), cues);
    // no cue holds two speakers: the guest's answer starts a cue
    let answer = vtt.find("Most founders").unwrap();
    assert!(vtt[..answer].ends_with("<v Dana Whitfield>"));
    assert!(txt.contains("] Dana Whitfield: Most founders"), "{txt}");
    // each clip's own SRT (for the upload) names its first speaker too
    let clip_srts: Vec<String> = std::fs::read_dir(dir.join("clips"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "srt"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(!clip_srts.is_empty());
    for c in &clip_srts {
        let first = c.lines().nth(2).unwrap_or_default();
        assert!(
            first.starts_with("Sam Rivera (host): ") || first.starts_with("Dana Whitfield: "),
            "{c}"
        );
    }

    // off by default; unnamed speakers show their ids
    let tmp = tempfile::tempdir().unwrap();
    let dir = run_interview(tmp.path(), "", &[]);
    let srt = std::fs::read_to_string(dir.join("transcript.srt")).unwrap();
    assert!(!srt.contains("S1:") && !srt.contains("Sam Rivera (host):"));
    for e in std::fs::read_dir(dir.join("clips")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|e| e == "srt") {
            let c = std::fs::read_to_string(p).unwrap();
            assert!(!c.contains("S1: ") && !c.contains("S2: "), "{c}");
        }
    }
    let dir = run_interview(tmp.path(), "[speakers]\nin_subtitles = true\n", &[]);
    let srt = std::fs::read_to_string(dir.join("transcript.srt")).unwrap();
    assert!(srt.contains("\nS1: Welcome to Signal"), "{srt}");
    assert!(srt.contains("\nS2: Most founders"), "{srt}");
}

#[test]
fn key_quotes_carry_the_named_speaker_and_never_a_bare_id() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = run_interview(tmp.path(), NAMED, &[]);
    let notes: ShowNotes = read(&dir.join("shownotes.json"));
    let quotes: Vec<(&str, Option<&str>)> = notes
        .quotes
        .iter()
        .map(|q| (q.text.as_str(), q.speaker.as_deref()))
        .collect();
    assert!(quotes.len() >= 3, "{quotes:?}");
    for (q, (text, who)) in notes.quotes.iter().zip(&quotes) {
        let want = match interview_speaker(q.start) {
            "S1" => "Sam Rivera (host)",
            _ => "Dana Whitfield",
        };
        assert_eq!(*who, Some(want), "{text}");
    }
    let md = std::fs::read_to_string(dir.join("shownotes.md")).unwrap();
    let review = std::fs::read_to_string(dir.join("review.md")).unwrap();
    let dana = notes
        .quotes
        .iter()
        .find(|q| q.speaker.as_deref() == Some("Dana Whitfield"))
        .expect("a quote of the guest's");
    let line = format!("({}) “{}” — Dana Whitfield", dana.time, dana.text);
    assert!(md.contains(&line), "{line}\n{md}");
    assert!(review.contains(&line), "{line}\n{review}");
    let html = std::fs::read_to_string(dir.join("review.html")).unwrap();
    assert!(html.contains("\"speaker\":\"Dana Whitfield\""));

    // only the host named: the guest's quotes carry no name, never "S2"
    let tmp = tempfile::tempdir().unwrap();
    let dir = run_interview(tmp.path(), "[speakers]\nS1 = \"Sam Rivera\"\n", &[]);
    let notes: ShowNotes = read(&dir.join("shownotes.json"));
    for q in &notes.quotes {
        let want = (interview_speaker(q.start) == "S1").then_some("Sam Rivera");
        assert_eq!(q.speaker.as_deref(), want, "{}", q.text);
    }
    let json: Value = read(&dir.join("shownotes.json"));
    assert!(!json.to_string().contains("\"S2\""));
    let md = std::fs::read_to_string(dir.join("shownotes.md")).unwrap();
    assert!(!md.contains("— S2") && !md.contains("— S1"));
}

/// Plain sentences of six words, none with a hook, claim or number.
const LINES: [&str; 10] = [
    "Growth comes from patient steady work.",
    "Teams learn slowly over many seasons.",
    "Gardens need water during dry summers.",
    "Rivers carry sand toward the coast.",
    "Bakers start early before the sunrise.",
    "Trains leave the station every hour.",
    "Students read novels during long holidays.",
    "Painters mix colours on wooden boards.",
    "Farmers plant seeds after spring rain.",
    "Sailors watch clouds above calm water.",
];

/// A transcript of `speakers.len()` sentences, each the same six words
/// (so only who says them differs), 0.4 s a word and a 0.6 s pause after
/// each.
fn turns_transcript(speakers: &[&str]) -> Transcript {
    turns_transcript_of(speakers, |_| LINES[0])
}

/// [`turns_transcript`] with sentence `i` saying `line(i)`.
fn turns_transcript_of(speakers: &[&str], line: impl Fn(usize) -> &'static str) -> Transcript {
    let mut words = Vec::new();
    let mut pauses = vec![Pause {
        start: 0.0,
        end: 0.5,
    }];
    let mut t = 0.5;
    for (i, who) in speakers.iter().enumerate() {
        for w in line(i).split_whitespace() {
            words.push(Word {
                start: t,
                end: t + 0.4,
                word: format!(" {w}"),
                probability: 0.9,
                speaker: Some(who.to_string()),
            });
            t += 0.4;
        }
        pauses.push(Pause {
            start: t,
            end: t + 0.6,
        });
        t += 0.6;
    }
    let mut tr = Transcript::from_words(Vec::new(), t, "test");
    tr.segments = vec![Segment::from_words(words, 0.0, -0.1).unwrap()];
    tr.pauses = pauses;
    tr.speakers = ["S1", "S2"]
        .iter()
        .map(|id| Speaker {
            id: id.to_string(),
            name: (*id == "S2").then(|| "Dana".to_string()),
            seconds: 10.0,
            voice: Vec::new(),
        })
        .collect();
    tr
}

fn speakers_part(c: &[Contribution]) -> &Contribution {
    c.iter().find(|x| x.feature == Feature::Speakers).unwrap()
}

#[test]
fn a_clip_inside_one_answer_beats_one_that_starts_mid_turn_of_another_speaker() {
    // S1 speaks sentences 0-3, S2 (Dana) 4-9
    let who = ["S1", "S1", "S1", "S1", "S2", "S2", "S2", "S2", "S2", "S2"];
    let t = turns_transcript(&who);
    let sents = candidates::sentences(&t, &[]);
    assert_eq!(sents.len(), who.len());
    let mut stats = EpisodeStats::new(Vec::new(), &sents);
    stats.speakers = t
        .speakers
        .iter()
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect();
    let bucket = Bucket::new(5.0, 20.0);
    let window = |first: usize, last: usize| Window {
        first,
        last,
        start: sents[first].cut_in.unwrap(),
        end: sents[last].cut_out.unwrap(),
        bucket: 0,
        chapter: None,
    };
    // the same length and the same words; only the speakers differ
    let inside = score::score_window(&window(4, 7), &sents, &stats, &bucket);
    let mid_turn = score::score_window(&window(2, 5), &sents, &stats, &bucket);
    let exchange = score::score_window(&window(0, 9), &sents, &stats, &Bucket::new(5.0, 40.0));
    let total = |c: &[Contribution]| c.iter().map(|x| x.points).sum::<f64>();
    let others = |c: &[Contribution]| total(c) - speakers_part(c).points;
    assert!((others(&inside) - others(&mid_turn)).abs() < 1e-9);
    assert!(total(&inside) > total(&mid_turn) + 5.0);
    assert_eq!(speakers_part(&inside).reason, "one speaker's answer (Dana)");
    assert_eq!(speakers_part(&inside).value, 0.5);
    assert_eq!(
        speakers_part(&mid_turn).reason,
        "starts mid-turn of S1, ends with Dana"
    );
    assert_eq!(speakers_part(&mid_turn).value, -1.0);
    assert_eq!(
        speakers_part(&exchange).reason,
        "a complete exchange: S1, then Dana"
    );
    let whole = score::score_window(&window(4, 9), &sents, &stats, &bucket);
    assert_eq!(
        speakers_part(&whole).reason,
        "one speaker's whole answer (Dana)"
    );

    // the clip finder, on sentences that differ, keeps clips to turns and
    // says why in each clip
    let t = turns_transcript_of(&who, |i| LINES[i]);
    let found = clipper::highlights::find(&t, Vec::new(), &[], &[bucket], Some(2), crate_rules());
    assert!(!found.clips.is_empty());
    for clip in &found.clips {
        let part = speakers_part(&clip.contributions);
        assert!(part.value > 0.0, "{part:?}");
        assert!(part.reason.contains("answer"), "{part:?}");
    }

    // without speakers told apart the feature is silent
    let mut plain = t.clone();
    plain.speakers.clear();
    let found =
        clipper::highlights::find(&plain, Vec::new(), &[], &[bucket_of()], None, crate_rules());
    assert!(found
        .clips
        .iter()
        .all(|c| speakers_part(&c.contributions).points == 0.0));
}

#[test]
fn a_turn_change_in_a_pause_is_a_place_to_cut_even_without_a_full_stop() {
    let mut t = turns_transcript(&["S1", "S2"]);
    // the first speaker trails off without a full stop
    let words = &mut t.segments[0].words;
    words[5].word = " work".into();
    let sents = candidates::sentences(&t, &[]);
    assert_eq!(sents.len(), 2, "{sents:?}");
    assert_eq!(sents[1].speaker.as_deref(), Some("S2"));
    assert!(sents[1].cut_in.is_some());
    // without speakers it stays one sentence
    t.segments[0]
        .words
        .iter_mut()
        .for_each(|w| w.speaker = None);
    assert_eq!(candidates::sentences(&t, &[]).len(), 1);
}

fn crate_rules() -> &'static clipper::lang::TextRules {
    clipper::lang::rules("en")
}

fn bucket_of() -> Bucket {
    Bucket::new(5.0, 20.0)
}
