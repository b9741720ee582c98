import Foundation
import ScalarAutodiff

/// Softmax, log-softmax and log-sum-exp along the last axis, computed stably.
///
///     softmax(z)ᵢ = exp(zᵢ) / Σⱼ exp(zⱼ)
///     logSumExp(z) = log Σⱼ exp(zⱼ)
///     logSoftmax(z)ᵢ = zᵢ − logSumExp(z)
///
/// exp(1000) overflows a Float (the largest is about 3.4 × 10³⁸ ≈ e^88.7), and then ∞/∞ = NaN.
/// Subtracting any constant c from every zⱼ leaves softmax unchanged, because the factor e⁻ᶜ
/// cancels between numerator and denominator, and shifts logSumExp by exactly c:
///
///     logSumExp(z) = m + log Σⱼ exp(zⱼ − m),   m = maxⱼ zⱼ
///
/// With c = m the largest exponent is exp(0) = 1, so nothing overflows and the sum is at least 1,
/// so the logarithm is finite. softmax([1, 2, 3]) = [0.090, 0.245, 0.665], and so is
/// softmax([1000, 1001, 1002]).
extension Tensor {
    /// Applies `body(row, out)` to every slice along the last axis.
    @inline(__always)
    func forEachRow(_ body: (UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> Void,
                    outputWidth: Int) -> [Float] {
        require(rank >= 1, "softmax: needs at least one axis, got a scalar")
        let width = shape[rank - 1]
        let rows = width == 0 ? 0 : count / width
        var out = [Float](repeating: 0, count: rows * outputWidth)
        scalars.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { po in
                for r in 0..<rows {
                    body(UnsafeBufferPointer(rebasing: p[(r * width)..<((r + 1) * width)]),
                         UnsafeMutableBufferPointer(rebasing: po[(r * outputWidth)..<((r + 1) * outputWidth)]))
                }
            }
        }
        return out
    }

    /// log Σⱼ exp(zⱼ) of one row, as m + log Σⱼ exp(zⱼ − m).
    @inline(__always)
    static func logSumExp(_ row: UnsafeBufferPointer<Float>) -> Float {
        var m = -Float.infinity
        for z in row where z > m { m = z }
        if m == -.infinity { return -.infinity }   // every entry masked out
        var total: Float = 0
        for z in row { total += Foundation.exp(z - m) }
        return m + Foundation.log(total)
    }

    /// softmax along the last axis; each row sums to 1. A row that is entirely −∞ (every
    /// position masked) comes out uniform rather than NaN.
    public func softmax() -> Tensor {
        // Subtract each row's maximum, exponentiate everything at once (vectorised), normalise.
        let width = shape.last ?? 1
        var shifted = forEachRow({ row, o in
            var m = -Float.infinity
            for z in row where z > m { m = z }
            for j in 0..<row.count { o[j] = m == -.infinity ? 0 : row[j] - m }
        }, outputWidth: width)
        shifted = VectorMath.apply(shifted, VectorMath.exp)
        shifted.withUnsafeMutableBufferPointer { p in
            var start = 0
            while start < p.count {
                var total: Float = 0
                for j in start..<(start &+ width) { total += p[j] }
                let inverse = 1 / total
                for j in start..<(start &+ width) { p[j] *= inverse }
                start &+= width
            }
        }
        return Tensor(shape: shape, scalars: shifted)
    }

    /// log-softmax along the last axis: zᵢ − logSumExp(z), computed as (zᵢ − m) − log Σⱼ exp(zⱼ − m).
    ///
    /// The order matters at large logits. zᵢ − m is exact, and log Σ is between 0 and log n, so the
    /// result is accurate to Float precision. Written as zᵢ − (m + log Σ), the sum m + log Σ would
    /// first be rounded at the logits' scale: for [1000, 1001, 1002] that gives −2.4075928 instead
    /// of −2.4076059. PyTorch computes it the same way.
    public func logSoftmax() -> Tensor {
        let out = forEachRow({ row, o in
            var m = -Float.infinity
            for z in row where z > m { m = z }
            var total: Float = 0
            for z in row { total += Foundation.exp(z - m) }
            let logTotal = Foundation.log(total)
            for j in 0..<row.count { o[j] = (row[j] - m) - logTotal }
        }, outputWidth: shape.last ?? 1)
        return Tensor(shape: shape, scalars: out)
    }

    /// log Σⱼ exp(zⱼ) along the last axis, which is dropped.
    public func logSumExp() -> Tensor {
        let out = forEachRow({ row, o in o[0] = Tensor.logSumExp(row) }, outputWidth: 1)
        return Tensor(shape: Array(shape.dropLast()), scalars: out)
    }
}
