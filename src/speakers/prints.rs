//! Voice prints: names that stick for the season.
//!
//! When `[speakers]` names a speaker of an episode (`S1 = "Dana (host)"`),
//! that speaker's voice (the mean of their encoder embeddings, kept in
//! `transcript.json`) is saved under the name in `voiceprints.json`, beside
//! the show's `clipper.toml`. In later episodes every speaker is compared
//! with the saved prints by cosine similarity; a speaker at or above
//! [`MATCH_THRESHOLD`] takes the print's name (each name once per episode,
//! the most similar pairs first), so the VA names a voice once a season.
//!
//! A voice print outranks a name by id: `S1` is only "whoever spoke first"
//! and another episode's S1 may be someone else, so when `[speakers] S1`
//! says one name and S1's voice matches another person's print, the print
//! wins and the run says so. A name by id is saved as a print only when it
//! does not contradict the prints already saved for that name. An episode's
//! own prints are replaced each time it is run, so renaming a speaker and
//! running the episode again renames the print.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::embed::cosine;
use crate::transcript::Transcript;

/// The file name, beside `clipper.toml`.
pub const FILE_NAME: &str = "voiceprints.json";
/// Cosine similarity between two speakers' mean voices at or above which
/// they are taken for the same person (measured on two halves of the
/// two-reader conversation and on the AMI excerpts; see README, "Names
/// stick for the season").
pub const MATCH_THRESHOLD: f32 = 0.85;
/// Least speech, seconds, for a speaker's voice to be saved as a print: a
/// few words give a mean too noisy to recognise anyone by.
pub const MIN_PRINT_S: f64 = 3.0;
/// The `format` field of the file.
const FORMAT: &str = "clipper-voiceprints";

/// One named voice, from one episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoicePrint {
    /// The name, as `[speakers]` gave it.
    pub name: String,
    /// The episode it was learned from (its file name).
    pub episode: String,
    /// The speaker's id in that episode (`S1`).
    pub speaker: String,
    /// Seconds the speaker talked in that episode.
    pub seconds: f64,
    /// The unit-length mean embedding (256 values).
    pub voice: Vec<f32>,
}

/// `voiceprints.json`: every voice print of a show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoicePrints {
    /// Always `clipper-voiceprints`.
    pub format: String,
    /// The prints, oldest first.
    pub prints: Vec<VoicePrint>,
}

impl Default for VoicePrints {
    fn default() -> Self {
        VoicePrints {
            format: FORMAT.into(),
            prints: Vec::new(),
        }
    }
}

/// Why the voice prints could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum PrintsError {
    /// Reading or writing failed.
    #[error("{0}: {1}")]
    Io(String, #[source] std::io::Error),
    /// The file is not a voice-print file.
    #[error("{0} is not a clipper voice-print file: {1}")]
    Parse(String, String),
}

impl VoicePrints {
    /// Reads `path`; a missing file is an empty set of prints.
    pub fn load(path: &Path) -> Result<VoicePrints, PrintsError> {
        let shown = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|e| PrintsError::Parse(shown, e.to_string()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(VoicePrints::default()),
            Err(e) => Err(PrintsError::Io(shown, e)),
        }
    }

    /// Writes `path` atomically.
    pub fn save(&self, path: &Path) -> Result<(), PrintsError> {
        let json = serde_json::to_vec_pretty(self).expect("prints serialise");
        crate::atomic::write_bytes(path, &json)
            .map_err(|e| PrintsError::Io(path.display().to_string(), e))
    }

    /// The best similarity of `voice` to any print named `name`.
    pub fn similarity_to(&self, name: &str, voice: &[f32]) -> Option<f32> {
        self.prints
            .iter()
            .filter(|p| p.name == name && p.voice.len() == voice.len())
            .map(|p| cosine(&p.voice, voice))
            .max_by(f32::total_cmp)
    }

