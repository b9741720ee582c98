// Reductions of variables. The backward rule of a sum copies the gradient back to every element
// it summed (broadcasting, the mirror image of broadcasting's sum); a mean also divides by the
// count; a max sends the gradient only to the element that won.

extension Variable {
    /// Σ of every element, a scalar. ∂/∂xᵢ = 1.
    public func sum() -> Variable {
        Variable(value.sum(), op: "sum", inputs: [self]) { g in
            self.accumulate(Tensor(repeating: g.scalar, shape: self.shape))
        }
    }

    /// The mean of every element, a scalar. ∂/∂xᵢ = 1/n.
    public func mean() -> Variable {
        let n = Float(value.count)
        return Variable(value.mean(), op: "mean", inputs: [self]) { g in
            self.accumulate(Tensor(repeating: g.scalar / n, shape: self.shape))
        }
    }

    /// Σ along `axis`. ∂/∂x[…, j, …] = g[…, …] for every j.
    public func sum(axis: Int, keepingDimension: Bool = false) -> Variable {
        let a = value.normalise(axis: axis, op: "sum(axis:)")
        let kept = value.reducedShape(a, keeping: true)
        return Variable(value.sum(axis: a, keepingDimension: keepingDimension), op: "sum(axis:)", inputs: [self]) { g in
            self.accumulate(g.reshaped(kept).broadcast(to: self.shape))
        }
    }

    /// The mean along `axis`. ∂/∂x[…, j, …] = g[…, …] / dₐₓᵢₛ.
    public func mean(axis: Int, keepingDimension: Bool = false) -> Variable {
        let a = value.normalise(axis: axis, op: "mean(axis:)")
        return sum(axis: a, keepingDimension: keepingDimension) * (1 / Float(shape[a]))
    }

    /// The largest element along `axis`. The gradient goes to the (first) largest element only.
    public func max(axis: Int, keepingDimension: Bool = false) -> Variable {
        let a = value.normalise(axis: axis, op: "max(axis:)")
        let (values, indices) = value.maxWithIndices(axis: a, keepingDimension: keepingDimension)
        let (outer, length, inner) = value.axisView(a)
        return Variable(values, op: "max(axis:)", inputs: [self]) { g in
            var dx = Tensor.zeros(self.shape)
            for o in 0..<outer {
                for i in 0..<inner {
                    let r = o * inner + i
                    dx.scalars[(o * length + indices[r]) * inner + i] = g.scalars[r]
                }
            }
            self.accumulate(dx)
        }
    }
}
