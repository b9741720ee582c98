/// Operations that move numbers without changing them: transpose, permute, concatenate, slice,
/// gather (embedding lookup).

import ScalarAutodiff

extension Tensor {
    /// The last two axes swapped: Aᵀ for a matrix, and every matrix of a batch transposed.
    ///
    /// Copies in 16 × 16 blocks, so that both the rows read and the columns written stay in cache.
    public func transposed() -> Tensor {
        require(rank >= 2, "transposed: needs at least 2 axes, got shape \(shape)")
        let r = shape[rank - 2], c = shape[rank - 1]
        let batch = r * c == 0 ? 0 : count / (r * c)
        let block = 16
        let out = makeScalars(count) { po in
            scalars.withUnsafeBufferPointer { p in
                for b in 0..<batch {
                    let base = b &* r &* c
                    for i0 in stride(from: 0, to: r, by: block) {
                        for j0 in stride(from: 0, to: c, by: block) {
                            for i in i0..<Swift.min(i0 &+ block, r) {
                                for j in j0..<Swift.min(j0 &+ block, c) {
                                    po[base &+ j &* r &+ i] = p[base &+ i &* c &+ j]
                                }
                            }
                        }
                    }
                }
            }
        }
        var newShape = shape
        newShape.swapAt(rank - 1, rank - 2)
        return Tensor(shape: newShape, scalars: out)
    }

    /// The axes reordered: axis i of the result is axis `order[i]` of this tensor.
    ///
    /// ```swift
    /// // [batch, time, heads, d] → [batch, heads, time, d]
    /// x.permuted([0, 2, 1, 3])
    /// ```
    public func permuted(_ order: [Int]) -> Tensor {
        require(order.sorted() == Array(0..<rank),
                     "permuted: \(order) is not an ordering of the axes of shape \(shape)")
        let newShape = order.map { shape[$0] }
        let own = strides
        let readStrides = order.map { own[$0] }
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { po in
                Tensor.forEachBroadcastOffset(newShape, readStrides, readStrides) { i, from, _ in po[i] = p[from] }
            }
        }
        return Tensor(shape: newShape, scalars: out)
    }

    /// Tensors joined along `axis`; every other axis must agree.
    ///
    /// ```swift
    /// Tensor.concatenate([Tensor([[1, 2]]), Tensor([[3, 4]])], axis: 0)   // [[1, 2], [3, 4]]
    /// ```
    public static func concatenate(_ parts: [Tensor], axis: Int) -> Tensor {
        require(!parts.isEmpty, "concatenate: no tensors given")
        let first = parts[0]
        let a = first.normalise(axis: axis, op: "concatenate")
        for part in parts {
            var x = part.shape, y = first.shape
            require(x.count == y.count, "concatenate: shapes \(first.shape) and \(part.shape) have different ranks")
            x[a] = 0; y[a] = 0
            require(x == y, "concatenate: shapes \(first.shape) and \(part.shape) differ outside axis \(axis)")
        }
        let outer = first.shape[..<a].reduce(1, *)
        var out: [Float] = []
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for o in 0..<outer {
            for part in parts {
                let block = part.count / Swift.max(outer, 1)
                out.append(contentsOf: part.scalars[(o * block)..<((o + 1) * block)])
            }
        }
        var shape = first.shape
        shape[a] = parts.reduce(0) { $0 + $1.shape[a] }
        return Tensor(shape: shape, scalars: out)
    }

    /// The sub-tensor with `axis` restricted to `range`.
    ///
    /// ```swift
    /// Tensor([[1, 2, 3], [4, 5, 6]]).slice(axis: 1, 1..<3)   // [[2, 3], [5, 6]]
    /// ```
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let a = normalise(axis: axis, op: "slice")
        require(range.lowerBound >= 0 && range.upperBound <= shape[a],
                     "slice: range \(range) is out of bounds for axis \(axis) of shape \(shape)")
        let (outer, length, inner) = axisView(a)
        var out: [Float] = []
        out.reserveCapacity(outer * range.count * inner)
        for o in 0..<outer {
            let start = (o * length + range.lowerBound) * inner
            out.append(contentsOf: scalars[start..<(start + range.count * inner)])
        }
        var newShape = shape
        newShape[a] = range.count
        return Tensor(shape: newShape, scalars: out)
    }

    /// Rows of a matrix picked by index: row `indices[i]` becomes row i of the result. This is an
    /// embedding lookup: a table [vocabulary, d] and token ids give one d-vector per token.
    ///
    /// - Parameters:
    ///   - indices: row numbers, each in 0..<shape[0].
    ///   - indexShape: the shape of the indices (for example [batch, time]); the result has shape
    ///     indexShape + [d]. Defaults to [indices.count].
    public func gatherRows(_ indices: [Int], indexShape: [Int]? = nil) -> Tensor {
        require(rank == 2, "gatherRows: the table must be a matrix, got shape \(shape)")
        let outShape = (indexShape ?? [indices.count]) + [shape[1]]
        require(outShape.dropLast().reduce(1, *) == indices.count,
                     "gatherRows: index shape \(indexShape ?? []) does not hold \(indices.count) indices")
        let d = shape[1]
        var out = [Float](repeating: 0, count: indices.count * d)
        for (i, row) in indices.enumerated() {
            require(row >= 0 && row < shape[0], "gatherRows: index \(row) is out of range for a table of \(shape[0]) rows")
            for j in 0..<d { out[i * d + j] = scalars[row * d + j] }
        }
        return Tensor(shape: outShape, scalars: out)
    }

    /// This tensor with `value` wherever `mask` is nonzero (the mask broadcasts). Attention uses it
    /// to put −∞ (or a large negative number) on padding and future positions before the softmax.
    public func maskedFill(_ mask: Tensor, with value: Float) -> Tensor {
        let shapeCheck = Tensor.broadcastShape(shape, mask.shape, op: "maskedFill")
        require(shapeCheck == shape, "maskedFill: mask shape \(mask.shape) does not broadcast to tensor shape \(shape)")
        return Tensor.zip(self, mask, op: "maskedFill") { x, m in m != 0 ? value : x }
    }

    /// The causal mask for `length` positions: 1 above the diagonal (position i may not look at
    /// j > i), 0 elsewhere. Shape [length, length].
    public static func causalMask(_ length: Int) -> Tensor {
        var m = Tensor.zeros([length, length])
        for i in 0..<length { for j in (i + 1)..<Swift.max(i + 1, length) { m.scalars[i * length + j] = 1 } }
        return m
    }

    /// One row per index, with a 1 in column `indices[i]` and 0 elsewhere: shape [indices.count, classes].
    public static func oneHot(_ indices: [Int], classes: Int) -> Tensor {
        var t = Tensor.zeros([indices.count, classes])
        for (i, c) in indices.enumerated() {
            require(c >= 0 && c < classes, "oneHot: index \(c) is not a class in 0..<\(classes)")
            t.scalars[i * classes + c] = 1
        }
        return t
    }
}
