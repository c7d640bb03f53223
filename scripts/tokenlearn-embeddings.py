#!/usr/bin/env python3
"""Fine-tune the distilled static embeddings on standards text, "tokenlearn"-style (model2vec).

The distilled vectors (scripts/distill-embeddings.py) are each token's own output of
all-MiniLM-L6-v2 in isolation. Here they are adjusted so that the bag-of-tokens vector of a
standards text (mean of its token rows, L2-normalized, exactly as src/align/embed.rs computes
it) lands close to the full model's sentence embedding of that text:

1. Training texts come ONLY from the shipped standards in data/standards/: the CCSS math and ELA
   ASN JSON trees (`text` and `asn_comment.literal`), the NGSS RDF/XML statements (description
   and asn:comment) and the DC/MD/PA ASN RDF/JSON files (dc:terms/description). Each text is
   used whole and, when it has several sentences, sentence by sentence; CCSS math statements
   also give "statement + parent heading" and "statement + parent + grandparent" (the way the
   matcher builds candidate texts; left out for the other files only to keep the full-model
   pass at ~13 minutes). HTML is stripped as in scripts/eval-static-embeddings.py; exact
   duplicates are dropped: 8097 texts, 252k word pieces. Nothing from /work/shared/eval is read.
2. Targets: the full model's mean-pooled sentence embedding (scripts/minilm.py, float32,
   [CLS] text [SEP] truncated to 256 pieces, L2-normalized) of each text, projected with the same
   PCA as the distilled vectors (recomputed here from the distillation cache, identical code;
   no centering for the targets: s @ components), then L2-normalized. Cached in --cache.
3. Fit: rows Y = Y0 + D (Y0 = the distilled rows, SIF weight included) minimize
       mean_texts (1 - cos(sum_{t in text} Y_t, target))  +  lam * sum_t |D_t|^2 / |Y0_t|^2
   by full-batch Adam (--steps, --lr). The regularizer is relative to each row's length, so
   rarely seen tokens stay near their distilled vector; tokens absent from the training texts
   get no gradient and stay exactly as distilled. Special tokens and single punctuation marks
   are skipped as on the Rust side. 10% of the statements (all texts derived from them; chosen
   by a hash of the statement id) are held out and lam / steps were picked on their mean cosine
   to target (`--sweep` prints it): distilled 0.699; lam 1e-3 0.832, 1e-4 0.883 (150 steps),
   1e-5 0.891 at 100 steps (0.888 at 150: overfitting starts). Defaults: lam 1e-5, 100 steps,
   lr 1e-2. The final fit uses all texts.
4. Quantizes each row to int8 with scale max|x|/127 and writes --out/embeddings.bin (same format,
   vocab.txt unchanged; copied from --base).

Rebuild (from the repo root; the distillation first, into /tmp, then this; the full-model targets
take ~13 minutes on 2 busy cores the first time (cached in --cache), the fit 1-2 minutes):

    python3 -m venv /tmp/emb-venv
    /tmp/emb-venv/bin/pip install -r scripts/requirements-embeddings.txt
    nice -n 19 /tmp/emb-venv/bin/python scripts/distill-embeddings.py --out /tmp/aligner-distilled
    nice -n 19 /tmp/emb-venv/bin/python scripts/tokenlearn-embeddings.py \\
        --base /tmp/aligner-distilled --out data/embeddings

Deterministic: no random numbers (the hold-out split is a sha256 of the statement id), texts and
tokens are processed in a fixed order.

Phrase texts (`--corpus phrases`; NOT used for the shipped vectors, see below). `phrase_texts()`
makes short, title-like texts mechanically from the math standards (CCSS, DC, MD, PA) and
data/matching/synonyms.tsv, nothing else: `clause` (statements split at , ; : ( ) and bullets,
2+ words; 4.9k), `ngram` (word 1-4-grams without digits that neither start nor end with a
function word; 19.2k), `title` ("<Gerund> <noun phrase>": the WordNet verbs that start 3+
statements, as gerunds, with the 1-3-word n-grams made only of WordNet nouns/adjectives; a
noun phrase takes the first two such verbs of the statement where it first occurs; 6.6k, e.g.
"Solving word problems"), `syn` (each synonym phrase and each word list it adds; 1.2k) and
`gloss` (WordNet 3.0 glosses, all senses, of the standards' words seen twice or more; 6.9k;
WordNet from Debian's wordnet-base, `apt-get install wordnet-base`, read from
/usr/share/wordnet; the title and gloss kinds need it). `--kinds` picks them
(default clause,ngram,title,syn), `--phrase-weight` weighs their loss against a standards
text's. Their targets (38.4k texts, all kinds) took ~15 minutes on 2 busy cores, once (cached).
In `--sweep` the phrases of the held-out statements are left out and 10% of the phrases are
held out by a hash of the text; the held-out cosine is printed per kind (std / clause / ngram /
syn / title):

    distilled                                  0.699 / 0.708 / 0.787 / 0.803 / 0.773
    standards only (phrase weight 0), lam 1e-5  100 steps 0.891 / 0.864 / 0.835 / 0.871 / 0.811
                                               150 steps 0.888 / 0.861 / 0.826 / 0.866 / 0.801
    standards only, lam 1e-6, 100 steps        0.886 / 0.853 / 0.809 / 0.853 / 0.780
    with phrases (weight 1), lam 1e-5, 100     0.888 / 0.904 / 0.931 / 0.934 / 0.945
                                         150   0.888 / 0.905 / 0.933 / 0.936 / 0.946
    with phrases (weight 1), lam 1e-4, 150     0.864 / 0.887 / 0.919 / 0.919 / 0.930

So the phrases bring the static vectors much closer to the full model on short phrases (n-gram
0.83 -> 0.93, titles 0.81 -> 0.95) for 0.003 on the standards texts. It did not carry over to
the tool. Measured with scripts/eval-dev.sh (r@1 / r@5 / r@10: Khan titles with grade filter;
Khan titles without; MathFish texts without), each a full refit, then rebuild:

    shipped (standards only, 128 dims)      0.692/0.936/0.984  0.481/0.782/0.899  0.365/0.672/0.789
    phrases, weight 1, 150 steps            0.670/0.939/0.979  0.476/0.782/0.894  0.368/0.665/0.791
    phrases, weight 0.3, 150 steps          0.675/0.933/0.979  0.465/0.785/0.899  0.371/0.662/0.793
    standards + gloss, weight 1, 100 steps  0.702/0.936/0.979  0.481/0.787/0.896  0.366/0.671/0.794
    256 dims, standards only                0.694/0.942/0.979  0.484/0.787/0.899  0.370/0.675/0.786
    256 dims, phrases weight 0.3, 150 steps 0.692/0.944/0.979  0.481/0.787/0.888  0.366/0.667/0.786

(256 dims: scripts/distill-embeddings.py --dims 256 into another --base; 7.8 MB. No variant
gains 0.01 anywhere without a loss elsewhere; one Khan item is 0.003.) The
embeddings-only harness (scripts/eval-static-embeddings.py, same three rows, r@1/r@5/r@10) does
move: shipped 0.61/0.87/0.94, 0.37/0.66/0.78, 0.20/0.45/0.57; phrases weight 1
0.57/0.87/0.93, 0.36/0.68/0.77, 0.19/0.43/0.56; weight 0.3 0.59/0.88/0.94, 0.38/0.70/0.79,
0.19/0.43/0.57; gloss 0.59/0.86/0.93, 0.36/0.66/0.77, 0.22/0.45/0.58; 256 dims 0.61/0.88/0.95,
0.42/0.67/0.79, 0.22/0.46/0.60; 256 dims + phrases 0.3 0.61/0.87/0.94, 0.41/0.72/0.81,
0.21/0.47/0.59 (the full model: 0.61/0.89/0.94, 0.42/0.70/0.79, 0.21/0.49/0.63). The matcher's
fixed blend gives meaning a weight (w_embed_title 0.8) beside the words, and that blend does not
profit: with a higher weight (1.2) the 256-dim phrase vectors lose less than the shipped ones
(Khan without grade r@1 0.447 vs 0.404), but at the blend's own weight they tie.
Also tried (the code was not kept): extra learned rows for adjacent token pairs seen in 3+
standards texts (15k pairs, 2 MB; static harness 0.60/0.87/0.94, 0.39/0.65/0.76,
0.19/0.43/0.54: no better, so no Rust support was written), and mapping the rows of tokens
absent from the training texts through a least-squares linear map fitted on the trained rows
(no change: 0.61/0.87/0.94, 0.37/0.66/0.78, 0.20/0.45/0.57).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import shutil
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import minilm  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STD = ROOT / "data" / "standards"
DESC = "http://purl.org/dc/terms/description"
HAS_CHILD = "http://purl.org/gem/qualifiers/hasChild"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MAX_LEN = 256


def clean(s: str) -> str:
    s = html.unescape(html.unescape(s))
    s = re.sub(r"<[^>]+>", " ", s).replace("★", " ")
    return re.sub(r"\s+", " ", s).strip()


def sentences(s: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"(?<=[.!?;:])\s+(?=[A-Z(\"'])", s)]
    return [p for p in parts if len(p.split()) >= 3]


# ---------------------------------------------------------------------------------------------
# Statements: (group id, own texts, [parent text, grandparent text])


def ccss_statements(path: Path):
    out = []

    def walk(n, anc):
        text = clean(n.get("text", ""))
        own = [text] if text else []
        com = n.get("asn_comment")
        if isinstance(com, dict) and com.get("literal"):
            own.append(clean(com["literal"]))
        if own:
            out.append((n["id"], own, anc[:2]))
        for c in n.get("children", []):
            walk(c, ([text] if text else []) + anc)

    for top in json.loads(path.read_text(encoding="utf-8")):
        walk(top, [])
    return out


def ngss_statements(path: Path):
    ns = {"asn": "http://purl.org/ASN/schema/core/", "dcterms": "http://purl.org/dc/terms/",
          "gemq": "http://purl.org/gem/qualifiers/",
          "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    about = "{%s}about" % ns["rdf"]
    res = "{%s}resource" % ns["rdf"]
    root = ET.parse(path).getroot()
    nodes, parent = {}, {}
    for st in root.findall("asn:Statement", ns):
        sid = st.get(about)
        own = [clean(e.text or "") for e in st.findall("dcterms:description", ns)]
        own += [clean(e.text or "") for e in st.findall("asn:comment", ns)]
        nodes[sid] = [t for t in own if t]
        p = st.find("gemq:isChildOf", ns)
        if p is not None:
            parent[sid] = p.get(res)
    return _with_ancestors(nodes, parent)


def rdfjson_statements(path: Path):
    d = json.loads(path.read_text(encoding="utf-8"))
    nodes, parent = {}, {}
    for sid, v in d.items():
        if not any(t["value"].endswith("/Statement") for t in v.get(RDF_TYPE, [])):
            continue
        nodes[sid] = [clean(x["value"]) for x in v.get(DESC, []) if clean(x["value"])]
    for sid, v in d.items():
        for c in v.get(HAS_CHILD, []):
            parent[c["value"]] = sid
    return _with_ancestors(nodes, parent)


def _with_ancestors(nodes, parent):
    out = []
    for sid in nodes:  # file order
        anc, p = [], parent.get(sid)
        while p in nodes and len(anc) < 2:
            if nodes[p]:
                anc.append(nodes[p][0])
            p = parent.get(p)
        if nodes[sid]:
            out.append((sid, nodes[sid], anc))
    return out


def training_texts() -> tuple[list[str], list[str]]:
    """-> (texts, group ids), deduplicated, in a fixed order."""
    stmts = []  # (statement, with heading combinations?)
    stmts += [(x, True) for x in ccss_statements(STD / "ccss_math_D10003FB.json")]
    stmts += [(x, False) for x in ccss_statements(STD / "ccss_ela_D10003FC.json")]
    stmts += [(x, False) for x in ngss_statements(STD / "NextGenScience.xml")]
    for f in ("DC-math.json", "DC-english.json", "MD-math.json", "PA-math.json"):
        stmts += [(x, False) for x in rdfjson_statements(STD / f)]
    texts, groups, seen = [], [], set()

    def add(t, g):
        if t and t not in seen:
            seen.add(t)
            texts.append(t)
            groups.append(g)

    for (sid, own, anc), combos in stmts:
        for t in own:
            add(t, sid)
            ss = sentences(t)
            if len(ss) > 1:
                for s in ss:
                    add(s, sid)
        if not combos:
            continue
        head = own[0]
        if len(anc) >= 1:
            add(f"{head} {anc[0]}", sid)
        if len(anc) >= 2:
            add(f"{head} {anc[0]} {anc[1]}", sid)
    return texts, groups


# ---------------------------------------------------------------------------------------------


# Short, title-like texts made mechanically from the math standards and the synonym list
# (--corpus phrases). Each kind has its own group prefix so the hold-out is scored per kind.

MATH_FILES = ("DC-math.json", "MD-math.json", "PA-math.json")
WORDNET = Path("/usr/share/wordnet")  # Debian's wordnet-base (WordNet 3.0)
SYNONYMS = ROOT / "data" / "matching" / "synonyms.tsv"
STOP = set("""a an the and or but nor of to in on at by for with from as into onto than then that
this these those is are be been being was were it its their there they them he she his her we our
you your i which who whom whose what when where why how if so such not no can could will would should
may might must do does did e g eg ie etc also each every any all some both either neither other
another more most less least up down out over under about using use including include includes
via per one two three""".split())


def math_statements():
    out = list(ccss_statements(STD / "ccss_math_D10003FB.json"))
    for f in MATH_FILES:
        out += rdfjson_statements(STD / f)
    return out


def wordnet_lemmas(pos: str) -> set[str]:
    """Lemmas of WordNet's index.<pos> (single words and '_'-joined collocations)."""
    out = set()
    with open(WORDNET / f"index.{pos}", encoding="utf-8") as f:
        for line in f:
            if not line.startswith(" "):
                out.add(line.split(" ", 1)[0])
    return out


