// The checks of chapter 6's exercises 6.1 to 6.7, which work on one sentence with plain arrays.
// Each takes a Checker and the student's function, so the same check runs on the answer in
// Exercises/Chapter6 and on the known wrong answers in Mutants/Chapter6.

import Attention
import Chapter6Exercises
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors

/// The worked example of section 6.3: h₁, h₂, h₃ and the decoder state hₜ.
let workedStates: [[Float]] = [[1, 0, 0], [0, 1, 0], [0.2, 0.2, 0.6]]
let workedQuery: [Float] = [0.5, 0.8, 0.3]

/// Plain-array softmax, for expected values.
func softmaxOf(_ x: [Float]) -> [Float] {
    let m = x.max() ?? 0
    let e = x.map { Foundation.exp($0 - m) }
    let total = e.reduce(0, +)
    return e.map { $0 / total }
}

/// 6.1: dot scores, on the worked example and on random states.
public func checkDotProductScores(_ c: Checker, _ scores: ([Float], [[Float]]) throws -> [Float]) throws {
    let e = try scores(workedQuery, workedStates)
    c.expectClose(e, [0.5, 0.8, 0.44], tolerance: 1e-6, "the worked example's scores hₜᵀ hⱼ", mistakes: [
        Mistake([0.5, 0.8, 0.26], "the last coordinate is missing: the sum runs over every coordinate k"),
        Mistake([0.5 / Float(0.98).squareRoot(), 0.8 / Float(0.98).squareRoot(), 0.44 / (Float(0.98).squareRoot() * Float(0.44).squareRoot())],
                "those are cosine similarities: the dot score is not normalised"),
    ])
    var rng = SeededRandom(seed: 601)
    let q = Tensor.randomNormal([1, 4], rng: &rng), k = Tensor.randomNormal([1, 6, 4], rng: &rng)
    let expected = dotScores(query: .constant(q), states: .constant(k)).value.scalars
    let states = (0..<6).map { Array(k.scalars[($0 * 4)..<($0 * 4 + 4)]) }
    c.expectClose(try scores(q.scalars, states), expected, tolerance: 1e-5, "the scores of a random state against 6 random states of size 4")
}

/// 6.2: masked weights (mask true = blocked), overflow-safe, and the all-blocked error.
public func checkMaskedAttentionWeights(_ c: Checker, _ weights: ([Float], [Bool]) throws -> [Float]) throws {
    /// The weights, or nil (with the diagnosis recorded) if the answer threw although some
    /// position is visible.
    func call(_ scores: [Float], _ mask: [Bool]) throws -> [Float]? {
        do {
            return try weights(scores, mask)
        } catch is AttentionExerciseError {
            c.fail("the mask \(mask) leaves \(mask.filter { !$0 }.count) position(s) visible, yet the answer threw nothingToAttendTo. Likely mistake: the mask is the wrong way round: true means blocked (the book's convention, PyTorch's)")
            return nil
        }
    }
    guard let plain = try call([0.5, 0.8, 0.44], [false, false, false]) else { return }
    c.expectClose(plain, softmaxOf([0.5, 0.8, 0.44]), tolerance: 1e-5, "softmax([0.5, 0.8, 0.44]) with nothing blocked, [0.304, 0.410, 0.286]")
    let scores: [Float] = [0.5, 0.8, 0.44, 3.0]
    guard let padded = try call(scores, [false, false, false, true]) else { return }
    let worked = softmaxOf([0.5, 0.8, 0.44]) + [0]
    c.expectClose(padded, worked, tolerance: 1e-5, "the weights of [0.5, 0.8, 0.44, 3.0] with the last position blocked (mask [false, false, false, true])", mistakes: [
        Mistake([0, 0, 0, 1], "the mask is the wrong way round: true means blocked (the book's convention, PyTorch's), so the blocked position gets weight 0"),
        Mistake(Array(softmaxOf(scores).prefix(3)) + [0], "the blocked position was zeroed after the softmax, so the others no longer sum to 1: leave it out of the sum"),
        Mistake(softmaxOf(scores), "the mask was ignored: a blocked position gets weight exactly 0"),
    ])
    guard c.failures.isEmpty, let large = try call([1000, 1001, 0], [false, false, true]) else { return }
    c.expect(large.allSatisfy { $0.isFinite },
             "the weights of [1000, 1001, 0] must be finite, got \(large). Likely mistake: exp(1000) overflows to ∞; subtract the largest visible score before exponentiating")
    if large.allSatisfy({ $0.isFinite }) {
        c.expectClose(large, [0.268941, 0.731059, 0], tolerance: 1e-5, "softmax([1000, 1001]) = softmax([0, 1]), with the third position blocked")
    }
    do {
        let result = try weights([1, 2], [true, true])
        c.fail("with every position blocked there is nothing to attend to: throw AttentionExerciseError.nothingToAttendTo instead of returning \(result)")
    } catch let error as AttentionExerciseError {
        c.expectEqual(error, .nothingToAttendTo, "the error for a mask that blocks everything")
    }
}

