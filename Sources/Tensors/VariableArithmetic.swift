// Arithmetic on variables, with backward rules. Binary operations broadcast, so each rule ends
// with `unbroadcast(to:)`: an input that was repeated along an axis collects the gradients of all
// its copies (see Broadcasting.swift).

extension Variable {
    /// a + b, with ∂/∂a = 1 and ∂/∂b = 1.
    public static func + (a: Variable, b: Variable) -> Variable {
        Variable(a.value + b.value, op: "+", inputs: [a, b]) { g in
            a.accumulate(g.unbroadcast(to: a.shape))
            b.accumulate(g.unbroadcast(to: b.shape))
        }
    }

    /// a − b, with ∂/∂a = 1 and ∂/∂b = −1.
    public static func - (a: Variable, b: Variable) -> Variable {
        Variable(a.value - b.value, op: "-", inputs: [a, b]) { g in
            a.accumulate(g.unbroadcast(to: a.shape))
            if b.requiresGrad { b.accumulate((-g).unbroadcast(to: b.shape)) }
        }
    }

    /// a ⊙ b (elementwise), with ∂/∂a = b and ∂/∂b = a.
    public static func * (a: Variable, b: Variable) -> Variable {
        Variable(a.value * b.value, op: "*", inputs: [a, b]) { g in
            if a.requiresGrad { a.accumulate((g * b.value).unbroadcast(to: a.shape)) }
            if b.requiresGrad { b.accumulate((g * a.value).unbroadcast(to: b.shape)) }
        }
    }

    /// a / b (elementwise), with ∂/∂a = 1/b and ∂/∂b = −a/b².
    public static func / (a: Variable, b: Variable) -> Variable {
        Variable(a.value / b.value, op: "/", inputs: [a, b]) { g in
            if a.requiresGrad { a.accumulate((g / b.value).unbroadcast(to: a.shape)) }
            if b.requiresGrad { b.accumulate((-g * a.value / (b.value * b.value)).unbroadcast(to: b.shape)) }
        }
    }

    /// −a, with ∂/∂a = −1.
    public static prefix func - (a: Variable) -> Variable {
        Variable(-a.value, op: "neg", inputs: [a]) { g in a.accumulate(-g) }
    }

    // Mixing variables with plain tensors and numbers: the other side is a constant.
    public static func + (a: Variable, b: Tensor) -> Variable { a + .constant(b) }
    public static func - (a: Variable, b: Tensor) -> Variable { a - .constant(b) }
    public static func * (a: Variable, b: Tensor) -> Variable { a * .constant(b) }
    public static func / (a: Variable, b: Tensor) -> Variable { a / .constant(b) }
    public static func + (a: Tensor, b: Variable) -> Variable { .constant(a) + b }
    public static func - (a: Tensor, b: Variable) -> Variable { .constant(a) - b }
    public static func * (a: Tensor, b: Variable) -> Variable { .constant(a) * b }

    /// a + c for a number c, with ∂/∂a = 1.
    public static func + (a: Variable, c: Float) -> Variable {
        Variable(a.value + c, op: "+c", inputs: [a]) { g in a.accumulate(g) }
    }
    public static func + (c: Float, a: Variable) -> Variable { a + c }
    public static func - (a: Variable, c: Float) -> Variable { a + (-c) }
    /// c − a for a number c, with ∂/∂a = −1.
    public static func - (c: Float, a: Variable) -> Variable { -a + c }

    /// c · a for a number c, with ∂/∂a = c.
    public static func * (a: Variable, c: Float) -> Variable {
        Variable(a.value * c, op: "*c", inputs: [a]) { g in a.accumulate(g * c) }
    }
    public static func * (c: Float, a: Variable) -> Variable { a * c }
    public static func / (a: Variable, c: Float) -> Variable { a * (1 / c) }
}