def singulars(w: str) -> list[str]:
    """Candidate singulars of `w` by its ending ("bodies" -> body, bodi, bodie; "sets" -> set)."""
    return [w[: -len(s)] + r for s, r in (("ies", "y"), ("es", ""), ("s", "")) if w.endswith(s)]


def noun_like(w: str, nouns: set[str]) -> bool:
    return w in nouns or any(x in nouns for x in singulars(w))


def word_ngrams(t: str, longest: int):
    """The word n-grams (1 to `longest` words, lower-cased) of a statement's runs of letters,
    as lists of words: per run, all 1-grams, then all 2-grams, and so on."""
    for seg in re.split(r"[^A-Za-z' -]+|\s-\s|--", t):
        w = [x.strip("'-").lower() for x in seg.split()]
        w = [x for x in w if x]
        for n in range(1, longest + 1):
            for i in range(len(w) - n + 1):
                yield w[i : i + n]


def wordnet_glosses(words: list[str], senses: int) -> list[str]:
    """Glosses (definition and examples, as WordNet writes them) of the first `senses` senses of
    each word, per part of speech, in the order given. `words` are looked up as lemmas and, for
    plurals, by their singular."""
    index, data = {}, {}
    for pos in ("noun", "verb", "adj", "adv"):
        with open(WORDNET / f"index.{pos}", encoding="utf-8") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                p = line.split()
                n_ptr = int(p[3])
                offs = p[6 + n_ptr:]
                index.setdefault(p[0], []).append((pos, offs[:senses]))
        with open(WORDNET / f"data.{pos}", encoding="utf-8") as f:
            for line in f:
                if line.startswith(" ") or "|" not in line:
                    continue
                data[(pos, line.split(" ", 1)[0])] = line.split("|", 1)[1].strip()
    out, seen = [], set()
    for w in words:
        keys = [w] + singulars(w)
        k = next((k for k in keys if k in index), None)
        if k is None:
            continue
        for pos, offs in index[k]:
            for o in offs:
                g = data.get((pos, o))
                if g and (pos, o) not in seen:
                    seen.add((pos, o))
                    out.append(g)
    return out


