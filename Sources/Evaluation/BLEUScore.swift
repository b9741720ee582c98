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

/// Corpus BLEU of token lists: sum every sentence's statistics, then score once.
/// `references[i]` holds all the references of hypothesis i (one or more).
public func corpusBLEU(hypotheses: [[String]], references: [[[String]]], smoothing: BLEUSmoothing = .exp) -> BLEUScore {
    require(hypotheses.count == references.count,
                 "corpusBLEU: \(hypotheses.count) hypotheses but \(references.count) reference sets; give one set per hypothesis")
    require(!hypotheses.isEmpty, "corpusBLEU: the corpus is empty")
    let total = zip(hypotheses, references)
        .map { bleuStatistics(hypothesis: $0, references: $1) }
        .reduce(BLEUStatistics(matches: [0, 0, 0, 0], totals: [0, 0, 0, 0], hypothesisLength: 0, referenceLength: 0), +)
    return bleuFromStatistics(total, smoothing: smoothing)
}

/// Corpus BLEU of whitespace-tokenised sentences, equal to
/// `sacrebleu.corpus_bleu(hypotheses, reference_streams, tokenize='none')`.
/// `references[i]` holds all the references of hypothesis i.
public func corpusBLEU(hypotheses: [String], references: [[String]], smoothing: BLEUSmoothing = .exp) -> BLEUScore {
    corpusBLEU(hypotheses: hypotheses.map(whitespaceTokens),
               references: references.map { $0.map(whitespaceTokens) }, smoothing: smoothing)
}

/// Sentence BLEU, equal to `sacrebleu.sentence_bleu(hypothesis, references, tokenize='none')`:
/// 'exp' smoothing and the effective order by default. Sentence scores are noisy; report corpus
/// BLEU for a test set and use this for looking at single examples.
public func sentenceBLEU(hypothesis: String, references: [String], smoothing: BLEUSmoothing = .exp,
                         effectiveOrder: Bool = true) -> BLEUScore {
    let statistics = bleuStatistics(hypothesis: whitespaceTokens(hypothesis), references: references.map(whitespaceTokens))
    return bleuFromStatistics(statistics, smoothing: smoothing, effectiveOrder: effectiveOrder)
}
