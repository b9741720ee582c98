/// Matrix multiplication of tensors, batched over leading axes.
///
///     (A·B)ᵢⱼ = Σₚ Aᵢₚ · Bₚⱼ        A: [m, k],  B: [k, n],  A·B: [m, n]
///
/// Leading axes are batch axes:
/// - `[…, m, k] · [k, n]` multiplies every matrix of the batch by the same B. It runs as one big
///   [(…·m), k] · [k, n] product, which is how a Linear layer applies to a batch of sequences.
/// - `[…, m, k] · […, k, n]` with equal batch axes multiplies matrix by matrix, as attention's
///   Q·Kᵀ does for every sequence (and head) of the batch. When each product is too small to
///   split across cores but the batch together is large enough, the products are shared out
///   among the threads instead (see Parallelism.swift).

import ScalarAutodiff

extension Tensor {
    /// A·B over the last two axes; see the type's overview for the batch rules.
    public func matmul(_ other: Tensor) -> Tensor {
        Tensor.product(self, other)
    }

    /// op(A)·op(B), where op transposes the last two axes when its flag is set. The backward pass
    /// of matmul uses it for g·Bᵀ and Aᵀ·g without copying the transposes.
    public static func product(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        require(a.rank >= 2 && b.rank >= 2,
                     "matmul: both operands need at least 2 axes, got shapes \(a.shape) and \(b.shape)")
        let ra = a.rank, rb = b.rank
        let (m, k) = transposeA ? (a.shape[ra - 1], a.shape[ra - 2]) : (a.shape[ra - 2], a.shape[ra - 1])
        let (k2, n) = transposeB ? (b.shape[rb - 1], b.shape[rb - 2]) : (b.shape[rb - 2], b.shape[rb - 1])
        require(k == k2,
                     "matmul: shapes \(a.shape) and \(b.shape) do not match: \(k) columns on the left, \(k2) rows on the right")
        let batchShape = Array(a.shape.dropLast(2))
        let shared = rb == 2
        require(shared || batchShape == Array(b.shape.dropLast(2)),
                     "matmul: batch axes of shapes \(a.shape) and \(b.shape) differ; they must be equal, or the right operand must be a matrix")
        let batch = batchShape.reduce(1, *)
        // A batch times one matrix, with A not transposed, is a single tall product.
        let (calls, rows) = shared && !transposeA ? (1, batch * m) : (batch, m)
        // Many small products (attention's, one per sequence and head) are shared out whole
        // among the threads; a large one splits itself inside `fastMatmul`.
        let threads = Parallelism.threads
        let parts = calls > 1 && rows * k * n < Parallelism.minimumWorkPerThread
            ? Parallelism.parts(work: calls * rows * k * n, threads: threads) : 1
        let out = makeScalars(batch * m * n) { pc in
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    let pieces = Parallelism.split(0..<calls, parts: parts, alignment: 1)
                    Parallelism.run(parts: pieces.count) { piece in
                        for call in pieces[piece] {
                            let bStart = shared ? 0 : call * k * n
                            MatmulKernel.fastMatmul(
                                UnsafeBufferPointer(rebasing: pa[(call * rows * k)..<((call + 1) * rows * k)]),
                                UnsafeBufferPointer(rebasing: pb[bStart..<(bStart + k * n)]),
                                UnsafeMutableBufferPointer(rebasing: pc[(call * rows * n)..<((call + 1) * rows * n)]),
                                m: rows, k: k, n: n, transposeA: transposeA, transposeB: transposeB,
                                threads: parts > 1 ? 1 : threads)
                        }
                    }
                }
            }
        }
        return Tensor(shape: batchShape + [m, n], scalars: out)
    }
}