def phrase_texts(skip=frozenset()) -> list[tuple[str, str]]:
    """-> [(kind, text)]: clauses and word n-grams of the math standards, gerund + noun phrase
    titles, and the synonym list's phrases and word lists. Fixed order, may repeat. Statements
    whose id is in `skip` are left out (the hold-out of --sweep)."""
    stmts = [x for x in math_statements() if x[0] not in skip]
    out = []
    # Clauses: statements split at , ; : ( ) [ ] bullets and dashes, 2+ words.
    for _, own, _ in stmts:
        for t in own:
            for c in re.split(r"[,;:()\u2022\[\]]|\s[-\u2013]\s", t):
                c = c.strip(" .")
                if len(c.split()) >= 2:
                    out.append(("clause", c))
    # Word n-grams (1-4 words, no digits, not starting or ending with a function word).
    grams, order = {}, []
    for _, own, _ in stmts:
        for t in own:
            for g in word_ngrams(t, 4):
                if g[0] in STOP or g[-1] in STOP or len(g[0]) < 2 or len(g[-1]) < 2:
                    continue
                k = " ".join(g)
                if k not in grams:
                    grams[k] = 0
                    order.append(k)
                grams[k] += 1
    out += [("ngram", k) for k in order]
    # Titles: "<Gerund> <noun phrase>". Verbs: the WordNet verbs that start 3+ statements
    # ("Solve ...", "Compare ..."), as gerunds (the -ing form seen in the standards, else the
    # regular one). Noun phrases: the 1-3-word n-grams above whose words are all WordNet nouns or
    # adjectives (no function word, none of those verbs, no -ing word), the last a noun. Each
    # noun phrase gets the first two such verbs of the statement where it first occurs, or
    # (none there) two picked by a hash of the phrase.
    verbs, nouns = wordnet_lemmas("verb"), wordnet_lemmas("noun")
    adjs = wordnet_lemmas("adj")
    first, ing = {}, set()
    for _, own, _ in stmts:
        for t in own:
            w = [x.lower() for x in re.findall(r"[A-Za-z]+", t)]
            if w:
                first[w[0]] = first.get(w[0], 0) + 1
            ing |= {x for x in w if x.endswith("ing") and len(x) > 5}
    lead = sorted(v for v, c in first.items() if c >= 3 and v in verbs)

    def gerund(v):
        for g in (v + "ing", v[:-1] + "ing", v + v[-1] + "ing"):
            if g in ing:
                return g
        return (v[:-1] if v.endswith("e") and not v.endswith("ee") else v) + "ing"

    ger = {v: gerund(v) for v in lead}
    lead_set = set(lead)
    np_verbs = {}
    for _, own, _ in stmts:
        for t in own:
            words = [x.lower() for x in re.findall(r"[A-Za-z]+", t)]
            vs = list(dict.fromkeys(x for x in words if x in lead_set))[:2]
            for g in word_ngrams(t, 3):
                k = " ".join(g)
                if k in np_verbs or not noun_like(g[-1], nouns) or any(
                        x in STOP or x in lead_set or x.endswith("ing")
                        or not (noun_like(x, nouns) or x in adjs) for x in g):
                    continue
                np_verbs[k] = vs
    for k, vs in np_verbs.items():
        if not vs:
            h = hashlib.sha256(k.encode()).digest()
            vs = [lead[int.from_bytes(h[4 * j : 4 * j + 4], "little") % len(lead)]
                  for j in range(2)]
        for v in dict.fromkeys(vs):
            out.append(("title", f"{ger[v].capitalize()} {k}"))
    # WordNet glosses of the math standards' words (the 1-grams above seen twice or more): every
    # sense's definition with its examples, as WordNet writes them.
    words = [k for k in order if " " not in k and grams[k] >= 2]
    out += [("gloss", g) for g in wordnet_glosses(words, senses=99)]
    # Synonyms: the phrase and the words it adds, each alone.
    for line in SYNONYMS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        a, b = line.split("\t", 1)
        out += [("syn", a.strip()), ("syn", b.strip())]
    return out


