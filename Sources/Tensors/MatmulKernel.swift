/// The matrix-multiplication kernels: the one place where speed is bought with care.
///
/// Both compute C = A·B for row-major A (m×k), B (k×n) and C (m×n):
///
///     Cᵢⱼ = Σₚ Aᵢₚ · Bₚⱼ
///
/// ``referenceMatmul`` is the definition written as three loops. ``fastMatmul`` gives the same
/// numbers (up to the order of Float additions) more than ten times faster in a release build,
/// with three ideas:
///
/// 1. Register blocking. C is computed in tiles of 4 rows × 8 columns. The 32 running sums live
///    in eight `SIMD4<Float>` registers, so each number of A and B loaded from memory is used
///    4 or 8 times before it is dropped.
/// 2. Packing. B is copied into strips of 8 columns, each contiguous, so the inner loop reads
///    memory strictly in order; and each number of the 4 rows of A is copied into a SIMD4 of four
///    equal lanes ("splat"), so the inner loop multiplies without shuffling lanes.
/// 3. Cache blocking. Packing covers `depthBlock` = 256 values of p and `columnBlock` = 256
///    columns at a time, so the panel of B (256 KB) stays in the L2 cache, and a strip of it
///    (8 KB) and the splats of A (16 KB) stay in the L1 cache while they are used. The sizes
///    were chosen by measuring a few on the benchmark machine.
///
/// All index arithmetic uses wrapping operators (`&+`, `&*`): overflow checks would stop the
/// compiler from vectorising. The tests check that both kernels agree.

import ScalarAutodiff

