//! `aligner audit --format html`: one self-contained page, well-formed, escaped, with the heatmap
//! and the gaps; and (with Chromium) a page that renders to something other than a blank sheet.

use crate::common::{aligner, data, json_of, stdout_of};
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

fn html_of(file: &Path, extra: &[&str]) -> String {
    stdout_of(aligner().arg("audit").arg(file).args(extra).args(["--format", "html"]))
}

/// Elements that have no end tag.
const VOID: [&str; 4] = ["meta", "br", "hr", "img"];

/// Every opened element is closed, in order; `<style>` content is skipped. Returns the elements
/// seen, by name, or the first problem.
fn check_balanced(html: &str) -> Result<Vec<String>, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix("!--") {
            let end = r.find("-->").ok_or("unclosed comment")?;
            rest = &r[end + 3..];
            continue;
        }
        let end = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!("a bare `<` in the text: <{tag}>"));
        }
        seen.push(name.clone());
        if name == "style" {
            let close = rest.find("</style>").ok_or("unclosed style")?;
            rest = &rest[close + "</style>".len()..];
            continue;
        }
        if !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    if stack.is_empty() {
        Ok(seen)
    } else {
        Err(format!("left open: {stack:?}"))
    }
}

/// No reference to anything outside the page: no tag with `src=`, no `<script>` or `<link>`,
/// every `href` an anchor in the page, no `@import` or `url(` in the style; and, unless the
/// inputs' own text holds one, no `http://` or `https://` anywhere.
fn assert_self_contained(html: &str, text_may_name_urls: bool) {
    let lower = html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').map(|e| i + e).unwrap_or(rest.len());
        let tag = &rest[i..end];
        for bad in [
            "src=", "<script", "<link", "<iframe", "<object", "<embed", "http:", "https:",
        ] {
            assert!(!tag.contains(bad), "a tag holds {bad:?}: {tag}");
        }
        if let Some(h) = tag.find("href=") {
            assert!(tag[h..].starts_with("href=\"#"), "href to outside: {tag}");
        }
        rest = &rest[end..];
    }
    let style = &lower[lower.find("<style>").unwrap()..lower.find("</style>").unwrap()];
    for bad in ["@import", "url(", "http"] {
        assert!(!style.contains(bad), "the style holds {bad:?}");
    }
    if !text_may_name_urls {
        assert!(!lower.contains("http://") && !lower.contains("https://"));
    }
}

