//! The evidence of a match: the phrases (two adjacent words of the unit that are adjacent in the
//! statement too) and the shared words, as the unit writes them, most telling first.

use super::candidates::CandSet;

impl super::matcher::Matcher<'_> {
    /// Shared words and phrases between the query and doc `d`, most informative first.
    pub(super) fn evidence(&self, d: u32, cs: &CandSet) -> Vec<String> {
        let st = self.store;
        let q = &cs.q;
        let mut shared: Vec<(u32, f32)> = q
            .terms
            .iter()
            .filter(|(t, _)| st.has_term(d, *t))
            .map(|(t, w)| (*t, st.idf(*t) * w.min(2.0)))
            .collect();
        shared.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let own = st.seq(d);
        let mut phrases: Vec<String> = Vec::new();
        let mut in_phrase: Vec<u32> = Vec::new();
        for (w, ids) in q.seq.windows(2).zip(q.seq_ids.windows(2)) {
            let (Some(a), Some(b)) = (ids[0], ids[1]) else {
                continue;
            };
            if w[1].pos == w[0].pos + 1 && a != b && own.windows(2).any(|o| o[0] == a && o[1] == b) {
                let p = format!("{} {}", w[0].surface, w[1].surface);
                if !phrases.contains(&p) && phrases.len() < 3 {
                    phrases.push(p);
                    in_phrase.extend([a, b]);
                }
            }
        }
        let mut out = phrases;
        for (t, _) in shared {
            if out.len() >= 8 {
                break;
            }
            if in_phrase.contains(&t) {
                continue;
            }
            if let Some(s) = q.surface.get(&t) {
                if !out.contains(s) {
                    out.push(s.clone());
                }
            }
        }
        out
    }
}
