import Chapter7Exercises
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import Testing
import Transformers

/// The checks for Exercises/Chapter7. Each test is named `exerciseN_M` after its exercise;
/// a stub's "not attempted" ends the test as cancelled, a wrong answer fails it with a message.
@Suite("Chapter 7: exercises")
struct Chapter7ExerciseTests {
    @Test("7.1 Scaled dot-product attention: the worked example, batches, and the mask")
    func exercise7_1() throws {
        let out = try attempt("7.1") {
            try attention(query: Tensor([[1, 0]]), key: Tensor([[1, 0], [0, 1]]), value: Tensor([[1, 2], [3, 4]]), mask: nil)
        }
        #expect(out.isClose(to: Tensor([[1.6605, 2.6605]]), tolerance: 1e-4),
                "scores [1/√2, 0] give weights [0.6698, 0.3302] and output [1.6605, 2.6605], got \(out); without the √d_k the weights would be [0.7311, 0.2689]")
        var rng = SeededRandom(seed: 701)
        let q = Tensor.randomNormal([2, 2, 3, 4], rng: &rng), k = Tensor.randomNormal([2, 2, 3, 4], rng: &rng)
        let v = Tensor.randomNormal([2, 2, 3, 5], rng: &rng)
        let mask = Tensor.causalMask(3)
        let expected = scaledDotProductAttention(query: .constant(q), key: .constant(k), value: .constant(v), mask: mask).output.value
        let got = try attention(query: q, key: k, value: v, mask: mask)
        #expect(got.shape == [2, 2, 3, 5], "output shape is [..., t_q, d_v] = [2, 2, 3, 5], got \(got.shape)")
        #expect(got.isClose(to: expected, tolerance: 1e-5),
                "with a causal mask over a [2, 2] batch of heads, expected \(expected), got \(got): masked scores must become −∞ before the softmax")
    }

    @Test("7.2 The prefix-LM mask: bidirectional prefix, causal after it")
    func exercise7_2() throws {
        let m = try attempt("7.2") { try prefixMask(length: 5, prefix: 2) }
        #expect(m == prefixLMMask(length: 5, prefix: 2),
                "for length 5 and prefix 2 expected \(prefixLMMask(length: 5, prefix: 2)), got \(m): position 0 may see position 1 (both in the prefix), position 2 may not see 3")
        #expect(try prefixMask(length: 4, prefix: 0) == Tensor.causalMask(4), "prefix 0 must give the causal mask")
        #expect(try prefixMask(length: 3, prefix: 3) == Tensor.zeros([3, 3]), "a prefix covering everything blocks nothing")
    }

    @Test("7.3 Sinusoidal positional encoding: PE(1, 0) = 0.8415, PE(1, 1) = 0.5403")
    func exercise7_3() throws {
        let pe = try attempt("7.3") { try sinusoidalEncoding(length: 6, dimension: 8) }
        #expect(pe.shape == [6, 8], "shape [length, dimension] = [6, 8], got \(pe.shape)")
        guard pe.shape == [6, 8] else { return }
        #expect(abs(pe[1, 0] - 0.8415) < 1e-4 && abs(pe[1, 1] - 0.5403) < 1e-4,
                "PE(1, 0) = sin 1 = 0.8415 and PE(1, 1) = cos 1 = 0.5403, got \(pe[1, 0]) and \(pe[1, 1])")
        let expected = positionalEncoding(length: 6, dimension: 8)
        #expect(pe.isClose(to: expected, tolerance: 1e-5),
                "expected \(expected), got \(pe): the exponent is 2i/d, where 2i is the even column index, so columns 2i and 2i + 1 share one frequency")
    }

    @Test("7.4 Splitting into heads: [batch, t, d] → [batch, h, t, d/h]")
    func exercise7_4() throws {
        let x = Tensor(shape: [2, 3, 6], scalars: (0..<36).map(Float.init))
        let split = try attempt("7.4") { try splitIntoHeads(x, heads: 3) }
        #expect(split.shape == [2, 3, 3, 2], "expected shape [2, 3, 3, 2], got \(split.shape)")
        let expected = splitHeads(.constant(x), heads: 3).value
        #expect(split == expected,
                "head j at position p must hold features 2j..<2j+2 of position p; expected \(expected), got \(split). A plain reshape to [2, 3, 3, 2] mixes positions: permute after reshaping")
    }

    @Test("7.5 Layer normalisation: the worked example and γ, β")
    func exercise7_5() throws {
        let y = try attempt("7.5") {
            try layerNormalise(Tensor([[1, 2, 3, 4]]), gamma: Tensor.ones([4]), beta: Tensor.zeros([4]), epsilon: 1e-5)
        }
        #expect(y.isClose(to: Tensor([[-1.3416, -0.4472, 0.4472, 1.3416]]), tolerance: 1e-4),
                "[1, 2, 3, 4] has μ = 2.5 and σ² = 1.25 (divide by d = 4, not 3), so y = [−1.3416, −0.4472, 0.4472, 1.3416]; got \(y)")
        var rng = SeededRandom(seed: 705)
        let x = Tensor.randomNormal([2, 3, 5], rng: &rng)
        let gamma = Tensor.randomNormal([5], rng: &rng), beta = Tensor.randomNormal([5], rng: &rng)
        let norm = LayerNorm(5)
        norm.gamma.value = gamma
        norm.beta.value = beta
        let expected = norm(.constant(x)).value
        let got = try layerNormalise(x, gamma: gamma, beta: beta, epsilon: 1e-5)
        #expect(got.isClose(to: expected, tolerance: 1e-4),
                "each of the 6 rows of a [2, 3, 5] tensor is normalised on its own, then scaled by γ and shifted by β; expected \(expected), got \(got)")
    }

    @Test("7.6 A KV-cache step equals the last row of full causal self-attention")
    func exercise7_6() throws {
        var rng = SeededRandom(seed: 706)
        let mha = MultiHeadAttention(dimension: 6, heads: 2, rng: &rng)
        let x = Tensor.randomNormal([2, 4, 6], rng: &rng)
        let full = mha(.constant(x), .constant(x), mask: Tensor.causalMask(4)).value
        var cache: (keys: Tensor, values: Tensor)? = nil
        for t in 0..<4 {
            let step = try attempt("7.6") { try cachedAttentionStep(mha, x: x.slice(axis: 1, t..<(t + 1)), cache: cache) }
            #expect(step.keys.shape == [2, 2, t + 1, 3],
                    "after step \(t) the cache holds \(t + 1) positions: keys of shape [2, 2, \(t + 1), 3], got \(step.keys.shape)")
            let expected = full.slice(axis: 1, t..<(t + 1))
            #expect(step.output.isClose(to: expected, tolerance: 1e-4),
                    "step \(t): the output should equal row \(t) of causal self-attention over all positions, \(expected), got \(step.output)")
            cache = (step.keys, step.values)
        }
    }

    @Test("7.7 T5 span corruption: sentinels in the input, dropped spans in the target")
    func exercise7_7() throws {
        let (input, target) = try attempt("7.7") { try corruptSpans(Array(0..<11), spans: [2..<4, 8..<9], sentinels: [11, 12, 13]) }
        #expect(input == [0, 1, 11, 4, 5, 6, 7, 12, 9, 10],
                "'Thank you <X> me to your party <Y> week .' is [0, 1, 11, 4, 5, 6, 7, 12, 9, 10], got \(input)")
        #expect(target == [11, 2, 3, 12, 8, 13],
                "'<X> for inviting <Y> last <Z>' is [11, 2, 3, 12, 8, 13], got \(target): close the target with one more sentinel")
        let edge = try corruptSpans([5, 6, 7], spans: [0..<1, 2..<3], sentinels: [9, 8, 7])
        #expect(edge.input == [9, 6, 8] && edge.target == [9, 5, 8, 7, 7],
                "spans at both ends: expected input [9, 6, 8] and target [9, 5, 8, 7, 7], got \(edge)")
    }
}
