// Elementwise functions of one variable. Each rule multiplies the incoming gradient by the
// derivative f′(x), which for exp, tanh and sigmoid is cheapest written with the output y = f(x).

extension Variable {
    /// y = eˣ, with dy/dx = y.
    public func exp() -> Variable {
        let y = value.exp()
        return Variable(y, op: "exp", inputs: [self]) { g in self.accumulate(g * y) }
    }

    /// y = ln x, with dy/dx = 1/x.
    public func log() -> Variable {
        Variable(value.log(), op: "log", inputs: [self]) { g in self.accumulate(g / self.value) }
    }

    /// y = tanh x, with dy/dx = 1 − y².
    public func tanh() -> Variable {
        let y = value.tanh()
        return Variable(y, op: "tanh", inputs: [self]) { g in
            self.accumulate(Tensor.zip(g, y, op: "tanh backward") { g, y in g * (1 - y * y) })
        }
    }

    /// y = σ(x) = 1 / (1 + e⁻ˣ), with dy/dx = y(1 − y).
    public func sigmoid() -> Variable {
        let y = value.sigmoid()
        return Variable(y, op: "sigmoid", inputs: [self]) { g in
            self.accumulate(Tensor.zip(g, y, op: "sigmoid backward") { g, y in g * y * (1 - y) })
        }
    }

    /// y = max(0, x), with dy/dx = 1 for x > 0 and 0 otherwise.
    public func relu() -> Variable {
        Variable(value.relu(), op: "relu", inputs: [self]) { g in
            self.accumulate(Tensor.zip(g, self.value, op: "relu backward") { g, x in x > 0 ? g : 0 })
        }
    }

    /// y = √x, with dy/dx = 1 / (2√x).
    public func sqrt() -> Variable {
        let y = value.sqrt()
        return Variable(y, op: "sqrt", inputs: [self]) { g in
            self.accumulate(Tensor.zip(g, y, op: "sqrt backward") { g, y in g / (2 * y) })
        }
    }

    /// y = xᵏ for a constant k, with dy/dx = k·xᵏ⁻¹, and dy/dx = 0 for k = 0 (where k·xᵏ⁻¹ would
    /// be 0·∞ = NaN at x = 0; y = 1 does not depend on x, as PyTorch also says).
    public func pow(_ k: Float) -> Variable {
        Variable(value.pow(k), op: "pow", inputs: [self]) { g in
            self.accumulate(k == 0 ? Tensor.zeros(self.shape) : g * (self.value.pow(k - 1) * k))
        }
    }
}
