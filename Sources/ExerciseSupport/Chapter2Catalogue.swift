extension Catalogue {
    /// Chapter 2: tensors, tensor autodiff, layers and optimizers.
    static let chapter2: [Exercise] = [
        Exercise("2.1", "The sigmoid node for tensors", stars: 1, api: ["sigmoidNode"],
                 hints: ["Compute y = value.sigmoid() once, then build Variable(y, op:inputs:backward:) whose rule calls x.accumulate(g * y * (1 − y)); Tensor has * and Float − Tensor."]),
        Exercise("2.2", "Sum a gradient back to a shape", stars: 2, api: ["reduceGradient"],
                 hints: ["Line the shapes up at the right. First sum away the extra leading axes with sum(axis: 0), then, for every axis where the target has size 1 and the gradient does not, sum(axis:, keepingDimension: true)."]),
        Exercise("2.3", "A stable log-softmax", stars: 1, api: ["stableLogSoftmax"],
                 hints: ["Find m = max(z). Then logSumExp = m + log Σ exp(zⱼ − m), and the answer is zᵢ − logSumExp. Every exponent is ≤ 0, so nothing overflows."]),
        Exercise("2.4", "The matmul backward rule", stars: 2, api: ["matmulNode"],
                 hints: ["For C = A·B: ∂L/∂A = g·Bᵀ and ∂L/∂B = Aᵀ·g. Check the shapes: g is [m, n], A is [m, k], B is [k, n]. Tensor has matmul and transposed()."]),
        Exercise("2.5", "Adam's update with bias correction", stars: 2, api: ["adamUpdate"],
                 hints: ["Update m and v first, then divide them by (1 − β₁ᵗ) and (1 − β₂ᵗ) before using them; t starts at 1. The step is lr · m̂ / (√v̂ + ε)."]),
        Exercise("2.6", "He initialisation", stars: 1, api: ["heInitialisation"], forbidden: ["heNormal"],
                 hints: ["Draw fanIn · fanOut normals with rng.normal() and scale by √(2 / fanIn); the shape is [fanIn, fanOut]."]),
        Exercise("2.7", "Cross-entropy with padding", stars: 3, api: ["paddedCrossEntropy"],
                 hints: ["Build it from variable operations: logSoftmax(), multiply by a constant one-hot tensor that has zero rows where the target is ignoreIndex, sum, negate, and divide by the number of rows that count."]),
    ]
}
