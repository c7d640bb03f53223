//! The matcher's tunable weights. The defaults are documented in the README ("How a match is
//! scored"). Field weights, `b` and `k1` apply at query time (the index stores per-field term
//! counts); `e_heads`, `e_alias`, `s_heads` and `s_alias` shape the standards' embeddings and take effect when the
//! index is built.

/// Tunable weights. The defaults are documented in the README ("How a match is scored").
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Params {
    pub k1: f32,
    pub b: f32,
    pub w_text: f32,
    pub w_children: f32,
    pub w_cluster: f32,
    pub w_domain: f32,
    pub w_notes: f32,
    /// Weight of the names lessons give a standard (`data/matching/aliases/`).
    pub w_alias: f32,
    pub q_title: f32,
    pub q_text: f32,
    pub q_context: f32,
    pub q_synonym: f32,
    /// Weight of words from the routine-words list.
    pub q_routine: f32,
    /// Words in more than this share of a batch's units (`Matcher::observe_batch`) count less:
    /// their weight is `ln(1/share) / ln(1/batch_df)`.
    pub batch_df: f32,
    /// Lead weighting of a unit's text: the word at position `p` weighs `lead / (lead + p)`
    /// (0 turns it off).
    pub lead: f32,
    /// Weight of meaning (static embeddings) in the final score, 0..1 (0 turns embeddings off).
    pub w_embed: f32,
    /// Weight of meaning for a unit that has only a title (short texts say little in words).
    pub w_embed_title: f32,
    /// `w_embed` and `w_embed_title` of the fast path (`--fast`, [`Params::fast`]): tuned without
    /// the sentence model.
    pub w_embed_fast: f32,
    pub w_embed_title_fast: f32,
    /// Weight of a unit's title against its text in the unit's embedding.
    pub e_title: f32,
    /// Weight of a unit's context (topic and module titles) in its static embedding.
    pub e_context: f32,
    /// Weight of a standard's headings against its statement in the standard's embedding.
    pub e_heads: f32,
    /// Share of the sentence model ([`super::sentence`]) in the meaning cosine, 0..1; the rest is
    /// the static embeddings'. 0 is the fast path (`--fast`): no sentence is encoded.
    pub w_sentence: f32,
    /// Weight of a unit's title against its text in its sentence vector.
    pub s_title: f32,
    /// Weight of a unit's context (topic and module titles) in its sentence vector.
    pub s_context: f32,
    /// A unit's text in its sentence vector: its first this many words (0: all, up to the
    /// model's 256 tokens). The encoder's cost grows with the tokens.
    pub s_text_words: f32,
    /// Weight of a standard's headings against its statement in its sentence vector (index time).
    pub s_heads: f32,
    /// Weight of the names lessons give a standard in its sentence vector (index time).
    pub s_alias: f32,
    /// Weight of the names lessons give a standard in its embedding.
    pub e_alias: f32,
    /// Weight of shared word pairs (adjacent words of the unit that are adjacent in the standard).
    pub w_phrase: f32,
    /// How many BM25F candidates the second stage reranks.
    pub rerank: f32,
    /// How many hits the first stage (tantivy) hands to the exact BM25F scoring; 0 scores every
    /// standard in scope exactly (slow; for measuring the first stage's recall).
    pub first_stage: f32,
    /// Scopes of at most this many standards are compared by meaning whole; in larger ones the
    /// first stage's word candidates are, and the scope's mean comes from the stored sums (or a
    /// sample of this many standards for a band of grades).
    pub sem_scan: f32,
    /// How many of a unit's terms (the most telling: weight x idf) the first stage queries.
    pub first_terms: f32,
    /// `K` in `score = r / (r + K)`.
    pub squash: f32,
    /// The least word evidence a candidate is credited with, so that a standard found by meaning
    /// alone still ranks (as a weak match: at most `lex_floor` x its meaning).
    pub lex_floor: f32,
    /// Weight of the words a unit's notation stands for (`analyze::notation_words`): a sign
    /// states the topic plainly (cross-validated: every fold chose a weight of 4 or more).
    pub q_notation: f32,
    /// Weight of the lesson model ([`super::lesson`]) in the score of a standard of a framework
    /// that has one (0 turns it off).
    pub w_lesson: f32,
    /// Factor on the score of a sub-standard whose sibling ranks above it (1 turns it off).
    pub sibling: f32,
    pub strong: f32,
    pub moderate: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            k1: 1.2,
            b: 0.5,
            w_text: 1.0,
            w_children: 0.0,
            w_cluster: 0.6,
            w_domain: 0.3,
            w_notes: 0.3,
            w_alias: 1.5,
            q_title: 1.5,
            q_text: 1.0,
            q_context: 1.2,
            q_synonym: 0.7,
            q_routine: 0.1,
            batch_df: 0.05,
            w_phrase: 1.0,
            lead: 80.0,
            w_embed: 0.85,
            w_embed_title: 0.9,
            w_embed_fast: 0.7,
            w_embed_title_fast: 0.8,
            e_title: 1.0,
            e_context: 0.8,
            e_heads: 0.5,
            w_sentence: 1.0,
            s_title: 1.0,
            s_context: 0.6,
            s_text_words: 100.0,
            s_heads: 0.5,
            s_alias: 1.0,
            e_alias: 1.5,
            rerank: 30.0,
            first_stage: 100.0,
            first_terms: 16.0,
            sem_scan: 1024.0,
            squash: 10.0,
            lex_floor: 0.3,
            q_notation: 4.0,
            w_lesson: 0.25,
            sibling: 0.5,
            strong: 0.6,
            moderate: 0.35,
        }
    }
}

impl Params {
    /// The fast path: no sentence model, meaning from the static vectors alone, with the weights
    /// of meaning tuned for them.
    pub fn fast(mut self) -> Params {
        self.w_sentence = 0.0;
        self.w_embed = self.w_embed_fast;
        self.w_embed_title = self.w_embed_title_fast;
        self
    }

    /// Override weights from a `name=value,name=value` list (the `ALIGNER_PARAMS` environment
    /// variable that `aligner eval` reads, for tuning). Unknown names are an error.
    pub fn with_overrides(self, spec: &str) -> Result<Params, String> {
        // By field name, through serde: a new field needs no edit here.
        let mut fields = match serde_json::to_value(self).map_err(|e| e.to_string())? {
            serde_json::Value::Object(m) => m,
            _ => return Err("parameters are not a record".into()),
        };
        for kv in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (k, v) = kv.split_once('=').ok_or_else(|| format!("{kv:?} is not name=value"))?;
            let v: f32 = v.trim().parse().map_err(|_| format!("{kv:?}: not a number"))?;
            let slot = fields
                .get_mut(k.trim())
                .ok_or_else(|| format!("unknown parameter {:?}", k.trim()))?;
            *slot = serde_json::json!(v);
        }
        serde_json::from_value(serde_json::Value::Object(fields)).map_err(|e| e.to_string())
    }
}