# ---------------------------------------------------------------------------------------------


def pca(cache: Path, dims: int):
    """The PCA of scripts/distill-embeddings.py (pooling=token), from its cache."""
    x = np.load(cache / f"pooled-token-{minilm.SHA256['model.safetensors'][:12]}.npy")
    vocab = minilm.fetch_model(cache)["vocab.txt"].decode("utf-8").splitlines()
    special = np.array([t.startswith("[") and t.endswith("]") for t in vocab])
    fit = x[~special]
    mu = fit.mean(0)
    cov = (fit - mu).T @ (fit - mu) / len(fit)
    evals, evecs = np.linalg.eigh(cov)
    order = np.argsort(evals)[::-1][:dims]
    comps = evecs[:, order]
    signs = np.sign(comps[np.abs(comps).argmax(0), np.arange(comps.shape[1])])
    return mu, comps * signs


def targets(texts: list[str], cache: Path) -> np.ndarray:
    """Full-model sentence embeddings (384-d, L2-normalized), cached by the texts' hash."""
    key = hashlib.sha256("\x1e".join(texts).encode()).hexdigest()[:16]
    path = cache / f"tokenlearn-targets-{key}.npy"
    if path.exists():
        return np.load(path)
    model, tok = minilm.load_model(cache)
    # Sorted by length (little padding), in chunks cached separately so an interrupted run resumes.
    order = sorted(range(len(texts)), key=lambda i: (len(tok.encode(texts[i])), i))
    v = np.zeros((len(texts), 384))
    t0 = time.time()
    step = 1024
    for i in range(0, len(order), step):
        idx = order[i : i + step]
        ck = hashlib.sha256("\x1e".join(texts[j] for j in idx).encode()).hexdigest()[:16]
        cp = cache / f"tokenlearn-chunk-{ck}.npy"
        if cp.exists():
            v[idx] = np.load(cp)
        else:
            v[idx] = model.encode(tok, [texts[j] for j in idx], max_len=MAX_LEN)
            np.save(cp, v[idx])
        print(f"  targets {min(len(texts), i + step)}/{len(texts)}, {time.time() - t0:.0f} s",
              file=sys.stderr)
    np.save(path, v)
    return v


