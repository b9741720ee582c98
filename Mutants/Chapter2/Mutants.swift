// Known wrong answers to chapter 2's exercises. Each must fail its exercise's check with a
// message that names its mistake; MutantTests proves it. To add one, write the wrong answer as
// a student would, and the words the diagnosis must contain.

import Chapter2Checks
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors

public let chapter2Mutants: [Mutant] = [
    // 2.1
    Mutant("2.1", "takes σ as its own derivative", mentions: "σ(1 − σ)") {
        try checkSigmoidNode($0) { x in
            let y = 1 / (1 + (-x.value).exp())
            return Variable(y, op: "sigmoid", inputs: [x]) { g in x.accumulate(g * y) }
        }
    },
    Mutant("2.1", "writes the derivative with the input x instead of the output y", mentions: "the output, not the input") {
        try checkSigmoidNode($0) { x in
            let y = 1 / (1 + (-x.value).exp())
            return Variable(y, op: "sigmoid", inputs: [x]) { g in x.accumulate(g * x.value * (1 - x.value)) }
        }
    },
    Mutant("2.1", "assigns the gradient instead of accumulating it", mentions: "x.accumulate") {
        try checkSigmoidNode($0) { x in
            let y = 1 / (1 + (-x.value).exp())
            return Variable(y, op: "sigmoid", inputs: [x]) { g in x.grad = g * y * (1 - y) }
        }
    },
    Mutant("2.1", "computes eˣ / (1 + eˣ), which is NaN at x = 1000", mentions: "overflows") {
        try checkSigmoidNode($0) { x in
            let e = x.value.exp()
            let y = e / (1 + e)
            return Variable(y, op: "sigmoid", inputs: [x]) { g in x.accumulate(g * y * (1 - y)) }
        }
    },
    // 2.2
    Mutant("2.2", "sums away the leading axes only", mentions: "size 1 were not summed") {
        try checkReduceGradient($0) { g, shape in
            var result = g
            while result.rank > shape.count { result = result.sum(axis: 0) }
            return result
        }
    },
    Mutant("2.2", "lines the shapes up at the left", mentions: "lined up at the left") {
        try checkReduceGradient($0) { g, shape in
            var result = g
            while result.rank > shape.count { result = result.sum(axis: -1) }
            for axis in 0..<shape.count where shape[axis] == 1 && result.shape[axis] != 1 {
                result = result.sum(axis: axis, keepingDimension: true)
            }
            return result
        }
    },
    // 2.3
    Mutant("2.3", "does not subtract the maximum", mentions: "subtract the maximum") {
        try checkStableLogSoftmax($0) { z in
            let total = z.reduce(Float(0)) { $0 + exp($1) }
            return z.map { $0 - log(total) }
        }
    },
    Mutant("2.3", "takes the log of softmax in two steps", mentions: "log 0") {
        try checkStableLogSoftmax($0) { z in
            let m = z.max()!
            let total = z.reduce(Float(0)) { $0 + exp($1 - m) }
            return z.map { log(exp($0 - m) / total) }
        }
    },
    Mutant("2.3", "subtracts m + log Σ in one go, rounding at the logits' scale", mentions: "rounded") {
        try checkStableLogSoftmax($0) { z in
            let m = z.max()!
            let total = z.reduce(Float(0)) { $0 + exp($1 - m) }
            let logSumExp = m + log(total)
            return z.map { $0 - logSumExp }
        }
    },
    Mutant("2.3", "forgets to add m back to log Σ exp(z − m)", mentions: "add m back") {
        try checkStableLogSoftmax($0) { z in
            let m = z.max()!
            let total = z.reduce(Float(0)) { $0 + exp($1 - m) }
            return z.map { $0 - log(total) }
        }
    },
    // 2.4
    Mutant("2.4", "forgets to transpose B in ∂L/∂A", mentions: "transpose B") {
        try checkMatmulNode($0) { a, b in
            Variable(Tensor.product(a.value, b.value), op: "matmul", inputs: [a, b]) { g in
                a.accumulate(Tensor.product(g, b.value))
                let k = b.shape[0], n = b.shape[1]
                b.accumulate(Tensor.product(a.value.reshaped([-1, k]), g.reshaped([-1, n]), transposeA: true))
            }
        }
    },
    Mutant("2.4", "assigns the gradients instead of accumulating them", mentions: "accumulate") {
        try checkMatmulNode($0) { a, b in
            Variable(Tensor.product(a.value, b.value), op: "matmul", inputs: [a, b]) { g in
                a.grad = Tensor.product(g, b.value, transposeB: true)
                let k = b.shape[0], n = b.shape[1]
                if b.requiresGrad { b.grad = Tensor.product(a.value.reshaped([-1, k]), g.reshaped([-1, n]), transposeA: true) }
            }
        }
    },
    Mutant("2.4", "does not sum ∂L/∂B over the batch", mentions: "for a value of shape [4, 2]") {
        try checkMatmulNode($0) { a, b in
            Variable(Tensor.product(a.value, b.value), op: "matmul", inputs: [a, b]) { g in
                a.accumulate(Tensor.product(g, b.value, transposeB: true))
                b.accumulate(Tensor.product(a.value, g, transposeA: true))
            }
        }
    },
    // 2.5
    Mutant("2.5", "leaves out the bias correction", mentions: "(1 − β₁ᵗ)") {
        try checkAdamUpdate($0) { theta, gradient, m, v, _, lr in
            for i in theta.indices {
                m[i] = 0.9 * m[i] + 0.1 * gradient[i]
                v[i] = 0.999 * v[i] + 0.001 * gradient[i] * gradient[i]
                theta[i] -= lr * m[i] / (v[i].squareRoot() + 1e-8)
            }
        }
    },
    Mutant("2.5", "puts ε inside the square root", mentions: "outside the square root") {
        try checkAdamUpdate($0) { theta, gradient, m, v, t, lr in
            for i in theta.indices {
                m[i] = 0.9 * m[i] + 0.1 * gradient[i]
                v[i] = 0.999 * v[i] + 0.001 * gradient[i] * gradient[i]
                let mHat = m[i] / (1 - pow(0.9, Float(t))), vHat = v[i] / (1 - pow(0.999, Float(t)))
                theta[i] -= lr * mHat / (vHat + 1e-8).squareRoot()
            }
        }
    },
    Mutant("2.5", "corrects with t = 1 at every step", mentions: "step number t") {
        try checkAdamUpdate($0) { theta, gradient, m, v, _, lr in
            for i in theta.indices {
                m[i] = 0.9 * m[i] + 0.1 * gradient[i]
                v[i] = 0.999 * v[i] + 0.001 * gradient[i] * gradient[i]
                theta[i] -= lr * (m[i] / 0.1) / ((v[i] / 0.001).squareRoot() + 1e-8)
            }
        }
    },
    Mutant("2.5", "stores the corrected m̂ as the running mean", mentions: "store the running mean m itself") {
        try checkAdamUpdate($0) { theta, gradient, m, v, t, lr in
            for i in theta.indices {
                m[i] = (0.9 * m[i] + 0.1 * gradient[i]) / (1 - pow(0.9, Float(t)))
                v[i] = 0.999 * v[i] + 0.001 * gradient[i] * gradient[i]
                theta[i] -= lr * m[i] / ((v[i] / (1 - pow(0.999, Float(t)))).squareRoot() + 1e-8)
            }
        }
    },
    // 2.6
    Mutant("2.6", "uses the variance 2/fanIn as the standard deviation", mentions: "square root of the variance") {
        try checkHeInitialisation($0) { fanIn, fanOut, rng in
            Tensor.randomNormal([fanIn, fanOut], standardDeviation: 2 / Float(fanIn), rng: &rng)
        }
    },
    Mutant("2.6", "scales by fanOut", mentions: "not fanOut") {
        try checkHeInitialisation($0) { fanIn, fanOut, rng in
            Tensor.randomNormal([fanIn, fanOut], standardDeviation: (2 / Float(fanOut)).squareRoot(), rng: &rng)
        }
    },
    Mutant("2.6", "makes the matrix [fanOut, fanIn]", mentions: "[fanIn, fanOut], inputs first") {
        try checkHeInitialisation($0) { fanIn, fanOut, rng in
            Tensor.randomNormal([fanOut, fanIn], standardDeviation: (2 / Float(fanIn)).squareRoot(), rng: &rng)
        }
    },
    // 2.7
    Mutant("2.7", "divides by every row, padding included", mentions: "not by all rows") {
        try checkPaddedCrossEntropy($0) { logits, targets, ignoreIndex in
            var oneHot = Tensor.zeros(logits.shape)
            for (row, target) in targets.enumerated() where target != ignoreIndex { oneHot[row, target] = 1 }
            return -(logits.logSoftmax() * oneHot).sum() / Float(targets.count)
        }
    },
    Mutant("2.7", "takes the log of softmax in two steps", mentions: "underflows") {
        try checkPaddedCrossEntropy($0) { logits, targets, ignoreIndex in
            var oneHot = Tensor.zeros(logits.shape)
            var counted = 0
            for (row, target) in targets.enumerated() where target != ignoreIndex {
                oneHot[row, target] = 1
                counted += 1
            }
            return -(logits.softmax().log() * oneHot).sum() / Float(counted)
        }
    },
    Mutant("2.7", "forgets the minus sign", mentions: "negate") {
        try checkPaddedCrossEntropy($0) { logits, targets, ignoreIndex in
            var oneHot = Tensor.zeros(logits.shape)
            var counted = 0
            for (row, target) in targets.enumerated() where target != ignoreIndex {
                oneHot[row, target] = 1
                counted += 1
            }
            return (logits.logSoftmax() * oneHot).sum() / Float(counted)
        }
    },
    // 2.8
    Mutant("2.8", "multiplies s by gᵢ instead of the row's total Σⱼ gⱼ", mentions: "row's total") {
        try checkLogSoftmaxNode($0) { z in
            let shifted = z.value - z.value.max(axis: -1, keepingDimension: true)
            let y = shifted - shifted.exp().sum(axis: -1, keepingDimension: true).log()
            return Variable(y, op: "logSoftmax", inputs: [z]) { g in z.accumulate(g - y.exp() * g) }
        }
    },
    Mutant("2.8", "composes variable operations instead of writing one node", mentions: "only input is z") {
        try checkLogSoftmaxNode($0) { z in
            let shifted = z - z.value.max(axis: -1, keepingDimension: true)
            return shifted - shifted.exp().sum(axis: -1, keepingDimension: true).log()
        }
    },
    Mutant("2.8", "does not subtract the row maximum", mentions: "subtract each row's maximum") {
        try checkLogSoftmaxNode($0) { z in
            let y = z.value - z.value.exp().sum(axis: -1, keepingDimension: true).log()
            return Variable(y, op: "logSoftmax", inputs: [z]) { g in
                z.accumulate(g - y.exp() * g.sum(axis: -1, keepingDimension: true))
            }
        }
    },
    Mutant("2.8", "normalises over the whole tensor", mentions: "along the last axis") {
        try checkLogSoftmaxNode($0) { z in
            let m = z.value.scalars.max()!
            let shifted = z.value - m
            let y = shifted - shifted.exp().sum().log()
            return Variable(y, op: "logSoftmax", inputs: [z]) { g in z.accumulate(g - y.exp() * g.sum()) }
        }
    },
    // 2.9
    Mutant("2.9", "never zeroes the gradients", mentions: "never zeroed") {
        try checkDigitClassifier($0) { images, labels, rng in
            let model = Sequential([Linear(64, 64, initialisation: .heNormal, rng: &rng), ReLU(), Linear(64, 10, rng: &rng)])
            var optimizer = Adam(model.parameters, learningRate: 0.01)
            for _ in 0..<300 {
                let batch = (0..<64).map { _ in rng.integer(below: labels.count) }
                let loss = crossEntropy(logits: model(.constant(images.gatherRows(batch))), targets: batch.map { labels[$0] })
                loss.backward()
                optimizer.step()
            }
            return model
        }
    },
    Mutant("2.9", "steps uphill", mentions: "a step uphill") {
        try checkDigitClassifier($0) { images, labels, rng in
            let model = Sequential([Linear(64, 64, initialisation: .heNormal, rng: &rng), ReLU(), Linear(64, 10, rng: &rng)])
            for _ in 0..<100 {
                let batch = (0..<64).map { _ in rng.integer(below: labels.count) }
                let loss = crossEntropy(logits: model(.constant(images.gatherRows(batch))), targets: batch.map { labels[$0] })
                for p in model.parameters { p.grad = nil }
                loss.backward()
                for p in model.parameters { p.value = p.value + 0.01 * p.gradient }
            }
            return model
        }
    },
    Mutant("2.9", "stops after 15 steps", mentions: "train for more steps") {
        try checkDigitClassifier($0) { images, labels, rng in
            let model = Sequential([Linear(64, 64, initialisation: .heNormal, rng: &rng), ReLU(), Linear(64, 10, rng: &rng)])
            var optimizer = SGD(model.parameters, learningRate: 0.05)
            for _ in 0..<15 {
                let batch = (0..<64).map { _ in rng.integer(below: labels.count) }
                let loss = crossEntropy(logits: model(.constant(images.gatherRows(batch))), targets: batch.map { labels[$0] })
                optimizer.zeroGradients()
                loss.backward()
                optimizer.step()
            }
            return model
        }
    },
]
