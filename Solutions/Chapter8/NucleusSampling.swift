// Exercise 8.10: reference answer. Same public API as Exercises/Chapter8/NucleusSampling.swift.

import Decoding
import ExerciseSupport
import Foundation
import ScalarAutodiff

/// Exercise 8.10 ★★★ — Seeded nucleus sampling.
public func nucleusSample<State>(_ model: NextTokenModel<State>, maxLength: Int, endToken: Int, temperature: Float,
                                 topP: Float, rng: inout SeededRandom) throws -> DecodedSequence {
    var state = model.start, tokens: [Int] = [], logP: Float = 0
    while tokens.count < maxLength {
        let z = model.logProbabilities(state)
        let q = softmax(z.map { $0 / temperature })
        let order = q.indices.sorted { q[$0] > q[$1] || (q[$0] == q[$1] && $0 < $1) }
        var kept: [Int] = [], mass: Float = 0
        for v in order {
            kept.append(v)
            mass += q[v]
            if mass >= topP { break }
        }
        var nucleus = [Float](repeating: 0, count: q.count)
        for v in kept { nucleus[v] = q[v] / mass }
        let target = rng.uniform() * nucleus.reduce(0.0) { $0 + Double($1) }
        var running = 0.0, token = nucleus.lastIndex { $0 > 0 }!
        for (v, p) in nucleus.enumerated() {
            running += Double(p)
            if target < running { token = v; break }
        }
        tokens.append(token)
        logP += z[token]
        if token == endToken { return DecodedSequence(tokens: tokens, logProbability: logP, isFinished: true) }
        state = model.advance(state, token)
    }
    return DecodedSequence(tokens: tokens, logProbability: logP, isFinished: false)
}
