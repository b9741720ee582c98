// The checks of chapter 2's exercises 2.1–2.8. Each takes a Checker and the student's function,
// so the same check runs on the answer in Exercises/Chapter2 and on the known wrong answers in
// Mutants/Chapter2, which must fail it with a message that names their mistake. Expected values
// come from the book's Tensors module; the known mistakes are computed beside them.

import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors

/// Seeded N(0, sd²) entries.
func seededTensor(_ shape: [Int], seed: UInt64, standardDeviation: Float = 1) -> Tensor {
    var rng = SeededRandom(seed: seed)
    return Tensor.randomNormal(shape, standardDeviation: standardDeviation, rng: &rng)
}

/// 2.1: σ(x) as one node, its backward rule, reuse, and ±1000.
public func checkSigmoidNode(_ c: Checker, _ sigmoidNode: (Variable) throws -> Variable) throws {
    let xs = Tensor([[-3, -0.5, 0], [0.5, 2, 7]])
    let s = xs.sigmoid()
    let x = Variable(xs)
    let y = try sigmoidNode(x)
    c.expectClose(y.value, s, tolerance: 1e-6, "σ(x) for x = [[−3, −0.5, 0], [0.5, 2, 7]]",
                  mistakes: [Mistake((-xs).sigmoid(), "σ(x) = 1 / (1 + e⁻ˣ): the exponent is −x, not x")])
    guard y.inputs.count == 1 && y.inputs[0] === x else {
        c.fail("σ(x) should be one node whose only input is x; it has \(y.inputs.count) input(s)\(y.inputs.first === x ? "" : " and x is not among them"). Build it with Variable(_:op:inputs:backward:) from x itself")
        return
    }
    let g = Tensor([[1, 2, 3], [-1, 0.5, 1]])
    y.backward(seed: g)
    c.expectClose(x.gradient, g * s * (1 - s), tolerance: 1e-6, "∂L/∂x = g ⊙ y ⊙ (1 − y) for g = [[1, 2, 3], [−1, 0.5, 1]]",
                  mistakes: [Mistake(g * s, "the derivative of σ is σ(1 − σ), not σ"),
                             Mistake(g * xs * (1 - xs), "the derivative is y(1 − y) with y = σ(x), the output, not the input x"),
                             Mistake(s * (1 - s), "the rule must multiply by the incoming gradient g (the chain rule)")])
    // A variable used twice collects both gradients.
    let twice = Variable(xs)
    (try sigmoidNode(twice) + (try sigmoidNode(twice))).backward(seed: g)
    c.expectClose(twice.gradient, 2 * g * s * (1 - s), tolerance: 1e-6, "∂L/∂x when x feeds two sigmoid nodes (twice the gradient)",
                  mistakes: [Mistake(g * s * (1 - s), "the second use replaced the first: add into the gradient with x.accumulate(…), never assign x.grad")])
    let far = Variable(Tensor([-1000, 1000]))
    let extreme = try sigmoidNode(far)
    extreme.backward(seed: Tensor([1, 1]))
    if !extreme.value.isFinite || !far.gradient.isFinite {
        c.fail("σ([−1000, 1000]) should be [0, 1] with gradient [0, 0], got \(extreme.value.scalars) with gradient \(far.gradient.scalars). Likely mistake: eˣ overflows to ∞ at x = 1000 and ∞/∞ is NaN: compute 1 / (1 + e⁻ˣ)")
    } else {
        c.expectClose(extreme.value, Tensor([0, 1]), tolerance: 1e-6, "σ([−1000, 1000])")
    }
}

