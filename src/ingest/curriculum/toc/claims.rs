//! Standard codes written in an entry's title (`(4.NF.3)`, `[4.NF.B.3, 4.NF.B.4]`, `— CCSS
//! 4.NF.3`, and as PDFs paste them, `(5. NF. B. 5)`): found with [`crate::codes::looks_like_code`]
//! and moved, with the fillers and brackets around them, from the title to the entry's claims.

use crate::codes::looks_like_code;

fn trim_token(t: &str) -> &str {
    t.trim_matches(|c: char| {
        matches!(
            c,
            '(' | ')' | '[' | ']' | '{' | '}' | ',' | ';' | ':' | '"' | '\'' | '“' | '”'
        )
    })
    .trim_end_matches('.')
}

fn is_filler(t: &str) -> bool {
    let t = trim_token(t).to_ascii_lowercase();
    matches!(
        t.as_str(),
        "" | "ccss"
            | "ngss"
            | "teks"
            | "standard"
            | "standards"
            | "std"
            | "stds"
            | "and"
            | "&"
            | "/"
            | "—"
            | "–"
            | "-"
            | "|"
    )
}

/// Move standard codes out of a title. Returns the title without them and the codes as written.
pub(super) fn extract_codes(s: &str) -> (String, Vec<String>) {
    // `(5. NF. B. 5)` as a PDF pastes it is one code.
    let joined = crate::codes::join_spaced_codes(s);
    let s = joined.as_ref();
    let toks: Vec<&str> = s.split_whitespace().collect();
    let is_code: Vec<bool> = toks.iter().map(|t| looks_like_code(trim_token(t))).collect();
    if !is_code.iter().any(|&c| c) {
        return (s.to_string(), Vec::new());
    }
    // Codes go, and so does a run of fillers ("CCSS", "and", "—") that ends right before a code:
    // walking backwards, a filler goes when the first non-filler after its run is a code.
    let mut remove = is_code.clone();
    let mut code_follows = false;
    for ((t, &code), rm) in toks.iter().zip(&is_code).zip(remove.iter_mut()).rev() {
        if code {
            code_follows = true;
        } else if is_filler(t) {
            *rm = code_follows;
        } else {
            code_follows = false;
        }
    }
    let mut claimed = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    for ((t, &code), &rm) in toks.iter().zip(&is_code).zip(&remove) {
        if code {
            claimed.push(trim_token(t).to_string());
        }
        if rm {
            let brackets: String = t
                .chars()
                .filter(|c| matches!(c, '(' | ')' | '[' | ']' | '{' | '}'))
                .collect();
            if !brackets.is_empty() {
                kept.push(brackets);
            }
        } else {
            kept.push(t.to_string());
        }
    }
    let mut out = kept.join(" ");
    // Drop bracket groups left empty.
    loop {
        let before = out.len();
        for (o, c) in [('(', ')'), ('[', ']'), ('{', '}')] {
            let mut res = String::with_capacity(out.len());
            let mut rest = out.as_str();
            while let Some((before, after)) = rest.split_once(o) {
                let inner = after.trim_start_matches([' ', ',', ';', ':']);
                res.push_str(before);
                match inner.strip_prefix(c) {
                    Some(tail) => rest = tail,
                    None => {
                        res.push(o);
                        rest = after;
                    }
                }
            }
            res.push_str(rest);
            out = res;
        }
        if out.len() == before {
            break;
        }
    }
    let out = out
        .replace("( ", "(")
        .replace(" )", ")")
        .replace("[ ", "[")
        .replace(" ]", "]");
    (out, claimed)
}
