import Foundation
import Attention
import ScalarAutodiff
import Tensors
import Testing

/// Section 6.3's worked example, decoder step 3 of a three-word source, and the other worked
/// numbers of the chapter (coverage, pointer-generator).
@Suite("Chapter 6: worked examples")
struct Chapter6WorkedExampleTests {
    /// h₁ = [1, 0, 0], h₂ = [0, 1, 0], h₃ = [0.2, 0.2, 0.6], as [1, 3, 3].
    static var states: Variable { Variable.constant(Tensor(shape: [1, 3, 3], scalars: [1, 0, 0, 0, 1, 0, 0.2, 0.2, 0.6])) }
    static var decoderState: Variable { Variable.constant(Tensor([[0.5, 0.8, 0.3]])) }

    static func close(_ got: [Float], _ expected: [Float], _ tolerance: Float = 5e-4) -> Bool {
        got.count == expected.count && zip(got, expected).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test("Dot scores [0.5, 0.8, 0.44], weights [0.304, 0.410, 0.286], context [0.361, 0.467, 0.172]")
    func decoderStepThree() {
        let e = dotScores(query: Self.decoderState, states: Self.states)
        #expect(e.shape == [1, 3])
        #expect(Self.close(e.value.scalars, [0.5, 0.8, 0.44], 1e-6), "scores \(e.value.scalars)")
        // The text's exponentials 1.6487, 2.2255, 1.5527 and their sum 5.4270 (5.42697 before rounding).
        let exponentials = e.value.scalars.map { Foundation.exp(Double($0)) }
        #expect(zip(exponentials, [1.6487, 2.2255, 1.5527]).allSatisfy { abs($0 - $1) < 5e-5 }, "\(exponentials)")
        #expect(abs(exponentials.reduce(0, +) - 5.4270) < 5e-5, "the sum is \(exponentials.reduce(0, +))")
        let alpha = attentionWeights(e)
        #expect(Self.close(alpha.value.scalars, [0.304, 0.410, 0.286]), "weights \(alpha.value.scalars)")
        #expect(abs(alpha.value.scalars.reduce(0, +) - 1) < 1e-6)
        let c = contextVector(weights: alpha, states: Self.states)
        #expect(c.shape == [1, 3])
        #expect(Self.close(c.value.scalars, [0.361, 0.467, 0.172]), "context \(c.value.scalars)")
    }

    @Test("Luong general with W_a = I is the dot score; the attentional state is tanh(W_c [c; h])")
    func generalAndAttentionalState() {
        let identity = Variable.constant(Tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
        let e = generalScores(query: Self.decoderState, states: Self.states, weight: identity)
        #expect(Self.close(e.value.scalars, [0.5, 0.8, 0.44], 1e-6))
        // W_a = 2I doubles the scores: [1.0, 1.6, 0.88].
        let doubled = generalScores(query: Self.decoderState, states: Self.states, weight: identity * 2)
        #expect(Self.close(doubled.value.scalars, [1.0, 1.6, 0.88], 1e-6))
        var rng = SeededRandom(seed: 6)
        let luong = LuongAttention(.dot, encoderSize: 3, decoderSize: 3, rng: &rng)
        let (hidden, alpha) = luong(state: Self.decoderState, states: Self.states)
        #expect(Self.close(alpha.value.scalars, [0.304, 0.410, 0.286]))
        let c = Tensor([[0.3612, 0.4673, 0.1717]]), h = Tensor([[0.5, 0.8, 0.3]])
        let expected = Tensor.concatenate([c, h], axis: 1).matmul(luong.combine.value).tanh()
        #expect(hidden.value.isClose(to: expected, tolerance: 1e-3), "h̃ = \(hidden.value), expected \(expected)")
    }

    @Test("Coverage: [0.7, 0.2, 0.1] then [0.5, 0.3, 0.2] then [0.1, 0.2, 0.7] cost 0 + 0.8 + 0.6 = 1.4")
    func coverageWorkedNumbers() {
        let steps: [Variable] = [[0.7, 0.2, 0.1], [0.5, 0.3, 0.2], [0.1, 0.2, 0.7]].map { .constant(Tensor([$0])) }
        let coverage3 = coverageVector(pastWeights: Array(steps[..<2]), shape: [1, 3])
        #expect(Self.close(coverage3.value.scalars, [1.2, 0.5, 0.3], 1e-6), "coverage before step 3: \(coverage3.value.scalars)")
        #expect(abs(coverageLoss(weights: steps[1], coverage: steps[0]).value.scalar - 0.8) < 1e-6)
        #expect(abs(coverageLoss(weights: steps[2], coverage: coverage3).value.scalar - 0.6) < 1e-6)
        #expect(abs(coverageLoss(sequence: steps).value.scalar - 1.4) < 1e-6)
        // Looking somewhere new costs nothing.
        let fresh: [Variable] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]].map { .constant(Tensor([$0])) }
        #expect(coverageLoss(sequence: fresh).value.scalar == 0)
    }

    @Test("Pointer-generator: p_gen 0.6 over [the, cat, sat] copying \"the zorp the\" gives [0.5, 0.18, 0.12, 0.2]")
    func pointerGeneratorWorkedNumbers() {
        let p = pointerGeneratorDistribution(generationProbability: 0.6, vocabularyDistribution: [0.5, 0.3, 0.2],
                                             attention: [0.2, 0.5, 0.3], sourceIDs: [0, 3, 0], extendedVocabularySize: 4)
        #expect(Self.close(p, [0.5, 0.18, 0.12, 0.2], 1e-6), "P = \(p)")
        #expect(abs(p.reduce(0, +) - 1) < 1e-6, "the mixture of two distributions is a distribution")
        // p_gen = 1 is the plain vocabulary; p_gen = 0 copies only.
        #expect(pointerGeneratorDistribution(generationProbability: 1, vocabularyDistribution: [0.5, 0.3, 0.2],
                                             attention: [0.2, 0.5, 0.3], sourceIDs: [0, 3, 0], extendedVocabularySize: 4)
                == [0.5, 0.3, 0.2, 0])
        let copy = pointerGeneratorDistribution(generationProbability: 0, vocabularyDistribution: [0.5, 0.3, 0.2],
                                                attention: [0.2, 0.5, 0.3], sourceIDs: [0, 3, 0], extendedVocabularySize: 4)
        #expect(Self.close(copy, [0.5, 0, 0, 0.5], 1e-6))
        // p_gen = σ(w_cᵀ c + w_sᵀ s + w_xᵀ x + b): with all weights 0 and b = 0 it is 1/2.
        let zero = Variable.constant(Tensor([[0], [0]]))
        let g = generationProbability(context: .constant(Tensor([[1, 2]])), state: .constant(Tensor([[3, 4]])),
                                      input: .constant(Tensor([[5, 6]])), wc: zero, ws: zero, wx: zero,
                                      bias: .constant(Tensor([0])))
        #expect(g.value.scalars == [0.5])
        let one = Variable.constant(Tensor([[0.1], [0.1]]))
        let g2 = generationProbability(context: .constant(Tensor([[1, 2]])), state: .constant(Tensor([[3, 4]])),
                                       input: .constant(Tensor([[5, 6]])), wc: one, ws: one, wx: one,
                                       bias: .constant(Tensor([-1.2])))
        #expect(abs(g2.value.scalar - 0.7109495) < 1e-5, "σ(0.3 + 0.7 + 1.1 − 1.2) = σ(0.9) = 0.71095; got \(g2.value.scalar)")
    }
}
