extension Variable {
    /// C = A·B over the last two axes (see `Tensor.matmul`), with
    ///
    ///     ∂L/∂A = ∂L/∂C · Bᵀ,    ∂L/∂B = Aᵀ · ∂L/∂C
    ///
    /// When B is one matrix shared by a batch (a weight), ∂L/∂B sums the contributions of every
    /// matrix of the batch, which the flattened product [k, rows]·[rows, n] does in one go.
    ///
    /// ```swift
    /// let h = (x.matmul(Wx) + hPrevious.matmul(Wh) + b).tanh()   // one RNN step
    /// ```
    public func matmul(_ other: Variable) -> Variable {
        let a = self, b = other
        return Variable(a.value.matmul(b.value), op: "matmul", inputs: [a, b]) { g in
            if a.requiresGrad { a.accumulate(Tensor.product(g, b.value, transposeB: true)) }
            guard b.requiresGrad else { return }
            if b.value.rank == 2 {
                let k = a.shape[a.shape.count - 1], n = b.shape[1]
                b.accumulate(Tensor.product(a.value.reshaped([-1, k]), g.reshaped([-1, n]), transposeA: true))
            } else {
                b.accumulate(Tensor.product(a.value, g, transposeA: true))
            }
        }
    }

    /// A·B with a constant B.
    public func matmul(_ other: Tensor) -> Variable { matmul(.constant(other)) }
}
