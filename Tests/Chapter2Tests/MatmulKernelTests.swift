import ScalarAutodiff
import Tensors
import Testing

/// The fast matmul kernel against the three-loop reference, on sizes that hit every edge: fewer
/// rows than a register tile, columns that do not fill a SIMD8, depths longer than one block,
/// more columns than one panel, and empty matrices.
@Suite("Chapter 2: fast matmul equals reference matmul")
struct Chapter2MatmulKernelTests {
    @Test("fastMatmul matches referenceMatmul", arguments: [
        (1, 1, 1), (3, 5, 7), (4, 8, 8), (5, 9, 17), (8, 300, 9), (13, 2, 31), (37, 64, 65), (64, 257, 33),
        (5, 7, 300), (6, 130, 270), (0, 3, 4), (3, 0, 4),
    ])
    func fastEqualsReference(_ size: (Int, Int, Int)) {
        let (m, k, n) = size
        var rng = SeededRandom(seed: UInt64(m * 1000 + k * 10 + n))
        let a = Tensor.randomNormal([m, k], rng: &rng), b = Tensor.randomNormal([k, n], rng: &rng)
        var fast = [Float](repeating: .nan, count: m * n), slow = [Float](repeating: .nan, count: m * n)
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                fast.withUnsafeMutableBufferPointer { MatmulKernel.fastMatmul(pa, pb, $0, m: m, k: k, n: n) }
                slow.withUnsafeMutableBufferPointer { MatmulKernel.referenceMatmul(pa, pb, $0, m: m, k: k, n: n) }
            }
        }
        // Sums of k products of N(0,1) numbers, added in a different order: allow k·ε relative.
        let tolerance = Float(k) * 1e-6 + 1e-5
        let worst = zip(fast, slow).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? 0
        #expect(worst <= tolerance, "\(m)×\(k)×\(n): fast and reference kernels differ by \(worst) (tolerance \(tolerance))")
        #expect(a.matmul(b).scalars == fast, "Tensor.matmul should use the fast kernel")
        // The same product with A and/or B stored transposed.
        let at = a.transposed(), bt = b.transposed()
        for (transposeA, transposeB) in [(true, false), (false, true), (true, true)] {
            var c = [Float](repeating: .nan, count: m * n)
            (transposeA ? at : a).scalars.withUnsafeBufferPointer { pa in
                (transposeB ? bt : b).scalars.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer {
                        MatmulKernel.fastMatmul(pa, pb, $0, m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB)
                    }
                }
            }
            let error = zip(c, slow).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? 0
            #expect(error <= tolerance,
                    "\(m)×\(k)×\(n) with transposeA = \(transposeA), transposeB = \(transposeB): differs from the reference by \(error)")
        }
    }
}
