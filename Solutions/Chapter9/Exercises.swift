// Chapter 9 exercises: reference answers. Same public API as Exercises/Chapter9.

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
    var q = [Float](repeating: ε / Float(V), count: V)
    q[y] += 1 - ε
    return q
}

/// Exercise 9.2 ★ — Perplexity.
///
/// Return PPL = exp(−(1/T) Σₜ log p(yₜ | y<ₜ)) for the log-probabilities the model gave the T gold
/// tokens. Do not call `corpusPerplexity` or `perplexityFromLoss`.
public func tokenPerplexity(_ logProbabilities: [Double]) throws -> Double {
    let meanNLL = -logProbabilities.reduce(0, +) / Double(logProbabilities.count)
    return exp(meanNLL)
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
    func counts(_ tokens: [String]) -> [[String]: Int] {
        var result: [[String]: Int] = [:]
        if tokens.count >= n {
            for start in 0...(tokens.count - n) { result[Array(tokens[start..<start + n]), default: 0] += 1 }
        }
        return result
    }
    var maximum: [[String]: Int] = [:]
    for reference in references {
        for (gram, count) in counts(reference) { maximum[gram] = max(maximum[gram] ?? 0, count) }
    }
    let matches = counts(hypothesis).reduce(0) { $0 + min($1.value, maximum[$1.key] ?? 0) }
    return (matches, max(hypothesis.count - n + 1, 0))
}

/// Exercise 9.4 ★ — The brevity penalty.
///
/// Return BP = 1 if c ≥ r, exp(1 − r/c) if 0 < c < r, and 0 if c = 0, for a hypothesis of c tokens
/// and a reference length r. Do not call `brevityPenalty`.
public func brevity(hypothesisLength c: Int, referenceLength r: Int) throws -> Double {
    if c >= r { return 1 }
    if c == 0 { return 0 }
    return exp(1 - Double(r) / Double(c))
}

/// Exercise 9.5 ★★ — BLEU from corpus statistics.
///
/// Given the corpus totals for n = 1...4 (clipped matches and hypothesis n-grams) and the lengths
/// c and r, return unsmoothed BLEU on the 0-100 scale:
/// 100 · BP · exp((1/4) Σₙ log(matchesₙ / totalₙ)), or 0 if any matchesₙ is 0.
/// Do not call `bleuFromStatistics`, `corpusBLEU`, `sentenceBLEU`, `brevityPenalty` or `BLEU`.
public func bleuScore(matches: [Int], totals: [Int], hypothesisLength c: Int, referenceLength r: Int) throws -> Double {
    if matches.contains(0) { return 0 }
    let bp = c >= r ? 1 : (c == 0 ? 0 : exp(1 - Double(r) / Double(c)))
    let meanLog = zip(matches, totals).map { log(Double($0) / Double($1)) }.reduce(0, +) / Double(matches.count)
    return 100 * bp * exp(meanLog)
}

/// Exercise 9.6 ★★ — Longest common subsequence for ROUGE-L.
///
/// Return the length of the longest sequence of tokens that appears in both a and b in the same
/// order, not necessarily adjacent. "the cat sat on the mat" and "the cat on a mat" give 4.
/// Do not call `longestCommonSubsequence`, `rougeL`, `rouge`, `summaryLevelLCS`, `lcsIndices` or `lcsTable`.
public func lcsLength(_ a: [String], _ b: [String]) throws -> Int {
    if a.isEmpty || b.isEmpty { return 0 }
    var previous = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        var current = [Int](repeating: 0, count: b.count + 1)
        for j in 1...b.count {
            current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
        }
        previous = current
    }
    return previous[b.count]
}
