//! "How fast are we getting there?": a straight-line fit over the last 12
//! months and, when it heads towards the target, the month it would reach it.

use crate::month::Month;
use crate::settings::{Better, Target};

/// Months of history the trend is fitted on.
pub const WINDOW: usize = 12;
/// Beyond this a projection says more about the line than the service.
const HORIZON: i32 = 36;
/// A slope smaller than this (in the measure's unit a month) reads as
/// "+0.00 a month" in the caption, and is called level, not a direction.
pub const FLAT: f64 = 0.005;

#[derive(Clone, Debug, PartialEq)]
pub struct Trend {
    /// Change per month, in the metric's unit.
    pub slope: f64,
    /// The fitted line's ends: (first month fitted, value), (last, value).
    pub from: (Month, f64),
    pub to: (Month, f64),
    pub outlook: Outlook,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outlook {
    OnTarget,
    /// At this rate the target is met in this month.
    Reaches(Month),
    /// Heading towards it, but not within three years.
    TooSlow,
    MovingAway,
    /// Off target and holding level: a line that moves less than
    /// [`FLAT`] a month is neither reaching the target nor moving away.
    Flat,
    /// No target to head for.
    NoTarget,
}

/// Least-squares line over the last [`WINDOW`] months (a month withheld
/// or not computable is a gap, not a reason to reach further back);
/// `None` with fewer than six points, where a line would be mostly noise.
pub fn fit(series: &[(Month, f64)], target: Option<&Target>) -> Option<Trend> {
    let last = series.last()?.0;
    let start = series.partition_point(|(m, _)| *m <= last - WINDOW as i32);
    let pts = &series[start..];
    if pts.len() < 6 {
        return None;
    }
    let xs: Vec<f64> = pts.iter().map(|(m, _)| f64::from(m.0)).collect();
    let n = pts.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let sxy: f64 = xs.iter().zip(pts).map(|(x, p)| (x - mx) * (p.1 - my)).sum();
    if sxx == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let at = |m: Month| my + slope * (f64::from(m.0) - mx);
    let (first, last) = (pts[0].0, pts[pts.len() - 1].0);
    let now = at(last);
    let outlook = match target {
        None => Outlook::NoTarget,
        Some(t) => {
            let gap = t.value - now;
            // Judged on the latest actual figure, as the tile is, so the
            // chart never contradicts the tile above it.
            let actual = pts[pts.len() - 1].1;
            let meets = match t.better {
                Better::Lower => actual <= t.value,
                Better::Higher => actual >= t.value,
            };
            let fitted_meets = match t.better {
                Better::Lower => now <= t.value,
                Better::Higher => now >= t.value,
            };
            // Towards the target from the latest actual figure (the
            // tile's), not from the fitted line.
            let towards = match t.better {
                Better::Lower => slope < 0.0,
                Better::Higher => slope > 0.0,
            };
            if meets {
                Outlook::OnTarget
            } else if slope.abs() < FLAT {
                Outlook::Flat
            } else if !towards {
                Outlook::MovingAway
            } else if gap == 0.0 || fitted_meets {
                // The line is already past the target and still heading
                // that way: the latest month bounced back, and the next
                // may not.
                Outlook::Reaches(last + 1)
            } else {
                let months = (gap / slope).ceil();
                if months <= f64::from(HORIZON) {
                    Outlook::Reaches(last + months as i32)
                } else {
                    Outlook::TooSlow
                }
            }
        }
    };
    Some(Trend {
        slope,
        from: (first, at(first)),
        to: (last, now),
        outlook,
    })
}

pub fn describe(t: &Trend, unit: &str) -> String {
    let rate = format!("{:+.2}{unit} a month over the last 12 months", t.slope);
    match t.outlook {
        Outlook::OnTarget => format!("{rate}; on target now"),
        Outlook::Reaches(m) => format!("{rate}; at this rate the target is reached in {m}"),
        Outlook::TooSlow => {
            format!("{rate}; at this rate the target is more than three years away")
        }
        Outlook::MovingAway => format!("{rate}; moving away from the target"),
        Outlook::Flat => format!("{rate}; level, and off target"),
        Outlook::NoTarget => rate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(v: f64, better: Better) -> Target {
        Target {
            value: v,
            better,
            source: String::new(),
        }
    }

    fn line(start: f64, step: f64, n: i32) -> Vec<(Month, f64)> {
        let m0 = Month::new(2025, 1).unwrap_or(Month(0));
        (0..n)
            .map(|i| (m0 + i, start + step * f64::from(i)))
            .collect()
    }

    #[test]
    fn a_falling_rate_reaches_a_lower_target() {
        // 12 months from 30 down by 1 a month ends at 19; 13 is 6 months on.
        let t = fit(&line(30.0, -1.0, 12), Some(&target(13.0, Better::Lower))).unwrap();
        assert!((t.slope + 1.0).abs() < 1e-9);
        let last = Month::new(2025, 12).unwrap();
        assert_eq!(t.outlook, Outlook::Reaches(last + 6));
    }

    #[test]
    fn rising_away_from_a_lower_target_says_so() {
        let t = fit(&line(20.0, 0.5, 12), Some(&target(13.0, Better::Lower))).unwrap();
        assert_eq!(t.outlook, Outlook::MovingAway);
    }

    #[test]
    fn a_higher_is_better_target_already_met_is_on_target() {
        let t = fit(&line(90.0, 0.1, 12), Some(&target(85.0, Better::Higher))).unwrap();
        assert_eq!(t.outlook, Outlook::OnTarget);
    }

    #[test]
    fn a_level_series_off_target_is_flat_not_moving_away() {
        let t = fit(&line(20.0, 0.0, 12), Some(&target(13.0, Better::Lower))).unwrap();
        assert_eq!(t.outlook, Outlook::Flat);
        assert!(describe(&t, " pts").ends_with("level, and off target"));
    }

    #[test]
    fn a_rate_above_its_target_and_rising_is_not_reaching_it() {
        // Fitted line below the target of 15 at the end, but the latest
        // actual (16) is above it and the line rises: moving away.
        let mut s = line(10.0, 0.3, 11);
        s.push((s[10].0 + 1, 16.0));
        let t = fit(&s, Some(&target(15.0, Better::Lower))).unwrap();
        assert!(t.to.1 < 15.0 && t.slope > 0.0, "{t:?}");
        assert_eq!(t.outlook, Outlook::MovingAway);
    }

    #[test]
    fn too_few_points_give_no_trend() {
        assert_eq!(fit(&line(1.0, 1.0, 5), None), None);
    }
}
