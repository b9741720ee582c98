/// Matrix multiplication of tensors, batched over leading axes.
///
///     (A·B)ᵢⱼ = Σₚ Aᵢₚ · Bₚⱼ        A: [m, k],  B: [k, n],  A·B: [m, n]
///
/// Leading axes are batch axes:
/// - `[…, m, k] · [k, n]` multiplies every matrix of the batch by the same B. It runs as one big
///   [(…·m), k] · [k, n] product, which is how a Linear layer applies to a batch of sequences.
/// - `[…, m, k] · […, k, n]` with equal batch axes multiplies matrix by matrix, as attention's
///   Q·Kᵀ does for every sequence (and head) of the batch.
extension Tensor {
    /// A·B over the last two axes; see the type's overview for the batch rules.
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank >= 2 && other.rank >= 2,
                     "matmul: both operands need at least 2 axes, got shapes \(shape) and \(other.shape)")
        let m = shape[rank - 2], k = shape[rank - 1]
        let k2 = other.shape[other.rank - 2], n = other.shape[other.rank - 1]
        precondition(k == k2,
                     "matmul: shapes \(shape) and \(other.shape) do not match: \(k) columns on the left, \(k2) rows on the right")
        if other.rank == 2 {
            let rows = shape.dropLast().reduce(1, *)
            let out = Tensor.multiply(scalars, other.scalars, m: rows, k: k, n: n)
            return Tensor(shape: Array(shape.dropLast()) + [n], scalars: out)
        }
        precondition(Array(shape.dropLast(2)) == Array(other.shape.dropLast(2)),
                     "matmul: batch axes of shapes \(shape) and \(other.shape) differ; they must be equal, or the right operand must be a matrix")
        let batch = shape.dropLast(2).reduce(1, *)
        var out = [Float](repeating: 0, count: batch * m * n)
        scalars.withUnsafeBufferPointer { pa in
            other.scalars.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    for b in 0..<batch {
                        MatmulKernel.fastMatmul(
                            UnsafeBufferPointer(rebasing: pa[(b * m * k)..<((b + 1) * m * k)]),
                            UnsafeBufferPointer(rebasing: pb[(b * k * n)..<((b + 1) * k * n)]),
                            UnsafeMutableBufferPointer(rebasing: pc[(b * m * n)..<((b + 1) * m * n)]),
                            m: m, k: k, n: n)
                    }
                }
            }
        }
        return Tensor(shape: Array(shape.dropLast(2)) + [m, n], scalars: out)
    }

    static func multiply(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    MatmulKernel.fastMatmul(pa, pb, pc, m: m, k: k, n: n)
                }
            }
        }
        return out
    }
}