/// 2.2: summing a [2, 3, 4] gradient (and a [3, 3] one) back to every shape it broadcasts from.
public func checkReduceGradient(_ c: Checker, _ reduce: (Tensor, [Int]) throws -> Tensor) throws {
    let g = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
    for shape in [[4], [3, 1], [1, 4], [2, 1, 4], [2, 3, 1], [1], [], [2, 3, 4], [1, 3, 1]] {
        let got = try reduce(g, shape)
        let what = "a [2, 3, 4] gradient reduced to \(shape)"
        guard got.shape == shape else {
            var leading = g
            while leading.rank > shape.count { leading = leading.sum(axis: 0) }
            var message = "\(what): the result has shape \(got.shape), it must have shape \(shape)."
            if got.shape == leading.shape && leading.shape != shape {
                message += " Likely mistake: the axes where \(shape) has size 1 were not summed (sum them with keepingDimension: true)"
            } else if got.rank > shape.count {
                message += " Likely mistake: the extra leading axes were not summed away"
            }
            c.fail(message)
            continue
        }
        c.expectClose(got, g.unbroadcast(to: shape), tolerance: 0, what)
    }
    // [3] against [3, 3]: broadcasting lines shapes up at the last axis, so the [3] was a row
    // repeated down the rows, and its gradient sums over axis 0 (the columns' totals).
    let square = Tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    c.expectClose(try reduce(square, [3]), Tensor([12, 15, 18]), tolerance: 0, "[[1, 2, 3], [4, 5, 6], [7, 8, 9]] reduced to [3]",
                  mistakes: [Mistake(Tensor([6, 15, 24]), "the shapes were lined up at the left: broadcasting lines them up at the last axis, so a [3] against [3, 3] is one row repeated down the rows, and its gradient sums over axis 0")])
}

/// 2.3: log-softmax of one row, accurate at 1000 and finite at −1000.
public func checkStableLogSoftmax(_ c: Checker, _ logSoftmax: ([Float]) throws -> [Float]) throws {
    // log(1 + e⁻¹ + e⁻²) = 0.40760596…, in Double.
    let lse = Foundation.log(1 + Foundation.exp(-1.0) + Foundation.exp(-2.0))
    let expected = [-2 - lse, -1 - lse, -lse].map(Float.init)
    let small = try logSoftmax([1, 2, 3])
    c.expectClose(small, expected, tolerance: 1e-6, "log softmax([1, 2, 3])",
                  mistakes: [Mistake(expected.map { Foundation.exp($0) }, "that is softmax; log-softmax is its logarithm"),
                             Mistake([1, 2, 3].map { $0 - Float(lse) }, "log Σ exp(zⱼ − m) is logSumExp − m: add m back to it (or subtract m from zᵢ too)")])
    let large = try logSoftmax([1000, 1001, 1002])
    if large.contains(where: { !$0.isFinite }) {
        c.fail("log softmax([1000, 1001, 1002]) should be \(expected), the same as for [1, 2, 3], got \(large). Likely mistake: exp(1000) overflows to ∞ (and log ∞ = ∞, ∞/∞ = NaN): subtract the maximum m from every zⱼ before exp")
    } else {
        c.expectClose(large, expected, tolerance: 2e-6, "log softmax([1000, 1001, 1002]) (the same as for [1, 2, 3])",
                      mistakes: [Mistake([-2.4075928, -1.4075928, -0.4075928], "computed zᵢ − (m + log Σ): the sum m + log Σ ≈ 1002.4076 is rounded to Float's spacing near 1000 (6e-5) before the subtraction. Compute (zᵢ − m) − log Σ, as PyTorch does")])
    }
    let far = try logSoftmax([-1000, 0])
    if far.contains(where: { !$0.isFinite }) {
        c.fail("log softmax([−1000, 0]) should be [−1000, 0] (to Float precision), got \(far). Likely mistake: the log of softmax in two steps: softmax underflows to 0 and log 0 = −∞. Subtract log Σ instead")
    } else {
        c.expectClose(far, [-1000, 0], tolerance: 1e-6, "log softmax([−1000, 0])")
    }
    c.expectClose(try logSoftmax([5]), [0], tolerance: 1e-7, "log softmax of a single logit (probability 1)")
}

