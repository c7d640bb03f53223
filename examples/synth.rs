//! Synthetic standards frameworks and unit lists for the scale benchmark (`scripts/bench-scale.sh`).
//!
//! ```sh
//! # a district CSV of 200,000 standards (plus their grade, domain and cluster headings)
//! cargo run --release --example synth -- framework --standards 200000 --out big.csv
//! # a single parent chain 5,000 rows deep (each row's parent is the row before)
//! cargo run --release --example synth -- framework --depth-chain 5000 --out chain.csv
//! # 1,000 units whose texts come from the standards of big.csv
//! cargo run --release --example synth -- units --from big.csv --units 1000 --out units.csv
//! # 1,000 units whose texts come from a shipped framework
//! cargo run --release --example synth -- units --shipped ccss-math --units 1000 --out units.csv
//! ```
//!
//! Every subcommand takes `--seed S` (default 42). The same arguments give byte-identical files
//! (the generator uses its own splitmix64 generator, and no hash-map order reaches the output).
//! The vocabulary comes from the frameworks shipped in the aligner library, so a change to the
//! shipped data changes the files.
//!
//! **`framework`** writes a district plain CSV with the columns `code,text,grade,subject,parent,kind`
//! (see README "Standards formats"). Its tree has 4 levels, grade > domain > cluster > standard,
//! each row with its `kind` given: without `kind` the CSV reader would infer the clusters to be
//! the standards and the standards to be their components. The N standards are spread evenly
//! over grades K-12, 20 standards to a cluster and 8 clusters to a domain; codes are
//! `grade.domain.cluster.standard` (`4.3.2.17`, `K.1.1.1`), headings `4`, `4.3`, `4.3.2`. A
//! standard's statement has 15-40 words, a domain's 2-5 and a cluster's 5-12, every word drawn
//! Zipf-wise (weight 1/rank) from the words of the shipped standards ranked by frequency. The
//! subject is `math`. At 200,000 standards the file has 211,284 rows: 13 grades, 1,261 domains,
//! 10,010 clusters (21,144 rows at 20,000 standards).
//!
//! **`framework --depth-chain D`** writes instead one chain of D rows, `c1` .. `cD`, each row's
//! parent the row before, grade 4, kind left to the reader's inference, statements of 4-8 words
//! (every row carries the text of all its headings into the index, so the cost of depth shows).
//!
//! **`units`** writes a unit list CSV with the columns `id,title,text,grade,subject,standards`.
//! Unit `i` is made from one counted standard (a standard, performance expectation or objective,
//! not a heading or a sub-standard) of grade `i mod 13` (K-12; grades the framework lacks are
//! skipped), chosen at random: its title is 3-6 consecutive words of that standard's statement,
//! its text about 60% of the statement's words, in order, with 10-40 random vocabulary words
//! mixed in; its grade is that grade; it claims 3 codes, the source standard's and two other
//! standards' of the same grade, in random order. `--from FILE.csv` takes the standards from a
//! framework file (read with aligner's own readers, any format), `--shipped ID` from a shipped
//! framework (`ccss-math`, `ngss`, ... as `aligner frameworks` lists them).

use aligner::model::{Framework, Kind};
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  synth framework --standards N --out FILE.csv [--seed S]
  synth framework --depth-chain D --out FILE.csv [--seed S]
  synth units (--from FILE | --shipped FRAMEWORK_ID) --units N --out UNITS.csv [--seed S]";

/// splitmix64: small, fast, and the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The words of the shipped standards, most frequent first, with Zipf weights 1/rank.
struct Vocab {
    words: Vec<String>,
    /// Cumulative weights, `cum[i]` = sum of 1/(r+1) for r <= i.
    cum: Vec<f64>,
}

impl Vocab {
    fn shipped() -> Result<Vocab, String> {
        let fws = aligner::index::read_shipped().map_err(|e| format!("reading the shipped frameworks: {e}"))?;
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for fw in &fws {
            for s in &fw.standards {
                for w in words(&s.text) {
                    if w.chars().any(|c| c.is_ascii_alphabetic()) {
                        *counts.entry(w).or_default() += 1;
                    }
                }
            }
        }
        let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
        // Most frequent first; ties in alphabetical order (the BTreeMap's, kept by a stable sort).
        ranked.sort_by_key(|w| std::cmp::Reverse(w.1));
        let words: Vec<String> = ranked.into_iter().map(|(w, _)| w).collect();
        if words.is_empty() {
            return Err("the shipped frameworks hold no words".into());
        }
        let mut cum = Vec::with_capacity(words.len());
        let mut total = 0.0;
        for r in 0..words.len() {
            total += 1.0 / (r + 1) as f64;
            cum.push(total);
        }
        Ok(Vocab { words, cum })
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let total = self.cum.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        let i = self.cum.partition_point(|&c| c <= x).min(self.words.len() - 1);
        &self.words[i]
    }

