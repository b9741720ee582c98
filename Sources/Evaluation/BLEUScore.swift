import Foundation
import ScalarAutodiff

// From statistics to a score: BLEU = BP · exp((1/N) Σₙ log pₙ), with the zero-precision
// smoothings that sentence-level BLEU needs.

/// What to do with an n-gram order that has no match (pₙ = 0 would make BLEU 0).
/// These are sacreBLEU's `smooth_method` values (Chen and Cherry 2014).
public enum BLEUSmoothing: Equatable, Sendable {
    /// No smoothing: any pₙ = 0 makes the score 0.
    case none
    /// Method 1, 'floor': a zero count becomes k (sacreBLEU's default k = 0.1), pₙ = k / totalₙ.
    case floor(Double)
    /// Method 2, 'add-k': add k to the matches and totals of every order n ≥ 2 (default k = 1).
    case addK(Double)
    /// Method 3, 'exp' (NIST mteval-v13a): the i-th order with no match gets pₙ = 1 / (2ⁱ · totalₙ).
    /// sacreBLEU's default for both corpus and sentence BLEU.
    case exp
}

/// A BLEU score and its parts, on sacreBLEU's 0-100 scale.
public struct BLEUScore: Sendable {
    /// BLEU · 100.
    public let score: Double
    /// The (smoothed) n-gram precisions pₙ · 100, for n = 1...maxOrder.
    public let precisions: [Double]
    /// BP.
    public let brevityPenalty: Double
    /// The statistics the score was computed from.
    public let statistics: BLEUStatistics
}

/// BLEU from its statistics:
///
///     BLEU = BP · exp((1/N) Σₙ₌₁ᴺ log pₙ),   pₙ = matchesₙ / totalₙ
///
/// with N = 4 and BP from `brevityPenalty`. As in sacreBLEU: no unigram match at all gives 0;
/// an order whose total is 0 (a hypothesis shorter than n) ends the loop; and with
/// `effectiveOrder` N becomes the highest order that has any hypothesis n-grams, so a 3-token
/// sentence is not scored 0 for lacking 4-grams (sacreBLEU's sentence BLEU does this).
public func bleuFromStatistics(_ statistics: BLEUStatistics, smoothing: BLEUSmoothing = .exp, effectiveOrder: Bool = false) -> BLEUScore {
    var matches = statistics.matches.map(Double.init)
    var totals = statistics.totals.map(Double.init)
    let order = matches.count
    let bp = brevityPenalty(hypothesisLength: statistics.hypothesisLength, referenceLength: statistics.referenceLength)
    var precisions = [Double](repeating: 0, count: order)
    if matches.allSatisfy({ $0 == 0 }) {
        return BLEUScore(score: 0, precisions: precisions, brevityPenalty: bp, statistics: statistics)
    }
    var usedOrder = order
    var exponentialFactor = 1.0
    for n in 1...order {
        if case .addK(let k) = smoothing, n > 1 {
            matches[n - 1] += k
            totals[n - 1] += k
        }
        if totals[n - 1] == 0 { break }
        if effectiveOrder { usedOrder = n }
        if matches[n - 1] == 0 {
            switch smoothing {
            case .exp:
                exponentialFactor *= 2
                precisions[n - 1] = 100 / (exponentialFactor * totals[n - 1])
            case .floor(let k):
                precisions[n - 1] = 100 * k / totals[n - 1]
            case .none, .addK:
                break
            }
        } else {
            precisions[n - 1] = 100 * matches[n - 1] / totals[n - 1]
        }
    }
    // log 0 is floored to −10¹⁰, as sacreBLEU does, so a zero precision gives a score of 0.
    let logSum = precisions.prefix(usedOrder).reduce(0.0) { $0 + ($1 == 0 ? -9_999_999_999 : Foundation.log($1)) }
    return BLEUScore(score: bp * Foundation.exp(logSum / Double(usedOrder)), precisions: precisions,
                     brevityPenalty: bp, statistics: statistics)
}

/// Corpus BLEU as `sacrebleu.corpus_bleu(hypotheses, referenceStreams)` computes it: every
/// sentence tokenized (13a by default), its statistics summed over the corpus, one score from the
/// sums.
///
/// The references come as sacreBLEU's *streams*: `referenceStreams[k][i]` is the k-th reference
/// of hypothesis i, so one reference per hypothesis is `[references]`, and two are
/// `[firstReferences, secondReferences]`. Every stream holds one line per hypothesis.
///
/// ```swift
/// let result = corpusBLEU(hypotheses: ["The cat sat on the mat."], referenceStreams: [["The cat, sat on the mat."]])
/// print(result.score)   // 59.46: 13a makes "mat." two tokens, "mat" and "."
/// ```
public func corpusBLEU(hypotheses: [String], referenceStreams: [[String]], tokenize: BLEUTokenizer = .thirteenA,
                       lowercase: Bool = false, smoothing: BLEUSmoothing = .exp) -> BLEUScore {
    BLEU(tokenize: tokenize, lowercase: lowercase, smoothing: smoothing)
        .corpusScore(hypotheses: hypotheses, referenceStreams: referenceStreams)
}

/// Sentence BLEU as `sacrebleu.sentence_bleu(hypothesis, references)` computes it: 13a tokens by
/// default, 'exp' smoothing and the effective order. Sentence scores are noisy; report corpus BLEU
/// for a test set and use this for looking at single examples.
public func sentenceBLEU(hypothesis: String, references: [String], tokenize: BLEUTokenizer = .thirteenA,
                         lowercase: Bool = false, smoothing: BLEUSmoothing = .exp, effectiveOrder: Bool = true) -> BLEUScore {
    BLEU(tokenize: tokenize, lowercase: lowercase, smoothing: smoothing, effectiveOrder: effectiveOrder)
        .sentenceScore(hypothesis: hypothesis, references: references)
}

/// Sentence BLEU of token lists, with sacreBLEU's sentence defaults ('exp' smoothing, effective
/// order): what `sentenceBLEU` computes after tokenizing.
public func sentenceBLEU(hypothesisTokens: [String], referenceTokens: [[String]], smoothing: BLEUSmoothing = .exp,
                         effectiveOrder: Bool = true) -> BLEUScore {
    bleuFromStatistics(bleuStatistics(hypothesis: hypothesisTokens, references: referenceTokens),
                       smoothing: smoothing, effectiveOrder: effectiveOrder)
}