#[test]
fn audit_html_is_well_formed_self_contained_and_complete() {
    let file = example("grade4-math-toc.txt");
    let html = html_of(&file, &[]);
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{}",
        &html[..80]
    );
    let seen = check_balanced(&html).unwrap_or_else(|e| panic!("{e}"));
    for el in ["html", "head", "title", "style", "body", "table", "details", "summary"] {
        assert!(seen.iter().any(|s| s == el), "no <{el}>");
    }
    assert_self_contained(&html, false);
    // On paper: a page per section, rows not split, the collapsed units printed open.
    let print = &html[html.find("@media print").expect("a print style")..];
    for rule in ["break-before: page", "break-inside: avoid", "details::details-content"] {
        assert!(html.contains(rule), "no {rule}");
    }
    assert!(print.contains("details::details-content { content-visibility: visible"));
    // The heatmap: one coloured cell per domain of grade 4, with its figure written.
    let j = json_of(aligner().arg("audit").arg(&file).args(["--format", "json"]));
    let domains = j["rollup"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["level"] == "domain")
        .expect("domain roll-up")["rows"]
        .as_array()
        .unwrap()
        .clone();
    let heat = &html[html.find("<table class=\"heatmap\">").expect("heatmap")..];
    let heat = &heat[..heat.find("</table>").unwrap()];
    assert_eq!(heat.matches("<td class=\"cell b").count(), domains.len(), "{heat}");
    for d in &domains {
        let key = d["key"].as_str().unwrap();
        let row = &heat[heat.find(&format!("<strong>{key}</strong>")).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        let (n, of) = (d["covered"].as_u64().unwrap(), d["standards"].as_u64().unwrap());
        assert!(row.contains(&format!("{n} of {of}")), "{key}: {row}");
        assert!(
            row.contains(&format!("{:.0}%", d["pct"].as_f64().unwrap())),
            "{key}: {row}"
        );
    }
    assert!(html.contains("class=\"legend\""));
    // Every gap of the JSON is in the gap section, and the gap section holds nothing else.
    let gaps_at = html.find("<section id=\"gaps\">").unwrap();
    let gaps = &html[gaps_at..gaps_at + html[gaps_at..].find("</section>").unwrap()];
    let codes: Vec<&str> = j["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    assert!(!codes.is_empty());
    for code in &codes {
        assert!(
            gaps.contains(&format!("<td class=\"code\">{code}</td>")),
            "{code} not in the gaps"
        );
    }
    let gap_table = &gaps[..gaps.find("</table>").unwrap()];
    assert_eq!(gap_table.matches("<tr>").count(), codes.len() + 1);
    // Headline figures from the summary, and each unit's matches in its own <details>.
    let pct = format!("{:.1}%", j["summary"]["coverage_pct"].as_f64().unwrap());
    assert!(html.contains(&format!("<span class=\"n\">{pct}</span>")), "{pct}");
    assert_eq!(html.matches("<details>").count(), j["units"].as_array().unwrap().len());
    // Deterministic: the same page twice.
    assert_eq!(html, html_of(&file, &[]));
}

#[test]
fn hostile_titles_are_escaped() {
    let html = html_of(&data("html/hostile-units.csv"), &["--framework", "ccss-math"]);
    check_balanced(&html).unwrap_or_else(|e| panic!("{e}"));
    assert_self_contained(&html, true);
    for raw in [
        "<script>alert",
        "<b>bold",
        "<img ",
        "</details></table></section> <b>",
        "<style>@import",
    ] {
        assert!(!html.contains(raw), "{raw:?} is not escaped");
    }
    assert!(html.contains(
        "Fractions &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;equivalent&quot; fractions"
    ));
    assert!(html.contains("Class picnic &#39;menu&#39; &lt;img src=http://evil.example/x.png&gt;"));
    // Only the page's own <style>, nothing from a title.
    assert_eq!(html.matches("<style>").count(), 1);
    assert_eq!(html.matches("<script").count(), 0);
}

/// A headless Chromium screenshot of `page` (an HTML file) at 1200 x 1600, as PNG bytes.
fn screenshot(page: &Path) -> Vec<u8> {
    let shot = page.with_extension("png");
    let status = std::process::Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
        .arg(format!("--screenshot={}", shot.display()))
        .args(["--window-size=1200,1600"])
        .arg(format!("file://{}", page.display()))
        .status()
        .expect("chromium runs");
    assert!(status.success());
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    png
}

/// The page renders to something other than a blank sheet: a blank page of the same size
/// compresses to a few kilobytes, text, table rules and the heatmap's colours to many times that.
fn assert_renders(html: &str) {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.html");
    std::fs::write(&blank, "<!DOCTYPE html><html><body></body></html>").unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, html).unwrap();
    let (empty, shot) = (screenshot(&blank).len(), screenshot(&page).len());
    assert!(
        shot > 10 * empty && shot > 50_000,
        "screenshot {shot} bytes, a blank page {empty}"
    );
}

#[test]
#[ignore = "needs chromium (Debian package chromium)"]
fn renders_in_headless_chromium() {
    assert_renders(&html_of(&example("grade4-math-toc.txt"), &[]));
}

/// Over several grades the heatmap has a column per grade and a row per strand, and each cell is
/// the JSON's count of covered standards of that strand and grade.
#[test]
fn heatmap_cells_count_strand_by_grade() {
    let file = data("curriculum/g7-ela-anthology-toc.txt");
    let args = ["--framework", "ccss-ela", "--grade", "6-8"];
    let html = html_of(&file, &args);
    let j = json_of(aligner().arg("audit").arg(&file).args(args).args(["--format", "json"]));
    let heat = &html[html.find("<table class=\"heatmap\">").expect("heatmap")..];
    let heat = &heat[..heat.find("</table>").unwrap()];
    assert!(heat.contains("by strand and grade"), "{heat}");
    for g in ["6", "7", "8"] {
        assert!(heat.contains(&format!(">grade {g}</th>")), "{heat}");
    }
    // (strand, grade) -> (covered, counted), from the JSON's standards.
    let mut tally: std::collections::BTreeMap<(String, String), (u64, u64)> = Default::default();
    for s in j["standards"].as_array().unwrap() {
        let code = s["code"].as_str().unwrap();
        let strand = code.split('.').next().unwrap().to_string();
        let t = tally
            .entry((strand, s["grades"].as_str().unwrap().to_string()))
            .or_default();
        t.1 += 1;
        t.0 += u64::from(s["status"] == "covered");
    }
    assert!(tally.len() >= 15, "{tally:?}");
    for strand in ["RL", "RI", "W", "SL", "L"] {
        let row = &heat[heat
            .find(&format!("<strong>{strand}</strong>"))
            .unwrap_or_else(|| panic!("{strand}"))..];
        let row = &row[..row.find("</tr>").unwrap()];
        let cells: Vec<&str> = row.split("<td ").skip(1).collect();
        assert_eq!(cells.len(), 3, "{row}");
        for (cell, g) in cells.iter().zip(["6", "7", "8"]) {
            let (n, d) = tally[&(strand.to_string(), g.to_string())];
            assert!(cell.contains(&format!("{n} of {d}")), "{strand} grade {g}: {cell}");
        }
    }
}

