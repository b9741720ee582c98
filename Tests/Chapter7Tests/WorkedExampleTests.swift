import Foundation
import ScalarAutodiff
import Tensors
import Testing
import Transformers

/// Every worked number of Chapters/07-transformers.md.
@Suite("Chapter 7: worked examples")
struct Chapter7WorkedExampleTests {
    @Test("PE(1, 0) = sin 1 = 0.8415, PE(1, 1) = cos 1 = 0.5403, position 0 is (0, 1, 0, 1, …)")
    func positionalEncodingNumbers() {
        let pe = positionalEncoding(length: 3, dimension: 4)
        #expect(pe.shape == [3, 4])
        #expect(abs(pe[1, 0] - 0.8415) < 5e-5, "PE(1, 0) = sin(1) = 0.8415, got \(pe[1, 0])")
        #expect(abs(pe[1, 1] - 0.5403) < 5e-5, "PE(1, 1) = cos(1) = 0.5403, got \(pe[1, 1])")
        #expect(pe.slice(axis: 0, 0..<1) == Tensor([[0, 1, 0, 1]]), "position 0: every sine is 0 and every cosine 1")
        // Column pair 1 of d = 4 has frequency 1/10000^(2/4) = 1/100.
        #expect(abs(pe[1, 2] - 0.0099998) < 1e-6, "PE(1, 2) = sin(1/100) = 0.0099998, got \(pe[1, 2])")
        #expect(abs(pe[2, 0] - 0.9093) < 5e-5, "PE(2, 0) = sin(2) = 0.9093, got \(pe[2, 0])")
    }

    @Test("PE(pos + k) is a rotation of PE(pos): the offset is a linear map")
    func positionalEncodingRotation() {
        let d = 8, k = 3
        let pe = positionalEncoding(length: 20, dimension: d)
        for pos in [0, 5, 11] {
            for i in 0..<(d / 2) {
                let omega = 1 / Foundation.pow(10000, Double(2 * i) / Double(d))
                let (c, s) = (Float(Foundation.cos(Double(k) * omega)), Float(Foundation.sin(Double(k) * omega)))
                let (sinA, cosA) = (pe[pos, 2 * i], pe[pos, 2 * i + 1])
                #expect(abs(pe[pos + k, 2 * i] - (sinA * c + cosA * s)) < 1e-5)
                #expect(abs(pe[pos + k, 2 * i + 1] - (cosA * c - sinA * s)) < 1e-5)
            }
        }
    }

