"""Reference BLEU, chrF and ROUGE numbers for chapter 9's agreement tests.

Run by hand (never by CI), from the top of the book:

    python3 -m venv /work/venv && /work/venv/bin/pip install sacrebleu rouge-score
    /work/venv/bin/python Tools/metric_fixtures.py > Tests/Fixtures/chapter9-metrics.json

It makes a seeded set of sentence pairs (punctuation, numbers, capitals, accented text written
both precomposed (NFC) and decomposed (NFD), Greek, symbols, unusual whitespace, HTML entities,
several references for some pairs, several lines for some) and scores every pair with

- sacreBLEU's sentence BLEU (its defaults: 'exp' smoothing, effective order) under the tokenizers
  13a (the default), none, intl and char, and 13a with lowercasing; the 13a and intl tokenizations;
- sacreBLEU's chrF (chrF2: character 6-grams, beta 2), plain and lowercased;
- rouge-score's score_multi (the best reference by F) for rouge1, rouge2, rougeL and rougeLsum,
  without and with the Porter stemmer;

then corpus BLEU and chrF over the whole set (first references) and over the pairs with two or
more references (two streams); the signatures; and NLTK's Porter stems of a list of words.
Tests/Chapter9Tests/MetricFixtureTests.swift reads the JSON and asserts agreement to 1e-9.
"""
import json
import random
import sys
import unicodedata

import nltk
import rouge_score
import sacrebleu
from nltk.stem import porter
from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU, CHRF

SEED = 2024
PAIRS = 240

# Words to build sentences from. Accented words are written precomposed (NFC) here; the
# generator turns some of them into their decomposed (NFD) form.
WORDS = (
    "the a cat cats dog dogs sat sits sitting on mat mats ran running runs quickly slowly house "
    "houses was were is are be been being happy happiness happily generously relational "
    "conditional hopeful hopefulness goodness allowance adjustment dependent adoption activate "
    "effective bowdlerize controlling rolling feeding agreed plastered motoring hopping tanned "
    "falling hissing fizzed failing filing skies dying lying news innings proceed university "
    "universal organization organizing teachers teaching taught student students studying "
    "studies studied running runner ran red blue green table tables chair chairs and or but "
    "with without from into over under between because therefore however"
).split()
ACCENTED = ["café", "naïve", "résumé", "élève", "über", "Straße", "Ångström", "façade", "señor",
            "crème", "brûlée", "coöperate", "Zürich", "São", "Paulo", "Ελλάδα", "ΟΔΟΣ", "ΣΟΦΟΣ",
            "İstanbul", "\u212aelvin", "ﬁne", "ＡＢＣ", "中文", "日本語", "Привет", "мир"]
NUMBERS = ["3.14", "1,000", "42", "2-3", "1990.", "0.5", "10,5", "7th", "100%", "$5", "€20",
           "12:30", "2024-01-01", "+1", "−2", "1/2", "#1"]
PUNCTUATED = ["cat,", "mat.", "(hi)", "\"quoted\"", "don't", "e-mail", "U.S.", "a+b", "x/y",
              "@home", "<b>", "&amp;", "&quot;yes&quot;", "&lt;tag&gt;", "it's", "well...", "end!",
              "why?", "semi;colon", "colon:", "[note]", "{set}", "under_score", "back\\slash",
              "tilde~", "caret^", "pipe|", "“curly”", "‘single’", "—dash—", "…", "«guillemets»",
              "¡hola!", "¿qué?", "🙂", "★", "©", "±", "°C", "<skipped>", "x-\ny"]
SPACES = [" ", " ", " ", " ", "  ", "\t", "\u00a0", "\u2009", "\u3000", "\u001c", "\u001f", "\u0085"]


def nfd_some(text, rng):
    """Decomposes each accented word with probability 1/2."""
    return " ".join(unicodedata.normalize("NFD", w) if rng.random() < 0.5 else w for w in text.split(" "))


def sentence(rng):
    n = rng.randint(3, 14)
    words = []
    for _ in range(n):
        r = rng.random()
        if r < 0.62:
            words.append(rng.choice(WORDS))
        elif r < 0.75:
            words.append(rng.choice(ACCENTED))
        elif r < 0.86:
            words.append(rng.choice(NUMBERS))
        else:
            words.append(rng.choice(PUNCTUATED))
    if rng.random() < 0.6:
        words[0] = words[0][:1].upper() + words[0][1:]
    if rng.random() < 0.3:
        words = [w.upper() if rng.random() < 0.2 else w for w in words]
    text = " ".join(words)
    if rng.random() < 0.6:
        text += rng.choice([".", "!", "?", " .", ",", ";", "..."])
    return text


