// Chapter 6 exercises: attention, Bahdanau and Luong.
//
// Replace each `throw NotAttempted(...)` with your answer, then run
//
//     swift test --filter Chapter6
//
// Each exercise's test passes, fails with a message, or is reported as cancelled while it is
// still a stub. `swift run book hint 6.2` prints a first hint, `swift run book hint 6.2 2` the
// next. You may use anything in the `Attention`, `RecurrentNetworks`, `Tensors`, `Datasets` and
// `ScalarAutodiff` modules except the functions an exercise names as forbidden: the tests check,
// and say so. Exercises 6.1 to 6.7 work on one sentence at a time, with plain arrays; 6.8
// (DecoderStep.swift) and 6.9 (TrainCopier.swift) build and train the attention decoder on
// batched tensors.

import Attention
import ExerciseSupport
import Foundation
import Tensors

/// Thrown by exercise 6.2 when the mask hides every position.
public enum AttentionExerciseError: Error, Equatable {
    case nothingToAttendTo
}

/// Exercise 6.1 ★ — Dot-product scores.
///
/// Luong's dot score of the current decoder state hₜ against every encoder state hⱼ:
///
///     eⱼ = hₜᵀ hⱼ
///
/// `encoderStates[j]` is hⱼ; all vectors have the same length. Do not call `dotScores` (or
/// `generalScores`).
public func dotProductScores(decoderState: [Float], encoderStates: [[Float]]) throws -> [Float] {
    throw NotAttempted("6.1")
}

/// Exercise 6.2 ★★ — Attention weights with a mask.
///
/// `mask[j]` true means position j is blocked (padding): the book's mask convention, PyTorch's,
/// true/1 = may not be attended to. The softmax of `scores` over the positions that are not
/// blocked; blocked positions get weight exactly 0, and the others sum to 1:
///
///     αⱼ = exp(eⱼ) / Σ_{k : !mask[k]} exp(eₖ)   if !mask[j],   else 0
///
/// Subtract the largest visible score before exponentiating, so scores like 1000 do not
/// overflow. Throw `AttentionExerciseError.nothingToAttendTo` if every position is blocked.
/// Do not call `attentionWeights` or `maskedFill`.
public func maskedAttentionWeights(scores: [Float], mask: [Bool]) throws -> [Float] {
    throw NotAttempted("6.2")
}

/// Exercise 6.3 ★ — The context vector.
///
///     c = Σⱼ αⱼ hⱼ
///
/// `weights[j]` is αⱼ and `encoderStates[j]` is hⱼ. Do not call `contextVector`.
public func contextVectorOf(weights: [Float], encoderStates: [[Float]]) throws -> [Float] {
    throw NotAttempted("6.3")
}

/// Exercise 6.4 ★★ — Bahdanau's additive scores.
///
///     eⱼ = vᵀ tanh(W₁ hⱼ + W₂ s)
///
/// `encoderStates` [T, D] (row j is hⱼ), `previousState` s [H], `w1` [D, A], `w2` [H, A], `v` [A]
/// (the layout of `AdditiveAttention`: a row vector times the matrix). No bias. Return the T
/// scores. Do not use `AdditiveAttention` (or its `alignmentScores`).
public func bahdanauScores(encoderStates: Tensor, previousState: Tensor, w1: Tensor, w2: Tensor, v: Tensor) throws -> [Float] {
    throw NotAttempted("6.4")
}

/// Exercise 6.5 ★★ — Luong's general score.
///
///     eⱼ = hₜᵀ W_a hⱼ
///
/// `decoderState` hₜ has length H, `weight` W_a is H rows of D numbers, each `encoderStates[j]`
/// has length D. Do not call `generalScores`, `dotScores` or `LuongAttention`.
public func luongGeneralScores(decoderState: [Float], weight: [[Float]], encoderStates: [[Float]]) throws -> [Float] {
    throw NotAttempted("6.5")
}

/// Exercise 6.6 ★★ — The coverage loss of a decoding.
///
/// `attention[t]` is αₜ, the weights of output step t over the source. The coverage before step
/// t is the sum of the earlier weights, and the loss adds up the overlap of each step with it:
///
///     coverageₜ = Σ_{t' < t} α_{t'},     loss = Σₜ Σⱼ min(αₜⱼ, coverageₜⱼ)
///
/// Do not call `coverageLoss` or `coverageVector`.
public func totalCoverageLoss(attention: [[Float]]) throws -> Float {
    throw NotAttempted("6.6")
}

/// Exercise 6.7 ★★ — The pointer-generator mixture.
///
///     P(w) = p_gen · P_vocab(w) + (1 − p_gen) · Σ_{j : xⱼ = w} αⱼ
///
/// `vocabularyDistribution` covers ids 0 ..< V; `sourceIDs[j]` (in 0 ..< `extendedVocabularySize`)
/// is the id of source word j, with words outside the vocabulary numbered from V on. Return the
/// `extendedVocabularySize` probabilities. Do not call `pointerGeneratorDistribution`.
public func pointerGeneratorMixture(pGen: Float, vocabularyDistribution: [Float], attention: [Float],
                                    sourceIDs: [Int], extendedVocabularySize: Int) throws -> [Float] {
    throw NotAttempted("6.7")
}
