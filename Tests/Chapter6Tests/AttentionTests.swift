import Attention
import Datasets
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors
import Testing

/// Masking, the additive score against a hand computation, shape errors and gradient checks.
@Suite("Chapter 6: attention mechanisms")
struct Chapter6AttentionTests {
    @Test("Padded positions get weight 0 and the real ones renormalise")
    func maskedWeights() {
        let scores = Variable.constant(Tensor([[0.5, 0.8, 0.44, 3.0], [1.0, -1.0, 2.0, 0.0]]))
        let mask = Tensor([[0, 0, 0, 1], [0, 0, 1, 1]])   // 1 = blocked (padding)
        let alpha = attentionWeights(scores, mask: mask).value
        #expect(alpha[0, 3] == 0 && alpha[1, 2] == 0 && alpha[1, 3] == 0, "padding got weight: \(alpha)")
        // Row 0 is the worked example once the padded score 3.0 is hidden.
        #expect(abs(alpha[0, 0] - 0.304) < 5e-4 && abs(alpha[0, 1] - 0.410) < 5e-4 && abs(alpha[0, 2] - 0.286) < 5e-4)
        // Row 1: softmax([1, −1]) = [0.8808, 0.1192].
        #expect(abs(alpha[1, 0] - 0.880797) < 1e-5 && abs(alpha[1, 1] - 0.119203) < 1e-5)
    }

    @Test("Additive scores vᵀ tanh(W₁ hⱼ + W₂ s) match a hand computation")
    func additiveByHand() {
        // D = 2, H = 1, A = 2.
        let attention = AdditiveAttention(encoderWeight: Tensor([[1, 0], [0, 1]]), decoderWeight: Tensor([[0.5, -0.5]]),
                                          v: Tensor([1, 2]))
        let states = Variable.constant(Tensor(shape: [1, 2, 2], scalars: [1, 0, 0, 1]))
        let s = Variable.constant(Tensor([[2]]))
        let e = attention.alignmentScores(query: s, states: states).value.scalars
        // h₁ = [1, 0]: tanh([1 + 1, 0 − 1]) · [1, 2] = tanh 2 − 2 tanh 1; h₂ = [0, 1]: tanh 1 + 2 tanh 0.
        let expected: [Float] = [Float(tanh(2.0) - 2 * tanh(1.0)), Float(tanh(1.0))]
        #expect(abs(e[0] - expected[0]) < 1e-5 && abs(e[1] - expected[1]) < 1e-5, "scores \(e), expected \(expected)")
        #expect(attention.parameters.reduce(0) { $0 + $1.value.count } == 4 + 2 + 2)
    }

    @Test("Luong concat is the additive network fed the current state")
    func concatIsAdditive() {
        var rng = SeededRandom(seed: 61)
        let luong = LuongAttention(.concat, encoderSize: 4, decoderSize: 3, rng: &rng)
        let states = Variable.constant(Tensor.randomNormal([2, 5, 4], rng: &rng))
        let h = Variable.constant(Tensor.randomNormal([2, 3], rng: &rng))
        let viaLuong = luong.alignmentScores(state: h, states: states).value
        let viaAdditive = luong.concat!.alignmentScores(query: h, states: states).value
        #expect(viaLuong == viaAdditive)
        #expect(viaLuong.shape == [2, 5])
    }

    @Test("Gradient checks: additive, dot, general, concat, Luong's h̃ and coverage, with padding")
    func gradientChecks() {
        var rng = SeededRandom(seed: 62)
        let states = Variable(Tensor.randomNormal([2, 4, 3], rng: &rng))
        let query = Variable(Tensor.randomNormal([2, 3], rng: &rng))
        let mask = Tensor([[0, 0, 0, 0], [0, 0, 1, 1]])
        let target = Tensor.randomNormal([2, 3], rng: &rng)
        // A loss that reads every context coordinate with a different weight.
        func lossOf(_ context: Variable) -> Variable { (context * target).sum() }

        let additive = AdditiveAttention(encoderSize: 3, decoderSize: 3, attentionSize: 5, rng: &rng)
        let a = gradientCheck(parameters: additive.parameters + [states, query]) {
            lossOf(additive(query: query, states: states, mask: mask).context)
        }
        #expect(a.worst < 5e-3, "additive: \(a.detail)")

        let d = gradientCheck(parameters: [states, query]) {
            lossOf(contextVector(weights: attentionWeights(dotScores(query: query, states: states), mask: mask), states: states))
        }
        #expect(d.worst < 5e-3, "dot: \(d.detail)")

        for score in LuongAttention.Score.allCases {
            let luong = LuongAttention(score, encoderSize: 3, decoderSize: 3, rng: &rng)
            let g = gradientCheck(parameters: luong.parameters + [states, query]) {
                lossOf(luong(state: query, states: states, mask: mask).hidden)
            }
            #expect(g.worst < 5e-3, "Luong \(score.rawValue): \(g.detail)")
        }

        // Coverage: three steps of attention from the additive layer on changing queries.
        let c = gradientCheck(parameters: additive.parameters + [query]) {
            let steps = (0..<3).map { k in additive(query: query * Float(k + 1), states: states, mask: mask).weights }
            return coverageLoss(sequence: steps)
        }
        #expect(c.worst < 5e-3, "coverage: \(c.detail)")
    }

