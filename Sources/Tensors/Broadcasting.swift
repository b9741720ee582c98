/// Broadcasting: combining tensors of different shapes elementwise, by NumPy's rules.
///
/// Line the shapes up at their *last* axis. Two sizes are compatible when they are equal or one
/// of them is 1; a missing leading axis counts as size 1. The result takes the larger size on
/// every axis, and a size-1 axis is read as if it were repeated:
///
///     x         [4, 3]          a batch of 4 rows
///     b            [3]          one bias row        →  read as [1, 3], repeated 4 times
///     x + b     [4, 3]
///
///     scores [2, 5, 5]          mask [1, 5]         →  read as [1, 1, 5]
///     result [2, 5, 5]
///
///     [4, 3] and [4]            incompatible: 3 ≠ 4 and neither is 1

import ScalarAutodiff

extension Tensor {
    /// The shape two shapes broadcast to; traps, naming `op` and both shapes, if they cannot.
    public static func broadcastShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var result = Array(repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            require(da == db || da == 1 || db == 1,
                         "\(op): shapes \(a) and \(b) cannot be broadcast together (axis \(i - rank) has sizes \(da) and \(db))")
            result[i] = da == 1 ? db : da
        }
        return result
    }

    /// Strides for reading a tensor of `shape` as if it had the broadcast shape `target`:
    /// 0 along every axis that is repeated.
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = Tensor.strides(of: shape)
        let pad = target.count - shape.count
        return (0..<target.count).map { i in
            i < pad || shape[i - pad] == 1 ? 0 : own[i - pad]
        }
    }

    /// Combines two tensors elementwise with `f` after broadcasting them to a common shape.
    ///
    /// Three cases cover almost every call and run as tight loops: equal shapes, one side a single
    /// number, and `b` a trailing block of `a` (a bias row added to every row). Anything else goes
    /// through the general strided walk.
    @inline(__always)
    public static func zip(_ a: Tensor, _ b: Tensor, op: String, _ f: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape {
            let out = makeScalars(a.count) { po in
                a.scalars.withUnsafeBufferPointer { pa in
                    b.scalars.withUnsafeBufferPointer { pb in
                        for i in 0..<po.count { po[i] = f(pa[i], pb[i]) }
                    }
                }
            }
            return Tensor(shape: a.shape, scalars: out)
        }
        let shape = broadcastShape(a.shape, b.shape, op: op)
        // Every path below writes every element, so the output need not be zeroed first.
        let outCount = shape.reduce(1, *)
        if b.count == 1 || a.count == 1 {
            let bIsScalar = b.count == 1
            let single = bIsScalar ? b.scalars[0] : a.scalars[0]
            let other = bIsScalar ? a.scalars : b.scalars
            let out = makeScalars(outCount) { po in
                other.withUnsafeBufferPointer { p in
                    if bIsScalar { for i in 0..<outCount { po[i] = f(p[i], single) } }
                    else { for i in 0..<outCount { po[i] = f(single, p[i]) } }
                }
            }
            return Tensor(shape: shape, scalars: out)
        }
        if shape == a.shape && b.count > 0 && Array(a.shape.suffix(b.rank)) == b.shape {
            let block = b.count
            let out = makeScalars(outCount) { po in
                a.scalars.withUnsafeBufferPointer { pa in
                    b.scalars.withUnsafeBufferPointer { pb in
                        var base = 0
                        while base < outCount {
                            for j in 0..<block { po[base &+ j] = f(pa[base &+ j], pb[j]) }
                            base &+= block
                        }
                    }
                }
            }
            return Tensor(shape: shape, scalars: out)
        }
        let sa = broadcastStrides(a.shape, to: shape), sb = broadcastStrides(b.shape, to: shape)
        var out = [Float](repeating: 0, count: outCount)
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    forEachBroadcastOffset(shape, sa, sb) { i, ia, ib in po[i] = f(pa[ia], pb[ib]) }
                }
            }
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// Walks every index of `shape` in row-major order, calling `body(i, offsetA, offsetB)` with
    /// the flat output position and the matching offsets under strides `sa` and `sb`.
    @inline(__always)
    static func forEachBroadcastOffset(_ shape: [Int], _ sa: [Int], _ sb: [Int],
                                       _ body: (Int, Int, Int) -> Void) {
        let rank = shape.count
        let total = shape.reduce(1, *)
        guard total > 0 else { return }
        if rank == 0 { body(0, 0, 0); return }
        var index = Array(repeating: 0, count: rank)
        var ia = 0, ib = 0
        let last = rank - 1
        let n = shape[last], la = sa[last], lb = sb[last]
        var i = 0
        while i < total {
            // The last axis as a plain loop.
            var oa = ia, ob = ib
            for j in 0..<n {
                body(i &+ j, oa, ob)
                oa &+= la
                ob &+= lb
            }
            i &+= n
            // Carry into the earlier axes.
            var axis = last - 1
            while axis >= 0 {
                index[axis] += 1
                ia &+= sa[axis]
                ib &+= sb[axis]
                if index[axis] < shape[axis] { break }
                ia &-= sa[axis] &* shape[axis]
                ib &-= sb[axis] &* shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// Sums this tensor down to `target`, a shape it was broadcast from: the backward pass of
    /// broadcasting.
    ///
    /// If y = broadcast(x) repeats x along some axes, each xᵢ was used once per repetition, so
    /// its gradient is the sum of the gradients of all its copies:
    ///
    ///     ∂L/∂xᵢ = Σ over the repeated copies yⱼ of xᵢ of ∂L/∂yⱼ
    ///
    /// ```swift
    /// Tensor([[1, 2, 3], [4, 5, 6]]).unbroadcast(to: [3])      // [5, 7, 9]
    /// Tensor([[1, 2, 3], [4, 5, 6]]).unbroadcast(to: [2, 1])   // [[6], [15]]
    /// ```
    public func unbroadcast(to target: [Int]) -> Tensor {
        if target == shape { return self }
        let check = Tensor.broadcastShape(target, shape, op: "unbroadcast(to:)")
        require(check == shape, "unbroadcast(to:): shape \(shape) is not a broadcast of \(target)")
        // Accumulated in Double, like every sum (see Reductions.swift).
        var out = [Double](repeating: 0, count: target.reduce(1, *))
        let block = out.count
        if Array(shape.suffix(target.count)) == target {
            // Leading axes only: add up consecutive blocks.
            scalars.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { po in
                    var base = 0
                    while base < p.count {
                        for j in 0..<block { po[j] += Double(p[base &+ j]) }
                        base &+= block
                    }
                }
            }
        } else {
            let st = Tensor.broadcastStrides(target, to: shape)
            let own = Tensor.strides(of: shape)
            scalars.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { po in
                    Tensor.forEachBroadcastOffset(shape, own, st) { _, i, t in po[t] += Double(p[i]) }
                }
            }
        }
        return Tensor(shape: target, scalars: out.map { Float($0) })
    }
}
