import Attention
import Chapter6Exercises
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// The checks for Exercises/Chapter6. Each test is named `exerciseN_M` after its exercise;
/// a stub's "not attempted" ends the test as cancelled, a wrong answer fails it with a message.
@Suite("Chapter 6: exercises")
struct Chapter6ExerciseTests {
    static let h: [[Float]] = [[1, 0, 0], [0, 1, 0], [0.2, 0.2, 0.6]]
    static let s: [Float] = [0.5, 0.8, 0.3]

    static func close(_ got: [Float], _ expected: [Float], _ tolerance: Float = 1e-4) -> Bool {
        got.count == expected.count && zip(got, expected).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test("6.1 Dot-product scores eⱼ = hₜᵀ hⱼ")
    func exercise6_1() throws {
        let e = try attempt("6.1") { try dotProductScores(decoderState: Self.s, encoderStates: Self.h) }
        #expect(e.count == 3, "one score per encoder state: 3, got \(e.count)")
        #expect(Self.close(e, [0.5, 0.8, 0.44], 1e-6),
                "the worked example: [0.5, 0.8, 0.44] (h₃: 0.5·0.2 + 0.8·0.2 + 0.3·0.6 = 0.44); got \(e)")
        var rng = SeededRandom(seed: 601)
        let q = Tensor.randomNormal([1, 4], rng: &rng), k = Tensor.randomNormal([1, 6, 4], rng: &rng)
        let expected = dotScores(query: .constant(q), states: .constant(k)).value.scalars
        let got = try dotProductScores(decoderState: q.scalars, encoderStates: (0..<6).map { Array(k.scalars[($0 * 4)..<($0 * 4 + 4)]) })
        #expect(Self.close(got, expected, 1e-5), "random states of size 4: expected \(expected), got \(got)")
    }