/// 2.4: C = A·B as a node, for square, rectangular and batched A, and with A used twice.
public func checkMatmulNode(_ c: Checker, _ node: (Variable, Variable) throws -> Variable) throws {
    let av = seededTensor([3, 3], seed: 41), bv = seededTensor([3, 3], seed: 42), g = seededTensor([3, 3], seed: 43)
    let a = Variable(av), b = Variable(bv)
    let product = try node(a, b)
    c.expectClose(product.value, av.matmul(bv), tolerance: 1e-5, "the value of A·B for 3×3 matrices",
                  mistakes: [Mistake(bv.matmul(av), "that is B·A: the order of a matrix product matters")])
    guard product.inputs.count == 2 && product.inputs[0] === a && product.inputs[1] === b else {
        c.fail("A·B should be one node with the inputs [a, b], in that order; it has \(product.inputs.count) input(s). Build it with Variable(_:op:inputs:backward:)")
        return
    }
    product.backward(seed: g)
    let dA = g.matmul(bv.transposed()), dB = av.transposed().matmul(g)
    c.expectClose(a.gradient, dA, tolerance: 1e-5, "∂L/∂A = g·Bᵀ for 3×3 matrices",
                  mistakes: [Mistake(g.matmul(bv), "∂L/∂A is g·Bᵀ: transpose B"),
                             Mistake(bv.transposed().matmul(g), "∂L/∂A is g·Bᵀ: g comes first"),
                             Mistake(dB, "∂L/∂A and ∂L/∂B are swapped")])
    c.expectClose(b.gradient, dB, tolerance: 1e-5, "∂L/∂B = Aᵀ·g for 3×3 matrices",
                  mistakes: [Mistake(av.matmul(g), "∂L/∂B is Aᵀ·g: transpose A"),
                             Mistake(g.matmul(av.transposed()), "∂L/∂B is Aᵀ·g: Aᵀ comes first"),
                             Mistake(dA, "∂L/∂A and ∂L/∂B are swapped")])
    // A used on both sides: its gradient is the sum of both rules.
    let shared = Variable(av)
    try node(shared, shared).backward(seed: g)
    let both = g.matmul(av.transposed()) + av.transposed().matmul(g)
    c.expectClose(shared.gradient, both, tolerance: 1e-5, "∂L/∂A for A·A (A is used twice: g·Aᵀ + Aᵀ·g)",
                  mistakes: [Mistake(av.transposed().matmul(g), "the second use replaced the first: add with accumulate(…), never assign grad"),
                             Mistake(g.matmul(av.transposed()), "the second use replaced the first: add with accumulate(…), never assign grad")])
    // The cases below trap on a shape error (a product of mismatched shapes, or a gradient of the
    // wrong shape), which would hide the diagnoses above: fix those first.
    guard c.failures.isEmpty else { return }
    // Rectangular, with a constant right side.
    let wide = Variable(seededTensor([3, 4], seed: 44)), constant = Variable.constant(seededTensor([4, 2], seed: 45))
    let g2 = seededTensor([3, 2], seed: 46)
    let rectangular = try node(wide, constant)
    c.expect(rectangular.shape == [3, 2], "[3, 4]·[4, 2] should have shape [3, 2], got \(rectangular.shape)")
    rectangular.backward(seed: g2)
    c.expectClose(wide.gradient, g2.matmul(constant.value.transposed()), tolerance: 1e-5, "∂L/∂A = g·Bᵀ for A [3, 4] and B [4, 2]")
    // A batch of matrices times one shared matrix: ∂L/∂B adds up every matrix's Aᵀ·g.
    let batch = Variable(seededTensor([2, 3, 4], seed: 47)), weight = Variable(seededTensor([4, 2], seed: 48))
    let g3 = seededTensor([2, 3, 2], seed: 49)
    let batched = try node(batch, weight)
    c.expectClose(batched.value, batch.value.matmul(weight.value), tolerance: 1e-5, "the value of A·B for A [2, 3, 4] (a batch) and B [4, 2]")
    batched.backward(seed: g3)
    let reference = Variable(batch.value), sharedWeight = Variable(weight.value)
    reference.matmul(sharedWeight).backward(seed: g3)
    c.expectClose(batch.gradient, reference.gradient, tolerance: 1e-5, "∂L/∂A for A [2, 3, 4] and B [4, 2]")
    c.expectClose(weight.gradient, sharedWeight.gradient, tolerance: 1e-5, "∂L/∂B for A [2, 3, 4] and B [4, 2] (the sum over the batch)")
}

