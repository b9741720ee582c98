import Foundation
import ScalarAutodiff

/// One extension of one hypothesis by one token, with the extended hypothesis's log-probability.
public struct BeamCandidate: Equatable, Sendable {
    /// Which hypothesis is extended (its index in the beam).
    public let beam: Int
    /// The token appended.
    public let token: Int
    /// log P(beam) + log p(token | beam).
    public let logProbability: Float

    public init(beam: Int, token: Int, logProbability: Float) {
        self.beam = beam
        self.token = token
        self.logProbability = logProbability
    }
}

/// One step of beam search: extend each of the B hypotheses by each of the V tokens and keep the
/// `width` best of the B × V candidates, best first:
///
///     score(b, v) = log P(y⁽ᵇ⁾) + log p(v | y⁽ᵇ⁾)
///
/// Candidates of probability 0 (score −∞) are never kept, so fewer than `width` may come back.
/// Ties go to the lower hypothesis index, then the lower token id.
///
/// Worked example (k = 2): after "The" (−0.5) and "A" (−0.7) the candidates are
/// "The cat" −1.1, "The dog" −1.8, "A feline" −1.6 and "A dog" −1.7; the step keeps
/// "The cat" and "A feline".
public func bestExtensions(beamLogProbabilities: [Float], nextLogProbabilities: [[Float]],
                           width: Int) -> [BeamCandidate] {
    require(width >= 1, "bestExtensions: the beam width must be at least 1, got \(width)")
    require(beamLogProbabilities.count == nextLogProbabilities.count,
                 "bestExtensions: \(beamLogProbabilities.count) hypotheses but \(nextLogProbabilities.count) rows of next-token log-probabilities")
    var candidates: [BeamCandidate] = []
    for (b, row) in nextLogProbabilities.enumerated() {
        for (v, logP) in row.enumerated() where logP > -.infinity {
            candidates.append(BeamCandidate(beam: b, token: v, logProbability: beamLogProbabilities[b] + logP))
        }
    }
    // Candidates were made in (beam, token) order; ties keep that order.
    let order = candidates.indices.sorted { (i: Int, j: Int) -> Bool in
        let a = candidates[i].logProbability, b = candidates[j].logProbability
        return a > b || (a == b && i < j)
    }
    return order.prefix(width).map { candidates[$0] }
}

/// An open hypothesis: its tokens, their log-probability and the model's state after them.
struct Beam<State> {
    var tokens: [Int]
    var logProbability: Float
    var state: State
}

/// Beam search of width k: keep the k most likely prefixes at every step.
///
/// At each step every open hypothesis is extended by every token (`bestExtensions`). Going down
/// the 2k best candidates from the best: one that ends with the end token and ranks within the
/// top k is *finished* and set aside; the others fill the open beam until it holds k again. The
/// search stops early when k hypotheses have finished or none is open. At the maximum length the
/// open hypotheses, marked unfinished, compete with the finished ones, as in fairseq and
/// HuggingFace: the result is the best k of all of them, by the length-normalised score
/// log P / lp(L), best first.
///
/// ```swift
/// let results = beamSearch(model, width: 3, maxLength: 20, rules: DecodingRules(endToken: 1), alpha: 0.7)
/// print(results[0].tokens, results[0].lengthNormalisedScore(alpha: 0.7))
/// ```
///
/// Width 1 is greedy decoding. A larger width finds sequences at least as likely at each step's
/// cut, at k times the cost; it is still not exhaustive. `alpha` is the exponent of L^α; use
/// ``beamSearch(_:width:maxLength:rules:lengthPenalty:)`` for GNMT's ((5 + L)/6)^α.
public func beamSearch<State>(_ model: NextTokenModel<State>, width: Int, maxLength: Int,
                              rules: DecodingRules = DecodingRules(), alpha: Float = 0) -> [DecodedSequence] {
    require(alpha >= 0 && alpha.isFinite, "beamSearch: the length-normalisation α must be a finite number ≥ 0, got \(alpha)")
    return beamSearch(model, width: width, maxLength: maxLength, rules: rules, lengthPenalty: .power(alpha))
}

/// Beam search ranked by log P / lp(L) for a ``LengthPenalty``: `.power(α)` is L^α, `.gnmt(α)`
/// GNMT's ((5 + L)/6)^α.
///
/// Worked example (``LookupTableModel/cutAtTheLimit``, k = 2, maxLength 2): after one step
/// `</s>` (log 0.3) has finished and A (log 0.5) and B (log 0.2) are open. At the second and last
/// step "B </s>" (log 0.2 + log 0.95 = −1.661) finishes, the second finished hypothesis, while
/// "A x" (log 0.5 + log 0.9 = −0.799) is still open. Competing at the limit, "A x" comes first,
/// then `</s>` (−1.204).
public func beamSearch<State>(_ model: NextTokenModel<State>, width: Int, maxLength: Int,
                              rules: DecodingRules = DecodingRules(), lengthPenalty: LengthPenalty) -> [DecodedSequence] {
    require(width >= 1, "beamSearch: the beam width must be at least 1, got \(width)")
    require(maxLength >= 1, "beamSearch: maxLength must be at least 1, got \(maxLength)")
    _ = lengthPenalty.penaltyDivisor(length: 1)   // checks α
    var open = [Beam(tokens: [], logProbability: 0, state: model.start)]
    var finished: [DecodedSequence] = []
    var steps = 0
    while steps < maxLength {
        steps += 1
        let next = open.map { rules.apply(model.checkedLogProbabilities($0.state, caller: "beamSearch"), after: $0.tokens) }
        let candidates = bestExtensions(beamLogProbabilities: open.map(\.logProbability),
                                        nextLogProbabilities: next, width: 2 * width)
        var kept: [Beam<State>] = []
        for (rank, c) in candidates.enumerated() {
            let parent = open[c.beam]
            if c.token == rules.endToken {
                if rank < width {
                    finished.append(DecodedSequence(tokens: parent.tokens + [c.token], logProbability: c.logProbability, isFinished: true))
                }
            } else if kept.count < width {
                kept.append(Beam(tokens: parent.tokens + [c.token], logProbability: c.logProbability,
                                 state: model.advance(parent.state, c.token)))
            }
        }
        open = kept
        if open.isEmpty || (finished.count >= width && steps < maxLength) { break }
    }
    // Open hypotheses that reached the maximum length compete with the finished ones.
    let atTheLimit = steps == maxLength
        ? open.map { DecodedSequence(tokens: $0.tokens, logProbability: $0.logProbability, isFinished: false) } : []
    return Array(sortedByScore(finished + atTheLimit, penalty: lengthPenalty).prefix(width))
}

/// Sequences sorted by log P / lp(L), best first (stable among ties).
func sortedByScore(_ sequences: [DecodedSequence], penalty: LengthPenalty) -> [DecodedSequence] {
    let scores = sequences.map { $0.lengthNormalisedScore(penalty) }
    let order = sequences.indices.sorted { (i: Int, j: Int) -> Bool in
        scores[i] > scores[j] || (scores[i] == scores[j] && i < j)
    }
    return order.map { sequences[$0] }
}
