import Foundation
import ScalarAutodiff

// BLEU (Papineni et al. 2002): the geometric mean of clipped n-gram precisions for n = 1..4,
// times a brevity penalty, computed over a whole corpus. This file holds the statistics of one
// sentence, computed from tokens as sacreBLEU computes them: the same clipping, the same choice
// of reference length, and tokens compared by Unicode scalars (see `NGram`).

/// The sufficient statistics of BLEU for one sentence or, summed, for a corpus.
public struct BLEUStatistics: Equatable, Sendable {
    /// Clipped n-gram matches, for n = 1...maxOrder (index n − 1).
    public var matches: [Int]
    /// Hypothesis n-grams, for n = 1...maxOrder: the denominators of the precisions.
    public var totals: [Int]
    /// c: hypothesis length in tokens.
    public var hypothesisLength: Int
    /// r: the effective reference length (the closest reference's length, per sentence).
    public var referenceLength: Int

    public init(matches: [Int], totals: [Int], hypothesisLength: Int, referenceLength: Int) {
        require(matches.count == totals.count,
                     "BLEUStatistics: \(matches.count) match counts but \(totals.count) totals")
        self.matches = matches
        self.totals = totals
        self.hypothesisLength = hypothesisLength
        self.referenceLength = referenceLength
    }

    /// Corpus statistics are the sums of the sentence statistics (not an average of scores).
    public static func + (a: BLEUStatistics, b: BLEUStatistics) -> BLEUStatistics {
        require(a.matches.count == b.matches.count, "BLEUStatistics: cannot add orders \(a.matches.count) and \(b.matches.count)")
        return BLEUStatistics(matches: zip(a.matches, b.matches).map(+), totals: zip(a.totals, b.totals).map(+),
                              hypothesisLength: a.hypothesisLength + b.hypothesisLength,
                              referenceLength: a.referenceLength + b.referenceLength)
    }
}

/// The modified (clipped) n-gram precision's numerator and denominator for one sentence:
///
///     matches = Σ_g min(count_hyp(g), maxₖ count_refₖ(g)),   total = Σ_g count_hyp(g)
///
/// Clipping stops "the the the the" from scoring 4/4 against "the cat": each n-gram is credited
/// at most as often as it appears in any single reference (here 1/4). With several references
/// the limit is the largest count in any one of them, not their sum: "the the the" against
/// "the cat" and "the dog" has 1 match, not 2.
public func modifiedPrecision(hypothesis: [String], references: [[String]], n: Int) -> (matches: Int, total: Int) {
    let hypothesisCounts = ngramCounts(hypothesis, n: n)
    var maximumReferenceCounts: [NGram: Int] = [:]
    for reference in references {
        for (gram, count) in ngramCounts(reference, n: n) {
            maximumReferenceCounts[gram] = max(maximumReferenceCounts[gram] ?? 0, count)
        }
    }
    var matches = 0
    for (gram, count) in hypothesisCounts {
        matches += min(count, maximumReferenceCounts[gram] ?? 0)
    }
    return (matches, max(hypothesis.count - n + 1, 0))
}

/// The reference length BLEU uses for one sentence: the reference length closest to the
/// hypothesis length c, the shorter one on a tie (c = 5 with references of 4 and 6 tokens gives 4).
public func closestReferenceLength(hypothesisLength c: Int, referenceLengths: [Int]) -> Int {
    require(!referenceLengths.isEmpty, "closestReferenceLength: at least one reference is needed")
    return referenceLengths.min { a, b in
        abs(a - c) != abs(b - c) ? abs(a - c) < abs(b - c) : a < b
    }!
}

/// The brevity penalty for a hypothesis of c tokens against an effective reference length r:
///
///     BP = 1 if c ≥ r,   exp(1 − r/c) if 0 < c < r,   0 if c = 0
///
/// Precision alone rewards saying little; BP charges a short output. c = 6, r = 8 gives
/// exp(1 − 8/6) = 0.7165. Outputs that are too long are not penalised here: their extra n-grams
/// already lower the precisions.
public func brevityPenalty(hypothesisLength c: Int, referenceLength r: Int) -> Double {
    require(c >= 0 && r >= 0, "brevityPenalty: lengths cannot be negative (c = \(c), r = \(r))")
    if c >= r { return 1 }
    return c == 0 ? 0 : exp(1 - Double(r) / Double(c))
}

/// BLEU's statistics for one hypothesis against one or more references (token lists).
public func bleuStatistics(hypothesis: [String], references: [[String]], maxOrder: Int = 4) -> BLEUStatistics {
    require(maxOrder >= 1, "bleuStatistics: maxOrder must be at least 1, got \(maxOrder)")
    require(!references.isEmpty, "bleuStatistics: a hypothesis needs at least one reference")
    let orders = (1...maxOrder).map { modifiedPrecision(hypothesis: hypothesis, references: references, n: $0) }
    return BLEUStatistics(matches: orders.map(\.matches), totals: orders.map(\.total),
                          hypothesisLength: hypothesis.count,
                          referenceLength: closestReferenceLength(hypothesisLength: hypothesis.count,
                                                                  referenceLengths: references.map(\.count)))
}
