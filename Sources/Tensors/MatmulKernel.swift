/// The matrix-multiplication kernels: the one place where speed is bought with care.
///
/// Both compute C = A·B for row-major A (m×k), B (k×n) and C (m×n):
///
///     Cᵢⱼ = Σₚ Aᵢₚ · Bₚⱼ
///
/// ``referenceMatmul`` is the definition written as three loops. ``fastMatmul`` gives the same
/// numbers (up to the order of Float additions) about a hundred times faster in a release build,
/// with three ideas:
///
/// 1. Register blocking. C is computed in tiles of 4 rows × 8 columns. The 32 running sums live
///    in four `SIMD8<Float>` accumulators, so each number of A and B loaded from memory is used
///    4 or 8 times before it is dropped.
/// 2. Packing. The 8 columns of B a tile needs are copied into a contiguous strip first, so the
///    inner loop reads memory strictly in order.
/// 3. Cache blocking. The strip covers `depthBlock` values of p at a time (a 256 × 8 strip is
///    8 KB and stays in the L1 cache while every row tile of A streams past it).
///
/// All index arithmetic uses wrapping operators (`&+`, `&*`): overflow checks would stop the
/// compiler from vectorising. The tests check that both kernels agree.
public enum MatmulKernel {
    /// Cᵢⱼ = Σₚ Aᵢₚ · Bₚⱼ, three plain loops. The definition, kept for testing the fast kernel.
    public static func referenceMatmul(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
                                       _ c: UnsafeMutableBufferPointer<Float>, m: Int, k: Int, n: Int) {
        for i in 0..<m {
            for j in 0..<n {
                var total: Float = 0
                for p in 0..<k { total += a[i * k + p] * b[p * n + j] }
                c[i * n + j] = total
            }
        }
    }

    /// How many rows of C a register tile covers.
    static let rowTile = 4
    /// How many columns of C a register tile covers (one `SIMD8`).
    static let columnTile = 8
    /// How many values of p a packed strip of B covers.
    static let depthBlock = 256

    /// C = A·B (overwrites C), register- and cache-blocked. Same arguments as ``referenceMatmul``.
    public static func fastMatmul(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
                                  _ c: UnsafeMutableBufferPointer<Float>, m: Int, k: Int, n: Int) {
        guard let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else { return }
        for i in 0..<(m &* n) { pc[i] = 0 }
        guard k > 0 else { return }
        let strip = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: depthBlock)
        defer { strip.deallocate() }
        var p0 = 0
        while p0 < k {
            let depth = Swift.min(depthBlock, k &- p0)
            var j0 = 0
            while j0 < n {
                let width = Swift.min(columnTile, n &- j0)
                pack(pb, into: strip, p0: p0, depth: depth, j0: j0, width: width, n: n)
                var i0 = 0
                while i0 &+ rowTile <= m {
                    tile4(pa, strip, pc, i0: i0, j0: j0, p0: p0, depth: depth, width: width, k: k, n: n)
                    i0 &+= rowTile
                }
                while i0 < m {
                    tile1(pa, strip, pc, i: i0, j0: j0, p0: p0, depth: depth, width: width, k: k, n: n)
                    i0 &+= 1
                }
                j0 &+= columnTile
            }
            p0 &+= depth
        }
    }

    /// Copies B[p0 ..< p0+depth, j0 ..< j0+width] into `strip`, one SIMD8 per row, zero-padded.
    @inline(__always)
    static func pack(_ b: UnsafePointer<Float>, into strip: UnsafeMutablePointer<SIMD8<Float>>,
                     p0: Int, depth: Int, j0: Int, width: Int, n: Int) {
        for p in 0..<depth {
            let row = b + ((p0 &+ p) &* n &+ j0)
            if width == columnTile {
                strip[p] = UnsafeRawPointer(row).loadUnaligned(as: SIMD8<Float>.self)
            } else {
                var v = SIMD8<Float>()
                for j in 0..<width { v[j] = row[j] }
                strip[p] = v
            }
        }
    }

    /// Adds A[i0 ..< i0+4, p0 ..< p0+depth] · strip into C[i0 ..< i0+4, j0 ..< j0+width].
    @inline(__always)
    static func tile4(_ a: UnsafePointer<Float>, _ strip: UnsafeMutablePointer<SIMD8<Float>>,
                      _ c: UnsafeMutablePointer<Float>, i0: Int, j0: Int, p0: Int, depth: Int,
                      width: Int, k: Int, n: Int) {
        let a0 = a + (i0 &* k &+ p0), a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
        var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>()
        for p in 0..<depth {
            let bp = strip[p]
            c0 = c0 + a0[p] * bp
            c1 = c1 + a1[p] * bp
            c2 = c2 + a2[p] * bp
            c3 = c3 + a3[p] * bp
        }
        store(c0, c + (i0 &* n &+ j0), width)
        store(c1, c + ((i0 &+ 1) &* n &+ j0), width)
        store(c2, c + ((i0 &+ 2) &* n &+ j0), width)
        store(c3, c + ((i0 &+ 3) &* n &+ j0), width)
    }

    /// The one-row version of ``tile4``, for the rows left over when m is not a multiple of 4.
    @inline(__always)
    static func tile1(_ a: UnsafePointer<Float>, _ strip: UnsafeMutablePointer<SIMD8<Float>>,
                      _ c: UnsafeMutablePointer<Float>, i: Int, j0: Int, p0: Int, depth: Int,
                      width: Int, k: Int, n: Int) {
        let a0 = a + (i &* k &+ p0)
        var c0 = SIMD8<Float>()
        for p in 0..<depth { c0 = c0 + a0[p] * strip[p] }
        store(c0, c + (i &* n &+ j0), width)
    }

    /// Adds the first `width` lanes of `v` into the row of C at `destination`.
    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ destination: UnsafeMutablePointer<Float>, _ width: Int) {
        if width == 8 {
            let old = UnsafeRawPointer(destination).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(destination).storeBytes(of: old + v, as: SIMD8<Float>.self)
        } else {
            for j in 0..<width { destination[j] += v[j] }
        }
    }
}
