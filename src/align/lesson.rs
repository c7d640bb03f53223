//! The lesson model: what publishers' lessons say when they teach a standard, learned from
//! publishers' own alignments for frameworks whose standards repeat one *anchor* at every grade
//! (CCSS ELA: RL.3.2, RL.6.2 and RL.9-10.2 are all "Reading: Literature, anchor 2").
//!
//! A lesson called "Close Reading of *Rain School*" shares no word with the standards its
//! publisher names (RL.3.1, RL.3.2, SL.3.1, W.3.8): the words that tell are the routine of the
//! lesson ("close reading", "text-dependent questions", "revising"), and which standards a
//! publisher attaches to that routine is learned, not read in the statements. The model is one
//! logistic regression per anchor over the lesson's words and word pairs (title and text), so it
//! transfers from the grades it was trained on to any other grade of the framework; what it learns
//! of book titles and topics does not (they change with the grade), and cross-validation by grade
//! (train on two grades, measure on the third) measures exactly that. `scripts/train-lesson-model.py`
//! trains it; the file format is in `data/matching/lesson/README.md`. A standard's anchor is read
//! from its code ([`crate::codes::anchor_of_code`]).
//!
//! The tokenizer here and the trainer's are the same rule, so that the learned words are the words
//! seen: lower case, runs of ASCII letters and digits, words of fewer than 3 characters and the
//! model's stop words dropped, a final `s` dropped from words of 5 or more characters (not `ss`),
//! and each pair of adjacent kept words.

use crate::error::{Error, Location};
use rustc_hash::FxHashMap as HashMap;
use std::collections::HashSet;

/// The shipped models: (framework id, file).
pub const SHIPPED: [(&str, &str); 1] = [("ccss-ela", include_str!("../../data/matching/lesson/ccss-ela.tsv"))];

/// A learned lesson model for one framework.
#[derive(Debug, Clone)]
pub struct LessonModel {
    pub framework: String,
    /// Anchor keys (`RL.2`, `W.8`), in file order.
    pub anchors: Vec<String>,
    bias: Vec<f32>,
    weights: HashMap<String, Vec<(u16, f32)>>,
    stop: HashSet<String>,
}

