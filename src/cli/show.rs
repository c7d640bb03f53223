//! `aligner show CODE`: one standard, its ancestors and its children.

use super::{CmdOutcome, Ctx, Outcome};
use aligner::codes::Ref;
use aligner::report::view::{grades_of, StandardView};
use aligner::report::{write_json, write_jsonl, Table};
use clap::Args as ClapArgs;
use serde::Serialize;
use std::io::Write;

/// Show a standard by code, in any common spelling, with its ancestors and children.
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Examples:\n  aligner show 4.NF.3\n  aligner show CCSS.Math.Content.4.NF.B.3\n  \
aligner show A-REI.3 --format json\n  aligner show MS-PS1-1\n  aligner show K.CC.B\n\n\
An unknown code exits 2 with suggestions."
)]
pub struct Args {
    /// The code: 4.NF.B.3, 4.NF.3, 4.nf.b.3, CCSS.Math.Content.4.NF.B.3, HSA-REI.B.3, A-REI.3, 4.MD.C.5a, MS-PS1-1 ...
    pub code: String,
    /// Only look in this framework (id, see `aligner frameworks`)
    #[arg(long, short = 'f')]
    pub framework: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The standard, its notes, ancestors and children, for people
    Table,
    /// One JSON document: {"schema", "code", "found": [{standard, ancestors, children}...]}
    Json,
    /// JSON Lines: one line per standard the code names ({standard, ancestors, children})
    Jsonl,
    /// One row per standard, ancestor and child, with a header row
    Csv,
    /// Markdown table, as csv
    Md,
}

/// `show --format json`.
#[derive(Debug, Serialize)]
struct ShowJson<'a> {
    /// The code as asked.
    code: &'a str,
    /// Every standard the code names (more than one when it is ambiguous).
    found: &'a [Shown],
}

#[derive(Debug, Serialize)]
struct Shown {
    standard: StandardView,
    /// Nearest first.
    ancestors: Vec<StandardView>,
    children: Vec<StandardView>,
}

pub fn run(a: Args, ctx: &Ctx, out: &mut dyn Write) -> CmdOutcome {
    let lib = ctx.library()?;
    let c = lib.corpus()?;
    let fw = a.framework.as_deref().map(|f| c.framework_pos(f)).transpose()?;
    let found = c.resolve(&a.code, fw)?;
    let shown: Vec<Shown> = found
        .iter()
        .map(|&r| Shown {
            standard: StandardView::new(c, r),
            ancestors: c.ancestors(r).into_iter().map(|a| StandardView::brief(c, a)).collect(),
            children: c
                .standard(r)
                .children
                .iter()
                .map(|&i| StandardView::brief(c, Ref { fw: r.fw, idx: i }))
                .collect(),
        })
        .collect();
    match a.format {
        Format::Json => write_json(
            out,
            &ShowJson {
                code: &a.code,
                found: &shown,
            },
        )?,
        Format::Jsonl => write_jsonl(out, &shown)?,
        Format::Table => {
            for (i, &r) in found.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                write_text(c, r, out)?;
            }
        }
        Format::Csv | Format::Md => {
            let mut t = Table::new(["relation", "framework", "code", "kind", "grades", "text"]);
            for &r in &found {
                let row = |rel: &str, x: Ref| {
                    let s = c.standard(x);
                    vec![
                        rel.to_string(),
                        c.frameworks[x.fw].id.clone(),
                        s.display_code().to_string(),
                        s.kind.to_string(),
                        grades_of(c, x),
                        s.text.clone(),
                    ]
                };
                for anc in c.ancestors(r).into_iter().rev() {
                    t.rows.push(row("ancestor", anc));
                }
                t.rows.push(row("standard", r));
                for &ch in &c.standard(r).children {
                    t.rows.push(row("child", Ref { fw: r.fw, idx: ch }));
                }
            }
            if a.format == Format::Csv {
                t.write_csv(out)?
            } else {
                t.write_markdown(out)?
            }
        }
    }
    Ok(Outcome::Success)
}

fn write_text(c: &aligner::corpus::Corpus, r: Ref, out: &mut dyn Write) -> std::io::Result<()> {
    let s = c.standard(r);
    let fw = &c.frameworks[r.fw];
    writeln!(
        out,
        "{}  ({}, {}, grade {})",
        s.display_code(),
        fw.id,
        s.kind,
        grades_of(c, r)
    )?;
    writeln!(out, "{}", s.text)?;
    if !s.alt_codes.is_empty() {
        writeln!(out, "also written: {}", s.alt_codes.join(", "))?;
    }
    writeln!(out, "uri: {}", s.uri)?;
    for n in &s.notes {
        writeln!(out, "{}: {}", n.kind.replace('_', " "), n.text)?;
    }
    let anc = c.ancestors(r);
    if !anc.is_empty() {
        writeln!(out, "\nin:")?;
        for (depth, a) in anc.iter().rev().enumerate() {
            let x = c.standard(*a);
            let code = x.code.as_deref().map(|c| format!("{c} ")).unwrap_or_default();
            writeln!(out, "{}{code}[{}] {}", "  ".repeat(depth + 1), x.kind, x.text)?;
        }
    }
    let elements: Vec<_> = s.associations.iter().filter(|a| a.kind == "comprisedOf").collect();
    if !elements.is_empty() {
        writeln!(out, "\nsupporting elements:")?;
        for a in elements {
            match fw.standards.iter().find(|x| x.uri == a.target) {
                Some(x) => writeln!(out, "  {}", x.text)?,
                None => writeln!(out, "  {}", a.target)?,
            }
        }
    }
    let others: Vec<String> = s
        .associations
        .iter()
        .filter(|a| a.kind != "comprisedOf")
        .map(|a| {
            let target = a
                .target_code
                .clone()
                .or_else(|| aligner::report::view::code_from_ccss_uri(&a.target));
            format!("{} {}", a.kind, target.unwrap_or_else(|| a.target.clone()))
        })
        .collect();
    if !others.is_empty() {
        writeln!(out, "\nlinks: {}", others.join(", "))?;
    }
    if !s.children.is_empty() {
        writeln!(out, "\nchildren:")?;
        for &ch in &s.children {
            let x = &fw.standards[ch];
            let code = x.code.as_deref().map(|c| format!("{c} ")).unwrap_or_default();
            writeln!(out, "  {code}[{}] {}", x.kind, x.text)?;
        }
    }
    Ok(())
}