public enum MatmulKernel {
    /// Cᵢⱼ = Σₚ Aᵢₚ · Bₚⱼ, three plain loops. The definition, kept for testing the fast kernel.
    public static func referenceMatmul(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
                                       _ c: UnsafeMutableBufferPointer<Float>, m: Int, k: Int, n: Int) {
        require(a.count >= m * k && b.count >= k * n && c.count >= m * n,
                     "referenceMatmul: buffers of \(a.count), \(b.count) and \(c.count) elements are too small for m = \(m), k = \(k), n = \(n)")
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
    /// How many values of p a packed panel of B covers.
    static let depthBlock = 256
    /// How many columns of B a packed panel covers (a 256 × 256 panel is 256 KB, for the L2 cache).
    static let columnBlock = 256

    /// C = A·B (overwrites C), register- and cache-blocked. Same arguments as `referenceMatmul`.
    ///
    /// With `transposeA`, `a` holds Aᵀ (k×m, row-major) and the product is still A·B; likewise
    /// `transposeB` for `b` holding Bᵀ (n×k). The backward pass of matmul needs g·Bᵀ and Aᵀ·g,
    /// and reading the transposes in place saves copying them. Only the packing steps read A and
    /// B, so the flags change nothing else.
    public static func fastMatmul(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
                                  _ c: UnsafeMutableBufferPointer<Float>, m: Int, k: Int, n: Int,
                                  transposeA: Bool = false, transposeB: Bool = false) {
        require(m >= 0 && k >= 0 && n >= 0 && a.count >= m * k && b.count >= k * n && c.count >= m * n,
                     "fastMatmul: buffers of \(a.count), \(b.count) and \(c.count) elements are too small for m = \(m), k = \(k), n = \(n)")
        guard let pc = c.baseAddress else { return }
        for i in 0..<(m &* n) { pc[i] = 0 }
        guard k > 0 && n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return }
        // Aᵢₚ = pa[i·aRow + p·aDepth] and Bₚⱼ = pb[p·bDepth + j·bColumn].
        let (aRow, aDepth) = transposeA ? (1, m) : (k, 1)
        let (bDepth, bColumn) = transposeB ? (1, k) : (n, 1)
        let panelStrips = columnBlock / columnTile
        let panel = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: depthBlock &* panelStrips)
        let splats = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: depthBlock &* rowTile)
        defer { panel.deallocate(); splats.deallocate() }
        var p0 = 0
        while p0 < k {
            let depth = Swift.min(depthBlock, k &- p0)
            var jb = 0
            while jb < n {
                let columns = Swift.min(columnBlock, n &- jb)
                let strips = (columns &+ columnTile &- 1) / columnTile
                // The panel of B for these depths and columns: strip s holds 8 columns, row by row.
                for s in 0..<strips {
                    let j0 = jb &+ s &* columnTile
                    pack(pb + (p0 &* bDepth &+ j0 &* bColumn), into: panel + s &* depth, depth: depth,
                         width: Swift.min(columnTile, n &- j0), depthStride: bDepth, columnStride: bColumn)
                }
                var i0 = 0
                while i0 &+ rowTile <= m {
                    // Each number of these 4 rows of A, repeated across a SIMD4, so the inner
                    // loop multiplies by it without a shuffle.
                    for p in 0..<depth {
                        for r in 0..<rowTile {
                            splats[p &* rowTile &+ r] = SIMD4(repeating: pa[(i0 &+ r) &* aRow &+ (p0 &+ p) &* aDepth])
                        }
                    }
                    for s in 0..<strips {
                        let j0 = jb &+ s &* columnTile
                        tile4(splats, panel + s &* depth, pc + (i0 &* n &+ j0), depth: depth,
                              width: Swift.min(columnTile, n &- j0), n: n)
                    }
                    i0 &+= rowTile
                }
                while i0 < m {
                    for s in 0..<strips {
                        let j0 = jb &+ s &* columnTile
                        tile1(pa + (i0 &* aRow &+ p0 &* aDepth), stride: aDepth, panel + s &* depth,
                              pc + (i0 &* n &+ j0), depth: depth, width: Swift.min(columnTile, n &- j0))
                    }
                    i0 &+= 1
                }
                jb &+= columns
            }
            p0 &+= depth
        }
    }

    /// Copies a depth × width block of B, starting at `b`, into `strip`: one SIMD8 per value of
    /// p, zero-padded past `width`. Bₚⱼ of the block is at b[p·depthStride + j·columnStride].
    @inline(__always)
    static func pack(_ b: UnsafePointer<Float>, into strip: UnsafeMutablePointer<SIMD8<Float>>,
                     depth: Int, width: Int, depthStride: Int, columnStride: Int) {
        if width == columnTile && columnStride == 1 {
            for p in 0..<depth {
                strip[p] = UnsafeRawPointer(b + p &* depthStride).loadUnaligned(as: SIMD8<Float>.self)
            }
        } else {
            // Column by column: each column of the block is read in order (for a transposed B it
            // is a row of memory) and written lane j of every SIMD8 of the strip.
            strip.withMemoryRebound(to: Float.self, capacity: depth &* columnTile) { lanes in
                for j in 0..<columnTile {
                    if j < width {
                        let column = b + j &* columnStride
                        for p in 0..<depth { lanes[p &* columnTile &+ j] = column[p &* depthStride] }
                    } else {
                        for p in 0..<depth { lanes[p &* columnTile &+ j] = 0 }
                    }
                }
            }
        }
    }

    /// Adds a 4 × depth block of A (as splats) times a depth × 8 strip of B into the 4 × 8 tile
    /// of C at `tile`. The 32 sums live in eight SIMD4 registers.
    @inline(__always)
    static func tile4(_ splats: UnsafeMutablePointer<SIMD4<Float>>, _ strip: UnsafeMutablePointer<SIMD8<Float>>,
                      _ tile: UnsafeMutablePointer<Float>, depth: Int, width: Int, n: Int) {
        var c0l = SIMD4<Float>(), c0h = SIMD4<Float>(), c1l = SIMD4<Float>(), c1h = SIMD4<Float>()
        var c2l = SIMD4<Float>(), c2h = SIMD4<Float>(), c3l = SIMD4<Float>(), c3h = SIMD4<Float>()
        var a = splats
        var p = 0
        // Two values of p per pass, which halves the loop's own bookkeeping.
        while p &+ 2 <= depth {
            let bp = strip[p], bq = strip[p &+ 1]
            let bl = bp.lowHalf, bh = bp.highHalf
            c0l = fma(c0l, a[0], bl); c0h = fma(c0h, a[0], bh)
            c1l = fma(c1l, a[1], bl); c1h = fma(c1h, a[1], bh)
            c2l = fma(c2l, a[2], bl); c2h = fma(c2h, a[2], bh)
            c3l = fma(c3l, a[3], bl); c3h = fma(c3h, a[3], bh)
            let ql = bq.lowHalf, qh = bq.highHalf
            c0l = fma(c0l, a[4], ql); c0h = fma(c0h, a[4], qh)
            c1l = fma(c1l, a[5], ql); c1h = fma(c1h, a[5], qh)
            c2l = fma(c2l, a[6], ql); c2h = fma(c2h, a[6], qh)
            c3l = fma(c3l, a[7], ql); c3h = fma(c3h, a[7], qh)
            a += 8
            p &+= 2
        }
        if p < depth {
            let bp = strip[p]
            let bl = bp.lowHalf, bh = bp.highHalf
            c0l = fma(c0l, a[0], bl); c0h = fma(c0h, a[0], bh)
            c1l = fma(c1l, a[1], bl); c1h = fma(c1h, a[1], bh)
            c2l = fma(c2l, a[2], bl); c2h = fma(c2h, a[2], bh)
            c3l = fma(c3l, a[3], bl); c3h = fma(c3h, a[3], bh)
        }
        store(SIMD8(lowHalf: c0l, highHalf: c0h), tile, width)
        store(SIMD8(lowHalf: c1l, highHalf: c1h), tile + n, width)
        store(SIMD8(lowHalf: c2l, highHalf: c2h), tile + 2 &* n, width)
        store(SIMD8(lowHalf: c3l, highHalf: c3h), tile + 3 &* n, width)
    }

    /// One row of A (at `row`, element p at row[p·stride]) times a strip of B, added into one
    /// row of C: for the rows left over when m is not a multiple of 4.
    @inline(__always)
    static func tile1(_ row: UnsafePointer<Float>, stride: Int, _ strip: UnsafeMutablePointer<SIMD8<Float>>,
                      _ tile: UnsafeMutablePointer<Float>, depth: Int, width: Int) {
        var c0 = SIMD8<Float>()
        for p in 0..<depth { c0 = c0 + row[p &* stride] * strip[p] }
        store(c0, tile, width)
    }

    /// c + a·b lane by lane. On arm64 (Apple silicon) every CPU has a fused multiply-add, so one
    /// instruction does both; the x86-64 baseline has none, and a fused multiply-add there would
    /// become a slow library call, so it is a multiply and an add.
    @inline(__always)
    static func fma(_ c: SIMD4<Float>, _ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
        #if arch(arm64)
        return c.addingProduct(a, b)
        #else
        return c + a * b
        #endif
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