class Bags:
    """Token ids of each text as the static side counts them (skip tokens dropped, truncated like
    the model input), with index arrays for the segment sums."""

    def __init__(self, emb: minilm.StaticEmbeddings, texts: list[str]):
        toks, txt = [], []
        for i, t in enumerate(texts):
            ids = [j for j in emb.tok.encode(t)[: MAX_LEN - 2] if not emb.skip[j]]
            toks.extend(ids)
            txt.extend([i] * len(ids))
        self.tok = np.array(toks, dtype=np.int64)
        self.txt = np.array(txt, dtype=np.int64)
        self.n = len(texts)
        self.starts = np.searchsorted(self.txt, np.arange(self.n))
        self.empty = np.bincount(self.txt, minlength=self.n) == 0
        self.by_tok = np.argsort(self.tok, kind="stable")
        self.utok, self.tok_starts = np.unique(self.tok[self.by_tok], return_index=True)

    def sums(self, y: np.ndarray) -> np.ndarray:
        e = np.add.reduceat(y[self.tok], np.minimum(self.starts, len(self.tok) - 1), axis=0)
        e[self.empty] = 0.0
        return e

    def scatter(self, g_text: np.ndarray, rows: int) -> np.ndarray:
        g = np.zeros((rows, g_text.shape[1]))
        g[self.utok] = np.add.reduceat(g_text[self.txt[self.by_tok]], self.tok_starts, axis=0)
        return g


