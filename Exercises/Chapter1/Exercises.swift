// Chapter 1 exercises: scalar reverse-mode autodiff.
//
// Replace each `throw NotAttempted(...)` with your answer, then run
//
//     swift test --filter Chapter1
//
// Each exercise's test passes, fails with a message, or is reported as cancelled while it is
// still a stub. `swift run book hint 1.3` prints a first hint, `swift run book hint 1.3 2` the
// next. You may use anything in the `ScalarAutodiff` module except the functions an exercise
// names as forbidden: the tests check, and say so.

import ExerciseSupport
import Foundation
import ScalarAutodiff

/// Exercise 1.1 ★ — The product node.
///
/// Return a node whose `data` is `a.data * b.data` and whose local derivatives are
/// ∂(ab)/∂a = b and ∂(ab)/∂b = a. Build it with `Value(_:op:lhs:_:rhs:_:)`; do not use `*`.
public func product(_ a: Value, _ b: Value) throws -> Value {
    throw NotAttempted("1.1")
}

/// Exercise 1.2 ★ — The sigmoid node.
///
/// Return σ(x) = 1 / (1 + e⁻ˣ) as a one-input node with its local derivative. It must not
/// overflow or return NaN for x = ±1000. Do not call `Value.sigmoid()`.
public func sigmoidNode(_ x: Value) throws -> Value {
    throw NotAttempted("1.2")
}

/// Exercise 1.3 ★★ — Central differences.
///
/// Estimate the gradient of `f` at `x`: entry i is (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h.
/// Do not call the book's `numericalGradient`.
public func centralDifferences(of f: ([Double]) -> Double, at x: [Double], h: Double) throws -> [Double] {
    throw NotAttempted("1.3")
}

/// Exercise 1.4 ★★ — Topological order.
///
/// Return every node `root` depends on (including `root`), each exactly once, every node after
/// all of its inputs. Use an explicit stack, not recursion: the test builds a graph 200,000
/// nodes deep. Do not call the book's `topologicalOrder()`.
public func topologicalSort(_ root: Value) throws -> [Value] {
    throw NotAttempted("1.4")
}

/// Exercise 1.5 ★★ — The backward pass.
///
/// Fill in `grad` for every node that `root` depends on, with ∂root/∂node. You may use the
/// book's `root.topologicalOrder()`. Remember that a node used twice collects two gradients.
/// Assume every `grad` starts at 0. Do not call `backward()`.
public func backpropagate(from root: Value) throws {
    throw NotAttempted("1.5")
}

/// Exercise 1.6 ★★ — A tanh neuron.
///
/// Return o = tanh(Σᵢ wᵢ·xᵢ + b) as a graph of values, so that `o.backward()` reaches every
/// weight, input and the bias. Do not use the book's `Neuron`, `Layer` or `MLP`.
public func neuron(inputs x: [Value], weights w: [Value], bias b: Value) throws -> Value {
    throw NotAttempted("1.6")
}

/// Exercise 1.7 ★★★ — Train an MLP on XOR.
///
/// Build an `MLP(inputs: 2, layerSizes: [8, 1], rng: &rng)` and train it with plain gradient
/// descent on the four XOR points (`inputs` in {−1, 1}², `targets` +1 where the signs differ and
/// −1 where they agree) until its mean squared error is below 0.01. Return the trained network.
/// Use the book's `MLP`, `meanSquaredError`, `zeroGradients`, `backward` and
/// `gradientDescentStep`: the loop is yours to write.
public func trainXOR(inputs: [[Double]], targets: [Double], rng: inout SeededRandom) throws -> MLP {
    throw NotAttempted("1.7")
}

