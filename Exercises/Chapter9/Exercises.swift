// Chapter 9 exercises: training and evaluating sequence models.
//
// Replace each `throw NotAttempted(...)` with your answer, then run
//
//     swift test --filter Chapter9
//
// Each exercise's test passes, fails with a message, or is reported as cancelled while it is
// still a stub. `swift run book hint 9.3` prints a hint. You may use anything in the `Evaluation`,
// `Tensors` and `ScalarAutodiff` modules *except* the function an exercise asks you to write.

import Evaluation
import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors

/// Exercise 9.1 ★ — Label-smoothed targets.
///
/// Return q = (1 − ε) · onehot(y) + ε / V, the PyTorch label-smoothing target for gold class y
/// among V classes. Do not call `smoothedTargets` or `labelSmoothedCrossEntropy`.
public func labelSmoothingTargets(target y: Int, classes V: Int, epsilon ε: Float) throws -> [Float] {
    throw NotAttempted("9.1")
}

/// Exercise 9.2 ★ — Perplexity.
///
/// Return PPL = exp(−(1/T) Σₜ log p(yₜ | y<ₜ)) for the log-probabilities the model gave the T gold
/// tokens. Do not call `corpusPerplexity` or `perplexityFromLoss`.
public func tokenPerplexity(_ logProbabilities: [Double]) throws -> Double {
    throw NotAttempted("9.2")
}

/// Exercise 9.3 ★★ — Modified (clipped) n-gram precision.
///
/// Return BLEU's numerator and denominator for order n: matches = Σ_g min(count_hyp(g),
/// maxₖ count_refₖ(g)) over the hypothesis n-grams g, and total = the number of hypothesis
/// n-grams. "the the the the the the the" against "the cat is on the mat" gives (2, 7) for n = 1,
/// and "the the the" against the two references "the cat" and "the dog" gives (1, 3): the limit
/// is the largest count in any one reference, not the sum over references.
/// Do not call `modifiedPrecision`, `bleuStatistics`, `ngramCounts` or `BLEU`.
public func clippedPrecision(hypothesis: [String], references: [[String]], n: Int) throws -> (matches: Int, total: Int) {
    throw NotAttempted("9.3")
}

/// Exercise 9.4 ★ — The brevity penalty.
///
/// Return BP = 1 if c ≥ r, exp(1 − r/c) if 0 < c < r, and 0 if c = 0, for a hypothesis of c tokens
/// and a reference length r. Do not call `brevityPenalty`.
public func brevity(hypothesisLength c: Int, referenceLength r: Int) throws -> Double {
    throw NotAttempted("9.4")
}

/// Exercise 9.5 ★★ — BLEU from corpus statistics.
///
/// Given the corpus totals for n = 1...4 (clipped matches and hypothesis n-grams) and the lengths
/// c and r, return unsmoothed BLEU on the 0-100 scale:
/// 100 · BP · exp((1/4) Σₙ log(matchesₙ / totalₙ)), or 0 if any matchesₙ is 0.
/// Do not call `bleuFromStatistics`, `corpusBLEU`, `sentenceBLEU`, `brevityPenalty` or `BLEU`.
public func bleuScore(matches: [Int], totals: [Int], hypothesisLength c: Int, referenceLength r: Int) throws -> Double {
    throw NotAttempted("9.5")
}

/// Exercise 9.6 ★★ — Longest common subsequence for ROUGE-L.
///
/// Return the length of the longest sequence of tokens that appears in both a and b in the same
/// order, not necessarily adjacent. "the cat sat on the mat" and "the cat on a mat" give 4.
/// Do not call `longestCommonSubsequence`, `rougeL`, `rouge`, `summaryLevelLCS`, `lcsIndices` or `lcsTable`.
public func lcsLength(_ a: [String], _ b: [String]) throws -> Int {
    throw NotAttempted("9.6")
}
