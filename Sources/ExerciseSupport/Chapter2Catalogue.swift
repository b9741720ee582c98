extension Catalogue {
    /// Chapter 2: tensors, tensor autodiff, layers and optimizers.
    static let chapter2: [Exercise] = [
        Exercise("2.1", "The sigmoid node for tensors", stars: 1, api: ["sigmoidNode"], forbidden: ["sigmoid"],
                 hints: [
                    "Section 2.3: a node is Variable(value, op:, inputs:, backward:), and its rule adds ∂L/∂input into the input with accumulate.",
                    "σ(x) = 1 / (1 + e⁻ˣ) elementwise: Tensor has exp(), unary minus and Float / Tensor. Keep y; the derivative is y(1 − y).",
                    "let y = 1 / (1 + (-x.value).exp()); return Variable(y, op: \"sigmoid\", inputs: [x]) { g in x.accumulate(g * y * (1 - y)) }.",
                 ]),
        Exercise("2.2", "Sum a gradient back to a shape", stars: 2, api: ["reduceGradient"], forbidden: ["unbroadcast", "backward"],
                 hints: [
                    "Section 2.2: an input that was repeated along an axis collects the gradients of all its copies, so sum along that axis.",
                    "Line the shapes up at the right. The gradient may have extra leading axes (sum them away) and axes where the input had size 1 (sum them, keeping the axis).",
                    "While g has more axes than the shape, g = g.sum(axis: 0). Then for every axis where shape[axis] == 1 and g's size is not 1, g = g.sum(axis: axis, keepingDimension: true). Finally reshape to the shape.",
                 ]),
        Exercise("2.3", "A stable log-softmax", stars: 1, api: ["stableLogSoftmax"], forbidden: ["logSoftmax", "logSumExp"],
                 hints: [
                    "Section 2.4: subtracting any constant from every logit leaves softmax unchanged; choose the maximum m.",
                    "log softmax(z)ᵢ = (zᵢ − m) − log Σⱼ exp(zⱼ − m). Every exponent is ≤ 0, so nothing overflows, and the sum is at least 1.",
                    "Subtract m first, then the log of the sum: (z − m) − log Σ. Written as z − (m + log Σ), the sum m + log Σ is rounded at the size of z (about 6e-5 near 1000) before the subtraction.",
                 ]),
        Exercise("2.4", "The matmul backward rule", stars: 2, api: ["matmulNode"], forbidden: ["matmul"],
                 hints: [
                    "Section 2.3's table: for C = A·B, ∂L/∂A = g·Bᵀ and ∂L/∂B = Aᵀ·g. Check by shapes.",
                    "Tensor.product(a, b, transposeA:, transposeB:) computes op(A)·op(B) without copying a transpose. When A is a batch [batch, m, k] and B one matrix [k, n], B was used by every matrix of the batch.",
                    "For a batch, flatten A to [batch·m, k] and g to [batch·m, n] before Aᵀ·g, so the product sums over the batch: Tensor.product(a.value.reshaped([-1, k]), g.reshaped([-1, n]), transposeA: true).",
                 ]),
        Exercise("2.5", "Adam's update with bias correction", stars: 2, api: ["adamUpdate"], forbidden: ["Adam", "AdamW"],
                 hints: [
                    "Section 2.7: Adam keeps running means of g and g², and corrects them for starting at zero.",
                    "Update m and v first, then divide them by (1 − β₁ᵗ) and (1 − β₂ᵗ), with t the step number (1 for the first step).",
                    "θ ← θ − lr · m̂ / (√v̂ + ε): ε is added after the square root, not inside it.",
                 ]),
        Exercise("2.6", "He initialisation", stars: 1, api: ["heInitialisation"], forbidden: ["heNormal", "Initialisation"],
                 hints: [
                    "Section 2.6: He initialisation keeps the variance of a ReLU layer's output equal to its input's: Var(w) = 2 / fanIn.",
                    "The standard deviation is the square root of the variance. Draw one rng.normal() per entry, in row-major order.",
                    "Tensor.randomNormal([fanIn, fanOut], standardDeviation: √(2 / fanIn), rng: &rng).",
                 ]),
        Exercise("2.7", "Cross-entropy with padding", stars: 2, api: ["paddedCrossEntropy"], forbidden: ["crossEntropy"],
                 hints: [
                    "Section 2.5: cross-entropy is the mean over the rows that count of −log softmax(z)[target].",
                    "Pick each row's target entry with a constant one-hot tensor whose rows are zero where the target is padding; logSoftmax() keeps the logs finite.",
                    "-(logits.logSoftmax() * oneHot).sum() / Float(number of non-padding rows).",
                 ]),
        Exercise("2.8", "Log-softmax as a new differentiable operation", stars: 3, api: ["logSoftmaxNode"], forbidden: ["logSoftmax", "logSumExp"],
                 hints: [
                    "Section 2.4 for the forward pass, and the softmax rows of section 2.3's table for the backward pass: one node whose only input is z.",
                    "Forward, per row along the last axis: y = (z − m) − log Σ exp(z − m). Backward: with s = exp(y), ∂L/∂zᵢ = gᵢ − sᵢ Σⱼ gⱼ.",
                    "m = z.value.max(axis: -1, keepingDimension: true); the row sums need sum(axis: -1, keepingDimension: true) so they broadcast back. In the rule: z.accumulate(g - y.exp() * g.sum(axis: -1, keepingDimension: true)).",
                 ]),
        Exercise("2.9", "Train a digit classifier", stars: 3, api: ["trainDigitClassifier"], forbidden: ["trainingLoop"],
                 file: "DigitClassifier.swift",
                 hints: [
                    "Section 2.7's training step, and the chapter's demo: a small MLP, cross-entropy on the logits, an optimizer, a few hundred steps on mini-batches.",
                    "Sequential([Linear(64, 64, initialisation: .heNormal, rng: &rng), ReLU(), Linear(64, 10, rng: &rng)]). Each step: a batch of 64 rows, crossEntropy(logits:targets:), zeroGradients(), backward(), step().",
                    "Adam with learning rate 0.01 for 300 steps reaches about 97 %. Draw batches from a shuffled order of the rows (rng.shuffle), and gather a batch's rows with images.gatherRows(batchIndices).",
                 ]),
    ]
}