def noisy_copy(text, rng):
    words = text.split(" ")
    out = []
    for w in words:
        r = rng.random()
        if r < 0.10:
            continue
        if r < 0.22:
            out.append(rng.choice(WORDS + ACCENTED + NUMBERS))
        elif r < 0.27:
            out.append(w.lower() if w != w.lower() else w.capitalize())
        else:
            out.append(w)
        if rng.random() < 0.04:
            out.append(rng.choice(WORDS))
    if rng.random() < 0.15 and len(out) > 2:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    result = " ".join(out)
    if rng.random() < 0.3:
        result = nfd_some(result, rng)
    if rng.random() < 0.15:
        result = "".join(rng.choice(SPACES) if ch == " " else ch for ch in result)
    if rng.random() < 0.08:
        result = " " + result + rng.choice(["", " ", "  ", "\t"])
    return result


def handmade():
    """Edge cases named in the text and the issue tracker."""
    return [
        ("The cat sat on the mat.", ["The cat, sat on the mat."]),
        ("le cafe\u0301", ["le caf\u00e9"]),
        ("le caf\u00e9", ["le caf\u00e9"]),
        ("the cats were running", ["the cat was running"]),
        ("", ["the cat"]),
        ("the cat", [""]),
        ("a\u001cb c", ["a b c"]),
        ("the the the", ["the cat", "the dog"]),
        ("the cat is on the mat", ["the cat sat on the mat", "there is a cat on the mat"]),
        ("It costs $5.50, or 1,000 yen.", ["It costs $ 5.50 , or 1,000 yen ."]),
        ("ΟΔΟΣ ΣΟΦΟΣ.", ["οδος σοφος."]),
        ("First sentence here.\nSecond one, shorter.", ["First sentence.\nA second one is shorter.\nAnd a third."]),
        ("police killed the gunman", ["the gunman was shot down by police"]),
        ("generously relational conditional hopefulness", ["generous relate condition hopeful"]),
    ]


def score_pair(hyp, refs, scorers, stemmed, bleu_sentence, chrf_sentence):
    bleu = {name: metric.sentence_score(hyp, refs).score for name, metric in bleu_sentence.items()}
    chrf = {name: metric.sentence_score(hyp, refs).score for name, metric in chrf_sentence.items()}

    def rouge(scorer):
        s = scorer.score_multi(refs, hyp)
        return {k: [s[k].precision, s[k].recall, s[k].fmeasure] for k in ("rouge1", "rouge2", "rougeL", "rougeLsum")}

    return {
        "hypothesis": hyp,
        "references": refs,
        "tokens13a": bleu_sentence["13a"].tokenizer(hyp.rstrip()),
        "tokensIntl": bleu_sentence["intl"].tokenizer(hyp.rstrip()),
        "bleu": bleu,
        "chrf": chrf,
        "rouge": rouge(scorers),
        "rougeStemmed": rouge(stemmed),
    }


