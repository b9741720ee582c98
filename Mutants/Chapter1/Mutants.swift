// Known wrong answers to chapter 1's exercises. Each must fail its exercise's check with a
// message that names its mistake; MutantTests proves it. To add one, write the wrong answer as
// a student would, and the words the diagnosis must contain.

import Chapter1Checks
import ExerciseTesting
import Foundation
import ScalarAutodiff

public let chapter1Mutants: [Mutant] = [
    Mutant("1.1", "swaps the two local derivatives", mentions: "swapped") {
        try checkProductNode($0) { a, b in Value(a.data * b.data, op: "*", lhs: a, a.data, rhs: b, b.data) }
    },
    Mutant("1.1", "uses the derivatives of a sum", mentions: "a + b") {
        try checkProductNode($0) { a, b in Value(a.data * b.data, op: "*", lhs: a, 1, rhs: b, 1) }
    },
    Mutant("1.2", "takes σ as its own derivative", mentions: "σ(1 − σ)") {
        try checkSigmoidNode($0) { x in
            let s = x.data >= 0 ? 1 / (1 + exp(-x.data)) : exp(x.data) / (1 + exp(x.data))
            return Value(s, op: "sigmoid", input: x, derivative: s)
        }
    },
    Mutant("1.2", "writes σ' as e⁻ˣ / (1 + e⁻ˣ)², which is NaN at −1000", mentions: "overflows") {
        try checkSigmoidNode($0) { x in
            let s = 1 / (1 + exp(-x.data))
            return Value(s, op: "sigmoid", input: x, derivative: exp(-x.data) / ((1 + exp(-x.data)) * (1 + exp(-x.data))))
        }
    },
    Mutant("1.3", "takes a one-sided difference", mentions: "one-sided") {
        try checkCentralDifferences($0) { f, x, h in
            var point = x
            return x.indices.map { i in
                point[i] = x[i] + h
                defer { point[i] = x[i] }
                return (f(point) - f(x)) / h
            }
        }
    },
    Mutant("1.3", "divides by h instead of 2h", mentions: "divide by 2h") {
        try checkCentralDifferences($0) { f, x, h in
            var point = x
            return x.indices.map { i in
                point[i] = x[i] + h
                let up = f(point)
                point[i] = x[i] - h
                let down = f(point)
                point[i] = x[i]
                return (up - down) / h
            }
        }
    },
    Mutant("1.4", "searches recursively, and overflows the stack on a deep graph", mentions: "recursion") {
        try checkTopologicalSort($0) { root in
            var order: [Value] = []
            var seen = Set<ObjectIdentifier>()
            func visit(_ node: Value) {
                guard seen.insert(ObjectIdentifier(node)).inserted else { return }
                for input in node.inputs { visit(input) }
                order.append(node)
            }
            visit(root)
            return order
        }
    },
    Mutant("1.4", "forgets which nodes it has seen", mentions: "already seen") {
        try checkTopologicalSort($0) { root in
            var order: [Value] = []
            var stack: [(Value, Bool)] = [(root, false)]
            while let (node, done) = stack.popLast() {
                if done { order.append(node); continue }
                stack.append((node, true))
                for input in node.inputs.reversed() { stack.append((input, false)) }
            }
            return order
        }
    },
    Mutant("1.4", "appends a node before its inputs", mentions: "comes before one of its inputs") {
        try checkTopologicalSort($0) { root in
            var order: [Value] = []
            var seen = Set<ObjectIdentifier>()
            var stack = [root]
            while let node = stack.popLast() {
                guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
                order.append(node)
                stack += node.inputs
            }
            return order
        }
    },
    Mutant("1.5", "assigns gradients with = instead of +=", mentions: "use +=") {
        try checkBackpropagate($0) { root in
            root.grad = 1
            for node in root.topologicalOrder().reversed() {
                if let lhs = node.lhs { lhs.grad = node.lhsDerivative * node.grad }
                if let rhs = node.rhs { rhs.grad = node.rhsDerivative * node.grad }
            }
        }
    },
    Mutant("1.5", "never seeds the root's gradient", mentions: "seed the root") {
        try checkBackpropagate($0) { root in
            for node in root.topologicalOrder().reversed() {
                if let lhs = node.lhs { lhs.grad += node.lhsDerivative * node.grad }
                if let rhs = node.rhs { rhs.grad += node.rhsDerivative * node.grad }
            }
        }
    },
    Mutant("1.6", "leaves out the bias", mentions: "bias is missing") {
        try checkNeuron($0) { x, w, _ in
            var total = w[0] * x[0]
            for (wi, xi) in zip(w, x).dropFirst() { total = total + wi * xi }
            return total.tanh()
        }
    },
    Mutant("1.6", "forgets the tanh", mentions: "tanh is missing") {
        try checkNeuron($0) { x, w, b in
            var total = b
            for (wi, xi) in zip(w, x) { total = total + wi * xi }
            return total
        }
    },
    Mutant("1.7", "never zeroes the gradients", mentions: "never zeroed") {
        try checkTrainXOR($0) { inputs, targets, rng in
            let mlp = MLP(inputs: 2, layerSizes: [8, 1], rng: &rng)
            let points = inputs.map { $0.map { Value($0) } }
            for _ in 0..<500 {
                let loss = meanSquaredError(predictions: points.map { mlp($0)[0] }, targets: targets)
                loss.backward()
                mlp.gradientDescentStep(learningRate: 0.05)
            }
            return mlp
        }
    },
    Mutant("1.7", "steps uphill", mentions: "uphill") {
        try checkTrainXOR($0) { inputs, targets, rng in
            let mlp = MLP(inputs: 2, layerSizes: [8, 1], rng: &rng)
            let points = inputs.map { $0.map { Value($0) } }
            for _ in 0..<300 {
                let loss = meanSquaredError(predictions: points.map { mlp($0)[0] }, targets: targets)
                mlp.zeroGradients()
                loss.backward()
                mlp.gradientDescentStep(learningRate: -0.05)
            }
            return mlp
        }
    },
    Mutant("1.7", "stops after 20 steps", mentions: "more steps") {
        try checkTrainXOR($0) { inputs, targets, rng in
            let mlp = MLP(inputs: 2, layerSizes: [8, 1], rng: &rng)
            let points = inputs.map { $0.map { Value($0) } }
            for _ in 0..<20 {
                let loss = meanSquaredError(predictions: points.map { mlp($0)[0] }, targets: targets)
                mlp.zeroGradients()
                loss.backward()
                mlp.gradientDescentStep(learningRate: 0.05)
            }
            return mlp
        }
    },
]
