import Foundation

// Each operation computes its output and, in the same breath, the local derivative of the output
// with respect to each input. The backward pass needs nothing else.

// MARK: Arithmetic

extension Value {
    /// Sum: `a + b`, with ∂/∂a = 1 and ∂/∂b = 1.
    public static func + (a: Value, b: Value) -> Value {
        Value(a.data + b.data, op: "+", lhs: a, 1, rhs: b, 1)
    }

    /// Product: `a · b`, with ∂/∂a = b and ∂/∂b = a.
    public static func * (a: Value, b: Value) -> Value {
        Value(a.data * b.data, op: "*", lhs: a, b.data, rhs: b, a.data)
    }

    /// Difference: `a − b`, with ∂/∂a = 1 and ∂/∂b = −1.
    public static func - (a: Value, b: Value) -> Value {
        Value(a.data - b.data, op: "-", lhs: a, 1, rhs: b, -1)
    }

    /// Quotient: `a / b`, with ∂/∂a = 1/b and ∂/∂b = −a/b².
    public static func / (a: Value, b: Value) -> Value {
        Value(a.data / b.data, op: "/", lhs: a, 1 / b.data, rhs: b, -a.data / (b.data * b.data))
    }

    /// Negation: `−a`, with ∂/∂a = −1.
    public static prefix func - (a: Value) -> Value {
        Value(-a.data, op: "neg", input: a, derivative: -1)
    }

    // Mixing values and plain numbers: the number becomes a leaf nobody reads the gradient of.
    public static func + (a: Value, b: Double) -> Value { a + Value(b) }
    public static func + (a: Double, b: Value) -> Value { Value(a) + b }
    public static func - (a: Value, b: Double) -> Value { a - Value(b) }
    public static func - (a: Double, b: Value) -> Value { Value(a) - b }
    public static func * (a: Value, b: Double) -> Value { a * Value(b) }
    public static func * (a: Double, b: Value) -> Value { Value(a) * b }
    public static func / (a: Value, b: Double) -> Value { a / Value(b) }
    public static func / (a: Double, b: Value) -> Value { Value(a) / b }
}

// MARK: Functions of one value

extension Value {
    /// Power with a constant exponent: `xᵏ`, with d/dx = k·xᵏ⁻¹.
    public func power(_ k: Double) -> Value {
        Value(Foundation.pow(data, k), op: "^\(k)", input: self, derivative: k * Foundation.pow(data, k - 1))
    }

    /// Exponential: `eˣ`, with d/dx = eˣ (the output itself).
    public func exp() -> Value {
        let out = Foundation.exp(data)
        return Value(out, op: "exp", input: self, derivative: out)
    }

    /// Natural logarithm: `ln x`, with d/dx = 1/x. Defined for x > 0.
    public func log() -> Value {
        Value(Foundation.log(data), op: "log", input: self, derivative: 1 / data)
    }

    /// Hyperbolic tangent: `tanh x`, with d/dx = 1 − tanh²x.
    public func tanh() -> Value {
        let t = Foundation.tanh(data)
        return Value(t, op: "tanh", input: self, derivative: 1 - t * t)
    }

    /// Rectified linear unit: `max(0, x)`, with d/dx = 1 for x > 0 and 0 otherwise.
    public func relu() -> Value {
        Value(Swift.max(0, data), op: "relu", input: self, derivative: data > 0 ? 1 : 0)
    }

    /// Logistic sigmoid: `σ(x) = 1 / (1 + e⁻ˣ)`, with dσ/dx = σ(x)·(1 − σ(x)).
    ///
    /// Computed without overflow for large |x|: for x < 0 it uses `eˣ / (1 + eˣ)`.
    public func sigmoid() -> Value {
        let s = data >= 0 ? 1 / (1 + Foundation.exp(-data)) : Foundation.exp(data) / (1 + Foundation.exp(data))
        return Value(s, op: "sigmoid", input: self, derivative: s * (1 - s))
    }
}

/// The sum of many values, as a chain of `+` nodes. An empty list sums to a leaf 0.
public func sum(_ values: [Value]) -> Value {
    guard var total = values.first else { return Value(0) }
    for value in values.dropFirst() { total = total + value }
    return total
}