    /// The names of the prints matching `voices` (one per speaker, empty
    /// for none): every (speaker, name) pair at or above `threshold`, the
    /// most similar first, each speaker and each name used once.
    pub fn matches(&self, voices: &[&[f32]], threshold: f32) -> Vec<Option<(String, f32)>> {
        let mut names: Vec<&str> = self.prints.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let mut pairs: Vec<(f32, usize, &str)> = Vec::new();
        for (i, v) in voices.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            for n in &names {
                if let Some(s) = self.similarity_to(n, v).filter(|s| *s >= threshold) {
                    pairs.push((s, i, n));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut out: Vec<Option<(String, f32)>> = vec![None; voices.len()];
        let mut used: Vec<&str> = Vec::new();
        for (s, i, n) in pairs {
            if out[i].is_none() && !used.contains(&n) {
                out[i] = Some((n.to_string(), s));
                used.push(n);
            }
        }
        out
    }
}

/// Names `transcript`'s speakers for the season: each speaker whose voice
/// matches a print of another episode takes its name, the others their
/// name from `names` (`[speakers]`); speakers named by `names` become
/// prints of `episode` in `prints` (replacing that episode's earlier
/// ones). Returns notes for the run: names found by voice, and names by id
/// that the voices contradict.
pub fn name_for_season(
    transcript: &mut Transcript,
    names: &BTreeMap<String, String>,
    prints: &mut VoicePrints,
    episode: &str,
    threshold: f32,
) -> Vec<String> {
    prints.prints.retain(|p| p.episode != episode);
    let voices: Vec<&[f32]> = transcript
        .speakers
        .iter()
        .map(|s| s.voice.as_slice())
        .collect();
    let found = prints.matches(&voices, threshold);
    // names a print gives in this episode: a name by id never doubles one
    let by_print: Vec<(String, String)> = transcript
        .speakers
        .iter()
        .zip(&found)
        .filter_map(|(s, m)| Some((m.as_ref()?.0.clone(), s.id.clone())))
        .collect();
    let mut notes = Vec::new();
    let mut learned = Vec::new();
    for (s, m) in transcript.speakers.iter_mut().zip(found) {
        let given = names.get(&s.id);
        // the speaker a print gave this one's name by id to, if any
        let holder = given.and_then(|g| by_print.iter().find(|(n, _)| n == g));
        s.name = match (given, m) {
            (Some(g), Some((n, sim))) if *g != n => {
                notes.push(format!(
                    "{} sounds like {n}'s voice print (similarity {sim:.2}), so it is named {n}, \
                     not {g} as [speakers] {} says",
                    s.id, s.id
                ));
                Some(n)
            }
            (_, Some((n, sim))) => {
                if given.is_none() {
                    notes.push(format!(
                        "{} is {n} by voice print (similarity {sim:.2})",
                        s.id
                    ));
                }
                Some(n)
            }
            (Some(g), None) if holder.is_some() => {
                let other = holder.map_or("", |(_, id)| id.as_str());
                notes.push(format!(
                    "{} is named {g} by [speakers], but {other} sounds like {g}'s voice print; \
                     {} keeps its id (name it in clipper.toml, or in the review sheet)",
                    s.id, s.id
                ));
                None
            }
            (Some(g), None) => {
                let contradicted = prints.similarity_to(g, &s.voice);
                match contradicted {
                    Some(sim) if !s.voice.is_empty() => notes.push(format!(
                        "{} is named {g} by [speakers] but does not sound like {g}'s voice print \
                         (similarity {sim:.2}); the name is used, not saved as a print",
                        s.id
                    )),
                    _ if s.voice.is_empty() || s.seconds < MIN_PRINT_S => {}
                    _ => learned.push(VoicePrint {
                        name: g.clone(),
                        episode: episode.to_string(),
                        speaker: s.id.clone(),
                        seconds: s.seconds,
                        voice: s.voice.clone(),
                    }),
                }
                Some(g.clone())
            }
            (None, None) => None,
        };
    }
    prints.prints.extend(learned);
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Speaker;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    fn transcript(voices: &[Vec<f32>]) -> Transcript {
        let mut t = Transcript::from_words(Vec::new(), 10.0, "");
        t.speakers = voices
            .iter()
            .enumerate()
            .map(|(i, v)| Speaker {
                id: format!("S{}", i + 1),
                name: None,
                seconds: 10.0,
                voice: v.clone(),
            })
            .collect();
        t
    }

    fn names(t: &Transcript) -> Vec<Option<&str>> {
        t.speakers.iter().map(|s| s.name.as_deref()).collect()
    }

    #[test]
    fn a_name_given_once_follows_the_voice_into_later_episodes() {
        let dana = unit(&[1.0, 0.1, 0.0]);
        let sam = unit(&[0.0, 0.1, 1.0]);
        let mut prints = VoicePrints::default();
        let mut given = BTreeMap::new();
        given.insert("S1".to_string(), "Dana".to_string());
        given.insert("S2".to_string(), "Sam".to_string());
        let mut one = transcript(&[dana.clone(), sam.clone()]);
        assert!(name_for_season(&mut one, &given, &mut prints, "ep1.mp3", 0.8).is_empty());
        assert_eq!(names(&one), [Some("Dana"), Some("Sam")]);
        assert_eq!(prints.prints.len(), 2);
        // episode 2: Sam speaks first; the same [speakers] would call him
        // Dana, but his voice is Sam's
        let mut two = transcript(&[unit(&[0.05, 0.12, 1.0]), unit(&[1.0, 0.0, 0.05])]);
        let notes = name_for_season(&mut two, &given, &mut prints, "ep2.mp3", 0.8);
        assert_eq!(names(&two), [Some("Sam"), Some("Dana")]);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(
            prints.prints.len(),
            2,
            "nothing learned from a contradiction"
        );
        // Sam's voice too far from his print this time: S1 is not named
        // Dana by id while S2 is Dana by print
        let mut odd = transcript(&[unit(&[0.0, 1.0, 0.3]), unit(&[1.0, 0.0, 0.05])]);
        let notes = name_for_season(&mut odd, &given, &mut prints, "ep4.mp3", 0.8);
        assert_eq!(names(&odd), [None, Some("Dana")], "{notes:?}");
        assert!(
            notes.iter().any(|n| n.contains("keeps its id")),
            "{notes:?}"
        );
        // without names, a new voice stays unnamed
        let mut three = transcript(&[dana, unit(&[0.0, 1.0, 0.0])]);
        name_for_season(&mut three, &BTreeMap::new(), &mut prints, "ep3.mp3", 0.8);
        assert_eq!(names(&three), [Some("Dana"), None]);
        // running episode 1 again with a new name renames its prints
        given.insert("S1".to_string(), "Dana W.".to_string());
        name_for_season(&mut one, &given, &mut prints, "ep1.mp3", 0.8);
        assert_eq!(names(&one)[0], Some("Dana W."));
        assert!(prints.prints.iter().all(|p| p.name != "Dana"));
    }
}
