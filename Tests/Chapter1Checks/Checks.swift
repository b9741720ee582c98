// The checks of chapter 1's exercises. Each takes a Checker and the student's function, so the
// same check runs on the answer in Exercises/Chapter1 and on the known wrong answers in
// Mutants/Chapter1, which must fail it with a message that names their mistake.

import ExerciseTesting
import Foundation
import ScalarAutodiff

/// 1.1: the product node's value, inputs and local derivatives.
public func checkProductNode(_ c: Checker, _ product: (Value, Value) throws -> Value) throws {
    let a = Value(2), b = Value(-3)
    let p = try product(a, b)
    c.expectEqual(p.data, -6, "product(2, −3).data")
    c.expect(p.inputs.count == 2 && p.inputs[0] === a && p.inputs[1] === b,
             "product(a, b) should have the inputs [a, b], in that order, got \(p.inputs.count) input(s)\(p.inputs.first === b ? " starting with b" : "")")
    c.expectEqual(p.lhsDerivative, -3, "∂(ab)/∂a at a = 2, b = −3 (it is b)",
                  mistakes: [Mistake(2, "the two local derivatives are swapped: ∂(ab)/∂a is b, not a"),
                             Mistake(1, "that is the derivative of a + b; for a·b, ∂/∂a is b")])
    c.expectEqual(p.rhsDerivative, 2, "∂(ab)/∂b at a = 2, b = −3 (it is a)",
                  mistakes: [Mistake(-3, "the two local derivatives are swapped: ∂(ab)/∂b is a, not b"),
                             Mistake(1, "that is the derivative of a + b; for a·b, ∂/∂b is a")])
    let q = try product(Value(0.5), Value(4))
    c.expect(q.data == 2 && q.lhsDerivative == 4 && q.rhsDerivative == 0.5,
             "product(0.5, 4): expected data 2 and local derivatives (4, 0.5), got \(q.data) and (\(q.lhsDerivative), \(q.rhsDerivative))")
}

/// 1.2: σ(x) and σ'(x), finite at ±1000.
public func checkSigmoidNode(_ c: Checker, _ sigmoid: (Value) throws -> Value) throws {
    for x in [-3.0, -0.5, 0, 0.5, 2, 7] {
        let input = Value(x)
        let s = try sigmoid(input)
        let expected = 1 / (1 + exp(-x))
        c.expectClose(s.data, expected, tolerance: 1e-12, "σ(\(x))")
        c.expectClose(s.lhsDerivative, expected * (1 - expected), tolerance: 1e-12, "σ'(\(x)), the local derivative",
                      mistakes: [Mistake(expected, "the local derivative is σ(1 − σ), not σ"),
                                 Mistake(1 - expected, "the local derivative is σ(1 − σ), not 1 − σ")])
        c.expect(s.inputs.count == 1 && s.inputs[0] === input, "σ(x) should be a node with the one input x")
    }
    for x in [-1000.0, 1000] {
        let s = try sigmoid(Value(x))
        c.expect(s.data.isFinite && s.lhsDerivative.isFinite,
                 "σ(\(x)) and its derivative must be finite, got \(s.data) and \(s.lhsDerivative). Likely mistake: e^1000 overflows to ∞ (and ∞/∞ is NaN); for x < 0 compute eˣ / (1 + eˣ)")
        c.expectEqual(s.data, x > 0 ? 1 : 0, "σ(\(x))")
    }
}

/// 1.3: central differences, accurate to O(h²).
public func checkCentralDifferences(_ c: Checker, _ estimate: (([Double]) -> Double, [Double], Double) throws -> [Double]) throws {
    // f(x, y, z) = x²y + sin z, ∇f = (2xy, x², cos z).
    let f: ([Double]) -> Double = { $0[0] * $0[0] * $0[1] + sin($0[2]) }
    let x = [1.5, -2.0, 0.3]
    let g = try estimate(f, x, 1e-5)
    c.expectClose(g, [2 * 1.5 * -2.0, 1.5 * 1.5, cos(0.3)], tolerance: 1e-7, "the gradient of x²y + sin z at (1.5, −2, 0.3)",
                  mistakes: [Mistake([-12, 4.5, 2 * cos(0.3)], "the two points are 2h apart: divide by 2h, not h")])
    // With a large step the O(h²) error shows, and its size tells central from one-sided.
    let coarse = try estimate({ $0[0] * $0[0] * $0[0] }, [1], 0.1)
    c.expectClose(coarse.first ?? .nan, 3.01, tolerance: 1e-9, "the estimate for x³ at x = 1 with h = 0.1 (exactly 3 + h²)",
                  mistakes: [Mistake(3.31, "that is the one-sided difference (f(x + h) − f(x)) / h, whose error is O(h); use f(x + h) and f(x − h)"),
                             Mistake(2.71, "that is the one-sided difference (f(x) − f(x − h)) / h; use both f(x + h) and f(x − h)"),
                             Mistake(6.02, "the two points are 2h apart: divide by 2h, not h")])
    let point = [0.7, -1.1]
    _ = try estimate({ $0[0] * $0[1] }, point, 1e-3)
    c.expect(point == [0.7, -1.1], "the input x must not change")
}

