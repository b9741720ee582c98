import Foundation
import ScalarAutodiff

/// Diverse beam search (Vijayakumar et al., 2018): G groups of beams decoded in lock-step, each
/// group penalised for choosing, at the same step, the tokens earlier groups just chose.
///
/// At step t the groups are extended in order g = 1, …, G. Group g ranks its candidates by
///
///     log P(y⁽ᵇ⁾) + log p(v | y⁽ᵇ⁾) − λ · count(v)
///
/// where count(v) is how many hypotheses of groups 1, …, g−1 chose token v at this step (a Hamming
/// diversity term). The penalty steers the choice only: every returned sequence carries its true
/// log P. λ = 0 gives G copies of ordinary beam search; a larger λ pushes the groups apart.
///
/// Worked example: one beam per group, first-step log-probabilities The −0.5, A −0.7. Group 1 takes
/// "The". With λ = 1, group 2 sees The at −0.5 − 1 = −1.5 and A at −0.7, and takes "A"; with λ = 0
/// it takes "The" again.
///
/// Returns one list per group, each sorted by log P / L^α, best first. As in `beamSearch`, a
/// group stops early once `widthPerGroup` of its hypotheses have finished, and at the maximum
/// length its open hypotheses compete with its finished ones.
public func diverseBeamSearch<State>(_ model: NextTokenModel<State>, groups: Int, widthPerGroup: Int,
                                     diversityStrength lambda: Float, maxLength: Int,
                                     rules: DecodingRules = DecodingRules(), alpha: Float = 0) -> [[DecodedSequence]] {
    require(groups >= 1, "diverseBeamSearch: the number of groups must be at least 1, got \(groups)")
    require(widthPerGroup >= 1, "diverseBeamSearch: the beam width per group must be at least 1, got \(widthPerGroup)")
    require(lambda >= 0 && lambda.isFinite, "diverseBeamSearch: the diversity strength λ must be a finite number ≥ 0, got \(lambda)")
    require(maxLength >= 1, "diverseBeamSearch: maxLength must be at least 1, got \(maxLength)")
    require(alpha >= 0 && alpha.isFinite, "diverseBeamSearch: the length-normalisation α must be a finite number ≥ 0, got \(alpha)")
    var open = Array(repeating: [Beam(tokens: [], logProbability: 0, state: model.start)], count: groups)
    var finished = Array(repeating: [DecodedSequence](), count: groups)
    var done = Array(repeating: false, count: groups)
    var stoppedEarly = Array(repeating: false, count: groups)
    for step in 1...maxLength {
        var count = [Float](repeating: 0, count: model.vocabularySize)   // tokens chosen this step so far
        for g in 0..<groups where !done[g] {
            let next = open[g].map { beam in
                let scores = rules.apply(model.checkedLogProbabilities(beam.state, caller: "diverseBeamSearch"), after: beam.tokens)
                return zip(scores, count).map { $0 - lambda * $1 }
            }
            let candidates = bestExtensions(beamLogProbabilities: open[g].map(\.logProbability),
                                            nextLogProbabilities: next, width: 2 * widthPerGroup)
            var kept: [Beam<State>] = []
            for (rank, c) in candidates.enumerated() {
                let parent = open[g][c.beam]
                let trueLogP = c.logProbability + lambda * count[c.token]
                if c.token == rules.endToken {
                    if rank < widthPerGroup {
                        finished[g].append(DecodedSequence(tokens: parent.tokens + [c.token], logProbability: trueLogP, isFinished: true))
                        count[c.token] += 1
                    }
                } else if kept.count < widthPerGroup {
                    kept.append(Beam(tokens: parent.tokens + [c.token], logProbability: trueLogP,
                                     state: model.advance(parent.state, c.token)))
                    count[c.token] += 1
                }
            }
            open[g] = kept
            stoppedEarly[g] = finished[g].count >= widthPerGroup && step < maxLength
            done[g] = stoppedEarly[g] || kept.isEmpty
        }
        if done.allSatisfy({ $0 }) { break }
    }
    return (0..<groups).map { g in
        let unfinished = open[g].map { DecodedSequence(tokens: $0.tokens, logProbability: $0.logProbability, isFinished: false) }
        // As in beamSearch: open hypotheses that reached the maximum length compete with the finished ones.
        let all = stoppedEarly[g] ? finished[g] : finished[g] + unfinished
        return Array(sortedByScore(all, penalty: .power(alpha)).prefix(widthPerGroup))
    }
}
