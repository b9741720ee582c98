// Exercise 8.9: reference answer. Same public API as Exercises/Chapter8/BeamSearch.swift.

import Decoding
import ExerciseSupport
import Foundation
import ScalarAutodiff

/// Exercise 8.9 ★★★ — A complete beam search.
public func beamDecode<State>(_ model: NextTokenModel<State>, width: Int, maxLength: Int, endToken: Int,
                              alpha: Float) throws -> [DecodedSequence] {
    var alive: [(tokens: [Int], logP: Float, state: State)] = [([], 0, model.start)]
    var finished: [DecodedSequence] = []
    var steps = 0
    while steps < maxLength {
        steps += 1
        var candidates: [(beam: Int, token: Int, logP: Float)] = []
        for (b, hypothesis) in alive.enumerated() {
            for (v, logP) in model.logProbabilities(hypothesis.state).enumerated() where logP > -.infinity {
                candidates.append((b, v, hypothesis.logP + logP))
            }
        }
        let order = candidates.indices.sorted { candidates[$0].logP > candidates[$1].logP || (candidates[$0].logP == candidates[$1].logP && $0 < $1) }
        var kept: [(tokens: [Int], logP: Float, state: State)] = []
        for (rank, index) in order.prefix(2 * width).enumerated() {
            let c = candidates[index], parent = alive[c.beam]
            if c.token == endToken {
                if rank < width { finished.append(DecodedSequence(tokens: parent.tokens + [c.token], logProbability: c.logP, isFinished: true)) }
            } else if kept.count < width {
                kept.append((parent.tokens + [c.token], c.logP, model.advance(parent.state, c.token)))
            }
        }
        alive = kept
        if alive.isEmpty || (finished.count >= width && steps < maxLength) { break }
    }
    let all = finished + (steps == maxLength ? alive.map { DecodedSequence(tokens: $0.tokens, logProbability: $0.logP, isFinished: false) } : [])
    func score(_ s: DecodedSequence) -> Float {
        alpha == 0 || s.length == 0 ? s.logProbability : s.logProbability / pow(Float(s.length), alpha)
    }
    let ranked = all.indices.sorted { score(all[$0]) > score(all[$1]) || (score(all[$0]) == score(all[$1]) && $0 < $1) }
    return ranked.prefix(width).map { all[$0] }
}