    @Test("6.2 Attention weights: softmax over the unmasked positions, 0 at padding")
    func exercise6_2() throws {
        let alpha = try attempt("6.2") { try maskedAttentionWeights(scores: [0.5, 0.8, 0.44], mask: [false, false, false]) }
        #expect(Self.close(alpha, [0.304, 0.410, 0.286], 5e-4), "softmax([0.5, 0.8, 0.44]) = [0.304, 0.410, 0.286]; got \(alpha)")
        let padded = try maskedAttentionWeights(scores: [0.5, 0.8, 0.44, 3.0], mask: [false, false, false, true])
        #expect(padded.count == 4, "one weight per position, padding included: 4, got \(padded.count)")
        #expect(padded.last == 0, "a padded position gets weight exactly 0, got \(padded.last ?? .nan)")
        #expect(Self.close(padded, [0.304, 0.410, 0.286, 0], 5e-4),
                "hiding the score 3.0 leaves the worked example: the real weights renormalise to sum to 1; got \(padded)")
        let large = try maskedAttentionWeights(scores: [1000, 1001, 0], mask: [false, false, true])
        #expect(large.allSatisfy { $0.isFinite }, "scores of 1000 overflow exp: subtract the largest unmasked score first; got \(large)")
        #expect(Self.close(large, [0.268941, 0.731059, 0], 1e-5), "softmax([1000, 1001]) = softmax([0, 1]) = [0.269, 0.731]; got \(large)")
        #expect(throws: AttentionExerciseError.nothingToAttendTo,
                "with every position masked there is nothing to attend to: throw instead of dividing by 0") {
            _ = try maskedAttentionWeights(scores: [1, 2], mask: [true, true])
        }
    }

    @Test("6.3 The context vector c = Σⱼ αⱼ hⱼ")
    func exercise6_3() throws {
        let alpha = softmaxOf([0.5, 0.8, 0.44])
        let c = try attempt("6.3") { try contextVectorOf(weights: alpha, encoderStates: Self.h) }
        #expect(c.count == 3, "the context has the size of one encoder state, 3; got \(c.count)")
        #expect(Self.close(c, [0.361, 0.467, 0.172], 5e-4), "the worked example's c₃ is [0.361, 0.467, 0.172]; got \(c)")
        let swapped = try contextVectorOf(weights: [1, 0], encoderStates: [[1, 2, 3], [4, 5, 6]])
        #expect(swapped == [1, 2, 3], "all the weight on h₁ gives h₁ itself; got \(swapped)")
    }

    @Test("6.4 Bahdanau's additive scores vᵀ tanh(W₁ hⱼ + W₂ s)")
    func exercise6_4() throws {
        var rng = SeededRandom(seed: 604)
        let states = Tensor.randomNormal([5, 4], rng: &rng), s = Tensor.randomNormal([3], rng: &rng)
        let attention = AdditiveAttention(encoderSize: 4, decoderSize: 3, attentionSize: 6, rng: &rng)
        let (w1, w2, v) = (attention.encoderWeight.value, attention.decoderWeight.value, attention.v.value)
        let got = try attempt("6.4") { try bahdanauScores(encoderStates: states, previousState: s, w1: w1, w2: w2, v: v) }
        let expected = attention.alignmentScores(query: .constant(s.reshaped([1, 3])), states: .constant(states.reshaped([1, 5, 4]))).value.scalars
        #expect(got.count == 5, "one score per source position, 5; got \(got.count)")
        let noTanh = (states.matmul(w1) + s.reshaped([1, 3]).matmul(w2)).matmul(v.reshaped([6, 1])).scalars
        #expect(!Self.close(got, noTanh, 1e-5), "apply tanh to W₁ hⱼ + W₂ s before the dot product with v")
        #expect(Self.close(got, expected, 1e-5), "expected \(expected), got \(got)")
    }

    @Test("6.5 Luong's general score hₜᵀ W_a hⱼ")
    func exercise6_5() throws {
        let identity: [[Float]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        let e = try attempt("6.5") { try luongGeneralScores(decoderState: Self.s, weight: identity, encoderStates: Self.h) }
        #expect(Self.close(e, [0.5, 0.8, 0.44], 1e-6), "with W_a = I the general score is the dot score [0.5, 0.8, 0.44]; got \(e)")
        // H = 2, D = 3: W_a maps the encoder's size to the decoder's.
        let w: [[Float]] = [[1, 2, 0], [0, 1, -1]]
        let got = try luongGeneralScores(decoderState: [1, 2], weight: w, encoderStates: [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
        // hₜᵀ W_a = [1, 4, −2], so the scores are those three numbers.
        #expect(Self.close(got, [1, 4, -2], 1e-6),
                "hₜᵀ W_a with hₜ = [1, 2] and W_a = [[1, 2, 0], [0, 1, −1]] is [1, 4, −2]; against the unit states the scores are [1, 4, −2]; got \(got)")
    }

    @Test("6.6 The coverage loss Σₜ Σⱼ min(αₜⱼ, coverageₜⱼ)")
    func exercise6_6() throws {
        let steps: [[Float]] = [[0.7, 0.2, 0.1], [0.5, 0.3, 0.2], [0.1, 0.2, 0.7]]
        let two = try attempt("6.6") { try totalCoverageLoss(attention: Array(steps.prefix(2))) }
        if abs(two - 2) < 1e-5 {
            Issue.record("each step cost its full weight 1: the coverage included the step itself. Coverage before step t counts only the earlier steps, so take the min first and add αₜ to the coverage afterwards")
        }
        #expect(abs(two - 0.8) < 1e-5, "0 for the first step, then min(0.5, 0.7) + min(0.3, 0.2) + min(0.2, 0.1) = 0.8; got \(two)")
        let three = try totalCoverageLoss(attention: steps)
        #expect(abs(three - 1.4) < 1e-5, "step 3 meets coverage [1.2, 0.5, 0.3]: 0.1 + 0.2 + 0.3 = 0.6, total 1.4; got \(three)")
        let fresh = try totalCoverageLoss(attention: [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
        #expect(fresh == 0, "attention that never returns to a position costs nothing; got \(fresh)")
    }

    @Test("6.7 The pointer-generator mixture p_gen P_vocab + (1 − p_gen) Σ α")
    func exercise6_7() throws {
        let p = try attempt("6.7") {
            try pointerGeneratorMixture(pGen: 0.6, vocabularyDistribution: [0.5, 0.3, 0.2], attention: [0.2, 0.5, 0.3],
                                        sourceIDs: [0, 3, 0], extendedVocabularySize: 4)
        }
        #expect(p.count == 4, "one probability per word of the extended vocabulary (3 + the unknown source word), 4; got \(p.count)")
        if Self.close(p, [0.42, 0.18, 0.12, 0.2], 1e-5) || Self.close(p, [0.38, 0.18, 0.12, 0.2], 1e-5) {
            Issue.record("\"the\" appears twice in the source: its copy probability is the sum of both weights, 0.2 + 0.3")
        }
        #expect(Self.close(p, [0.5, 0.18, 0.12, 0.2], 1e-5),
                "P(the) = 0.6·0.5 + 0.4·(0.2 + 0.3) = 0.5, P(cat) = 0.18, P(sat) = 0.12, P(zorp) = 0.4·0.5 = 0.2; got \(p)")
        let q = try pointerGeneratorMixture(pGen: 0.25, vocabularyDistribution: [0.1, 0.9], attention: [1], sourceIDs: [1],
                                            extendedVocabularySize: 2)
        #expect(Self.close(q, [0.025, 0.975], 1e-6), "p_gen = 0.25: [0.25·0.1, 0.25·0.9 + 0.75·1] = [0.025, 0.975]; got \(q)")
    }
}

/// softmax of a short list, for building test inputs.
private func softmaxOf(_ x: [Float]) -> [Float] {
    let m = x.max() ?? 0
    let e = x.map { Foundation.exp($0 - m) }
    let total = e.reduce(0, +)
    return e.map { $0 / total }
}