    fn phrase(&self, rng: &mut Rng, lo: usize, hi: usize) -> String {
        let n = rng.range(lo, hi);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(self.word(rng));
        }
        out
    }
}

/// Lower-cased runs of ASCII letters and digits: no commas, quotes or line breaks reach a cell.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
}

fn grade_label(g: usize) -> String {
    if g == 0 {
        "K".into()
    } else {
        g.to_string()
    }
}

const STANDARDS_PER_CLUSTER: usize = 20;
const CLUSTERS_PER_DOMAIN: usize = 8;

fn write_framework(out: &mut impl Write, n: usize, rng: &mut Rng, vocab: &Vocab) -> std::io::Result<()> {
    writeln!(out, "code,text,grade,subject,parent,kind")?;
    for g in 0..13 {
        let in_grade = n / 13 + usize::from(g < n % 13);
        if in_grade == 0 {
            continue;
        }
        let gl = grade_label(g);
        let title = if g == 0 {
            "Kindergarten".to_string()
        } else {
            format!("Grade {g}")
        };
        writeln!(out, "{gl},{title},{gl},math,,grade")?;
        let clusters = in_grade.div_ceil(STANDARDS_PER_CLUSTER);
        let mut left = in_grade;
        for c in 0..clusters {
            let (d, cl) = (c / CLUSTERS_PER_DOMAIN + 1, c % CLUSTERS_PER_DOMAIN + 1);
            let dom = format!("{gl}.{d}");
            if cl == 1 {
                writeln!(out, "{dom},{},{gl},math,{gl},domain", vocab.phrase(rng, 2, 5))?;
            }
            let clu = format!("{dom}.{cl}");
            writeln!(out, "{clu},{},{gl},math,{dom},cluster", vocab.phrase(rng, 5, 12))?;
            for s in 1..=left.min(STANDARDS_PER_CLUSTER) {
                writeln!(out, "{clu}.{s},{},{gl},math,{clu},standard", vocab.phrase(rng, 15, 40))?;
            }
            left -= left.min(STANDARDS_PER_CLUSTER);
        }
    }
    Ok(())
}

fn write_chain(out: &mut impl Write, depth: usize, rng: &mut Rng, vocab: &Vocab) -> std::io::Result<()> {
    writeln!(out, "code,text,grade,subject,parent,kind")?;
    for i in 1..=depth {
        let parent = if i == 1 { String::new() } else { format!("c{}", i - 1) };
        writeln!(out, "c{i},{},4,math,{parent},", vocab.phrase(rng, 4, 8))?;
    }
    Ok(())
}

/// A standard units are made from: its code, its statement's words, its grades (0 = K .. 12).
struct Source {
    code: String,
    words: Vec<String>,
}

fn sources_by_grade(fw: &Framework) -> Vec<Vec<Source>> {
    let mut by_grade: Vec<Vec<Source>> = (0..13).map(|_| Vec::new()).collect();
    for s in &fw.standards {
        let counted = matches!(s.kind, Kind::Standard | Kind::PerformanceExpectation | Kind::Other);
        let Some(code) = s.code.as_deref().filter(|c| counted && !c.trim().is_empty()) else {
            continue;
        };
        let ws: Vec<String> = words(&s.text).collect();
        if ws.is_empty() {
            continue;
        }
        for g in &s.grades {
            if let Some(list) = usize::try_from(g.0).ok().and_then(|g| by_grade.get_mut(g)) {
                list.push(Source {
                    code: code.to_string(),
                    words: ws.clone(),
                });
            }
        }
    }
    by_grade
}