def cos_to_target(bags: Bags, y: np.ndarray, t: np.ndarray) -> np.ndarray:
    e = bags.sums(y)
    n = np.linalg.norm(e, axis=1)
    return np.where(n > 0, (e * t).sum(1) / np.maximum(n, 1e-12), 0.0)


def fit(bags: Bags, t: np.ndarray, y0: np.ndarray, lam: float, steps: int, lr: float,
        val=None, report=50, weight=None):
    """Full-batch Adam on D (y = y0 + D), the loss of each text weighted by `weight`. Returns y
    and the validation curve [(step, [held-out cos per mask of val[2]], train cos)]."""
    norm2 = np.maximum((y0 ** 2).sum(1, keepdims=True), 1e-12)
    d = np.zeros_like(y0)
    m = np.zeros_like(y0)
    v = np.zeros_like(y0)
    b1, b2, eps = 0.9, 0.999, 1e-8
    live = bags.utok
    curve = []
    w = (~bags.empty).astype(np.float64)
    if weight is not None:
        w = w * weight
    for s in range(1, steps + 1):
        y = y0 + d
        e = bags.sums(y)
        n = np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-12)
        u = e / n
        c = (u * t).sum(1, keepdims=True)
        # d(1 - u.t)/de = -(t - c u) / |e|, averaged over texts
        ge = -(t - c * u) / n * w[:, None] / w.sum()
        g = bags.scatter(ge, len(y0)) + 2.0 * lam * d / norm2
        gl = g[live]
        m[live] = b1 * m[live] + (1 - b1) * gl
        v[live] = b2 * v[live] + (1 - b2) * gl * gl
        mh = m[live] / (1 - b1 ** s)
        vh = v[live] / (1 - b2 ** s)
        d[live] -= lr * mh / (np.sqrt(vh) + eps)
        if val is not None and (s % report == 0 or s == steps):
            vb, vt = val[0], val[1]
            cv = cos_to_target(vb, y0 + d, vt)
            curve.append((s, [float(cv[k & ~vb.empty].mean()) for k in val[2]],
                          float((c[:, 0] * w).sum() / w.sum())))
    return y0 + d, curve


