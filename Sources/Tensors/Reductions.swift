/// Reductions: collapsing an axis to one number per slice (sum, mean, max).
///
/// A reduction along axis k of a tensor of shape [d₀, …, dₖ, …] views it as [outer, dₖ, inner]
/// (outer = d₀⋯dₖ₋₁, inner = dₖ₊₁⋯) and combines the dₖ numbers at each (outer, inner) position:
///
///     sum(x, axis k)[o, i] = Σⱼ x[o, j, i]
///
/// The result drops axis k, or keeps it with size 1 when `keepingDimension` is true, which is the
/// shape that broadcasts back against the input (as softmax needs).
///
/// Sums accumulate in Double and round to Float once, at the end. Added one at a time in Float,
/// a million copies of 0.1 come to 100958.34, an error of 1 %: once the running total is large,
/// each 0.1 is rounded to the spacing of Floats near the total (0.0078 near 10⁵). In Double the
/// spacing is 2²⁹ times finer, and the sum is 100000.0, the Float nearest the exact 100000.0015.
/// PyTorch sums in Float with several partial sums (100000.008); the two agree to Float precision.

import ScalarAutodiff

extension Tensor {
    /// The [outer, length, inner] view of `axis`.
    func axisView(_ axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    func reducedShape(_ axis: Int, keeping: Bool) -> [Int] {
        var s = shape
        if keeping { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// Σ along `axis` (negative counts from the end).
    ///
    /// ```swift
    /// Tensor([[1, 2, 3], [4, 5, 6]]).sum(axis: 0)   // [5, 7, 9]
    /// Tensor([[1, 2, 3], [4, 5, 6]]).sum(axis: -1)  // [6, 15]
    /// ```
    public func sum(axis: Int, keepingDimension: Bool = false) -> Tensor {
        let a = normalise(axis: axis, op: "sum(axis:)")
        let (outer, length, inner) = axisView(a)
        var totals = [Double](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { p in
            totals.withUnsafeMutableBufferPointer { pt in
                for o in 0..<outer {
                    if inner == 1 {
                        // Reducing the last axis: one contiguous run per output.
                        pt[o] = Tensor.accurateSum(UnsafeBufferPointer(rebasing: p[(o &* length)..<((o &+ 1) &* length)]))
                        continue
                    }
                    for j in 0..<length {
                        let base = (o &* length &+ j) &* inner
                        for i in 0..<inner { pt[o &* inner &+ i] += Double(p[base &+ i]) }
                    }
                }
            }
        }
        return Tensor(shape: reducedShape(a, keeping: keepingDimension), scalars: totals.map { Float($0) })
    }

    /// Σ xᵢ (or Σ xᵢ² when `squared`) of a run of Floats, accumulated in Double, with four partial
    /// sums so that the additions overlap.
    @inline(__always)
    static func accurateSum(_ p: UnsafeBufferPointer<Float>, squared: Bool = false) -> Double {
        @inline(__always) func term(_ x: Float) -> Double { squared ? Double(x) * Double(x) : Double(x) }
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        let n = p.count
        var i = 0
        while i &+ 4 <= n {
            s0 += term(p[i]); s1 += term(p[i &+ 1]); s2 += term(p[i &+ 2]); s3 += term(p[i &+ 3])
            i &+= 4
        }
        while i < n { s0 += term(p[i]); i &+= 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// The mean along `axis`: (1/dₖ) Σⱼ x[…, j, …].
    public func mean(axis: Int, keepingDimension: Bool = false) -> Tensor {
        let a = normalise(axis: axis, op: "mean(axis:)")
        return sum(axis: a, keepingDimension: keepingDimension) / Float(shape[a])
    }

    /// The sum of every element, as a scalar tensor (accumulated in Double).
    public func sum() -> Tensor {
        Tensor(Float(scalars.withUnsafeBufferPointer { Tensor.accurateSum($0) }))
    }

    /// The mean of every element, as a scalar tensor (accumulated and divided in Double).
    public func mean() -> Tensor {
        require(count > 0, "mean(): the tensor is empty")
        return Tensor(Float(scalars.withUnsafeBufferPointer { Tensor.accurateSum($0) } / Double(count)))
    }

    /// The largest element along `axis`, and the position j of that element (the first one on ties),
    /// which the backward pass sends the gradient to.
    public func maxWithIndices(axis: Int, keepingDimension: Bool = false) -> (values: Tensor, indices: [Int]) {
        let a = normalise(axis: axis, op: "max(axis:)")
        let (outer, length, inner) = axisView(a)
        require(length > 0, "max(axis:): axis \(axis) of shape \(shape) is empty")
        var out = [Float](repeating: -.infinity, count: outer * inner)
        var where_ = [Int](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { p in
            for o in 0..<outer {
                for j in 0..<length {
                    let base = (o &* length &+ j) &* inner
                    for i in 0..<inner where p[base &+ i] > out[o &* inner &+ i] || j == 0 {
                        out[o &* inner &+ i] = p[base &+ i]
                        where_[o &* inner &+ i] = j
                    }
                }
            }
        }
        return (Tensor(shape: reducedShape(a, keeping: keepingDimension), scalars: out), where_)
    }

    /// The largest element along `axis`.
    public func max(axis: Int, keepingDimension: Bool = false) -> Tensor {
        maxWithIndices(axis: axis, keepingDimension: keepingDimension).values
    }

    /// The index of the largest element along the last axis, for every row: the predicted class.
    public func argmax() -> [Int] {
        maxWithIndices(axis: -1).indices
    }
}