def stem_words(rng):
    stems = ["run", "hop", "sit", "plaster", "motor", "feed", "agree", "relate", "condition",
             "hope", "good", "allow", "adjust", "depend", "adopt", "activ", "effect", "bowdler",
             "control", "roll", "fall", "hiss", "fizz", "fail", "file", "happi", "sky", "generous",
             "formal", "sensitiv", "electric", "triplic", "revive", "infer", "airlin", "gyroscop",
             "defens", "irrit", "replac", "homolog", "commun", "angular", "probat", "cease",
             "digit", "conform", "radic", "differ", "vile", "analog", "vietnam", "predic",
             "oper", "feud", "decis", "callous", "logic", "fulli", "univers", "organ", "teach"]
    suffixes = ["", "s", "es", "ies", "ed", "ied", "ing", "ly", "ness", "ful", "fulness", "ation",
                "ational", "tional", "ence", "enci", "ance", "anci", "izer", "ize", "ization",
                "ism", "ist", "iti", "iviti", "biliti", "aliti", "ator", "ative", "alize",
                "iciti", "ical", "ement", "ment", "ent", "ion", "ous", "ousli", "ive", "ible",
                "able", "al", "ant", "er", "ic", "ate", "ou", "y", "e", "eed", "sses", "ss",
                "alli", "entli", "eli", "logi", "bli", "abli"]
    words = {s + x for s in stems for x in suffixes}
    words |= {"caresses", "ponies", "ties", "caress", "cats", "feed", "agreed", "plastered",
              "bled", "motoring", "sing", "conflated", "troubled", "sized", "hopping", "tanned",
              "falling", "hissing", "fizzed", "failing", "filing", "happy", "sky", "skies",
              "dying", "lying", "tying", "news", "innings", "inning", "outings", "cannings",
              "howe", "proceed", "exceed", "succeed", "enjoy", "spy", "fly", "try", "yyyy",
              "syzygy", "toy", "by", "ivy", "oats", "trees", "orrery", "oaten", "controll",
              "roll", "rate", "cease", "generalization", "oscillators", "a", "is", "as", "ow",
              "ox", "dies", "spied", "tied", "died", "1990s", "b2b", "42nd", "agreement"}
    words |= {w for w in WORDS if w.isalpha()}
    return sorted(words)


def main():
    rng = random.Random(SEED)
    pairs = handmade()
    while len(pairs) < PAIRS:
        reference = sentence(rng)
        if rng.random() < 0.1:
            reference += "\n" + sentence(rng)
        count = 1 if rng.random() < 0.7 else (2 if rng.random() < 0.66 else 3)
        refs = [reference] + [noisy_copy(reference, rng) for _ in range(count - 1)]
        if rng.random() < 0.3:
            refs = [nfd_some(r, rng) for r in refs]
        r = rng.random()
        hyp = reference if r < 0.04 else ("" if r < 0.06 else noisy_copy(reference, rng))
        pairs.append((hyp, refs))

    bleu_sentence = {
        "13a": BLEU(effective_order=True),
        "none": BLEU(tokenize="none", effective_order=True),
        "intl": BLEU(tokenize="intl", effective_order=True),
        "char": BLEU(tokenize="char", effective_order=True),
        "13a-lowercase": BLEU(lowercase=True, effective_order=True),
    }
    chrf_sentence = {"default": CHRF(), "lowercase": CHRF(lowercase=True)}
    plain = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=False)
    stemmed = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
    scored = [score_pair(h, r, plain, stemmed, bleu_sentence, chrf_sentence) for h, r in pairs]

    def corpus(name, indices, streams):
        hyps = [pairs[i][0] for i in indices]
        refs = [[pairs[i][1][k] for i in indices] for k in range(streams)]
        bleu = {}
        signatures = {}
        for config, kwargs in [("13a", {}), ("none", {"tokenize": "none"}), ("intl", {"tokenize": "intl"}),
                               ("char", {"tokenize": "char"}), ("13a-lowercase", {"lowercase": True})]:
            metric = BLEU(**kwargs)
            result = metric.corpus_score(hyps, refs)
            bleu[config] = {"score": result.score, "counts": result.counts, "totals": result.totals,
                            "hypothesisLength": result.sys_len, "referenceLength": result.ref_len,
                            "text": result.format(signature=str(metric.get_signature()))}
        chrf = {}
        for config, kwargs in [("default", {}), ("lowercase", {"lowercase": True})]:
            metric = CHRF(**kwargs)
            result = metric.corpus_score(hyps, refs)
            chrf[config] = {"score": result.score, "text": result.format(signature=str(metric.get_signature()))}
        return {"name": name, "pairs": indices, "streams": streams, "bleu": bleu, "chrf": chrf}

    corpora = [
        corpus("every pair, first reference", list(range(len(pairs))), 1),
        corpus("pairs with two or more references, two streams", [i for i, p in enumerate(pairs) if len(p[1]) >= 2], 2),
    ]
    stemmer = porter.PorterStemmer()
    words = stem_words(rng)
    json.dump({
        "made by": "Tools/metric_fixtures.py",
        "sacrebleu": sacrebleu.__version__,
        "rouge-score": getattr(rouge_score, "__version__", "0.1.2"),
        "nltk": nltk.__version__,
        "python unicodedata": unicodedata.unidata_version,
        "pairs": scored,
        "corpora": corpora,
        "stems": [[w, stemmer.stem(w)] for w in words],
    }, sys.stdout, indent=1, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