    @Test("One query, two keys: weights [0.6698, 0.3302], output [1.6605, 2.6605]")
    func attentionWorkedExample() {
        let q = Variable.constant(Tensor([[1, 0]]))
        let k = Variable.constant(Tensor([[1, 0], [0, 1]]))
        let v = Variable.constant(Tensor([[1, 2], [3, 4]]))
        let (output, weights) = scaledDotProductAttention(query: q, key: k, value: v)
        #expect(weights.value.isClose(to: Tensor([[0.6698, 0.3302]]), tolerance: 1e-4),
                "scores [1/√2, 0] → softmax [0.6698, 0.3302], got \(weights.value)")
        #expect(output.value.isClose(to: Tensor([[1.6605, 2.6605]]), tolerance: 1e-4), "got \(output.value)")
    }

    @Test("The √d_k scaling keeps score variance near 1; without it the variance is d_k")
    func scalingKeepsVariance() {
        var rng = SeededRandom(seed: 70)
        let dk = 64
        let q = Tensor.randomNormal([200, dk], rng: &rng), k = Tensor.randomNormal([200, dk], rng: &rng)
        let raw = q.matmul(k.transposed())
        let variance = (raw * raw).mean().scalar
        let scaled = raw / Float(dk).squareRoot()
        let scaledVariance = (scaled * scaled).mean().scalar
        #expect(abs(variance / Float(dk) - 1) < 0.1, "q·k of unit-variance vectors has variance d_k = 64, got \(variance)")
        #expect(abs(scaledVariance - 1) < 0.1, "after dividing by √d_k the variance is about 1, got \(scaledVariance)")
    }

    @Test("A masked key gets weight exactly 0; additive and boolean masks agree")
    func masking() {
        var rng = SeededRandom(seed: 71)
        let q = Variable.constant(Tensor.randomNormal([2, 3, 4], rng: &rng))
        let k = Variable.constant(Tensor.randomNormal([2, 3, 4], rng: &rng))
        let v = Variable.constant(Tensor.randomNormal([2, 3, 4], rng: &rng))
        let causal = Tensor.causalMask(3)
        let (a, weights) = scaledDotProductAttention(query: q, key: k, value: v, mask: causal)
        let (b, _) = scaledDotProductAttention(query: q, key: k, value: v, bias: additiveMask(causal))
        #expect(a.value.isClose(to: b.value, tolerance: 1e-6))
        for batch in 0..<2 {
            #expect(weights.value[batch, 0, 1] == 0 && weights.value[batch, 0, 2] == 0 && weights.value[batch, 1, 2] == 0,
                    "future positions must get weight 0, got \(weights.value)")
            #expect(abs(weights.value[batch, 0, 0] - 1) < 1e-6, "the first query sees only itself")
        }
        // Row 0 of the output is exactly value row 0.
        #expect(a.value.slice(axis: 1, 0..<1).isClose(to: v.value.slice(axis: 1, 0..<1), tolerance: 1e-6))
    }

    @Test("Layer norm of [1, 2, 3, 4]: [−1.3416, −0.4472, 0.4472, 1.3416]")
    func layerNormWorkedExample() {
        let norm = LayerNorm(4)
        let y = norm(.constant(Tensor([[1, 2, 3, 4], [10, 10, 10, 10]])))
        #expect(y.value.slice(axis: 0, 0..<1).isClose(to: Tensor([[-1.3416, -0.4472, 0.4472, 1.3416]]), tolerance: 1e-4),
                "μ = 2.5, σ² = 1.25, so y = (x − 2.5)/√1.25; got \(y.value)")
        #expect(y.value.slice(axis: 0, 1..<2) == Tensor([[0, 0, 0, 0]]), "a constant row normalises to 0 (ε keeps it finite)")
    }

    @Test("Split heads then merge heads is the identity; head j holds features j·d/h ..< (j+1)·d/h")
    func splitAndMerge() {
        let x = Tensor(shape: [1, 3, 4], scalars: (0..<12).map(Float.init))
        let split = splitHeads(.constant(x), heads: 2)
        #expect(split.shape == [1, 2, 3, 2])
        #expect(split.value[0, 1, 2, 0] == 10 && split.value[0, 1, 2, 1] == 11, "head 1, position 2 holds x[2, 2..<4] = [10, 11]")
        #expect(split.value[0, 0, 1, 0] == 4 && split.value[0, 0, 1, 1] == 5, "head 0, position 1 holds x[1, 0..<2] = [4, 5]")
        #expect(mergeHeads(split).value == x)
    }

    @Test("Multi-head attention with one head equals one scaled dot-product attention of the projections")
    func oneHeadIsAttention() {
        var rng = SeededRandom(seed: 72)
        let mha = MultiHeadAttention(dimension: 4, heads: 1, rng: &rng)
        let x = Variable.constant(Tensor.randomNormal([2, 3, 4], rng: &rng))
        let q = mha.wQ(x), k = mha.wK(x), v = mha.wV(x)
        let expected = mha.wO(scaledDotProductAttention(query: q, key: k, value: v).output)
        #expect(mha(x, x).value.isClose(to: expected.value, tolerance: 1e-5))
    }

    @Test("The demo's learning rate: the Transformer's schedule peaks at 2e-3 at step 100 and falls to 5.8e-4 at step 1,200")
    func demoSchedule() {
        let schedule = LearningRateSchedule.inverseSquareRoot(modelDimension: 32, warmupSteps: 100, factor: 2e-3 * (32 * 100 as Float).squareRoot())
        #expect(abs(schedule.learningRate(atStep: 100) - 2e-3) < 1e-8)
        #expect(abs(schedule.learningRate(atStep: 50) - 1e-3) < 1e-8, "half-way through the warm-up, half the peak")
        #expect(abs(schedule.learningRate(atStep: 1_200) - 5.8e-4) < 5e-6, "2e-3 · √(100/1200) = 5.77e-4")
    }
}
