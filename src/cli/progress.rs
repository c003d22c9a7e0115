//! The progress display of `siting plan` on standard error: a spinner while reading and
//! awarding, a bar of households while balancing. Drawn on a terminal only, never with
//! `--quiet`; otherwise every call is a no-op on hidden bars.

use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use siting::Stage;

/// The spinner and the bar of one run.
pub(super) struct Progress {
    show: bool,
    spinner: ProgressBar,
    bar: ProgressBar,
}

impl Progress {
    /// A display that draws only when `show` is true.
    pub(super) fn new(show: bool) -> Self {
        let spinner = ProgressBar::hidden();
        let bar = ProgressBar::hidden();
        if show {
            spinner.set_draw_target(ProgressDrawTarget::stderr());
        }
        spinner.enable_steady_tick(Duration::from_millis(120));
        bar.set_style(
            ProgressStyle::with_template(
                "balancing {bar:30} {pos}/{len} households, {msg} regions ({elapsed})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Progress { show, spinner, bar }
    }

    /// Shows `stage` of a job reading `households`.
    pub(super) fn stage(&self, stage: Stage, households: &Path) {
        match stage {
            Stage::Reading => self
                .spinner
                .set_message(format!("reading {}", households.display())),
            Stage::Balancing(p) => {
                if self.show && self.bar.is_hidden() {
                    self.spinner.finish_and_clear();
                    self.bar.set_draw_target(ProgressDrawTarget::stderr());
                }
                self.bar.set_length(p.households_total);
                self.bar
                    .set_message(format!("{}/{}", p.regions_done, p.regions_total));
                self.bar.set_position(p.households_done);
            }
            Stage::Awarding => {
                self.bar.finish_and_clear();
                if self.show {
                    self.spinner.reset();
                    self.spinner.set_draw_target(ProgressDrawTarget::stderr());
                }
                self.spinner
                    .set_message("scoring proposals and awarding centers");
            }
        }
    }

    /// Clears the display for the summary.
    pub(super) fn finish(&self) {
        self.spinner.finish_and_clear();
        self.bar.finish_and_clear();
    }
}