/// 1.4: a topological order, iterative, for graphs 200,000 nodes deep.
public func checkTopologicalSort(_ c: Checker, _ sort: (Value) throws -> [Value]) throws {
    let x = Value(1), y = Value(2)
    let s = x * y
    let f = s + s.tanh() + x
    let order = try sort(f)
    c.expectEqual(order.count, 6, "the number of nodes f = x·y + tanh(x·y) + x depends on (x, y, x·y, tanh, +, +)",
                  mistakes: [Mistake(8, "x·y and x were visited twice: keep a set of the nodes already seen"),
                             Mistake(7, "a node reached twice was listed twice: keep a set of the nodes already seen")])
    c.expect(Set(order.map(ObjectIdentifier.init)).count == order.count, "a node appears twice in the order: keep a set of the nodes already seen, and visit each node once")
    c.expect(order.last === f, "the root f must come last")
    var misplaced: String?
    for (position, node) in order.enumerated() where misplaced == nil {
        for input in node.inputs where (order.firstIndex { $0 === input } ?? Int.max) > position {
            misplaced = "node \(position) (\(node.op)) comes before one of its inputs: append a node only after all its inputs, when it comes off the stack the second time"
        }
    }
    if let misplaced { c.fail(misplaced) }
    var deep = Value(0)
    for _ in 0..<200_000 { deep = deep + 1.0 }
    let deepOrder = try sort(deep)
    c.expectEqual(deepOrder.count, 400_001, "the number of nodes in a chain of 200,000 additions")
}

/// 1.5: the backward pass, on worked example A and with reuse.
public func checkBackpropagate(_ c: Checker, _ backpropagate: (Value) throws -> Void) throws {
    let a = Value(2), b = Value(-3), cc = Value(10), f = Value(-2)
    let e = a * b
    let d = e + cc
    let L = d * f
    try backpropagate(L)
    let got = [L.grad, f.grad, d.grad, cc.grad, e.grad, a.grad, b.grad]
    c.expectClose(got, [1, 4, -2, -2, -2, 6, -4], "the gradients of [L, f, d, c, e, a, b] in worked example A",
                  mistakes: [Mistake([0, 0, 0, 0, 0, 0, 0], "nothing moved: seed the root with L.grad = 1 before walking back")])
    let r = Value(3)
    let twice = r * r + r
    try backpropagate(twice)
    c.expectClose(r.grad, 7, "d(r² + r)/dr at r = 3 (r is used three times)",
                  mistakes: [Mistake(1, "a node used more than once keeps only its last gradient: use +=, not ="),
                             Mistake(3, "a node used more than once keeps only one gradient: use +=, not =")])
}

/// 1.6: the tanh neuron of worked example B.
public func checkNeuron(_ c: Checker, _ neuron: ([Value], [Value], Value) throws -> Value) throws {
    let x = [Value(2), Value(0)], w = [Value(-3), Value(1)], b = Value(6.8813735870195432)
    let o = try neuron(x, w, b)
    c.expectClose(o.data, 0.7071067811865476, tolerance: 1e-9, "o = tanh(x₁w₁ + x₂w₂ + b)",
                  mistakes: [Mistake(tanh(-6), "the bias is missing from the sum"),
                             Mistake(0.8813735870195432, "tanh is missing: the neuron squashes its sum")])
    o.backward()
    c.expectClose([x[0].grad, w[0].grad, x[1].grad, w[1].grad, b.grad], [-1.5, 1.0, 0.5, 0.0, 0.5], tolerance: 1e-9,
                  "the gradients [dx1, dw1, dx2, dw2, db]: every input, weight and the bias must be part of the graph")
}

/// The XOR data: inputs in {−1, 1}², target +1 where the signs differ.
public let xorInputs: [[Double]] = [[-1, -1], [-1, 1], [1, -1], [1, 1]]
public let xorTargets: [Double] = [-1, 1, 1, -1]

/// 1.7: an MLP trained on XOR to a mean squared error below 0.01.
public func checkTrainXOR(_ c: Checker, _ train: ([[Double]], [Double], inout SeededRandom) throws -> MLP) throws {
    var rng = SeededRandom(seed: 2024)
    let mlp = try train(xorInputs, xorTargets, &rng)
    let points = xorInputs.map { $0.map { Value($0) } }
    let loss = meanSquaredError(predictions: points.map { mlp($0)[0] }, targets: xorTargets)
    guard !(loss.data < 0.01) else { return }
    // Why not: compare the gradients left in the parameters with one fresh gradient.
    let left = mlp.parameters.map(\.grad)
    mlp.zeroGradients()
    loss.backward()
    let fresh = mlp.parameters.map(\.grad)
    func norm(_ v: [Double]) -> Double { v.map { $0 * $0 }.reduce(0, +).squareRoot() }
    var initial = SeededRandom(seed: 2024)
    let start = MLP(inputs: 2, layerSizes: [8, 1], rng: &initial)
    let startLoss = meanSquaredError(predictions: points.map { start($0)[0] }, targets: xorTargets).data
    // After a step with zeroed gradients, what is left is one gradient taken a step ago: close to
    // a fresh one in size and direction. Never-zeroed gradients are a sum over every step.
    let cosine = zip(left, fresh).map { $0 * $1 }.reduce(0, +) / max(norm(left) * norm(fresh), 1e-12)
    var message = "the trained network's mean squared error on XOR should be below 0.01, got \(Checker.format(loss.data))"
    if !loss.data.isFinite {
        message += ". Likely mistake: the training diverged to NaN or ∞; a smaller learning rate, and zeroGradients() before each backward()"
    } else if norm(fresh) > 1e-6 && (cosine < 0.9 || norm(left) > 3 * norm(fresh)) {
        message += ". Likely mistake: the gradients were never zeroed, so each backward() added to the last and the steps grew; call mlp.zeroGradients() before loss.backward()"
    } else if loss.data > startLoss {
        message += " (up from \(Checker.format(startLoss)) before training). Likely mistake: a step uphill; the update is θ ← θ − lr·∂L/∂θ"
    } else {
        message += " (down from \(Checker.format(startLoss))). It is learning: train for more steps (a few hundred at lr = 0.05)"
    }
    c.fail(message)
}
