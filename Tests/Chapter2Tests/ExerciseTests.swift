import Chapter2Exercises
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// The checks for Exercises/Chapter2. Each test is named `exerciseN_M` after its exercise;
/// a stub's "not attempted" ends the test as cancelled, a wrong answer fails it with a message.
@Suite("Chapter 2: exercises")
struct Chapter2ExerciseTests {
    @Test("2.1 The sigmoid node for tensors: value and backward rule")
    func exercise2_1() throws {
        let xs = Tensor([[-3, -0.5, 0], [0.5, 2, 40]])
        let x = Variable(xs)
        let y = try attempt("2.1") { try sigmoidNode(x) }
        #expect(y.value.isClose(to: xs.sigmoid(), tolerance: 1e-6), "σ(x) should be \(xs.sigmoid()), got \(y.value)")
        #expect(y.inputs.count == 1 && y.inputs[0] === x, "the node's only input should be x")
        let g = Tensor([[1, 2, 3], [-1, 0.5, 1]])
        y.backward(seed: g)
        let expected = g * xs.sigmoid() * (1 - xs.sigmoid())
        #expect(x.gradient.isClose(to: expected, tolerance: 1e-6),
                "∂L/∂x should be g ⊙ σ(x) ⊙ (1 − σ(x)) = \(expected), got \(x.gradient); at x = 0 with g = 3 it is 0.75")
        let big = try sigmoidNode(Variable(Tensor([-1000, 1000])))
        #expect(big.value == Tensor([0, 1]), "σ(±1000) should be 0 and 1 with no NaN, got \(big.value)")
    }

    @Test("2.2 Sum a gradient back to a shape, for every way of broadcasting")
    func exercise2_2() throws {
        let g = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
        for shape in [[4], [3, 1], [1, 4], [2, 1, 4], [2, 3, 1], [1], [], [2, 3, 4], [1, 3, 1]] {
            let got = try attempt("2.2") { try reduceGradient(g, toShape: shape) }
            let expected = g.sum(toShape: shape)
            #expect(got == expected,
                    "reducing a [2, 3, 4] gradient to \(shape) should give \(expected), got \(got): sum over the extra leading axes and over every axis where \(shape) has size 1")
        }
    }

    @Test("2.3 A stable log-softmax: right numbers, no overflow")
    func exercise2_3() throws {
        let small = try attempt("2.3") { try stableLogSoftmax([1, 2, 3]) }
        let expected: [Float] = [-2.4076, -1.4076, -0.4076]
        #expect(small.count == 3 && zip(small, expected).allSatisfy { abs($0 - $1) < 1e-4 },
                "logSoftmax([1, 2, 3]) should be \(expected), got \(small)")
        let large = try stableLogSoftmax([1000, 1001, 1002])
        #expect(large.count == 3 && zip(large, expected).allSatisfy { abs($0 - $1) < 1e-3 },
                "logSoftmax([1000, 1001, 1002]) should equal logSoftmax([1, 2, 3]) = \(expected), got \(large): subtract the max before exp")
        let far = try stableLogSoftmax([-1000, 0])
        #expect(far.count == 2 && far[0] == -1000 && far[1] == 0,
                "logSoftmax([-1000, 0]) should be [-1000, 0] (to Float precision), got \(far): log(softmax) would give -inf")
    }

    @Test("2.4 The matmul backward rule: ∂L/∂A = g·Bᵀ and ∂L/∂B = Aᵀ·g")
    func exercise2_4() throws {
        var rng = SeededRandom(seed: 42)
        let a = Variable(Tensor.randomNormal([3, 4], rng: &rng)), b = Variable(Tensor.randomNormal([4, 2], rng: &rng))
        let c = try attempt("2.4") { try matmulNode(a, b) }
        #expect(c.value.isClose(to: a.value.matmul(b.value)), "the forward value should be A·B, got \(c.value)")
        let g = Tensor.randomNormal([3, 2], rng: &rng)
        c.backward(seed: g)
        let a2 = Variable(a.value), b2 = Variable(b.value)
        a2.matmul(b2).backward(seed: g)
        #expect(a.gradient.shape == [3, 4] && a.gradient.isClose(to: a2.gradient, tolerance: 1e-5),
                "∂L/∂A should be g·Bᵀ with shape [3, 4] = \(a2.gradient), got \(a.gradient)")
        #expect(b.gradient.shape == [4, 2] && b.gradient.isClose(to: b2.gradient, tolerance: 1e-5),
                "∂L/∂B should be Aᵀ·g with shape [4, 2] = \(b2.gradient), got \(b.gradient)")
    }

    @Test("2.5 Adam's update: first step ≈ lr·sign(g), later steps match the equations")
    func exercise2_5() throws {
        var theta: [Float] = [1, 1, 1], m: [Float] = [0, 0, 0], v: [Float] = [0, 0, 0]
        try attempt("2.5") {
            try adamUpdate(theta: &theta, gradient: [0.001, -5, 300], m: &m, v: &v, t: 1, learningRate: 0.01)
        }
        let first: [Float] = [0.99, 1.01, 0.99]
        #expect(zip(theta, first).allSatisfy { abs($0 - $1) < 1e-6 },
                "the first step moves each parameter by lr·sign(g) = 0.01 whatever |g| is: expected \(first), got \(theta); did you divide m and v by (1 − βᵗ)?")
        #expect(abs(m[1] - -0.5) < 1e-6 && abs(v[1] - 0.025) < 1e-6,
                "after one step m = (1 − β₁)g = -0.5 and v = (1 − β₂)g² = 0.025 for g = -5, got m = \(m[1]), v = \(v[1])")
        // Compare a few more steps with the book's Adam.
        let p = Variable(Tensor([1, 1, 1]))
        var adam = Adam([p], learningRate: 0.01)
        var mine: [Float] = [1, 1, 1]
        m = [0, 0, 0]; v = [0, 0, 0]
        for t in 1...5 {
            let g: [Float] = [Float(t), -2, 0.5 * Float(t % 2)]
            p.grad = Tensor(g)
            adam.step()
            try adamUpdate(theta: &mine, gradient: g, m: &m, v: &v, t: t, learningRate: 0.01)
        }
        #expect(zip(mine, p.value.scalars).allSatisfy { abs($0 - $1) < 1e-6 },
                "after 5 steps θ should be \(p.value.scalars), got \(mine): check the bias correction uses the step number t")
    }

    @Test("2.6 He initialisation: shape [fanIn, fanOut], mean 0, variance 2/fanIn")
    func exercise2_6() throws {
        var rng = SeededRandom(seed: 6)
        let w = try attempt("2.6") { try heInitialisation(fanIn: 256, fanOut: 64, rng: &rng) }
        #expect(w.shape == [256, 64], "the shape should be [fanIn, fanOut] = [256, 64], got \(w.shape)")
        guard w.shape == [256, 64] else { return }
        let mean = w.mean().scalar
        let variance = ((w - mean) * (w - mean)).mean().scalar
        #expect(abs(mean) < 0.005, "the mean should be about 0, got \(mean)")
        #expect(abs(variance - 2.0 / 256) < 0.0006,
                "the variance should be 2/fanIn = \(2.0 / 256), got \(variance): the standard deviation is √(2/fanIn), not 2/fanIn")
        var rng2 = SeededRandom(seed: 6)
        let again = try heInitialisation(fanIn: 256, fanOut: 64, rng: &rng2)
        #expect(again == w, "the same seed should give the same weights: draw every number from rng")
    }

    @Test("2.7 Cross-entropy with padding: value and gradient, padding rows ignored")
    func exercise2_7() throws {
        var rng = SeededRandom(seed: 7)
        let logits = Tensor.randomNormal([5, 4], standardDeviation: 2, rng: &rng)
        let targets = [2, 0, -1, 3, -1]
        let z = Variable(logits)
        let loss = try attempt("2.7") { try paddedCrossEntropy(logits: z, targets: targets, ignoreIndex: -1) }
        let reference = Variable(logits)
        let expected = crossEntropy(logits: reference, targets: targets, ignoreIndex: -1)
        #expect(loss.value.count == 1 && abs(loss.value.scalars[0] - expected.value.scalar) < 1e-5,
                "the loss should be the mean of −log softmax over the 3 non-padding rows, \(expected.value.scalar), got \(loss.value.scalars)")
        loss.backward()
        expected.backward()
        #expect(z.gradient.isClose(to: reference.gradient, tolerance: 1e-5),
                "∂L/∂logits should be (softmax − onehot)/3 on real rows and 0 on padding rows: expected \(reference.gradient), got \(z.gradient)")
        let huge = try paddedCrossEntropy(logits: Variable(Tensor([[1000, 0], [0, 0]])), targets: [1, -1], ignoreIndex: -1)
        #expect(abs(huge.value.scalar - 1000) < 1e-2, "logits [1000, 0] with target 1 cost 1000 (finite), got \(huge.value)")
    }
}