/// One step of the Adam variants the check knows, on plain arrays: `correct` false leaves out the
/// bias correction, `epsilonInside` puts ε under the square root, `fixedT` uses t = 1 always.
func adamStep(_ theta: inout [Float], _ g: [Float], _ m: inout [Float], _ v: inout [Float], t: Int, lr: Float,
              correct: Bool = true, epsilonInside: Bool = false, fixedT: Bool = false) {
    let (b1, b2, eps): (Float, Float, Float) = (0.9, 0.999, 1e-8)
    let step = Float(fixedT ? 1 : t)
    for i in theta.indices {
        m[i] = b1 * m[i] + (1 - b1) * g[i]
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
        let mHat = correct ? m[i] / (1 - pow(b1, step)) : m[i]
        let vHat = correct ? v[i] / (1 - pow(b2, step)) : v[i]
        theta[i] -= lr * mHat / (epsilonInside ? (vHat + eps).squareRoot() : vHat.squareRoot() + eps)
    }
}

/// 2.5: the first step is lr·sign(g); six steps agree with the book's Adam.
public func checkAdamUpdate(_ c: Checker,
                            _ update: (inout [Float], [Float], inout [Float], inout [Float], Int, Float) throws -> Void) throws {
    let g: [Float] = [0.001, -5, 300]
    var theta: [Float] = [1, 1, 1], m: [Float] = [0, 0, 0], v: [Float] = [0, 0, 0]
    try update(&theta, g, &m, &v, 1, 0.01)
    func variant(correct: Bool = true, epsilonInside: Bool = false) -> [Float] {
        var t: [Float] = [1, 1, 1], m: [Float] = [0, 0, 0], v: [Float] = [0, 0, 0]
        adamStep(&t, g, &m, &v, t: 1, lr: 0.01, correct: correct, epsilonInside: epsilonInside)
        return t
    }
    c.expectClose(theta, variant(), tolerance: 1e-6,
                  "θ after the first step from θ = [1, 1, 1] with g = [0.001, −5, 300] and lr = 0.01 (each moves by lr·sign(g), whatever |g| is)",
                  mistakes: [Mistake(variant(correct: false), "without the bias correction the first step is 3.16·lr: divide m by (1 − β₁ᵗ) and v by (1 − β₂ᵗ)"),
                             Mistake(variant(epsilonInside: true), "ε goes outside the square root: √v̂ + ε, not √(v̂ + ε)")])
    c.expectClose(m, [0.0001, -0.5, 30], tolerance: 1e-6, "m after the first step ((1 − β₁)·g)",
                  mistakes: [Mistake(g, "store the running mean m itself; the correction m̂ = m / (1 − β₁ᵗ) is only used for the step")])
    c.expectClose(v, g.map { (1 - Float(0.999)) * $0 * $0 }, tolerance: 1e-6, "v after the first step ((1 − β₂)·g²)")

    // Five more steps, against the book's Adam and against a correction stuck at t = 1.
    let p = Variable(Tensor([1, 1, 1]))
    var adam = Adam([p], learningRate: 0.01)
    var mine: [Float] = [1, 1, 1], stuck: [Float] = [1, 1, 1]
    m = [0, 0, 0]; v = [0, 0, 0]
    var ms: [Float] = [0, 0, 0], vs: [Float] = [0, 0, 0]
    for t in 1...6 {
        let gt: [Float] = [Float(t), -2, 0.5 * Float(t % 2)]
        p.grad = Tensor(gt)
        adam.step()
        try update(&mine, gt, &m, &v, t, 0.01)
        adamStep(&stuck, gt, &ms, &vs, t: t, lr: 0.01, fixedT: true)
    }
    c.expectClose(mine, p.value.scalars, tolerance: 1e-6, "θ after 6 steps with gradients [t, −2, t mod 2 / 2]",
                  mistakes: [Mistake(stuck, "the correction uses the step number t: 1 − β₁ᵗ and 1 − β₂ᵗ, not t = 1 at every step")])
}

