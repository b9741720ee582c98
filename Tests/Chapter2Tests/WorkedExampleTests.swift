import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// Every worked number in Chapters/02-tensors.md.
@Suite("Chapter 2: worked examples from the text")
struct Chapter2WorkedExampleTests {
    @Test("softmax([1, 2, 3]) = [0.090, 0.245, 0.665]")
    func softmaxSmall() {
        let s = Tensor([1, 2, 3]).softmax()
        let expected: [Float] = [0.090, 0.245, 0.665]
        for (got, want) in zip(s.scalars, expected) {
            #expect(abs(got - want) < 5e-4, "softmax([1, 2, 3]) should be \(expected), got \(s.scalars)")
        }
        #expect(abs(s.scalars.reduce(0, +) - 1) < 1e-6, "softmax must sum to 1, got \(s.scalars.reduce(0, +))")
    }

    @Test("softmax([1000, 1001, 1002]) gives the same numbers, with no NaN")
    func softmaxLarge() {
        let s = Tensor([1000, 1001, 1002]).softmax()
        #expect(s.isFinite, "softmax of large logits must not overflow: got \(s.scalars)")
        #expect(s.isClose(to: Tensor([1, 2, 3]).softmax(), tolerance: 1e-6),
                "adding 999 to every logit must not change softmax, got \(s.scalars)")
        // Without subtracting the max, exp(1000) is +∞ in Float and ∞/∞ is NaN.
        let naive = Tensor([1000, 1001, 1002]).exp()
        #expect(!(naive / naive.sum()).isFinite, "the naive formula should overflow, which is why we subtract the max")
        let lse = Tensor([1000, 1001, 1002]).logSumExp().scalar
        #expect(abs(lse - 1002.4076) < 1e-3, "logSumExp([1000, 1001, 1002]) = 1002 + log(1 + e⁻¹ + e⁻²) ≈ 1002.4076, got \(lse)")
        let logS = Tensor([1000, 1001, 1002]).logSoftmax()
        #expect(logS.isClose(to: Tensor([-2.4076, -1.4076, -0.4076]), tolerance: 1e-3),
                "logSoftmax([1000, 1001, 1002]) should be [-2.4076, -1.4076, -0.4076], got \(logS.scalars)")
    }

    @Test("Linear(784, 128) has 100,480 parameters")
    func linearParameterCount() {
        var rng = SeededRandom(seed: 0)
        let layer = Linear(784, 128, rng: &rng)
        #expect(layer.parameterCount == 100_480, "784·128 weights + 128 biases = 100,480, got \(layer.parameterCount)")
        #expect(layer.weight.shape == [784, 128] && layer.bias.shape == [128])
    }

    @Test("Adam's first step moves each parameter by about lr · sign(grad)")
    func adamFirstStep() {
        let theta = Variable(Tensor([1, 1, 1, 1]))
        theta.grad = Tensor([0.001, -5, 300, -0.2])
        var adam = Adam([theta], learningRate: 0.01)
        adam.step()
        let moved = (theta.value - Tensor([1, 1, 1, 1])).scalars
        let expected: [Float] = [-0.01, 0.01, -0.01, 0.01]
        for (m, e) in zip(moved, expected) {
            #expect(abs(m - e) < 1e-6, "Adam's first step should be −lr·sign(g) = \(expected) whatever |g| is, got \(moved)")
        }
    }

    @Test("Broadcasting figure: [4, 3] + [3], [2, 5, 5] with [1, 5], and the reductions back")
    func broadcastingFigure() {
        #expect(Tensor.broadcastShape([4, 3], [3], op: "+") == [4, 3])
        #expect(Tensor.broadcastShape([2, 5, 5], [1, 5], op: "+") == [2, 5, 5])
        let x = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect((x + Tensor([10, 20, 30])) == Tensor([[11, 22, 33], [14, 25, 36]]))
        #expect(x.unbroadcast(to: [3]) == Tensor([5, 7, 9]), "summing [2, 3] back to [3] adds the rows")
        #expect(x.unbroadcast(to: [2, 1]) == Tensor(shape: [2, 1], scalars: [6, 15]), "summing to [2, 1] adds along each row")
        #expect(x.sum(axis: 0) == Tensor([5, 7, 9]) && x.sum(axis: -1) == Tensor([6, 15]))
    }

    @Test("Cross-entropy of uniform logits is log C; an ignored row does not count")
    func crossEntropyExamples() {
        let uniform = crossEntropy(logits: Variable(Tensor.zeros([2, 4])), targets: [1, 3]).value.scalar
        #expect(abs(uniform - log(4)) < 1e-6, "uniform logits over 4 classes: loss log 4 ≈ 1.3863, got \(uniform)")
        let logits = Tensor([[2, 0, 0], [0, 0, 5]])
        let one = crossEntropy(logits: Variable(logits.slice(axis: 0, 0..<1)), targets: [0]).value.scalar
        let masked = crossEntropy(logits: Variable(logits), targets: [0, -100], ignoreIndex: -100).value.scalar
        #expect(abs(one - masked) < 1e-6, "a padded row must not change the mean: \(one) vs \(masked)")
        #expect(abs(one - 0.2395) < 1e-4, "−log softmax([2, 0, 0])₀ = log(1 + 2e⁻²) ≈ 0.2395, got \(one)")
    }

    @Test("BCE with logits stays finite at ±100 and equals log 2 at 0")
    func binaryCrossEntropyExamples() {
        let zero = binaryCrossEntropy(logits: Variable(Tensor([0])), targets: Tensor([1])).value.scalar
        #expect(abs(zero - log(2)) < 1e-6, "BCE(z = 0, y = 1) = log 2 ≈ 0.6931, got \(zero)")
        let far = binaryCrossEntropy(logits: Variable(Tensor([100, -100])), targets: Tensor([0, 1])).value.scalar
        #expect(abs(far - 100) < 1e-3, "confidently wrong by 100 costs 100 per element, got \(far)")
    }

    @Test("BCE on probabilities: p = 1 with target 0 costs 100 (the log clamped at −100), not ∞")
    func binaryCrossEntropyOnProbabilities() {
        let wrong = binaryCrossEntropy(probabilities: Variable(Tensor([1])), targets: Tensor([0])).value.scalar
        #expect(wrong == 100, "got \(wrong)")
        let half = binaryCrossEntropy(probabilities: Variable(Tensor([0.5])), targets: Tensor([1])).value.scalar
        #expect(abs(half - log(2)) < 1e-6, "p = 0.5 costs log 2, got \(half)")
    }

    @Test("A million copies of 0.1: 100958.34 added one at a time in Float, 100000.0 as the book sums")
    func sumOfTenths() {
        let tenths = Tensor(repeating: 0.1, shape: [1000, 1000])
        var naive: Float = 0
        for x in tenths.scalars { naive += x }
        #expect(abs(naive - 100_958.34) < 0.01, "one at a time in Float: \(naive)")
        #expect(tenths.sum().scalar == 100_000, "the book's sum: \(tenths.sum().scalar)")
    }

    @Test("Clipping a norm of 5e-8 to 1e-8 scales by 1e-8 / (5e-8 + 1e-6) ≈ 0.0095, not 0.2")
    func tinyClipping() {
        let a = Variable(Tensor([3e-8])), b = Variable(Tensor([0, 4e-8]))
        a.grad = Tensor([3e-8]); b.grad = Tensor([0, 4e-8])
        clipGradientNorm([a, b], maxNorm: 1e-8)
        let scale = a.grad!.scalar / 3e-8
        #expect(abs(scale - 0.0095238) < 1e-6, "got \(scale)")
    }
}