/// 6.3: the context vector.
public func checkContextVector(_ c: Checker, _ context: ([Float], [[Float]]) throws -> [Float]) throws {
    let alpha = softmaxOf([0.5, 0.8, 0.44])
    let got = try context(alpha, workedStates)
    let expected = (0..<3).map { k in zip(alpha, workedStates).reduce(Float(0)) { $0 + $1.0 * $1.1[k] } }
    let transposed = (0..<3).map { k in (0..<3).reduce(Float(0)) { $0 + alpha[$1] * workedStates[k][$1] } }
    c.expectClose(got, expected, tolerance: 1e-5, "the worked example's c₃ = Σⱼ αⱼ hⱼ, [0.361, 0.467, 0.172]", mistakes: [
        Mistake([0.4, 0.4, 0.2], "that is the plain mean of the states: weight each hⱼ by αⱼ"),
        Mistake(transposed, "the indices are swapped: coordinate k of c is Σⱼ αⱼ · hⱼ[k], the k-th coordinate of state j"),
    ])
    let unequal = try context([0.25, 0.75], [[1, 2, 3, 4], [5, 6, 7, 8]])
    c.expectClose(unequal, [4, 5, 6, 7], tolerance: 1e-6, "0.25·[1, 2, 3, 4] + 0.75·[5, 6, 7, 8] (two states of size 4)")
}

/// 6.4: Bahdanau's additive scores against `AdditiveAttention`.
public func checkBahdanauScores(_ c: Checker, _ scores: (Tensor, Tensor, Tensor, Tensor, Tensor) throws -> [Float]) throws {
    var rng = SeededRandom(seed: 604)
    let states = Tensor.randomNormal([5, 4], rng: &rng), s = Tensor.randomNormal([3], rng: &rng)
    let attention = AdditiveAttention(encoderSize: 4, decoderSize: 3, attentionSize: 6, rng: &rng)
    let (w1, w2, v) = (attention.encoderWeight.value, attention.decoderWeight.value, attention.v.value)
    let got = try scores(states, s, w1, w2, v)
    let expected = attention.alignmentScores(query: .constant(s.reshaped([1, 3])), states: .constant(states.reshaped([1, 5, 4]))).value.scalars
    let inner = states.matmul(w1) + s.reshaped([1, 3]).matmul(w2)
    c.expectClose(got, expected, tolerance: 1e-5, "vᵀ tanh(W₁ hⱼ + W₂ s) for 5 states of size 4, s of size 3, A = 6", mistakes: [
        Mistake(inner.matmul(v.reshaped([6, 1])).scalars, "tanh is missing: the score is vᵀ tanh(W₁ hⱼ + W₂ s)"),
        Mistake(inner.matmul(v.reshaped([6, 1])).tanh().scalars, "tanh goes inside, before the dot product with v, not around the score"),
        Mistake(states.matmul(w1).tanh().matmul(v.reshaped([6, 1])).scalars, "the decoder state is missing: add W₂ s inside the tanh"),
    ])
}

