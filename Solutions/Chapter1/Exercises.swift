// Chapter 1 reference answers. Same public API as Exercises/Chapter1.

import ExerciseSupport
import Foundation
import ScalarAutodiff

/// Exercise 1.1 ★ — The product node.
public func product(_ a: Value, _ b: Value) throws -> Value {
    Value(a.data * b.data, op: "*", lhs: a, b.data, rhs: b, a.data)
}

/// Exercise 1.2 ★ — The sigmoid node: σ(x) = 1 / (1 + e⁻ˣ), σ' = σ(1 − σ).
public func sigmoidNode(_ x: Value) throws -> Value {
    // For x < 0, e⁻ˣ may overflow; eˣ / (1 + eˣ) is the same number without the overflow.
    let s = x.data >= 0 ? 1 / (1 + exp(-x.data)) : exp(x.data) / (1 + exp(x.data))
    return Value(s, op: "sigmoid", input: x, derivative: s * (1 - s))
}

/// Exercise 1.3 ★★ — Central differences.
public func centralDifferences(of f: ([Double]) -> Double, at x: [Double], h: Double) throws -> [Double] {
    var point = x
    return x.indices.map { i in
        point[i] = x[i] + h
        let up = f(point)
        point[i] = x[i] - h
        let down = f(point)
        point[i] = x[i]
        return (up - down) / (2 * h)
    }
}

/// Exercise 1.4 ★★ — Topological order, by depth-first search with an explicit stack.
public func topologicalSort(_ root: Value) throws -> [Value] {
    var order: [Value] = []
    var seen: Set<ObjectIdentifier> = []
    var stack: [(node: Value, inputsDone: Bool)] = [(root, false)]
    while let (node, inputsDone) = stack.popLast() {
        if inputsDone {
            order.append(node)
        } else if seen.insert(ObjectIdentifier(node)).inserted {
            stack.append((node, true))
            for input in node.inputs.reversed() where !seen.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
    }
    return order
}

/// Exercise 1.5 ★★ — The backward pass: seed 1, then the chain rule in reverse order.
public func backpropagate(from root: Value) throws {
    root.grad = 1
    for node in root.topologicalOrder().reversed() {
        if let lhs = node.lhs { lhs.grad += node.lhsDerivative * node.grad }
        if let rhs = node.rhs { rhs.grad += node.rhsDerivative * node.grad }
    }
}

/// Exercise 1.6 ★★ — A tanh neuron.
public func neuron(inputs x: [Value], weights w: [Value], bias b: Value) throws -> Value {
    var total = b
    for (wi, xi) in zip(w, x) { total = total + wi * xi }
    return total.tanh()
}

/// Exercise 1.7 ★★★ — Train an MLP on XOR with plain gradient descent.
public func trainXOR(inputs: [[Double]], targets: [Double], rng: inout SeededRandom) throws -> MLP {
    let mlp = MLP(inputs: 2, layerSizes: [8, 1], rng: &rng)
    let points = inputs.map { $0.map { Value($0) } }
    for _ in 0..<500 {
        let predictions = points.map { mlp($0)[0] }
        let loss = meanSquaredError(predictions: predictions, targets: targets)
        if loss.data < 0.001 { break }
        mlp.zeroGradients()
        loss.backward()
        mlp.gradientDescentStep(learningRate: 0.05)
    }
    return mlp
}

