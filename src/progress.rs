//! The terminal progress bar (indicatif), drawn on stderr and hidden when
//! stderr is not a terminal, so logs and pipes stay clean.

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::transcribe::Progress;

/// A progress bar over seconds of audio, with ETA.
pub struct Bar(ProgressBar);

impl Bar {
    /// A bar labelled `label` (usually the file name).
    pub fn new(label: &str) -> Bar {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix:.bold} [{bar:30.cyan/blue}] {msg} {percent:>3}%  ETA {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_prefix(label.to_string());
        Bar(bar)
    }

    /// A bar labelled `label`, drawn under the season bar of `season`.
    pub fn under(season: &SeasonBar, label: &str) -> Bar {
        let bar = Bar::new(label);
        Bar(season.multi.add(bar.0))
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn start(&self, total_s: f64) {
        self.0.set_length((total_s * 1000.0) as u64);
        self.0
            .set_message(format!("{} of audio", crate::util::time::duration(total_s)));
    }
    fn advance(&self, seconds: f64) {
        self.0.inc((seconds * 1000.0) as u64);
    }
    fn again(&self, what: &str, total_s: f64) {
        self.0.set_position(0);
        self.0.set_length((total_s * 1000.0) as u64);
        self.0.set_message(what.to_string());
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
