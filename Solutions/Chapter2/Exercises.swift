// Chapter 2 exercises: reference answers. Same public API as Exercises/Chapter2.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors

/// Exercise 2.1 ★ — The sigmoid node for tensors.
public func sigmoidNode(_ x: Variable) throws -> Variable {
    // e⁻ˣ overflows to +∞ for x ≪ 0, and 1/(1 + ∞) = 0: no NaN.
    let y = 1 / (1 + (-x.value).exp())
    return Variable(y, op: "sigmoid", inputs: [x]) { g in
        x.accumulate(g * y * (1 - y))
    }
}

/// Exercise 2.2 ★★ — Sum a gradient back to a shape.
public func reduceGradient(_ g: Tensor, toShape shape: [Int]) throws -> Tensor {
    var result = g
    // Axes the input did not have at all: sum them away.
    while result.rank > shape.count {
        result = result.sum(axis: 0)
    }
    // Axes where the input had size 1: sum, keeping the axis.
    for axis in 0..<shape.count where shape[axis] == 1 && result.shape[axis] != 1 {
        result = result.sum(axis: axis, keepingDimension: true)
    }
    return result.reshaped(shape)
}

/// Exercise 2.3 ★ — A stable log-softmax.
public func stableLogSoftmax(_ z: [Float]) throws -> [Float] {
    let m = z.max() ?? 0
    let total = z.reduce(Float(0)) { $0 + exp($1 - m) }
    let logTotal = log(total)
    return z.map { ($0 - m) - logTotal }
}

/// Exercise 2.4 ★★ — The matmul backward rule.
public func matmulNode(_ a: Variable, _ b: Variable) throws -> Variable {
    Variable(Tensor.product(a.value, b.value), op: "matmul", inputs: [a, b]) { g in
        if a.requiresGrad { a.accumulate(Tensor.product(g, b.value, transposeB: true)) }
        if b.requiresGrad {
            // Every matrix of a batch used the same B: flatten the batch so one product sums it.
            let k = b.shape[0], n = b.shape[1]
            b.accumulate(Tensor.product(a.value.reshaped([-1, k]), g.reshaped([-1, n]), transposeA: true))
        }
    }
}

/// Exercise 2.5 ★★ — Adam's update with bias correction.
public func adamUpdate(theta: inout [Float], gradient: [Float], m: inout [Float], v: inout [Float],
                       t: Int, learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                       epsilon: Float = 1e-8) throws {
    let correction1 = 1 - pow(beta1, Float(t)), correction2 = 1 - pow(beta2, Float(t))
    for i in theta.indices {
        let g = gradient[i]
        m[i] = beta1 * m[i] + (1 - beta1) * g
        v[i] = beta2 * v[i] + (1 - beta2) * g * g
        let mHat = m[i] / correction1, vHat = v[i] / correction2
        theta[i] -= learningRate * mHat / (vHat.squareRoot() + epsilon)
    }
}

/// Exercise 2.6 ★ — He initialisation.
public func heInitialisation(fanIn: Int, fanOut: Int, rng: inout SeededRandom) throws -> Tensor {
    let sd = Float(sqrt(2.0 / Double(fanIn)))
    let values = (0..<(fanIn * fanOut)).map { _ in sd * Float(rng.normal()) }
    return Tensor(shape: [fanIn, fanOut], scalars: values)
}

/// Exercise 2.7 ★★ — Cross-entropy with padding.
public func paddedCrossEntropy(logits: Variable, targets: [Int], ignoreIndex: Int) throws -> Variable {
    var oneHot = Tensor.zeros(logits.shape)
    var counted = 0
    for (row, target) in targets.enumerated() where target != ignoreIndex {
        oneHot[row, target] = 1
        counted += 1
    }
    return -(logits.logSoftmax() * oneHot).sum() / Float(counted)
}

/// Exercise 2.8 ★★★ — Log-softmax as a new differentiable operation.
public func logSoftmaxNode(_ z: Variable) throws -> Variable {
    let shifted = z.value - z.value.max(axis: -1, keepingDimension: true)
    let y = shifted - shifted.exp().sum(axis: -1, keepingDimension: true).log()
    return Variable(y, op: "logSoftmax", inputs: [z]) { g in
        z.accumulate(g - y.exp() * g.sum(axis: -1, keepingDimension: true))
    }
}
