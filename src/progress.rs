//! The terminal progress bar (indicatif), drawn on stderr and hidden when
//! stderr is not a terminal, so logs and pipes stay clean.

use indicatif::{ProgressBar, ProgressStyle};

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

    /// Removes the bar.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn start(&self, total_s: f64) {
        self.0.set_length((total_s * 1000.0) as u64);
        self.0.set_message(format!(
            "{} of audio",
            crate::transcript::format_duration(total_s)
        ));
    }
    fn advance(&self, seconds: f64) {
        self.0.inc((seconds * 1000.0) as u64);
    }
}
