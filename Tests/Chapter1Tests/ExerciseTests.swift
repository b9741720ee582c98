import Chapter1Exercises
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Testing

/// The checks for Exercises/Chapter1. Each test is named `exerciseN_M` after its exercise;
/// a stub's "not attempted" ends the test as cancelled, a wrong answer fails it with a message.
@Suite("Chapter 1: exercises")
struct Chapter1ExerciseTests {
    @Test("1.1 The product node: value and local derivatives of a·b")
    func exercise1_1() throws {
        let a = Value(2), b = Value(-3)
        let p = try attempt("1.1") { try product(a, b) }
        #expect(p.data == -6, "product(2, -3).data should be -6, got \(p.data)")
        #expect(p.inputs.count == 2 && p.inputs[0] === a && p.inputs[1] === b,
                "the node's inputs should be [a, b] in that order")
        #expect(p.lhsDerivative == -3, "∂(ab)/∂a is b = -3, got \(p.lhsDerivative)")
        #expect(p.rhsDerivative == 2, "∂(ab)/∂b is a = 2, got \(p.rhsDerivative)")
        let q = try product(Value(0.5), Value(4))
        #expect(q.data == 2 && q.lhsDerivative == 4 && q.rhsDerivative == 0.5,
                "product(0.5, 4): expected data 2 and derivatives (4, 0.5), got \(q.data), (\(q.lhsDerivative), \(q.rhsDerivative))")
    }

    @Test("1.2 The sigmoid node: σ(x) and σ'(x), stable at ±1000")
    func exercise1_2() throws {
        for x in [-3.0, -0.5, 0, 0.5, 2, 7] {
            let s = try attempt("1.2") { try sigmoid(Value(x)) }
            let expected = 1 / (1 + exp(-x))
            #expect(abs(s.data - expected) < 1e-12, "σ(\(x)) should be \(expected), got \(s.data)")
            let slope = expected * (1 - expected)
            #expect(abs(s.lhsDerivative - slope) < 1e-12,
                    "σ'(\(x)) should be σ(1 − σ) = \(slope), got \(s.lhsDerivative)")
        }
        for x in [-1000.0, 1000] {
            let s = try sigmoid(Value(x))
            #expect(s.data.isFinite && s.lhsDerivative.isFinite,
                    "σ(\(x)) must be finite, got \(s.data) with derivative \(s.lhsDerivative): avoid computing e^1000")
            #expect(s.data == (x > 0 ? 1 : 0), "σ(\(x)) should round to \(x > 0 ? 1 : 0), got \(s.data)")
        }
    }

    @Test("1.3 Central differences estimate gradients to O(h²)")
    func exercise1_3() throws {
        // f(x, y, z) = x²y + sin z, ∇f = (2xy, x², cos z).
        let f: ([Double]) -> Double = { $0[0] * $0[0] * $0[1] + sin($0[2]) }
        let x = [1.5, -2.0, 0.3]
        let g = try attempt("1.3") { try centralDifferences(of: f, at: x, h: 1e-5) }
        let exact = [2 * 1.5 * -2.0, 1.5 * 1.5, cos(0.3)]
        #expect(g.count == 3, "one partial derivative per input: expected 3 entries, got \(g.count)")
        for i in 0..<min(3, g.count) {
            #expect(abs(g[i] - exact[i]) < 1e-7, "∂f/∂x\(i) should be \(exact[i]), got \(g[i])")
        }
        // With a large step the O(h²) error is visible, and its size tells central from one-sided.
        let coarse = try centralDifferences(of: { $0[0] * $0[0] * $0[0] }, at: [1], h: 0.1)
        #expect(abs(coarse[0] - 3.01) < 1e-9,
                "for f = x³ at 1 with h = 0.1 the central difference is 3 + h² = 3.01, got \(coarse[0]); a one-sided difference gives 3.31")
    }

    @Test("1.4 Topological order: every node once, inputs first, deep graphs fine")
    func exercise1_4() throws {
        let x = Value(1), y = Value(2)
        let s = x * y
        let f = s + s.tanh() + x
        let order = try attempt("1.4") { try topologicalOrder(of: f) }
        #expect(order.count == 6, "f depends on 6 distinct nodes (x, y, x·y, tanh, +, +), got \(order.count)")
        #expect(Set(order.map(ObjectIdentifier.init)).count == order.count, "a node appears twice: visit each node once")
        #expect(order.last === f, "the root must come last")
        for (position, node) in order.enumerated() {
            for input in node.inputs {
                let inputPosition = order.firstIndex { $0 === input } ?? Int.max
                #expect(inputPosition < position, "node \(position) (\(node.op)) comes before one of its inputs")
            }
        }
        var deep = Value(0)
        for _ in 0..<1_000 { deep = deep + 1.0 }
        let deepOrder = try topologicalOrder(of: deep)
        #expect(deepOrder.count == 2_001, "a chain of 1,000 additions has 2,001 nodes, got \(deepOrder.count)")
    }

    @Test("1.5 The backward pass reproduces worked example A and handles reuse")
    func exercise1_5() throws {
        let a = Value(2), b = Value(-3), c = Value(10), f = Value(-2)
        let e = a * b
        let d = e + c
        let L = d * f
        try attempt("1.5") { try backpropagate(from: L) }
        let got = [L.grad, f.grad, d.grad, c.grad, e.grad, a.grad, b.grad]
        let expected: [Double] = [1, 4, -2, -2, -2, 6, -4]
        #expect(got == expected, "gradients of [L, f, d, c, e, a, b] should be \(expected), got \(got)")
        let r = Value(3)
        let twice = r * r + r
        try backpropagate(from: twice)
        #expect(r.grad == 7, "d(r² + r)/dr = 2r + 1 = 7 at r = 3, got \(r.grad): use += so that reuse accumulates")
    }

    @Test("1.6 A tanh neuron reproduces worked example B")
    func exercise1_6() throws {
        let x = [Value(2), Value(0)], w = [Value(-3), Value(1)], b = Value(6.8813735870195432)
        let o = try attempt("1.6") { try neuron(inputs: x, weights: w, bias: b) }
        #expect(abs(o.data - 0.7071) < 5e-5, "o = tanh(0.8814) should be 0.7071, got \(o.data)")
        o.backward()
        let got = [x[0].grad, w[0].grad, x[1].grad, w[1].grad, b.grad]
        let expected = [-1.5, 1.0, 0.5, 0.0, 0.5]
        for (name, (g, e)) in zip(["dx1", "dw1", "dx2", "dw2", "db"], zip(got, expected)) {
            #expect(abs(g - e) < 5e-5, "\(name) should be \(e), got \(g): is every input part of the graph?")
        }
    }

    @Test("1.7 Train an MLP on XOR to mean squared error below 0.01")
    func exercise1_7() throws {
        var rng = SeededRandom(seed: 2024)
        let mlp = try attempt("1.7") { try trainXOR(rng: &rng) }
        let predictions = xorInputs.map { mlp($0.map { Value($0) })[0] }
        let mse = meanSquaredError(predictions: predictions, targets: xorTargets).data
        #expect(mse < 0.01, "the trained network's MSE on XOR is \(mse); keep training, or check the sign of your update θ ← θ − lr·∂L/∂θ")
    }
}