/// The model's tokens of a lesson: its words and adjacent word pairs, each once.
pub fn tokens(stop: &HashSet<String>, title: &str, text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in [title, text] {
        let lower = part.to_lowercase();
        let words: Vec<String> = lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() >= 3 && !stop.contains(*w))
            .map(|w| {
                if w.len() >= 5 && w.ends_with('s') && !w.ends_with("ss") {
                    w[..w.len() - 1].to_string()
                } else {
                    w.to_string()
                }
            })
            .collect();
        for (i, w) in words.iter().enumerate() {
            out.push(w.clone());
            if let Some(n) = words.get(i + 1) {
                out.push(format!("{w} {n}"));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

impl LessonModel {
    /// Read a model file (`data/matching/lesson/README.md`). `name` is for errors.
    pub fn parse(name: &str, src: &str) -> Result<LessonModel, Error> {
        let mut m = LessonModel {
            framework: String::new(),
            anchors: Vec::new(),
            bias: Vec::new(),
            weights: HashMap::default(),
            stop: HashSet::new(),
        };
        let mut at: HashMap<String, u16> = HashMap::default();
        for (i, line) in src.lines().enumerate() {
            let bad = |what: &str| Error::Input {
                loc: Location::line(std::path::Path::new(name), i as u64 + 1),
                msg: what.to_string(),
            };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            match f.as_slice() {
                ["framework", id] => m.framework = id.to_string(),
                ["stop", w] => {
                    m.stop.insert(w.to_string());
                }
                ["bias", a, b] => {
                    let b: f32 = b.parse().map_err(|_| bad("bias: not a number"))?;
                    if at.contains_key(*a) {
                        return Err(bad("anchor given twice"));
                    }
                    at.insert(a.to_string(), m.anchors.len() as u16);
                    m.anchors.push(a.to_string());
                    m.bias.push(b);
                }
                ["w", a, tok, x] => {
                    let x: f32 = x.parse().map_err(|_| bad("weight: not a number"))?;
                    let k = *at
                        .get(*a)
                        .ok_or_else(|| bad("weight of an anchor without a bias line"))?;
                    m.weights.entry(tok.to_string()).or_default().push((k, x));
                }
                _ => return Err(bad("expected framework, stop, bias or w fields separated by tabs")),
            }
        }
        if m.framework.is_empty() {
            return Err(Error::Input {
                loc: Location::file(std::path::Path::new(name)),
                msg: "no framework line".into(),
            });
        }
        Ok(m)
    }

    /// The shipped model of a framework, if there is one.
    pub fn shipped(framework: &str) -> Option<LessonModel> {
        SHIPPED
            .iter()
            .find(|(id, _)| *id == framework)
            .and_then(|(id, src)| LessonModel::parse(id, src).ok())
    }

    pub fn anchor_index(&self, anchor: &str) -> Option<u16> {
        self.anchors.iter().position(|a| a == anchor).map(|i| i as u16)
    }

    /// Per anchor, the probability that a publisher names it for this lesson.
    pub fn probs(&self, title: &str, text: &str) -> Vec<f32> {
        let mut z = self.bias.clone();
        for t in tokens(&self.stop, title, text) {
            for &(k, x) in self.weights.get(&t).map(Vec::as_slice).unwrap_or(&[]) {
                z[k as usize] += x;
            }
        }
        z.into_iter().map(|z| 1.0 / (1.0 + (-z).exp())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_words_and_pairs_with_the_plural_rule() {
        let stop: HashSet<String> = ["the", "and"].iter().map(|s| s.to_string()).collect();
        let t = tokens(&stop, "Close Reading of the Texts", "Questions and Answers: Nasreen’s");
        for want in [
            "close",
            "reading",
            "close reading",
            "reading text",
            "question answer",
            "nasreen",
        ] {
            assert!(t.contains(&want.to_string()), "{want} in {t:?}");
        }
        assert!(!t.iter().any(|w| w == "the" || w == "s" || w == "of"));
        assert!(t.contains(&"class".to_string()) || !tokens(&stop, "class", "").contains(&"clas".into()));
    }

    #[test]
    fn probabilities_add_the_weights_of_the_tokens_seen() {
        let m = LessonModel::parse(
            "t",
            "framework\tx\nbias\tRL.1\t0\nbias\tW.8\t-1\nw\tRL.1\tclose reading\t2\n",
        )
        .unwrap();
        let p = m.probs("Close Reading", "");
        assert!((p[0] - 1.0 / (1.0 + (-2f32).exp())).abs() < 1e-6);
        assert!((p[1] - 1.0 / (1.0 + 1f32.exp())).abs() < 1e-6);
        assert!(LessonModel::parse("t", "bias\tRL.1\tx\n").is_err());
        assert!(LessonModel::parse("t", "w\tRL.1\tclose\t1\n").is_err());
    }

    #[test]
    fn routine_words_of_a_lesson_template_do_not_steer_the_model() {
        let m = LessonModel::shipped("ccss-ela").unwrap();
        let prior = m.probs("", "");
        for title in [
            "Mid-Unit 1 Assessment",
            "Launching the Unit",
            "End of Unit Assessment (Continued)",
        ] {
            assert_eq!(m.probs(title, ""), prior, "{title}");
        }
        assert_ne!(m.probs("Close Reading", ""), prior);
    }

    #[test]
    fn the_shipped_models_parse() {
        for (id, src) in SHIPPED {
            let m = LessonModel::parse(id, src).unwrap();
            assert_eq!(m.framework, id);
            assert!(!m.anchors.is_empty());
        }
    }
}
