//! Calibration: the matcher's raw score of a (unit, standard) pair becomes the probability that a
//! publisher aligns that standard to the unit, per framework family (math, ELA, science...), so
//! that one threshold means the same in every subject.
//!
//! The raw score's scale depends on the subject: right ELA and science matches score 0.2-0.4
//! where right math matches score 0.4-0.7, because ELA statements share fewer words with lessons.
//! Each family has a monotone piecewise-linear map from raw score to probability, fitted by
//! isotonic regression on publishers' alignments and validated on held-out folds
//! (`scripts/fit-calibration.py`; the file format is in `data/matching/README.md`). A family
//! without a map of its own uses the `default` one. The map is strictly increasing, so it never
//! changes the order of a unit's matches.

use std::sync::OnceLock;

const SHIPPED: &str = include_str!("../../data/matching/calibration.tsv");

/// One family's map: knots (raw, probability), raw ascending.
#[derive(Debug, Clone)]
pub struct Map {
    pub family: String,
    pub knots: Vec<(f32, f32)>,
}

impl Map {
    /// The probability for a raw score (linear between knots, flat beyond the last, through
    /// (0, 0) below the first), nudged by the raw score itself so that the map strictly increases.
    pub fn apply(&self, raw: f32) -> f32 {
        let k = &self.knots;
        let raw = raw.max(0.0);
        let p = match k.iter().position(|&(x, _)| x >= raw) {
            None => k.last().map_or(raw, |l| l.1),
            Some(0) => {
                let (x, y) = k[0];
                if x > 0.0 {
                    y * raw / x
                } else {
                    y
                }
            }
            Some(i) => {
                let ((x0, y0), (x1, y1)) = (k[i - 1], k[i]);
                if x1 > x0 {
                    y0 + (y1 - y0) * (raw - x0) / (x1 - x0)
                } else {
                    y1
                }
            }
        };
        (p * 0.98 + 0.02 * raw.min(1.0)).clamp(0.0, 1.0)
    }
}

/// Read a calibration file: `family<TAB>raw<TAB>probability` lines, `#` comments.
pub fn parse(src: &str) -> Result<Vec<Map>, String> {
    let mut maps: Vec<Map> = Vec::new();
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let [fam, x, y] = f.as_slice() else {
            return Err(format!("line {}: expected family, raw score and probability", i + 1));
        };
        let (x, y): (f32, f32) = match (x.parse(), y.parse()) {
            (Ok(x), Ok(y)) => (x, y),
            _ => return Err(format!("line {}: not a number", i + 1)),
        };
        match maps.iter_mut().find(|m| m.family == *fam) {
            Some(m) => m.knots.push((x, y)),
            None => maps.push(Map {
                family: fam.to_string(),
                knots: vec![(x, y)],
            }),
        }
    }
    for m in &mut maps {
        m.knots.sort_by(|a, b| a.0.total_cmp(&b.0));
        if m.knots.windows(2).any(|w| w[1].1 < w[0].1) {
            return Err(format!("family {}: probabilities must not decrease", m.family));
        }
    }
    Ok(maps)
}

/// The shipped maps.
pub fn shipped() -> &'static [Map] {
    static MAPS: OnceLock<Vec<Map>> = OnceLock::new();
    MAPS.get_or_init(|| parse(SHIPPED).unwrap_or_default())
}

/// The family of a framework's subject: `math`, `ela`, `science`, else `default`.
pub fn family(subject: &str) -> &'static str {
    match subject {
        "math" => "math",
        "ela" => "ela",
        "science" => "science",
        _ => "default",
    }
}

/// Calibrated maps by family, with the fallback; without maps, scores are the raw scores (for
/// fitting the maps).
#[derive(Debug, Clone, Copy, Default)]
pub struct Calibration {
    maps: &'static [Map],
    /// The static-vector path's maps (`<family>-fast`) first, where the file has them.
    fast: bool,
}

impl Calibration {
    pub fn shipped() -> Calibration {
        Calibration {
            maps: shipped(),
            fast: false,
        }
    }

    /// The maps of the static-vector path (`--fast`), whose raw scores run on another scale than
    /// the sentence model's: `<family>-fast`, else as [`Calibration::map`] finds.
    pub fn for_fast_path(self, fast: bool) -> Calibration {
        Calibration { fast, ..self }
    }

    /// The raw scores.
    pub fn none() -> Calibration {
        Calibration { maps: &[], fast: false }
    }

    /// The map of a family: on the fast path `<family>-fast` first, then `<family>`, then the
    /// same two of `default`. One pass, no allocation (it runs for every candidate's score).
    pub fn map(&self, family: &str) -> Option<&Map> {
        let rank = |m: &Map| {
            let (base, for_fast) = match m.family.strip_suffix("-fast") {
                Some(b) => (b, true),
                None => (m.family.as_str(), false),
            };
            if for_fast && !self.fast {
                return None;
            }
            let own = if base == family {
                0
            } else if base == "default" {
                2
            } else {
                return None;
            };
            Some(own + usize::from(for_fast != self.fast))
        };
        self.maps
            .iter()
            .filter_map(|m| rank(m).map(|r| (r, m)))
            .min_by_key(|&(r, _)| r)
            .map(|(_, m)| m)
    }

    pub fn apply(&self, family: &str, raw: f32) -> f32 {
        match self.map(family) {
            Some(m) => m.apply(raw),
            None => raw,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_interpolates_and_strictly_increases() {
        let m = &parse("x\t0.1\t0.2\nx\t0.3\t0.6\nx\t0.5\t0.6\n").unwrap()[0];
        assert!((m.apply(0.2) - (0.4 * 0.98 + 0.02 * 0.2)).abs() < 1e-6);
        let ys: Vec<f32> = (0..100).map(|i| m.apply(i as f32 / 100.0)).collect();
        assert!(ys.windows(2).all(|w| w[1] > w[0]), "{ys:?}");
        assert!(m.apply(5.0) <= 1.0 && m.apply(-1.0) >= 0.0);
    }

    #[test]
    fn bad_files_are_refused() {
        assert!(parse("x\t0.1\n").is_err());
        assert!(parse("x\ta\t0.1\n").is_err());
        assert!(parse("x\t0.1\t0.5\nx\t0.2\t0.4\n").is_err());
    }

    #[test]
    fn the_shipped_file_has_every_family_and_the_default() {
        let c = Calibration::shipped();
        for f in ["math", "ela", "science", "default"] {
            assert!(c.map(f).is_some(), "{f}");
        }
        assert!(shipped().iter().any(|m| m.family == "default"));
        // The fast path has its own maps, found by the same family names.
        let fast = c.for_fast_path(true);
        for f in ["math", "ela", "science", "default", "social-studies"] {
            let m = fast.map(f).unwrap();
            assert!(m.family.ends_with("-fast"), "{f}: {}", m.family);
        }
        assert_eq!(c.map("social-studies").unwrap().family, "default");
        assert_ne!(fast.apply("math", 0.3), c.apply("math", 0.3));
    }
}
