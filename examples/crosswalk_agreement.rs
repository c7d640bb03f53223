//! How far `aligner crosswalk --from ngss` agrees with the one human crosswalk shipped: the NGSS
//! performance expectations' `alignTo` links to Common Core (916 in the ASN export; the links
//! to CCSS content standards are the reference, those to the math practices are not counted, as
//! a crosswalk lists no practice).
//!
//! Run: `cargo run --release --example crosswalk_agreement` (with `ALIGNER_INDEX` set to the
//! index to use; default: aligner's own). It crosswalks `ngss` to `ccss-math` and to `ccss-ela`
//! (every strand: most ELA links go to RST and WHST), ranking 10 counterparts per expectation,
//! and prints per target and overall:
//! - recall@1 / recall@5: the share of expectations with a link to the target whose first (first
//!   five) counterparts include a linked standard (a counterpart sub-standard counts for its
//!   standard), and the share of links found in the first five;
//! - the precision of the listed pairs at the shipped thresholds: the share of `exact_match`
//!   (`related`) pairs that NGSS links;
//! - the precision per band of score;
//! - the thresholds chosen by two folds of the expectations (even and odd positions): on one
//!   fold, `related` is the lowest score (in steps of 0.05) from which at least 1 in 4 pairs are
//!   linked, and `exact_match` the lowest from which at least 1 in 2 are; the held-out fold's
//!   precision and recall at those thresholds.

use aligner::align::crosswalk::{crosswalk, Request, Thresholds};
use aligner::codes::Ref;
use aligner::corpus::Corpus;
use aligner::index::Library;
use aligner::report::coverage::counted_node;
use aligner::report::view::code_from_ccss_uri;
use std::collections::BTreeSet;

/// One ranked pair: (expectation position, rank from 0, score, linked).
type Pair = (usize, usize, f32, bool);

struct Target {
    id: &'static str,
    /// Per expectation (in crosswalk order), its linked standards in the target.
    links: Vec<BTreeSet<Ref>>,
    pairs: Vec<Pair>,
}

fn linked(c: &Corpus, fw: usize, r: Ref) -> BTreeSet<Ref> {
    c.standard(r)
        .associations
        .iter()
        .filter(|a| a.kind == "alignTo")
        .filter_map(|a| code_from_ccss_uri(&a.target))
        .flat_map(|code| c.codes.lookup(&code, Some(fw)))
        .filter(|t| c.standard(*t).kind.is_alignable())
        .map(|t| counted_node(c, t))
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::var_os("ALIGNER_INDEX")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(aligner::index::default_dir);
    let lib = Library::open_or_build(&dir, &|_| {})?;
    let c = lib.corpus()?;
    let mut targets = Vec::new();
    for id in ["ccss-math", "ccss-ela"] {
        let fw = c.framework_pos(id)?;
        let x = crosswalk(
            &lib,
            &Request {
                from: "ngss".into(),
                to: id.into(),
                grades: None,
                top: 10,
                thresholds: Thresholds::default(),
            },
            None,
        )?;
        let links: Vec<BTreeSet<Ref>> = x.rows.iter().map(|r| linked(c, fw, r.standard)).collect();
        let mut pairs = Vec::new();
        for (i, row) in x.rows.iter().enumerate() {
            for (k, m) in row.ranked.iter().enumerate() {
                pairs.push((i, k, m.score, links[i].contains(&counted_node(c, m.r))));
            }
        }
        targets.push(Target { id, links, pairs });
    }
    let all: Vec<usize> = (0..targets[0].links.len()).collect();
    println!("NGSS -> CCSS agreement ({} performance expectations)", all.len());
    for t in &targets {
        report(t.id, std::slice::from_ref(t), &all);
    }
    report("both", &targets, &all);
    println!("\nper band of score: pairs, share linked (both targets, first 10 counterparts)");
    for (lo, hi) in [
        (0.0, 0.1),
        (0.1, 0.2),
        (0.2, 0.3),
        (0.3, 0.35),
        (0.35, 0.45),
        (0.45, 0.6),
        (0.6, 2.0),
    ] {
        let n: usize = targets
            .iter()
            .map(|t| t.pairs.iter().filter(|p| p.2 >= lo && p.2 < hi).count())
            .sum();
        let (p, _) = pr(&targets, &all, lo, hi);
        println!("  {lo:.2}-{:.2}: {n} pairs, {p:.3} linked", hi.min(1.0));
    }
    // Two folds by expectation.
    let th = Thresholds::default();
    println!("\nshipped thresholds: exact_match {}, related {}", th.exact, th.related);
    for fold in 0..2 {
        let train: Vec<usize> = all.iter().copied().filter(|i| i % 2 != fold).collect();
        let test: Vec<usize> = all.iter().copied().filter(|i| i % 2 == fold).collect();
        let related = precise_from(&targets, &train, RELATED_PRECISION);
        let exact = precise_from(&targets, &train, EXACT_PRECISION).max(related);
        let (p_r, r_r) = pr(&targets, &test, related, 2.0);
        let (p_e, _) = pr(&targets, &test, exact, 2.0);
        let (p_x, _) = pr(&targets, &test, related, exact);
        println!(
            "fold {fold}: chosen on the other fold: related >= {related:.2}, exact_match >= {exact:.2}; held out: \
             listed precision {p_r:.3} recall {r_r:.3}, exact_match precision {p_e:.3}, related precision {p_x:.3}"
        );
    }
    Ok(())
}