fn write_units(out: &mut impl Write, fw: &Framework, n: usize, rng: &mut Rng, vocab: &Vocab) -> Result<(), String> {
    let by_grade = sources_by_grade(fw);
    let grades: Vec<usize> = (0..13).filter(|&g| !by_grade[g].is_empty()).collect();
    if grades.is_empty() {
        return Err(format!(
            "framework {} has no counted standard with a grade K-12 and a code",
            fw.id
        ));
    }
    let io = |e: std::io::Error| e.to_string();
    writeln!(out, "id,title,text,grade,subject,standards").map_err(io)?;
    let subject = if fw.subject.is_empty() {
        "math"
    } else {
        fw.subject.as_str()
    };
    let width = n.to_string().len();
    for i in 0..n {
        let g = grades[i % grades.len()];
        let pool = &by_grade[g];
        let src = &pool[rng.below(pool.len())];
        let w = &src.words;

        let k = rng.range(3, 6);
        let start = rng.below(w.len());
        let mut title: Vec<&str> = (0..k.min(w.len())).map(|j| w[(start + j) % w.len()].as_str()).collect();
        let first = title.first().map(|t| capitalize(t)).unwrap_or_default();
        if let Some(t) = title.first_mut() {
            *t = &first;
        }

        // About 60% of the statement's words, in order, then 10-40 vocabulary words mixed in.
        let keep = ((w.len() * 3).div_ceil(5)).max(1);
        let mut picked: Vec<usize> = (0..w.len()).collect();
        for j in 0..keep {
            let r = j + rng.below(w.len() - j);
            picked.swap(j, r);
        }
        picked.truncate(keep);
        picked.sort_unstable();
        let mut text: Vec<&str> = picked.iter().map(|&j| w[j].as_str()).collect();
        for _ in 0..rng.range(10, 40) {
            let at = rng.below(text.len() + 1);
            text.insert(at, vocab.word(rng));
        }

        let mut claims = vec![src.code.clone()];
        let distinct: Vec<&str> = {
            let mut c: Vec<&str> = pool.iter().map(|s| s.code.as_str()).collect();
            c.dedup();
            c
        };
        let mut tries = 0;
        while claims.len() < 3 && tries < 100 {
            let c = distinct[rng.below(distinct.len())];
            if !claims.iter().any(|x| x == c) {
                claims.push(c.to_string());
            }
            tries += 1;
        }
        for j in (1..claims.len()).rev() {
            claims.swap(j, rng.below(j + 1));
        }

        writeln!(
            out,
            "u{i:0width$},{},{},{},{},{}",
            cell(&title.join(" ")),
            cell(&text.join(" ")),
            grade_label(g),
            cell(subject),
            cell(&claims.join(";")),
        )
        .map_err(io)?;
    }
    Ok(())
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A CSV cell, quoted when it holds a delimiter, a quote or a line break (codes may).
fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

struct Args {
    cmd: String,
    standards: Option<usize>,
    depth_chain: Option<usize>,
    units: Option<usize>,
    from: Option<PathBuf>,
    shipped: Option<String>,
    out: Option<PathBuf>,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let cmd = it.next().ok_or("missing subcommand")?;
    let mut a = Args {
        cmd,
        standards: None,
        depth_chain: None,
        units: None,
        from: None,
        shipped: None,
        out: None,
        seed: 42,
    };
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let num = |v: String| {
            v.replace('_', "")
                .parse::<usize>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--standards" => a.standards = Some(num(value()?)?),
            "--depth-chain" => a.depth_chain = Some(num(value()?)?),
            "--units" => a.units = Some(num(value()?)?),
            "--from" => a.from = Some(PathBuf::from(value()?)),
            "--shipped" => a.shipped = Some(value()?),
            "--out" => a.out = Some(PathBuf::from(value()?)),
            "--seed" => a.seed = num(value()?)? as u64,
            "-h" | "--help" => a.cmd = "help".into(),
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    Ok(a)
}

fn create(path: &Path) -> Result<BufWriter<std::fs::File>, String> {
    std::fs::File::create(path)
        .map(BufWriter::new)
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn run(a: Args) -> Result<(), String> {
    if matches!(a.cmd.as_str(), "help" | "-h" | "--help") {
        println!("{USAGE}");
        return Ok(());
    }
    let out_path = a.out.clone().ok_or("--out FILE is required")?;
    let mut rng = Rng(a.seed);
    let vocab = Vocab::shipped()?;
    let done = |w: BufWriter<std::fs::File>| {
        w.into_inner()
            .map_err(|e| e.to_string())?
            .sync_all()
            .map_err(|e| format!("{}: {e}", out_path.display()))
    };
    match a.cmd.as_str() {
        "framework" => {
            let mut w = create(&out_path)?;
            let res = match (a.standards, a.depth_chain) {
                (Some(n), None) if n > 0 => write_framework(&mut w, n, &mut rng, &vocab),
                (None, Some(d)) if d > 0 => write_chain(&mut w, d, &mut rng, &vocab),
                _ => return Err("framework needs one of --standards N or --depth-chain D (N, D > 0)".into()),
            };
            res.map_err(|e| format!("{}: {e}", out_path.display()))?;
            done(w)
        }
        "units" => {
            let n = a.units.filter(|&n| n > 0).ok_or("units needs --units N (N > 0)")?;
            let fw = match (&a.from, &a.shipped) {
                (Some(p), None) => aligner::ingest::standards::read_framework(p, None).map_err(|e| e.to_string())?,
                (None, Some(id)) => aligner::index::read_shipped()
                    .map_err(|e| e.to_string())?
                    .into_iter()
                    .find(|f| &f.id == id)
                    .ok_or_else(|| format!("no shipped framework {id}"))?,
                _ => return Err("units needs one of --from FILE or --shipped FRAMEWORK_ID".into()),
            };
            let mut w = create(&out_path)?;
            write_units(&mut w, &fw, n, &mut rng, &vocab)?;
            done(w)
        }
        other => Err(format!("unknown subcommand {other}")),
    }
}

fn main() -> ExitCode {
    match parse_args().and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: {e}");
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