fn compare_html() -> String {
    stdout_of(
        aligner()
            .arg("compare")
            .arg(example("grade4-math-toc.txt"))
            .arg(example("grade4-math-toc-b.md"))
            .args(["-f", "ccss-math", "-g", "4", "--format", "html"]),
    )
}

/// `compare --format html`: self-contained and balanced, a program x domain heatmap whose cells
/// are the JSON's percentages, and the ranking's reasons.
#[test]
fn compare_html_has_a_program_by_domain_heatmap() {
    let html = compare_html();
    check_balanced(&html).expect("balanced tags");
    assert_self_contained(&html, false);
    assert!(html.contains("<table class=\"heatmap\">"));
    assert!(html.contains("Standards covered, by domain and program"));
    let v = json_of(
        aligner()
            .arg("compare")
            .arg(example("grade4-math-toc.txt"))
            .arg(example("grade4-math-toc-b.md"))
            .args(["-f", "ccss-math", "-g", "4", "--format", "json"]),
    );
    let domains = v["rollup"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["level"] == "domain")
        .unwrap();
    for row in domains["rows"].as_array().unwrap() {
        for cell in row["programs"].as_array().unwrap() {
            let text = format!(
                "{} of {}, {} lessons",
                cell["covered"], row["standards"], cell["lessons"]
            );
            assert!(html.contains(&text), "{text}");
        }
    }
    for r in v["ranking"].as_array().unwrap() {
        assert!(html.contains(r["reason"].as_str().unwrap()), "{r}");
    }
    assert_eq!(html, compare_html());
}

#[test]
#[ignore = "needs chromium (Debian package chromium)"]
fn compare_renders_in_headless_chromium() {
    assert_renders(&compare_html());
}

/// The HTML audit carries what the other formats carry: the correlation check with every
/// citation's verdict, the claims carried through a crosswalk, and reviewers' marks.
#[test]
fn audit_html_carries_the_correlation_check_carried_claims_and_reviews() {
    let sheet = example("grade4-correlation.csv");
    let sheet = sheet.to_str().unwrap();
    let html = html_of(&example("grade4-math-toc.txt"), &["--correlation", sheet]);
    check_balanced(&html).expect("balanced tags");
    assert!(html.contains("<h2>Correlation check</h2>"));
    let v = json_of(aligner().arg("audit").arg(example("grade4-math-toc.txt")).args([
        "--correlation",
        sheet,
        "--format",
        "json",
    ]));
    for ct in v["correlation"]["citations"].as_array().unwrap() {
        let verdict = ct["verdict"].as_str().unwrap().replace('_', " ");
        assert!(html.contains(&format!(">{verdict}</td>")), "{ct}");
    }
    let via = html_of(
        &example("grade3-ccss-toc.txt"),
        &["-f", "sc-math", "--via", "ccss-math"],
    );
    assert!(via.contains("<h2>Claims carried through the crosswalk</h2>"));
    assert!(via.contains("(via 3.NBT.A.1)"));
    // A rejected match is marked in the unit's table.
    let toc = example("grade4-math-toc.txt");
    let template = stdout_of(aligner().arg("review").arg(&toc));
    let row = template.lines().nth(1).expect("a proposed pair");
    let mut cells = row.splitn(3, ',');
    let (unit, code) = (cells.next().unwrap(), cells.next().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.csv");
    std::fs::write(
        &file,
        format!("unit,code,decision,reviewer,date,note\n{unit},{code},reject,committee,2026-12-01,\n"),
    )
    .unwrap();
    let reviewed = html_of(&toc, &["--decisions", file.to_str().unwrap()]);
    assert!(
        reviewed.contains("✗ rejected (committee)"),
        "no mark for {unit} x {code}"
    );
}