/// 6.5: Luong's general score, square and not square.
public func checkLuongGeneralScores(_ c: Checker, _ scores: ([Float], [[Float]], [[Float]]) throws -> [Float]) throws {
    let identity: [[Float]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    c.expectClose(try scores(workedQuery, identity, workedStates), [0.5, 0.8, 0.44], tolerance: 1e-6,
                  "the general score with W_a = I (it is the dot score)")
    // A square W_a that is not symmetric tells hₜᵀ W_a hⱼ from hⱼᵀ W_a hₜ.
    let w: [[Float]] = [[1, 2, 0], [0, 1, -1], [3, 0, 1]]
    func score(_ a: [Float], _ m: [[Float]], _ b: [Float]) -> Float {
        (0..<3).reduce(Float(0)) { total, k in total + (0..<3).reduce(Float(0)) { $0 + a[k] * m[k][$1] * b[$1] } }
    }
    let expected = workedStates.map { score(workedQuery, w, $0) }
    let transposed = workedStates.map { score($0, w, workedQuery) }
    c.expectClose(try scores(workedQuery, w, workedStates), expected, tolerance: 1e-5,
                  "hₜᵀ W_a hⱼ with W_a = [[1, 2, 0], [0, 1, −1], [3, 0, 1]] on the worked example", mistakes: [
        Mistake(transposed, "W_a is applied the wrong way round: the decoder state hₜ meets the rows of W_a (index k) and hⱼ its columns (index l)"),
        Mistake([0.5, 0.8, 0.44], "W_a was left out: that is the dot score"),
    ])
    guard c.failures.isEmpty else { return }
    // H = 2, D = 3: W_a maps the encoder's size to the decoder's.
    let wide: [[Float]] = [[1, 2, 0], [0, 1, -1]]
    c.expectClose(try scores([1, 2], wide, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]), [1, 4, -2], tolerance: 1e-6,
                  "H = 2, D = 3: hₜᵀ W_a = [1, 4, −2] against the unit states")
}

/// 6.6: the coverage loss of a sequence of attention steps.
public func checkCoverageLoss(_ c: Checker, _ loss: ([[Float]]) throws -> Float) throws {
    let steps: [[Float]] = [[0.7, 0.2, 0.1], [0.5, 0.3, 0.2], [0.1, 0.2, 0.7]]
    c.expectClose(try loss(Array(steps.prefix(2))), 0.8, tolerance: 1e-5, "the coverage loss of [0.7, 0.2, 0.1] then [0.5, 0.3, 0.2]", mistakes: [
        Mistake(2, "each step cost its full weight: the coverage included the step itself. Coverage before step t counts only earlier steps; take the min first, then add αₜ"),
        Mistake(2.2, "that uses max, not min: the loss is the overlap Σⱼ min(αₜⱼ, coverageₜⱼ)"),
    ])
    c.expectClose(try loss(steps), 1.4, tolerance: 1e-5, "the coverage loss of the three steps of section 6.7 (0 + 0.8 + 0.6)", mistakes: [
        Mistake(3, "each step cost its full weight: the coverage included the step itself. Coverage before step t counts only earlier steps"),
        Mistake(4.6, "that uses max, not min: the loss is the overlap Σⱼ min(αₜⱼ, coverageₜⱼ)"),
        Mistake(1.3, "the coverage before step 3 is the sum of all earlier steps, [1.2, 0.5, 0.3], not just the step before"),
    ])
    c.expectEqual(try loss([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), 0, "the coverage loss of attention that never returns to a position")
}

/// 6.7: the pointer-generator's mixture, with a repeated source word and an unknown one.
public func checkPointerGeneratorMixture(_ c: Checker, _ mixture: (Float, [Float], [Float], [Int], Int) throws -> [Float]) throws {
    let p = try mixture(0.6, [0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0, 3, 0], 4)
    c.expectClose(p, [0.5, 0.18, 0.12, 0.2], tolerance: 1e-5,
                  "P over [the, cat, sat, zorp] for p_gen 0.6, P_vocab [0.5, 0.3, 0.2], source \"the zorp the\" with α [0.2, 0.5, 0.3]", mistakes: [
        Mistake([0.42, 0.18, 0.12, 0.2], "\"the\" appears twice in the source, and only its last weight counted: add (1 − p_gen)·αⱼ for every j, with +="),
        Mistake([0.38, 0.18, 0.12, 0.2], "\"the\" appears twice in the source, and only its first weight counted: add (1 − p_gen)·αⱼ for every j"),
        Mistake([0.8, 0.18, 0.12, 0.5], "the copy part is not weighted by 1 − p_gen"),
        Mistake([0.7, 0.3, 0.2, 0.2], "the vocabulary part is not weighted by p_gen"),
    ])
    let q = try mixture(0.25, [0.1, 0.9], [1], [1], 2)
    c.expectClose(q, [0.025, 0.975], tolerance: 1e-6, "p_gen 0.25, P_vocab [0.1, 0.9], all attention on word 1: [0.25·0.1, 0.25·0.9 + 0.75]")
}
