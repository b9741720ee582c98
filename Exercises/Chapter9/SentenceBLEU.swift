// Exercise 9.7: sentence BLEU. See Exercises.swift for how to run the checks.

import Evaluation
import ExerciseSupport
import Foundation

/// Exercise 9.7 ★★★ — Sentence BLEU with smoothing and the closest reference length.
///
/// Return sacreBLEU's sentence BLEU, on the 0-100 scale, of a tokenized hypothesis against one or
/// more tokenized references, as `sacrebleu.sentence_bleu` computes it:
///
/// - For n = 1...4: the clipped matches (each hypothesis n-gram credited at most its largest count
///   in any one reference) and the total (the hypothesis's n-grams).
/// - Tokens compare as in Python, scalar by scalar: "café" written with é (NFC) and with
///   e + U+0301 (NFD) are different tokens, although Swift's `==` calls them equal.
/// - c = the hypothesis length; r = the reference length closest to c, the shorter on a tie.
///   BP = 1 if c ≥ r, 0 if c = 0, exp(1 − r/c) otherwise.
/// - If no n-gram of any order matches, BLEU is 0.
/// - The effective order: stop at the first order whose total is 0; N is the number of orders
///   before it.
/// - 'exp' smoothing: the i-th order with no match (i = 1, 2, … counting only such orders) gets
///   pₙ = 1 / (2ⁱ · totalₙ); the others pₙ = matchesₙ / totalₙ.
/// - BLEU = 100 · BP · exp((1/N) Σₙ log pₙ).
///
/// "the cat is on the mat" against "the cat sat on the mat" and "there is a cat on the mat"
/// gives 39.76; "the cat sat" against "the cat sat on the mat" gives 36.79.
/// Do not call `sentenceBLEU`, `corpusBLEU`, `bleuFromStatistics`, `bleuStatistics`,
/// `modifiedPrecision`, `closestReferenceLength`, `brevityPenalty`, `ngramCounts`, `NGram` or `BLEU`.
public func smoothedSentenceBLEU(hypothesis: [String], references: [[String]]) throws -> Double {
    throw NotAttempted("9.7")
}
