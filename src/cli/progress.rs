//! The progress display of `siting plan` on standard error: a spinner while reading and
//! awarding, a bar of households while balancing. Drawn on a terminal only, never with
//! `--quiet`; otherwise every call is a no-op on hidden bars.

use siting::lang::{Args, Lang};
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use siting::Stage;

/// The spinner and the bar of one run.
pub(super) struct Progress {
    show: bool,
    spinner: ProgressBar,
    bar: ProgressBar,
    /// The language of the messages.
    lang: Lang,
}

impl Progress {
    /// A display that draws only when `show` is true.
    pub(super) fn new(show: bool, lang: Lang) -> Self {
        let spinner = ProgressBar::hidden();
        let bar = ProgressBar::hidden();
        if show {
            spinner.set_draw_target(ProgressDrawTarget::stderr());
        }
        spinner.enable_steady_tick(Duration::from_millis(120));
        bar.set_style(
            ProgressStyle::with_template("{prefix} {bar:30} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_prefix(lang.tr("progress-balancing"));
        Progress {
            show,
            spinner,
            bar,
            lang,
        }
    }

    /// Shows `stage` of a job reading `households`.
    pub(super) fn stage(&self, stage: Stage, households: &Path) {
        let lang = self.lang;
        match stage {
            Stage::Reading => {
                let args = Args::new().text("file", households.display().to_string());
                self.spinner
                    .set_message(lang.format("progress-reading", &args));
            }
            Stage::Balancing(p) => {
                if self.show && self.bar.is_hidden() {
                    self.spinner.finish_and_clear();
                    self.bar.set_draw_target(ProgressDrawTarget::stderr());
                }
                self.bar.set_length(p.households_total);
                let args = Args::new()
                    .count("done", p.households_done)
                    .count("total", p.households_total)
                    .count("regions_done", p.regions_done as u64)
                    .count("regions", p.regions_total as u64);
                self.bar
                    .set_message(lang.format("progress-balancing-figures", &args));
                self.bar.set_position(p.households_done);
            }
            Stage::Awarding => {
                self.bar.finish_and_clear();
                if self.show {
                    self.spinner.reset();
                    self.spinner.set_draw_target(ProgressDrawTarget::stderr());
                }
                self.spinner.set_message(lang.tr("progress-awarding"));
            }
        }
    }

    /// Clears the display for the summary.
    pub(super) fn finish(&self) {
        self.spinner.finish_and_clear();
        self.bar.finish_and_clear();
    }
}
