//! HTML reports: one self-contained page (inline CSS, no script, no network resource) that reads on
//! screen and prints on paper. The building blocks are public for other reports: [`escape`],
//! [`page`], [`heatmap`] (rows x columns of optional percentages, coloured, figures written in
//! the cells, with a legend), [`pct_cell`], [`table`] and [`td`]; [`write_audit`] is `aligner
//! audit --format html`.
//!
//! The output is deterministic: it holds nothing that does not come from the inputs (no date).

use super::audit::AuditJson;
use super::coverage::{Coverage, Rollup, Status};
use super::matches::{claim_detail, code_of, page_suffix, unit_name};
use crate::align::{ClaimStatus, UnitAlignment};
use crate::corpus::Corpus;
use crate::model::{grades_label, Unit};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Text made safe for HTML content and attribute values: `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's style: readable on screen, on paper without backgrounds (every figure is written),
/// sections on their own pages, table rows never split across pages, and every collapsed unit
/// printed open.
const CSS: &str = r#"
:root { --fg: #1a1a1a; --muted: #555; --rule: #c8c8c8; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: #fff; margin: 0 auto; padding: 1.5rem 2rem; max-width: 72rem; line-height: 1.4; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; border-bottom: 2px solid var(--fg); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p.note, .muted { color: var(--muted); }
dl.scope { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .6rem 0; }
dl.scope dt { font-weight: 600; }
dl.scope dd { margin: 0; overflow-wrap: anywhere; }
.figures { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; padding: 0; list-style: none; }
.figures li { border: 1px solid var(--rule); border-radius: 6px; padding: .5rem .9rem; min-width: 8rem; }
.figures .n { display: block; font-size: 1.6rem; font-weight: 700; }
table { border-collapse: collapse; margin: .4rem 0 1rem; width: 100%; }
th, td { border: 1px solid var(--rule); padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.code { white-space: nowrap; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .92em; }
td.text { overflow-wrap: anywhere; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.heatmap { width: auto; }
caption { text-align: left; padding: .2rem 0; }
table.heatmap td.cell { text-align: center; min-width: 4.5rem; font-weight: 600; font-variant-numeric: tabular-nums; }
table.heatmap th[scope=row] { font-weight: normal; background: #fff; }
.b0 { background: #d73027; color: #fff; }
.b1 { background: #fc8d59; color: #000; }
.b2 { background: #fee090; color: #000; }
.b3 { background: #91bfdb; color: #000; }
.b4 { background: #4575b4; color: #fff; }
.na { background: #fff; color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: .3rem; padding: 0; list-style: none; margin: .3rem 0 1rem; font-size: .9em; }
.legend li { padding: .15rem .5rem; border: 1px solid var(--rule); }
.status-gap { font-weight: 700; }
details { border: 1px solid var(--rule); border-radius: 4px; margin: .35rem 0; padding: .3rem .6rem; }
details > summary { cursor: pointer; }
details table { margin-top: .4rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85em; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  section { break-before: page; page-break-before: always; }
  section.first { break-before: auto; page-break-before: auto; }
  h2 { break-after: avoid; page-break-after: avoid; }
  th { background: none; }
  .b0, .b1, .b2, .b3, .b4 { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  details { border: none; padding: 0; }
  details::details-content { content-visibility: visible; display: block; }
  details > summary { font-weight: 600; list-style: none; }
  footer { display: none; }
}
"#;

/// A whole HTML document: `title` (escaped here) in `<title>`, the shared style, and `body` as it
/// is (already HTML).
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    )
}

/// One cell of a [`heatmap`]: a percentage and what it is of (`3 of 5`), written under it.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatCell {
    pub pct: f64,
    pub detail: String,
}

/// One row of a [`heatmap`]: its header (`key` in bold, then `label`) and one cell per column
/// (`None`: nothing to count there, shown as an em dash).
#[derive(Debug, Clone, PartialEq)]
pub struct HeatRow {
    pub key: String,
    pub label: String,
    pub cells: Vec<Option<HeatCell>>,
}

/// The colour class of a percentage: five bins of 20 points (a colour-blind-safe red-yellow-blue
/// scale, text colour chosen for contrast).
fn bin(pct: f64) -> &'static str {
    match pct {
        p if p >= 80.0 => "b4",
        p if p >= 60.0 => "b3",
        p if p >= 40.0 => "b2",
        p if p >= 20.0 => "b1",
        _ => "b0",
    }
}

/// A table cell for a percentage, coloured like the heatmap's (`<td class="num bN">57.1%</td>`).
pub fn pct_cell(pct: f64) -> String {
    format!("<td class=\"num {}\">{pct:.1}%</td>", bin(pct))
}

/// The heatmap's legend: the five bins and the empty cell.
fn legend() -> String {
    let mut s = String::from("<ul class=\"legend\" aria-label=\"colour legend\">");
    for (class, label) in [
        ("b0", "under 20%"),
        ("b1", "20–39%"),
        ("b2", "40–59%"),
        ("b3", "60–79%"),
        ("b4", "80% or more"),
        ("na", "— nothing to count"),
    ] {
        let _ = write!(s, "<li class=\"{class}\">{label}</li>");
    }
    s.push_str("</ul>");
    s
}

/// A heatmap table: `rows` x `columns` of optional percentages, each cell coloured by its
/// percentage with the figure (and its detail) written in it, followed by a legend. `caption`
/// names the table, `corner` the rows' header (`domain`). Everything is escaped here.
pub fn heatmap(caption: &str, corner: &str, columns: &[String], rows: &[HeatRow]) -> String {
    let mut s = String::from("<table class=\"heatmap\">\n");
    let _ = writeln!(s, "<caption class=\"muted\">{}</caption>", escape(caption));
    let _ = write!(s, "<thead><tr><th scope=\"col\">{}</th>", escape(corner));
    for c in columns {
        let _ = write!(s, "<th scope=\"col\" class=\"num\">{}</th>", escape(c));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        let _ = write!(
            s,
            "<tr><th scope=\"row\"><strong>{}</strong> {}</th>",
            escape(&r.key),
            escape(&r.label)
        );
        for i in 0..columns.len() {
            match r.cells.get(i).and_then(Option::as_ref) {
                Some(c) => {
                    let _ = write!(
                        s,
                        "<td class=\"cell {}\">{:.0}%<br><small>{}</small></td>",
                        bin(c.pct),
                        c.pct,
                        escape(&c.detail)
                    );
                }
                None => s.push_str("<td class=\"cell na\">—</td>"),
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    s.push_str(&legend());
    s.push('\n');
    s
}

/// The audit's heatmap: the outermost level of the framework (domain, strand or discipline) by
/// grade (each standard under its own grade or band, as in the grade roll-up). `None` when the
/// framework has no level.
fn audit_heatmap(c: &Corpus, cov: &Coverage) -> Option<String> {
    let level = cov.levels.first()?;
    let columns: Vec<String> = cov.by_grade.iter().map(|r| r.key.clone()).collect();
    // (row, column) -> (covered, counted).
    let mut tally: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
    for (i, sc) in cov.standards.iter().enumerate() {
        let Some(row) = level.row_of.get(i).copied().flatten() else {
            continue;
        };
        let key = grades_label(&c.standard(sc.r).grades);
        let Some(col) = columns.iter().position(|k| *k == key) else {
            continue;
        };
        let t = tally.entry((row, col)).or_default();
        t.1 += 1;
        if sc.status == Status::Covered {
            t.0 += 1;
        }
    }
    let rows: Vec<HeatRow> = level
        .rows
        .iter()
        .enumerate()
        .map(|(ri, r)| HeatRow {
            key: r.key.clone(),
            label: r.label.clone(),
            cells: (0..columns.len())
                .map(|ci| {
                    tally.get(&(ri, ci)).map(|&(n, d)| HeatCell {
                        pct: super::coverage::pct(n, d),
                        detail: format!("{n} of {d}"),
                    })
                })
                .collect(),
        })
        .collect();
    let columns: Vec<String> = columns.iter().map(|k| format!("grade {k}")).collect();
    Some(heatmap(
        &format!("Standards covered, by {} and grade", level.name()),
        level.name(),
        &columns,
        &rows,
    ))
}

fn rollup_table(rows: &[Rollup], key: &str) -> String {
    let mut s = String::from("<table>\n<thead><tr>");
    let _ = write!(
        s,
        "<th>{}</th><th>title</th><th class=\"num\">standards</th><th class=\"num\">covered</th>\
<th class=\"num\">weak</th><th class=\"num\">gaps</th><th class=\"num\">covered %</th></tr></thead>\n<tbody>\n",
        escape(key)
    );
    for r in rows {
        let _ = writeln!(
            s,
            "<tr><td class=\"code\">{}</td><td class=\"text\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
<td class=\"num\">{}</td><td class=\"num\">{}</td>{}</tr>",
            escape(&r.key),
            escape(&r.label),
            r.standards,
            r.covered,
            r.weak,
            r.gaps,
            pct_cell(r.pct)
        );
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// A table from a header (escaped here) and rows of cells already rendered as `<td>`s ([`td`]).
pub fn table(headers: &[&str], rows: &[String]) -> String {
    let mut s = String::from("<table>\n<thead><tr>");
    for h in headers {
        let _ = write!(s, "<th>{}</th>", escape(h));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        let _ = writeln!(s, "<tr>{r}</tr>");
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// A table cell holding `text` (escaped here), with a class (`code`, `num`, `text` or none).
pub fn td(class: &str, text: &str) -> String {
    if class.is_empty() {
        format!("<td>{}</td>", escape(text))
    } else {
        format!("<td class=\"{class}\">{}</td>", escape(text))
    }
}

/// `4.1 Unit sense (p. 112)`.
fn unit_label(u: &Unit) -> String {
    format!("{} {}{}", u.id, unit_name(u), page_suffix(u))
}

/// `aligner audit --format html`: the whole report as one page.
pub fn write_audit<W: Write + ?Sized>(
    out: &mut W,
    c: &Corpus,
    j: &AuditJson,
    cov: &Coverage,
    al: &[UnitAlignment],
    units: &[Unit],
) -> io::Result<()> {
    out.write_all(audit_page(c, j, cov, al, units).as_bytes())
}

/// The audit report as an HTML document.
pub fn audit_page(c: &Corpus, j: &AuditJson, cov: &Coverage, al: &[UnitAlignment], units: &[Unit]) -> String {
    let scope = format!(
        "{}{}",
        j.scope.frameworks.join(", "),
        j.scope
            .grades
            .as_ref()
            .map(|g| format!(", grade {g}"))
            .unwrap_or_default()
    );
    let title = format!("Standards coverage audit: {} ({scope})", j.scope.files.join(", "));
    let mut b = String::new();

    // Title, scope and headline figures.
    b.push_str("<header>\n<h1>Standards coverage audit</h1>\n<dl class=\"scope\">");
    let _ = write!(
        b,
        "<dt>Files</dt><dd>{}</dd><dt>Scope</dt><dd>{}</dd><dt>Minimum score</dt><dd>{}</dd>",
        escape(&j.scope.files.join(", ")),
        escape(&scope),
        j.scope.min_score
    );
    b.push_str("</dl>\n</header>\n");
    let s = &j.summary;
    b.push_str("<section class=\"first\" id=\"summary\">\n<h2>Summary</h2>\n<ul class=\"figures\">\n");
    let figure = |b: &mut String, n: String, what: &str| {
        let _ = writeln!(b, "<li><span class=\"n\">{}</span>{}</li>", escape(&n), escape(what));
    };
    figure(&mut b, format!("{:.1}%", s.coverage_pct), "of the standards covered");
    figure(&mut b, format!("{} of {}", s.covered, s.standards), "standards covered");
    figure(&mut b, s.weak.to_string(), "weak (addressed below the minimum score)");
    figure(&mut b, s.gaps.to_string(), "gaps (nothing addresses them)");
    figure(&mut b, s.units.to_string(), "units read");
    figure(&mut b, s.unaligned_units.to_string(), "lessons aligned to nothing");
    b.push_str("</ul>\n");
    if !s.claims.is_empty() {
        let parts: Vec<String> = s
            .claims
            .iter()
            .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
            .collect();
        let _ = writeln!(b, "<p>Claimed codes: {}.</p>", escape(&parts.join(", ")));
    }
    let _ = writeln!(
        b,
        "<p class=\"note\">A standard is <em>covered</em> when a unit matches it with a score of at least {} \
or claims it with a text that supports the claim; <em>weak</em> when its best score is lower but still counts; \
otherwise it is a <em>gap</em>.</p>",
        j.scope.min_score
    );
    if let Some(h) = audit_heatmap(c, cov) {
        b.push_str("<h3>Coverage map</h3>\n");
        b.push_str(&h);
    }
    b.push_str("</section>\n");

    // Roll-ups.
    b.push_str("<section id=\"rollups\">\n<h2>Roll-ups</h2>\n");
    if cov.by_grade.len() > 1 {
        b.push_str("<h3>By grade</h3>\n");
        b.push_str(&rollup_table(&cov.by_grade, "grade"));
    }
    for l in &cov.levels {
        let _ = writeln!(b, "<h3>By {}</h3>", escape(l.name()));
        b.push_str(&rollup_table(&l.rows, l.name()));
    }
    b.push_str("</section>\n");

    // Gaps and weak standards.
    b.push_str("<section id=\"gaps\">\n<h2>Gaps: standards nothing addresses</h2>\n");
    let gaps: Vec<String> = cov
        .gaps_in_order(c)
        .map(|sc| {
            let st = c.standard(sc.r);
            format!(
                "{}{}{}",
                td("code", &code_of(c, sc.r)),
                td("num", &grades_label(&st.grades)),
                td("text", &st.text)
            )
        })
        .collect();
    if gaps.is_empty() {
        b.push_str("<p>No gaps.</p>\n");
    } else {
        b.push_str(&table(&["gap", "grades", "standard"], &gaps));
    }
    let weak: Vec<String> = cov
        .standards
        .iter()
        .filter(|sc| sc.status == Status::Weak)
        .map(|sc| {
            let st = c.standard(sc.r);
            let best = sc
                .units
                .first()
                .map(|(u, _)| unit_label(&units[*u]))
                .unwrap_or_default();
            format!(
                "{}{}{}{}",
                td("code", &code_of(c, sc.r)),
                td("num", &format!("{:.2}", sc.best)),
                td("text", &best),
                td("text", &st.text)
            )
        })
        .collect();
    if !weak.is_empty() {
        b.push_str("<h3>Weak: addressed, below the minimum score</h3>\n");
        b.push_str(&table(&["standard", "best score", "best unit", "statement"], &weak));
    }
    b.push_str("</section>\n");

    // Claims to review.
    let problems: Vec<String> = al
        .iter()
        .flat_map(|a| a.claims.iter().map(move |k| (a.unit, k)))
        .filter(|(_, k)| k.status != ClaimStatus::Supported)
        .map(|(u, k)| {
            format!(
                "{}{}{}{}",
                td("text", &unit_label(&units[u])),
                td("code", &k.claimed),
                td("", &k.status.as_str().replace('_', " ")),
                td("text", &claim_detail(c, k))
            )
        })
        .collect();
    b.push_str("<section id=\"claims\">\n<h2>Claims to review</h2>\n");
    if problems.is_empty() {
        b.push_str("<p>Every claimed code is supported by its entry's text (or nothing is claimed).</p>\n");
    } else {
        b.push_str(&table(&["unit", "claimed", "verdict", "detail"], &problems));
    }
    b.push_str("</section>\n");

    // Units aligned to nothing, and the reviews.
    b.push_str("<section id=\"unaligned\">\n<h2>Units aligned to nothing</h2>\n");
    if j.unaligned_units.is_empty() {
        b.push_str("<p>Every lesson addresses some standard.</p>\n");
    } else {
        let rows: Vec<String> = j
            .unaligned_units
            .iter()
            .map(|u| {
                format!(
                    "{}{}{}{}",
                    td("code", &u.id),
                    td("text", &u.title),
                    td("num", u.page.as_deref().unwrap_or("")),
                    td("code", &u.origin)
                )
            })
            .collect();
        b.push_str(&table(&["unit", "title", "page", "where"], &rows));
    }
    if !j.reviews.is_empty() {
        let _ =
            writeln!(
            b,
            "<p class=\"note\">{} reviews and assessments are not counted among the units aligned to nothing: {}.</p>",
            j.reviews.len(),
            escape(&j.reviews.iter().map(|u| u.title.as_str()).collect::<Vec<_>>().join("; "))
        );
    }
    b.push_str("</section>\n");

    // Claims carried through a crosswalk (`--via`) and the correlation sheet's check.
    if let Some(v) = &j.via {
        b.push_str("<section id=\"via\">\n<h2>Claims carried through the crosswalk</h2>\n");
        let _ = writeln!(
            b,
            "<p>{} claimed codes of {} carried to the audited framework's counterparts{}.</p>",
            v.carried,
            escape(&v.framework),
            if v.no_counterpart.is_empty() {
                String::new()
            } else {
                escape(&format!(
                    "; no counterpart: {}",
                    v.no_counterpart
                        .iter()
                        .map(|n| format!("{} ({})", n.code, n.unit))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        );
        let rows: Vec<String> = j
            .units
            .iter()
            .flat_map(|u| {
                u.claims.iter().filter(|k| k.via.is_some()).map(move |k| {
                    format!(
                        "{}{}{}",
                        td("code", &u.id),
                        td(
                            "code",
                            &format!("{} (via {})", k.code, k.via.as_deref().unwrap_or_default())
                        ),
                        td("", &k.status.replace('_', " "))
                    )
                })
            })
            .collect();
        b.push_str(&table(&["unit", "claimed", "verdict"], &rows));
        b.push_str("</section>\n");
    }
    if let Some(cj) = &j.correlation {
        b.push_str("<section id=\"correlation\">\n<h2>Correlation check</h2>\n");
        let counts: Vec<String> = cj
            .summary
            .iter()
            .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
            .collect();
        let supported = cj.standards.iter().filter(|s| s.supported).count();
        let _ = writeln!(
            b,
            "<p>{}: {} citations ({}); {} of {} codes have a supported citation.</p>",
            escape(&cj.file),
            cj.citations.len(),
            escape(&counts.join(", ")),
            supported,
            cj.standards.len()
        );
        let rows: Vec<String> = cj
            .citations
            .iter()
            .map(|ct| {
                let entry = ct
                    .entry
                    .as_ref()
                    .map(|e| format!("{} {}", e.id, e.title))
                    .unwrap_or_else(|| "—".to_string());
                let verdict_class = if ct.verdict == "supported" { "" } else { "status-gap" };
                format!(
                    "{}{}{}{}{}{}",
                    td("num", &ct.line.to_string()),
                    td("code", &ct.code),
                    td("text", &ct.citation),
                    td("text", &entry),
                    td(verdict_class, &ct.verdict.replace('_', " ")),
                    td("text", &ct.evidence)
                )
            })
            .collect();
        b.push_str(&table(
            &["line", "code", "citation", "entry", "verdict", "evidence"],
            &rows,
        ));
        b.push_str("</section>\n");
    }

    // Each standard with the units that address it.
    b.push_str("<section id=\"standards\">\n<h2>Standards and the units that address them</h2>\n");
    let rows: Vec<String> = cov
        .standards
        .iter()
        .map(|sc| {
            let addressed: Vec<String> = sc.units.iter().map(|(u, _)| unit_label(&units[*u])).collect();
            format!(
                "{}{}{}{}",
                td("code", &code_of(c, sc.r)),
                td(
                    if sc.status == Status::Gap { "status-gap" } else { "" },
                    sc.status.as_str()
                ),
                td("num", &format!("{:.2}", sc.best)),
                td("text", &addressed.join("; "))
            )
        })
        .collect();
    b.push_str(&table(&["standard", "status", "best score", "units"], &rows));
    b.push_str("</section>\n");

    // Each unit's matches with their evidence.
    b.push_str("<section id=\"units\">\n<h2>Units and their matches</h2>\n");
    let _ = writeln!(
        b,
        "<p class=\"note\">Matches at or above the minimum score ({}) count for coverage; evidence is the words \
the unit shares with the standard.</p>",
        j.scope.min_score
    );
    for a in al {
        let u = &units[a.unit];
        let counted = a.matches.iter().filter(|m| m.score >= cov.min_score).count();
        let _ = writeln!(
            b,
            "<details><summary>{} <span class=\"muted\">— {} match{} counted{}</span></summary>",
            escape(&unit_label(u)),
            counted,
            if counted == 1 { "" } else { "es" },
            if a.claims.is_empty() {
                String::new()
            } else {
                format!(
                    ", claims {}",
                    escape(
                        &a.claims
                            .iter()
                            .map(|k| k.claimed.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                )
            }
        );
        if !u.context.is_empty() {
            let _ = writeln!(b, "<p class=\"muted\">in {}</p>", escape(&u.context.join(" › ")));
        }
        if a.matches.is_empty() {
            b.push_str("<p>No match.</p>\n");
        } else {
            let rows: Vec<String> = a
                .matches
                .iter()
                .map(|m| {
                    let strength = match &m.reviewed {
                        Some(r) => format!("{} · {} ({})", m.strength.as_str(), r.decision.marker(), r.reviewer),
                        None => m.strength.as_str().to_string(),
                    };
                    format!(
                        "{}{}{}{}{}",
                        td("code", &code_of(c, m.r)),
                        td("num", &format!("{:.2}", m.score)),
                        td("", &strength),
                        td("text", &m.evidence.join(", ")),
                        td("text", &c.standard(m.r).text)
                    )
                })
                .collect();
            b.push_str(&table(
                &["standard", "score", "strength", "evidence", "statement"],
                &rows,
            ));
        }
        if !a.claims.is_empty() {
            let rows: Vec<String> = a
                .claims
                .iter()
                .map(|k| {
                    format!(
                        "{}{}{}",
                        td("code", &k.claimed),
                        td("", &k.status.as_str().replace('_', " ")),
                        td("text", &claim_detail(c, k))
                    )
                })
                .collect();
            b.push_str(&table(&["claimed", "verdict", "detail"], &rows));
        }
        b.push_str("</details>\n");
    }
    b.push_str("</section>\n");
    let _ = writeln!(
        b,
        "<footer>Made by aligner {} from the files above.</footer>",
        env!("CARGO_PKG_VERSION")
    );
    page(&title, &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn heatmap_colours_cells_and_writes_figures() {
        let rows = vec![HeatRow {
            key: "NF".into(),
            label: "Fractions <&>".into(),
            cells: vec![
                Some(HeatCell {
                    pct: 85.0,
                    detail: "17 of 20".into(),
                }),
                None,
                Some(HeatCell {
                    pct: 10.0,
                    detail: "1 of 10".into(),
                }),
            ],
        }];
        let h = heatmap("cap", "domain", &["4".into(), "5".into(), "6".into()], &rows);
        assert!(
            h.contains("<td class=\"cell b4\">85%<br><small>17 of 20</small></td>"),
            "{h}"
        );
        assert!(h.contains("<td class=\"cell na\">—</td>"));
        assert!(h.contains("cell b0\">10%"));
        assert!(h.contains("Fractions &lt;&amp;&gt;"));
        assert!(h.contains("class=\"legend\""));
        // Missing cells at the end of a short row are empty cells, not a short row.
        let short = heatmap(
            "c",
            "d",
            &["a".into(), "b".into()],
            &[HeatRow {
                key: "k".into(),
                label: String::new(),
                cells: vec![],
            }],
        );
        assert_eq!(short.matches("cell na").count(), 2);
    }

    #[test]
    fn bins_cover_the_range() {
        assert_eq!(bin(0.0), "b0");
        assert_eq!(bin(19.9), "b0");
        assert_eq!(bin(20.0), "b1");
        assert_eq!(bin(59.9), "b2");
        assert_eq!(bin(79.99), "b3");
        assert_eq!(bin(100.0), "b4");
        assert_eq!(bin(f64::NAN), "b0");
    }
}
