"""Reference BLEU and ROUGE numbers for Tests/Chapter9Tests/MetricFixtureTests.swift.

Run by hand (never by CI):

    pip install sacrebleu rouge-score
    python3 Tools/bleu_rouge_fixtures.py

BLEU is sacreBLEU with tokenize='none' (whitespace split, no lowercasing): corpus BLEU with its
default 'exp' smoothing and with 'none', sentence BLEU with its defaults ('exp', effective order)
and with 'floor'. ROUGE is rouge-score's RougeScorer(['rouge1', 'rouge2', 'rougeL'],
use_stemmer=False) with its default tokenizer; score(target, prediction) takes the reference first.
The printed lines are Swift literals pasted into the test file.
"""
import json
import random

import sacrebleu
from rouge_score import rouge_scorer

# (name, hypothesis, [references]) for single sentences.
CASES = [
    ("perfect", "the cat sat on the mat", ["the cat sat on the mat"]),
    ("no overlap", "a b c d e", ["f g h i j"]),
    ("short hypothesis", "the cat sat", ["the cat sat on the mat"]),
    ("long hypothesis", "the cat sat on the mat and then it slept", ["the cat sat on the mat"]),
    ("clipping", "the the the the the the the", ["the cat is on the mat"]),
    ("repeated bigrams", "the cat the cat the cat", ["the cat sat with the cat"]),
    ("two references", "the cat is on the mat", ["the cat sat on the mat", "there is a cat on the mat"]),
    ("closest reference tie", "a b c d e", ["a b c d", "a b c d e f"]),
    ("one token", "cat", ["the cat"]),
    ("no 4-grams", "on the mat", ["the cat sat on the mat"]),
    ("unigrams only", "mat the on sat cat", ["the cat sat on the mat"]),
    ("reordered", "sat the cat on mat the", ["the cat sat on the mat"]),
]


def seeded_corpus(seed, sentences=20, vocabulary=8):
    """Random sentences over a small vocabulary, each hypothesis a noisy copy of its reference."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(vocabulary)]
    hyps, refs = [], []
    for _ in range(sentences):
        ref = [rng.choice(words) for _ in range(rng.randint(3, 12))]
        hyp = [w if rng.random() < 0.7 else rng.choice(words) for w in ref]
        if rng.random() < 0.3:
            hyp = hyp[: max(1, len(hyp) - rng.randint(1, 3))]
        hyps.append(" ".join(hyp))
        refs.append(" ".join(ref))
    return hyps, refs


def swift_array(xs):
    return "[" + ", ".join(repr(round(x, 10)) for x in xs) + "]"


def main():
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
    print("// Sentence cases: name, hypothesis, references,")
    print("// sentence BLEU exp, sentence BLEU floor, corpus-of-one BLEU exp, corpus-of-one BLEU none")
    for name, hyp, refs in CASES:
        exp = sacrebleu.sentence_bleu(hyp, refs, tokenize="none").score
        floor = sacrebleu.sentence_bleu(hyp, refs, smooth_method="floor", tokenize="none").score
        corpus_exp = sacrebleu.corpus_bleu([hyp], [[r] for r in refs], tokenize="none").score
        corpus_none = sacrebleu.corpus_bleu([hyp], [[r] for r in refs], smooth_method="none", tokenize="none").score
        print(f"BLEUCase({json.dumps(name)}, {json.dumps(hyp)}, {json.dumps(refs)}, "
              + f"sentenceExp: {exp!r}, sentenceFloor: {floor!r}, corpusExp: {corpus_exp!r}, corpusNone: {corpus_none!r}),")
    print()
    print("// Seeded corpora (Python random.Random(seed), 20 noisy copies): corpus BLEU exp, precisions, BP, c, r")
    for seed in (1, 2, 3):
        hyps, refs = seeded_corpus(seed)
        result = sacrebleu.corpus_bleu(hyps, [refs], tokenize="none")
        print(f"CorpusCase(seed: {seed}, hypotheses: {json.dumps(hyps)},")
        print(f"           references: {json.dumps(refs)},")
        print(f"           score: {result.score!r}, precisions: {swift_array(result.precisions)}, "
              f"brevityPenalty: {result.bp!r}, hypothesisLength: {result.sys_len}, referenceLength: {result.ref_len}),")
    print()
    print("// ROUGE cases: candidate, reference, then (P, R, F) for rouge1, rouge2, rougeL")
    rouge_cases = [(hyp, refs[0]) for _, hyp, refs in CASES] + [
        ("The Cat's mat!", "the cat sat on the MAT."),
        ("police killed the gunman", "the gunman was shot down by police"),
        ("", "the cat"),
        ("café au lait, s'il vous plaît", "cafe au lait please"),
    ]
    for cand, ref in rouge_cases:
        s = scorer.score(ref, cand)
        triple = lambda k: f"({s[k].precision!r}, {s[k].recall!r}, {s[k].fmeasure!r})"
        print(f"ROUGECase({json.dumps(cand, ensure_ascii=False)}, {json.dumps(ref)}, "
              f"rouge1: {triple('rouge1')}, rouge2: {triple('rouge2')}, rougeL: {triple('rougeL')}),")


if __name__ == "__main__":
    main()