def quantize(y: np.ndarray):
    amax = np.abs(y).max(1)
    scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(y / scale[:, None].astype(np.float64)), -127, 127).astype(np.int8)
    return scale, q


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=Path, default=Path("/tmp/aligner-distilled"),
                    help="output of scripts/distill-embeddings.py (embeddings.bin, vocab.txt)")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "embeddings")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/aligner-emb-cache"))
    ap.add_argument("--lam", type=float, default=1e-5)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--sweep", action="store_true",
                    help="fit on 90%% of the statements for several --lam values, print the "
                         "held-out cosine curve, write nothing")
    ap.add_argument("--lams", default="1e-5,1e-4,1e-3")
    ap.add_argument("--corpus", choices=["standards", "phrases"], default="standards",
                    help="standards: the standards' texts only; phrases: also the short texts "
                         "of phrase_texts()")
    ap.add_argument("--kinds", default="clause,ngram,title,syn",
                    help="with --corpus phrases: which kinds of phrase_texts() to add "
                         "(clause, ngram, title, syn, gloss)")
    ap.add_argument("--phrase-weight", type=float, default=1.0,
                    help="loss weight of a phrase text relative to a standards text")
    ap.add_argument("--report", type=int, default=50, help="--sweep: steps between reports")
    args = ap.parse_args()

    texts, groups = training_texts()
    held = np.array([hashlib.sha256(g.encode()).digest()[0] < 26 for g in groups])  # ~10%
    held_ids = frozenset(g for g, h in zip(groups, held) if h)
    print(f"{len(texts)} standards texts from {len(set(groups))} statements "
          f"({held.sum()} held out for --sweep)", file=sys.stderr)
    kinds = ["std"] * len(texts)
    if args.corpus == "phrases":
        # In --sweep the phrases come only from the training statements (the held-out
        # statements' words may still occur elsewhere) and 10% of them are held out by a hash
        # of the text.
        seen = set(texts)
        use = set(args.kinds.split(","))
        for kind, x in phrase_texts(held_ids if args.sweep else frozenset()):
            if kind in use and x not in seen:
                seen.add(x)
                texts.append(x)
                groups.append(f"{kind}:{x}")
                kinds.append(kind)
        held = np.array([hashlib.sha256(g.encode()).digest()[0] < 26 for g in groups])
        print(f"{len(texts)} texts with the phrases", file=sys.stderr)
    kinds = np.array(kinds)
    n_std = int((kinds == "std").sum())
    s = targets(texts[:n_std], args.cache)
    if len(texts) > n_std:
        # Targets of all phrases (the --sweep subset included) in one cached list.
        std = set(texts[:n_std])
        every = list(dict.fromkeys(x for _, x in phrase_texts() if x not in std))
        row = dict(zip(every, targets(every, args.cache)))
        # (--sweep: a title whose verbs came from a held-out statement is not in that list.)
        ok = np.array([k == "std" or x in row for k, x in zip(kinds, texts)])
        texts = [x for x, o in zip(texts, ok) if o]
        groups = [x for x, o in zip(groups, ok) if o]
        kinds, held = kinds[ok], held[ok]
        s = np.concatenate([s, np.stack([row[x] for x in texts[n_std:]])])

    base = minilm.StaticEmbeddings.from_dir(args.base)
    y0 = base.m.astype(np.float64)
    y0[base.skip] = 0.0
    mu, comps = pca(args.cache, y0.shape[1])
    t = s @ comps
    t /= np.linalg.norm(t, axis=1, keepdims=True)
    weight = np.where(kinds == "std", 1.0, args.phrase_weight)

    if args.sweep:
        tr = [x for x, h in zip(texts, held) if not h]
        va = [x for x, h in zip(texts, held) if h]
        btr, bva = Bags(base, tr), Bags(base, va)
        names = sorted(set(kinds[held]), key=lambda k: (k != "std", k))
        masks = [kinds[held] == k for k in names]
        c0 = cos_to_target(bva, y0, t[held])
        print("held-out cos to target by kind (" + ", ".join(
            f"{k} {m.sum()}" for k, m in zip(names, masks)) + ")")
        print("distilled: " + " ".join(f"{c0[m & ~bva.empty].mean():.4f}" for m in masks))
        for lam in [float(x) for x in args.lams.split(",")]:
            _, curve = fit(btr, t[~held], y0, lam, args.steps, args.lr,
                           val=(bva, t[held], masks), weight=weight[~held],
                           report=args.report)
            print(f"lam {lam:g}: " + "  ".join(
                f"{st}:" + "/".join(f"{x:.4f}" for x in cv) + f"(tr {ct:.3f})"
                for st, cv, ct in curve))
        return

    bags = Bags(base, texts)
    y, curve = fit(bags, t, y0, args.lam, args.steps, args.lr, weight=weight)
    curve_start = float(cos_to_target(bags, y0, t)[~bags.empty].mean())
    curve_end = float(cos_to_target(bags, y, t)[~bags.empty].mean())
    y[base.skip] = 0.0
    args.out.mkdir(parents=True, exist_ok=True)
    scale, q = quantize(y)
    minilm.write_matrix(args.out / "embeddings.bin", scale, q)
    if (args.out / "vocab.txt").resolve() != (args.base / "vocab.txt").resolve():
        shutil.copyfile(args.base / "vocab.txt", args.out / "vocab.txt")
    moved = np.linalg.norm(y - y0, axis=1) / np.maximum(np.linalg.norm(y0, axis=1), 1e-12)
    print(f"wrote {args.out}: {len(bags.utok)} tokens trained (median relative change "
          f"{np.median(moved[bags.utok]):.3f}), train cos to target {curve_start:.4f} -> "
          f"{curve_end:.4f}", file=sys.stderr)


if __name__ == "__main__":
    main()
