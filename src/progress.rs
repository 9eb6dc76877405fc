//! The terminal progress bar (indicatif), drawn on stderr and hidden when
//! stderr is not a terminal, so logs and pipes stay clean.

use std::collections::BTreeMap;
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::media::video::RenderProgress;
use crate::transcribe::Progress;

/// A progress bar over seconds of audio, with ETA; while the clip videos
/// render, a bar per clip under it.
pub struct Bar {
    bar: ProgressBar,
    multi: MultiProgress,
    clips: Mutex<BTreeMap<usize, ProgressBar>>,
}

impl Bar {
    /// A bar labelled `label` (usually the file name).
    pub fn new(label: &str) -> Bar {
        Bar::in_multi(MultiProgress::new(), label)
    }

    /// A bar labelled `label`, drawn under the season bar of `season`.
    pub fn under(season: &SeasonBar, label: &str) -> Bar {
        Bar::in_multi(season.multi.clone(), label)
    }

    fn in_multi(multi: MultiProgress, label: &str) -> Bar {
        let bar = multi.add(ProgressBar::new(0));
        bar.set_style(style(
            "{prefix:.bold} [{bar:30.cyan/blue}] {msg} {percent:>3}%  ETA {eta}",
        ));
        bar.set_prefix(label.to_string());
        Bar {
            bar,
            multi,
            clips: Mutex::new(BTreeMap::new()),
        }
    }

    /// Removes the bar (and any clip bars left).
    pub fn finish(&self) {
        for (_, b) in std::mem::take(&mut *self.clip_bars()) {
            b.finish_and_clear();
        }
        self.bar.finish_and_clear();
    }

    fn clip_bars(&self) -> std::sync::MutexGuard<'_, BTreeMap<usize, ProgressBar>> {
        self.clips.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .expect("valid template")
        .progress_chars("=> ")
}

impl Progress for Bar {
    fn start(&self, total_s: f64) {
        self.bar.set_length((total_s * 1000.0) as u64);
        self.bar
            .set_message(format!("{} of audio", crate::util::time::duration(total_s)));
    }
    fn advance(&self, seconds: f64) {
        self.bar.inc((seconds * 1000.0) as u64);
    }
    fn again(&self, what: &str, total_s: f64) {
        self.bar.set_position(0);
        self.bar.set_length((total_s * 1000.0) as u64);
        self.bar.set_message(what.to_string());
    }
}

/// A bar per clip video while it renders, under the episode's bar,
/// removed when the clip is done; hidden, like every bar, off a terminal.
impl RenderProgress for Bar {
    fn begin(&self, index: usize, id: &str, seconds: f64) {
        let b = self.multi.add(ProgressBar::new((seconds * 1000.0) as u64));
        b.set_style(style(
            "  {prefix} [{bar:30.yellow/white}] {msg} {percent:>3}%  ETA {eta}",
        ));
        b.set_prefix(format!("video {id}"));
        b.set_message(format!("{:.0} s", seconds));
        self.clip_bars().insert(index, b);
    }
    fn reached(&self, index: usize, seconds: f64) {
        if let Some(b) = self.clip_bars().get(&index) {
            b.set_position((seconds * 1000.0) as u64);
        }
    }
    fn end(&self, index: usize) {
        if let Some(b) = self.clip_bars().remove(&index) {
            b.finish_and_clear();
        }
    }
}

/// The season display: a bar over episodes, with each episode's own bar
/// (see [`Bar::under`]) beneath it. Messages go through
/// [`SeasonBar::message`] so they print above the bars, and still print
/// when the bars are hidden.
pub struct SeasonBar {
    multi: MultiProgress,
    bar: ProgressBar,
}

impl SeasonBar {
    /// A bar over `episodes` episodes.
    pub fn new(episodes: usize) -> SeasonBar {
        let multi = MultiProgress::new();
        let bar = multi.add(ProgressBar::new(episodes as u64));
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix:.bold} [{bar:30.green/white}] {pos}/{len} episodes  {msg}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_prefix("season");
        SeasonBar { multi, bar }
    }

    /// Prints a line above the bars.
    pub fn message(&self, line: &str) {
        self.multi.suspend(|| eprintln!("{line}"));
    }

    /// One more episode finished (done, skipped or failed).
    pub fn episode_done(&self) {
        self.bar.inc(1);
    }

    /// Shows what is happening next to the bar.
    pub fn status(&self, msg: &str) {
        self.bar.set_message(msg.to_string());
    }

    /// Removes the bars.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
        let _ = self.multi.clear();
    }
}
