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
/// At each step every open hypothesis is extended by every token (``bestExtensions``). Going down
/// the candidates from the best: one that ends with the end token and ranks within the top k is
/// *finished* and set aside; the others fill the open beam until it holds k again. The search
/// stops when k hypotheses have finished, when none is open, or after `maxLength` tokens (open
/// hypotheses then come back marked unfinished). The result, at most k sequences, is sorted by
/// the length-normalised score log P / L^α (α = 0: raw log P), best first.
///
/// ```swift
/// let results = beamSearch(model, width: 3, maxLength: 20, rules: DecodingRules(endToken: 1), alpha: 0.7)
/// print(results[0].tokens, results[0].score(alpha: 0.7))
/// ```
///
/// Width 1 is greedy decoding. A larger width finds sequences at least as likely at each step's
/// cut, at k times the cost; it is still not exhaustive.
public func beamSearch<State>(_ model: NextTokenModel<State>, width: Int, maxLength: Int,
                              rules: DecodingRules = DecodingRules(), alpha: Float = 0) -> [DecodedSequence] {
    require(width >= 1, "beamSearch: the beam width must be at least 1, got \(width)")
    require(maxLength >= 1, "beamSearch: maxLength must be at least 1, got \(maxLength)")
    require(alpha >= 0 && alpha.isFinite, "beamSearch: the length-normalisation α must be a finite number ≥ 0, got \(alpha)")
    var open = [Beam(tokens: [], logProbability: 0, state: model.start)]
    var finished: [DecodedSequence] = []
    for _ in 0..<maxLength {
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
        if finished.count >= width || open.isEmpty { break }
    }
    let unfinished = open.map { DecodedSequence(tokens: $0.tokens, logProbability: $0.logProbability, isFinished: false) }
    let all = finished.count >= width ? finished : finished + unfinished
    return Array(sortedByScore(all, alpha: alpha).prefix(width))
}

/// Sequences sorted by log P / L^α, best first (stable among ties).
func sortedByScore(_ sequences: [DecodedSequence], alpha: Float) -> [DecodedSequence] {
    let scores = sequences.map { $0.score(alpha: alpha) }
    let order = sequences.indices.sorted { (i: Int, j: Int) -> Bool in
        scores[i] > scores[j] || (scores[i] == scores[j] && i < j)
    }
    return order.map { sequences[$0] }
}
