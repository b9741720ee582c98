// Chapter 8 exercises: reference answers. Same public API as Exercises/Chapter8.

import Decoding
import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors

/// Exercise 8.1 ★ — Scoring a sequence in log space.
public func logSpaceScore(_ probabilities: [Float]) throws -> Float {
    probabilities.reduce(0) { $0 + log($1) }
}

/// Exercise 8.2 ★ — Length normalisation.
public func normalisedScore(logProbability: Float, length: Int, alpha: Float) throws -> Float {
    if alpha == 0 || length == 0 { return logProbability }
    return logProbability / pow(Float(length), alpha)
}

/// Exercise 8.3 ★★ — Greedy decoding.
public func greedy(_ logProbabilities: ([Int]) -> [Float], endToken: Int, maxLength: Int) throws -> [Int] {
    var tokens: [Int] = []
    while tokens.count < maxLength {
        let scores = logProbabilities(tokens)
        var best = 0
        for v in scores.indices where scores[v] > scores[best] { best = v }
        tokens.append(best)
        if best == endToken { break }
    }
    return tokens
}

/// Exercise 8.4 ★★ — One step of beam search.
public func beamStep(_ beams: [(tokens: [Int], logProbability: Float)], next: [[Float]],
                     width: Int) throws -> [(tokens: [Int], logProbability: Float)] {
    var candidates: [(tokens: [Int], logProbability: Float)] = []
    for (b, beam) in beams.enumerated() {
        for (v, logP) in next[b].enumerated() where logP > -.infinity {
            candidates.append((beam.tokens + [v], beam.logProbability + logP))
        }
    }
    let order = candidates.indices.sorted { (i: Int, j: Int) -> Bool in
        candidates[i].logProbability > candidates[j].logProbability
            || (candidates[i].logProbability == candidates[j].logProbability && i < j)
    }
    return order.prefix(width).map { candidates[$0] }
}

/// Exercise 8.5 ★ — Softmax with a temperature.
public func temperatureSoftmax(_ logits: [Float], temperature: Float) throws -> [Float] {
    let m = logits.max()!
    let e = logits.map { exp(($0 - m) / temperature) }
    let total = e.reduce(0, +)
    return e.map { $0 / total }
}

/// Exercise 8.6 ★★ — The top-k filter.
public func keepTopK(_ scores: [Float], k: Int) throws -> [Float] {
    let order = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    let kept = Set(order.prefix(k))
    return scores.indices.map { kept.contains($0) ? scores[$0] : -.infinity }
}

/// Exercise 8.7 ★★ — The nucleus (top-p) filter.
public func keepNucleus(_ probabilities: [Float], p: Float) throws -> [Float] {
    let order = probabilities.indices.sorted {
        probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1)
    }
    var kept: [Int] = [], mass: Float = 0
    for v in order where mass < p {
        kept.append(v)
        mass += probabilities[v]
    }
    var result = [Float](repeating: 0, count: probabilities.count)
    for v in kept { result[v] = probabilities[v] / mass }
    return result
}

/// Exercise 8.8 ★★ — The repetition penalty.
public func penalise(_ logProbabilities: [Float], previous: [Int], theta: Float) throws -> [Float] {
    var scores = logProbabilities
    for v in Set(previous) { scores[v] *= theta }
    let m = scores.max()!
    let logTotal = m + log(scores.reduce(0) { $0 + exp($1 - m) })
    return scores.map { $0 - logTotal }
}
