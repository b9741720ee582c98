import ScalarAutodiff
import Tensors
import Testing
import Transformers

/// Backward passes of attention and layer norm against central differences, computed in Double
/// from Float forward passes: (L(θ + h) − L(θ − h)) / 2h.
@Suite("Chapter 7: gradient checks")
struct Chapter7GradientCheckTests {
    /// A fixed random weighting, so the loss depends on every output element differently.
    func weighted(_ y: Variable, seed: UInt64) -> Variable {
        var rng = SeededRandom(seed: seed)
        return (y * Tensor.randomNormal(y.shape, rng: &rng)).sum()
    }

    @Test("Scaled dot-product attention (with a causal mask): gradients of Q, K and V")
    func attentionGradient() {
        var rng = SeededRandom(seed: 74)
        let q = Variable(Tensor.randomNormal([2, 3, 4], rng: &rng))
        let k = Variable(Tensor.randomNormal([2, 3, 4], rng: &rng))
        let v = Variable(Tensor.randomNormal([2, 3, 2], rng: &rng))
        let (worst, detail) = gradientCheck(parameters: [q, k, v]) {
            weighted(scaledDotProductAttention(query: q, key: k, value: v, mask: Tensor.causalMask(3)).output, seed: 1)
        }
        #expect(worst < 5e-3, "\(detail)")
    }

    @Test("Multi-head attention: gradients of every projection")
    func multiHeadGradient() {
        var rng = SeededRandom(seed: 75)
        let mha = MultiHeadAttention(dimension: 4, heads: 2, rng: &rng)
        let x = Variable(Tensor.randomNormal([1, 3, 4], rng: &rng))
        let (worst, detail) = gradientCheck(parameters: [x] + mha.parameters) { weighted(mha(x, x), seed: 2) }
        #expect(worst < 5e-3, "\(detail)")
    }

    @Test("Layer norm: gradients of x, γ and β")
    func layerNormGradient() {
        var rng = SeededRandom(seed: 76)
        let norm = LayerNorm(5)
        norm.gamma.value = Tensor.randomNormal([5], rng: &rng)
        norm.beta.value = Tensor.randomNormal([5], rng: &rng)
        let x = Variable(Tensor.randomNormal([3, 5], rng: &rng))
        let (worst, detail) = gradientCheck(parameters: [x, norm.gamma, norm.beta], h: 1e-2) { weighted(norm(x), seed: 3) }
        #expect(worst < 5e-3, "\(detail)")
    }
}