    @Test("Shape and mask errors stop with a message")
    func badInput() async {
        await #expect(processExitsWith: .failure) {
            _ = attentionWeights(.constant(Tensor([[1, 2, 3]])), mask: Tensor([[1, 1]]))
        }
        await #expect(processExitsWith: .failure) {
            _ = attentionWeights(.constant(Tensor([[1, 2]])), mask: Tensor([[1, 1]]))
        }
        await #expect(processExitsWith: .failure) {
            _ = contextVector(weights: .constant(Tensor([[0.5, 0.5]])), states: .constant(Tensor.zeros([1, 3, 4])))
        }
        await #expect(processExitsWith: .failure) {
            var rng = SeededRandom(seed: 1)
            _ = LuongAttention(.dot, encoderSize: 8, decoderSize: 4, rng: &rng)
        }
        await #expect(processExitsWith: .failure) {
            var rng = SeededRandom(seed: 1)
            let model = AttentionSeq2Seq(sourceVocabularySize: 6, targetVocabularySize: 6, embeddingSize: 2, hiddenSize: 2, rng: &rng)
            _ = model.teacherForcedLoss(sources: [[4, 5]], targets: [[9, Vocabulary.endID]])
        }
        await #expect(processExitsWith: .failure) {
            _ = pointerGeneratorDistribution(generationProbability: 1.5, vocabularyDistribution: [1], attention: [1],
                                             sourceIDs: [0], extendedVocabularySize: 1)
        }
    }
}

@Suite("Chapter 6: Luong attention from given weights")
struct Chapter6LuongWeightsTests {
    @Test("Built from two bias-free PyTorch linear layers: eⱼ = hₜ · (W_a hⱼ), h̃ₜ = tanh(W_c [cₜ ; hₜ])")
    func fromPyTorchLinearWeights() async {
        var rng = SeededRandom(seed: 66)
        let (H, D) = (3, 4)
        let wa = Tensor.randomNormal([H, D], rng: &rng)          // nn.Linear(D, H, bias=False).weight
        let wc = Tensor.randomNormal([H, D + H], rng: &rng)      // nn.Linear(D + H, H, bias=False).weight
        let luong = LuongAttention(pytorchGeneralWeight: wa, pytorchCombineWeight: wc)
        let states = Tensor.randomNormal([1, 5, D], rng: &rng), h = Tensor.randomNormal([1, H], rng: &rng)
        let (hidden, alpha) = luong(state: .constant(h), states: .constant(states))
        // By hand, as PyTorch computes it: keys = W_a(states) = states·W_aᵀ, e = keys·h.
        let keys = states.reshaped([5, D]).matmul(wa.transposed())                     // [5, H]
        let e = keys.matmul(h.transposed()).reshaped([1, 5])
        let weights = e.softmax()
        let context = weights.matmul(states.reshaped([5, D]))                          // [1, D]
        let expected = Tensor.concatenate([context, h], axis: 1).matmul(wc.transposed()).tanh()
        #expect(alpha.value.isClose(to: weights, tolerance: 1e-5))
        #expect(hidden.value.isClose(to: expected, tolerance: 1e-5), "h̃ = \(hidden.value), by hand \(expected)")
        await #expect(processExitsWith: .failure) {
            _ = LuongAttention(pytorchGeneralWeight: Tensor.zeros([4, 3]), pytorchCombineWeight: Tensor.zeros([3, 7]))
        }
    }
}
