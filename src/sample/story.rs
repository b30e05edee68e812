//! The inspection's story told as a few smooth curves, so that the simulation has one
//! place that says "how bad are things this month".

/// Where the service stands at a point in the series: 1.0 is the position the
/// inspection found, 0.0 is where the improvement plan lands. Values above 1.0 are the
/// mid-series bad patch (a winter of resignations after a critical audit).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pressure(pub f64);

/// Knots of the improvement curve over the series (0 = first snapshot, 1 = last).
/// Improvement is uneven on purpose: early progress, a relapse, then a steady recovery.
const KNOTS: [(f64, f64); 6] = [
    (0.0, 1.0),
    (0.22, 0.85),
    (0.4, 1.0),
    (0.52, 1.3),
    (0.7, 0.6),
    (1.0, 0.0),
];

pub(crate) struct Story {
    months: usize,
}

impl Story {
    pub(crate) fn new(months: usize) -> Story {
        Story { months }
    }

    /// The pressure at a month offset from the first snapshot; warm-up months before
    /// the series take the starting position.
    pub(crate) fn pressure(&self, offset: i64) -> Pressure {
        let span = self.months.saturating_sub(1).max(1) as f64;
        let progress = (offset as f64 / span).clamp(0.0, 1.0);
        Pressure(interpolate(progress))
    }
}

impl Pressure {
    /// Annual FTE turnover the leaver hazard aims at (DfE definition).
    pub(crate) fn turnover(self) -> f64 {
        (9.5 + 11.5 * self.0) / 100.0
    }

    /// Agency share of filled posts the recruitment controller aims at.
    pub(crate) fn agency_share(self) -> f64 {
        (16.0 + 12.0 * self.0) / 100.0
    }

    /// Size of the yearly ASYE intake as a share of the employed workforce.
    pub(crate) fn nqsw_intake(self) -> f64 {
        (12.0 + 10.0 * self.0) / 100.0
    }

    /// Extra cases per worker when the service is stretched.
    pub(crate) fn extra_cases(self) -> f64 {
        2.0 * (self.0 - 0.5).max(0.0)
    }
}

fn interpolate(progress: f64) -> f64 {
    KNOTS
        .windows(2)
        .find(|pair| progress <= pair[1].0)
        .map_or(KNOTS[KNOTS.len() - 1].1, |pair| {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            y0 + (y1 - y0) * (progress - x0) / (x1 - x0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curve_starts_at_one_and_ends_at_zero() {
        let story = Story::new(36);
        assert!((story.pressure(0).0 - 1.0).abs() < 1e-9);
        assert!(story.pressure(35).0.abs() < 1e-9);
        assert!((story.pressure(-3).0 - 1.0).abs() < 1e-9);
    }
}