/// 2.6: exactly the draws of the book's He initialisation.
public func checkHeInitialisation(_ c: Checker, _ initialise: (Int, Int, inout SeededRandom) throws -> Tensor) throws {
    var rng = SeededRandom(seed: 6), reference = SeededRandom(seed: 6)
    let w = try initialise(256, 64, &rng)
    let expected = Initialisation.heNormal.sample([256, 64], fanIn: 256, fanOut: 64, rng: &reference)
    guard w.shape == [256, 64] else {
        c.fail("the shape should be [fanIn, fanOut] = [256, 64], got \(w.shape)\(w.shape == [64, 256] ? ". Likely mistake: the shape is [fanIn, fanOut], inputs first, as the book's weights are" : "")")
        return
    }
    let unit = expected / Float((2.0 / 256).squareRoot())   // the same draws with standard deviation 1
    c.expectClose(w, expected, tolerance: 1e-5, "He weights for fanIn 256, fanOut 64 with SeededRandom(seed: 6), one rng.normal() per entry in row-major order",
                  mistakes: [Mistake(unit * (2.0 / 256), "the standard deviation is √(2/fanIn), the square root of the variance 2/fanIn"),
                             Mistake(unit * Float((1.0 / 256).squareRoot()), "He's variance is 2/fanIn; 1/fanIn is LeCun's"),
                             Mistake(unit * Float((2.0 / 64).squareRoot()), "He initialisation scales by fanIn (the inputs each unit adds up), not fanOut"),
                             Mistake(unit * Float((2.0 / 320).squareRoot()), "that is Xavier's variance 2/(fanIn + fanOut); He's is 2/fanIn")])
    c.expect(rng.next() == reference.next(),
             "draw exactly one rng.normal() per entry from the generator you are given (its state afterwards differs from the book's)")
}

/// 2.7: padded cross-entropy: value, gradient and large logits.
public func checkPaddedCrossEntropy(_ c: Checker, _ loss: (Variable, [Int], Int) throws -> Variable) throws {
    let logits = seededTensor([5, 4], seed: 7, standardDeviation: 2)
    let targets = [2, 0, -1, 3, -1]
    let z = Variable(logits)
    let got = try loss(z, targets, -1)
    let reference = Variable(logits)
    let expected = crossEntropy(logits: reference, targets: targets, ignoreIndex: -1)
    let e = expected.value.scalar
    guard got.value.count == 1 else {
        c.fail("the loss should be a single number (a scalar variable), got shape \(got.shape): take the mean over the rows")
        return
    }
    c.expectClose(got.value.scalars[0], e, tolerance: 1e-5, "the loss for 5 rows of which 2 are padding",
                  mistakes: [Mistake(e * 3 / 5, "divide by the number of rows that are not padding (3), not by all rows (5)"),
                             Mistake(e * 3, "take the mean over the rows that count, not the sum"),
                             Mistake(-e, "cross-entropy is −log p: negate the sum of log-probabilities")])
    got.backward()
    expected.backward()
    c.expectClose(z.gradient, reference.gradient, tolerance: 1e-5,
                  "∂L/∂logits ((softmax − onehot)/3 on the real rows, 0 on the padding rows)")
    let huge = try loss(Variable(Tensor([[1000, 0], [0, 0]])), [1, -1], -1)
    if !huge.value.isFinite {
        c.fail("logits [1000, 0] with target 1 should cost 1000, got \(huge.value.scalars). Likely mistake: the log of softmax in two steps underflows to log 0 = −∞: use logSoftmax()")
    } else {
        c.expectClose(huge.value.scalars[0], 1000, tolerance: 1e-5, "the loss for logits [1000, 0] with target 1 (and a padding row)")
    }
}

/// 2.8: log-softmax as one node: forward, backward, central differences, large logits, reuse.
public func checkLogSoftmaxNode(_ c: Checker, _ node: (Variable) throws -> Variable) throws {
    var rng = SeededRandom(seed: 28)
    let zv = Tensor.randomUniform([3, 5], low: -3, high: 3, rng: &rng)
    let z = Variable(zv)
    let y = try node(z)
    let expected = zv.logSoftmax()
    let wholeTensor = zv - Tensor(zv.exp().sum().log().scalar)
    c.expectClose(y.value, expected, tolerance: 1e-5, "log softmax of a [3, 5] tensor along its last axis",
                  mistakes: [Mistake(expected.exp(), "that is softmax; log-softmax is its logarithm"),
                             Mistake(wholeTensor, "it normalised over every element of the tensor; normalise each row, along the last axis")])
    guard y.inputs.count == 1 && y.inputs[0] === z else {
        c.fail("log-softmax should be ONE node whose only input is z, with a backward rule you write; yours has \(y.inputs.count) input(s)\(y.inputs.contains { $0 === z } ? "" : ", none of them z"), so it was composed from other variable operations. Build it with Variable(y, op:, inputs: [z]) { g in … }")
        return
    }
    let g = Tensor.randomUniform([3, 5], low: -1, high: 1, rng: &rng)
    y.backward(seed: g)
    let reference = Variable(zv)
    reference.logSoftmax().backward(seed: g)
    let s = expected.exp()
    c.expectClose(z.gradient, reference.gradient, tolerance: 1e-5, "∂L/∂z for a [3, 5] input and a random g",
                  mistakes: [Mistake(g - s * g, "the rule is gᵢ − sᵢ Σⱼ gⱼ: multiply s by the row's total Σⱼ gⱼ, not by gᵢ"),
                             Mistake(g - s, "the rule is gᵢ − sᵢ Σⱼ gⱼ: multiply s by the row's total Σⱼ gⱼ"),
                             Mistake(s * (g - (g * s).sum(axis: -1, keepingDimension: true)), "that is softmax's backward rule; log-softmax's is gᵢ − sᵢ Σⱼ gⱼ")])
    // Central differences on a rank-3 input.
    let cube = Variable(Tensor.randomUniform([2, 3, 4], low: -2, high: 2, rng: &rng))
    let weights = Tensor.randomUniform([2, 3, 4], low: -1, high: 1, rng: &rng)
    var failed: String?
    let (worst, detail) = gradientCheck(parameters: [cube]) {
        do { return try (node(cube) * weights).sum() } catch {
            failed = "\(error)"
            return Variable.constant(Tensor(0))
        }
    }
    if let failed { c.fail("log-softmax of a [2, 3, 4] input threw \(failed)") }
    c.expect(worst < 5e-3, "the backward rule for a [2, 3, 4] input disagrees with central differences by \(worst): \(detail)")
    // Large logits, and a variable used twice.
    let largeInput = Tensor([[1000, 1001, 1002], [-1000, 0, 1000]])
    let large = try node(Variable(largeInput))
    if !large.value.isFinite {
        c.fail("log softmax([[1000, 1001, 1002], [−1000, 0, 1000]]) should be finite, got \(large.value.scalars). Likely mistake: exp(1000) overflows: subtract each row's maximum before exp")
    } else {
        c.expectClose(large.value, largeInput.logSoftmax(), tolerance: 2e-6, "log softmax([[1000, 1001, 1002], [−1000, 0, 1000]])")
    }
    let twice = Variable(zv)
    (try node(twice) + (try node(twice))).backward(seed: g)
    c.expectClose(twice.gradient, reference.gradient * 2, tolerance: 1e-5, "∂L/∂z when z feeds two log-softmax nodes (twice the gradient)",
                  mistakes: [Mistake(reference.gradient, "the second use replaced the first: add into the gradient with z.accumulate(…), never assign z.grad")])
}
