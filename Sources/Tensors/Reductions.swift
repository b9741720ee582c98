/// Reductions: collapsing an axis to one number per slice (sum, mean, max).
///
/// A reduction along axis k of a tensor of shape [d₀, …, dₖ, …] views it as [outer, dₖ, inner]
/// (outer = d₀⋯dₖ₋₁, inner = dₖ₊₁⋯) and combines the dₖ numbers at each (outer, inner) position:
///
///     sum(x, axis k)[o, i] = Σⱼ x[o, j, i]
///
/// The result drops axis k, or keeps it with size 1 when `keepingDimension` is true, which is the
/// shape that broadcasts back against the input (as softmax needs).

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
        var out = [Float](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { po in
                for o in 0..<outer {
                    for j in 0..<length {
                        let base = (o &* length &+ j) &* inner
                        for i in 0..<inner { po[o &* inner &+ i] += p[base &+ i] }
                    }
                }
            }
        }
        return Tensor(shape: reducedShape(a, keeping: keepingDimension), scalars: out)
    }

    /// The mean along `axis`: (1/dₖ) Σⱼ x[…, j, …].
    public func mean(axis: Int, keepingDimension: Bool = false) -> Tensor {
        let a = normalise(axis: axis, op: "mean(axis:)")
        return sum(axis: a, keepingDimension: keepingDimension) / Float(shape[a])
    }

    /// The sum of every element, as a scalar tensor.
    public func sum() -> Tensor {
        var total: Float = 0
        for x in scalars { total += x }
        return Tensor(total)
    }

    /// The mean of every element, as a scalar tensor.
    public func mean() -> Tensor {
        require(count > 0, "mean(): the tensor is empty")
        return sum() / Float(count)
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
