// Chapter 6 reference answers: the same public API as Exercises/Chapter6.

import Attention
import ExerciseSupport
import Foundation
import Tensors

/// Thrown by exercise 6.2 when the mask hides every position.
public enum AttentionExerciseError: Error, Equatable {
    case nothingToAttendTo
}

/// Exercise 6.1: eⱼ = hₜᵀ hⱼ.
public func dotProductScores(decoderState: [Float], encoderStates: [[Float]]) throws -> [Float] {
    encoderStates.map { h in zip(decoderState, h).reduce(0) { $0 + $1.0 * $1.1 } }
}

/// Exercise 6.2: softmax over the positions that are not blocked (mask true = blocked), 0 at the blocked ones.
public func maskedAttentionWeights(scores: [Float], mask: [Bool]) throws -> [Float] {
    let visible = zip(scores, mask).filter { !$0.1 }.map(\.0)
    guard let top = visible.max() else { throw AttentionExerciseError.nothingToAttendTo }
    let exps = zip(scores, mask).map { $1 ? 0 : Foundation.exp($0 - top) }
    let total = exps.reduce(0, +)
    return exps.map { $0 / total }
}

/// Exercise 6.3: c = Σⱼ αⱼ hⱼ.
public func contextVectorOf(weights: [Float], encoderStates: [[Float]]) throws -> [Float] {
    var c = [Float](repeating: 0, count: encoderStates.first?.count ?? 0)
    for (alpha, h) in zip(weights, encoderStates) {
        for k in c.indices { c[k] += alpha * h[k] }
    }
    return c
}

/// Exercise 6.4: eⱼ = vᵀ tanh(W₁ hⱼ + W₂ s).
public func bahdanauScores(encoderStates: Tensor, previousState: Tensor, w1: Tensor, w2: Tensor, v: Tensor) throws -> [Float] {
    let query = previousState.reshaped([1, previousState.count]).matmul(w2)   // [1, A]
    let hidden = (encoderStates.matmul(w1) + query).tanh()                     // [T, A]
    return hidden.matmul(v.reshaped([v.count, 1])).scalars
}

/// Exercise 6.5: eⱼ = hₜᵀ W_a hⱼ.
public func luongGeneralScores(decoderState: [Float], weight: [[Float]], encoderStates: [[Float]]) throws -> [Float] {
    let d = weight.first?.count ?? 0
    let q = (0..<d).map { l in zip(decoderState, weight).reduce(Float(0)) { $0 + $1.0 * $1.1[l] } }
    return encoderStates.map { h in zip(q, h).reduce(0) { $0 + $1.0 * $1.1 } }
}

/// Exercise 6.6: Σₜ Σⱼ min(αₜⱼ, coverageₜⱼ).
public func totalCoverageLoss(attention: [[Float]]) throws -> Float {
    var coverage = [Float](repeating: 0, count: attention.first?.count ?? 0)
    var loss: Float = 0
    for alpha in attention {
        for j in coverage.indices { loss += min(alpha[j], coverage[j]) }
        for j in coverage.indices { coverage[j] += alpha[j] }
    }
    return loss
}

/// Exercise 6.7: P(w) = p_gen · P_vocab(w) + (1 − p_gen) · Σ_{j : xⱼ = w} αⱼ.
public func pointerGeneratorMixture(pGen: Float, vocabularyDistribution: [Float], attention: [Float],
                                    sourceIDs: [Int], extendedVocabularySize: Int) throws -> [Float] {
    var p = [Float](repeating: 0, count: extendedVocabularySize)
    for (w, q) in vocabularyDistribution.enumerated() { p[w] = pGen * q }
    for (j, w) in sourceIDs.enumerated() { p[w] += (1 - pGen) * attention[j] }
    return p
}