/// Links of the expectations `of`.
fn link_count(ts: &[Target], of: &[usize]) -> usize {
    ts.iter()
        .map(|t| of.iter().map(|&i| t.links[i].len()).sum::<usize>())
        .sum()
}

/// Precision and recall (of links) of the pairs scored in `lo..hi`, among the expectations `of`.
fn pr(ts: &[Target], of: &[usize], lo: f32, hi: f32) -> (f64, f64) {
    let set: BTreeSet<usize> = of.iter().copied().collect();
    let (mut n, mut hit) = (0usize, 0usize);
    for t in ts {
        for &(i, _, s, l) in &t.pairs {
            if set.contains(&i) && s >= lo && s < hi {
                n += 1;
                hit += usize::from(l);
            }
        }
    }
    let links = link_count(ts, of);
    (ratio(hit, n), ratio(hit, links))
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn grid() -> impl Iterator<Item = f32> {
    (1..=18).map(|k| k as f32 * 0.05)
}

/// The share of `related` pairs (and above) that must be linked on the fitting fold.
const RELATED_PRECISION: f64 = 0.25;
/// The share of `exact_match` pairs that must be linked on the fitting fold.
const EXACT_PRECISION: f64 = 0.5;

/// The lowest threshold from which at least `target` of the pairs are linked (the highest of
/// the grid when none is).
fn precise_from(ts: &[Target], of: &[usize], target: f64) -> f32 {
    grid()
        .find(|&t| {
            let (p, _) = pr(ts, of, t, 2.0);
            p >= target
        })
        .unwrap_or(0.9)
}

fn report(name: &str, ts: &[Target], of: &[usize]) {
    let (mut n, mut at1, mut at5, mut links, mut found5) = (0, 0, 0, 0, 0);
    for t in ts {
        for &i in of {
            if t.links[i].is_empty() {
                continue;
            }
            n += 1;
            links += t.links[i].len();
            let ranked: Vec<&Pair> = t.pairs.iter().filter(|p| p.0 == i).collect();
            at1 += usize::from(ranked.first().is_some_and(|p| p.3));
            at5 += usize::from(ranked.iter().take(5).any(|p| p.3));
            found5 += ranked.iter().take(5).filter(|p| p.3).count();
        }
    }
    let th = Thresholds::default();
    let (p_exact, _) = pr(ts, of, th.exact, 2.0);
    let (p_related, _) = pr(ts, of, th.related, th.exact);
    let (p_listed, r_listed) = pr(ts, of, th.related, 2.0);
    let count = |lo: f32, hi: f32| -> usize {
        ts.iter()
            .map(|t| t.pairs.iter().filter(|p| p.2 >= lo && p.2 < hi).count())
            .sum()
    };
    let (n_exact, n_related) = (count(th.exact, 2.0), count(th.related, th.exact));
    println!(
        "{name}: {n} expectations with {links} links; recall@1 {:.3}, recall@5 {:.3}, links in the first 5 {:.3}; \
         precision exact_match {p_exact:.3} ({n_exact} pairs), related {p_related:.3} ({n_related} pairs), \
         listed {p_listed:.3} (recall of links {r_listed:.3})",
        ratio(at1, n),
        ratio(at5, n),
        ratio(found5, links),
    );
}
