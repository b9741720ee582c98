/// The matrix-multiplication kernels: the one place where speed is bought with care.
///
/// Both compute C = A·B for row-major A (m×k), B (k×n) and C (m×n):
///
///     Cᵢⱼ = Σₚ Aᵢₚ · Bₚⱼ
///
/// ``referenceMatmul`` is the definition written as three loops. ``fastMatmul`` gives the same
/// numbers (up to the order and rounding of Float additions) tens of times faster in a release
/// build, with four ideas:
///
/// 1. Register blocking. C is computed in tiles (4 × 8 in the portable kernel, 6 × 16 with
///    AVX2, 8 × 32 with AVX-512) whose sums stay in vector registers, so each number of A and B
///    loaded from memory is used many times before it is dropped.
/// 2. Packing. B is copied into strips as wide as a tile, each contiguous, and A into panels as
///    tall as a tile, so the tile kernel reads memory strictly in order. Edges are padded with
///    zeros.
/// 3. Cache blocking. Packing covers `depthBlock` = 256 values of p and `columnBlock` = 256
///    columns at a time, so a panel of B (at most 256 KB) stays in the L2 cache and a strip of
///    it and a panel of A stay in the L1 cache while they are used.
/// 4. The widest registers the CPU has: the tile kernel is compiled once per instruction-set
///    level and chosen at run time (KernelDispatch.swift), and large products are split across
///    cores (Parallelism.swift).
///
/// Every element of C is computed the same way whichever path computes it: for each block of
/// 256 values of p, a sum that starts at 0 and adds aᵢₚ·bₚⱼ for p in order (fused on AVX2,
/// AVX-512 and arm64, a multiply then an add on the x86-64 baseline), then added into Cᵢⱼ. So a
/// product gives the same bits on one thread or many, and a row of A gives the same row of C
/// whatever other rows are in the batch. Different variants differ in the last bits (fused or
/// not), which the tests allow for.
///
/// All index arithmetic uses wrapping operators (`&+`, `&*`): overflow checks would stop the
/// compiler from vectorising. The tests check every variant the machine can run against
/// ``referenceMatmul``.

import ScalarAutodiff
#if canImport(KernelsAVX2)
import KernelsAVX2
#endif
#if canImport(KernelsAVX512)
import KernelsAVX512
#endif

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

    /// How many values of p a packed panel covers.
    static let depthBlock = 256
    /// How many columns of B a packed panel covers (a multiple of every tile width).
    static let columnBlock = 256

    /// C = A·B (overwrites C), register- and cache-blocked. Same arguments as `referenceMatmul`.
    ///
    /// With `transposeA`, `a` holds Aᵀ (k×m, row-major) and the product is still A·B; likewise
    /// `transposeB` for `b` holding Bᵀ (n×k). The backward pass of matmul needs g·Bᵀ and Aᵀ·g,
    /// and reading the transposes in place saves copying them. Only the packing steps read A and
    /// B, so the flags change nothing else.
    ///
    /// `variant` chooses the compiled kernel (by default the best this CPU supports, or
    /// `BOOK_KERNEL`'s); it must be one of `Variant.supportedVariants`. `threads` caps how many
    /// threads a large product uses (by default ``Parallelism/threads``); the result is the same
    /// for every value.
    public static func fastMatmul(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
                                  _ c: UnsafeMutableBufferPointer<Float>, m: Int, k: Int, n: Int,
                                  transposeA: Bool = false, transposeB: Bool = false,
                                  variant: Variant = .selected, threads: Int = Parallelism.threads) {
        require(m >= 0 && k >= 0 && n >= 0 && a.count >= m * k && b.count >= k * n && c.count >= m * n,
                     "fastMatmul: buffers of \(a.count), \(b.count) and \(c.count) elements are too small for m = \(m), k = \(k), n = \(n)")
        // The guarantee that no kernel runs on a CPU without its instructions (KernelDispatch.swift).
        require(variant.isSupported,
                "fastMatmul: the \(variant) kernel needs CPU features this computer lacks: \(variant.missingFeatures.joined(separator: " "))")
        guard let pc = c.baseAddress else { return }
        for i in 0..<(m &* n) { pc[i] = 0 }
        guard m > 0 && k > 0 && n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return }
        // Aᵢₚ = pa[i·aRow + p·aDepth] and Bₚⱼ = pb[p·bDepth + j·bColumn].
        let (aRow, aDepth) = transposeA ? (1, m) : (k, 1)
        let (bDepth, bColumn) = transposeB ? (1, k) : (n, 1)
        let product = Product(a: pa, b: pb, c: pc, m: m, k: k, n: n, aRow: aRow, aDepth: aDepth,
                              bDepth: bDepth, bColumn: bColumn, variant: variant)
        let tile = variant.tile
        var parts = Parallelism.parts(work: m &* k &* n, threads: threads)
        // Whole tiles of rows to each thread if there are enough of them, else whole strips of
        // columns, else one thread.
        if parts > 1 && m >= parts &* tile.rows {
            let pieces = Parallelism.split(0..<m, parts: parts, alignment: tile.rows)
            Parallelism.run(parts: pieces.count) { product.compute(rows: pieces[$0], columns: 0..<n) }
            return
        }
        if parts > 1 && n >= parts &* tile.columns {
            let pieces = Parallelism.split(0..<n, parts: parts, alignment: tile.columns)
            Parallelism.run(parts: pieces.count) { product.compute(rows: 0..<m, columns: pieces[$0]) }
            return
        }
        parts = 1
        product.compute(rows: 0..<m, columns: 0..<n)
    }

    /// One product's operands and layout; `compute` fills any block of C.
    struct Product {
        let a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
        let m: Int, k: Int, n: Int
        let aRow: Int, aDepth: Int, bDepth: Int, bColumn: Int
        let variant: Variant

        /// C[rows, columns] += A[rows, :]·B[:, columns].
        func compute(rows: Range<Int>, columns: Range<Int>) {
            if m < variant.tile.rows && bColumn == 1 {
                computeUnpacked(rows: rows, columns: columns)
            } else {
                computePacked(rows: rows, columns: columns)
            }
        }

        /// Fewer rows than a tile (a batch of one, say) and B stored row by row: each row of C
        /// straight from A and B, since packing B would cost as much as the product.
        func computeUnpacked(rows: Range<Int>, columns: Range<Int>) {
            var p0 = 0
            while p0 < k {
                let depth = Swift.min(depthBlock, k &- p0)
                for i in rows {
                    MatmulKernel.row(variant, a + (i &* aRow &+ p0 &* aDepth), aStride: aDepth,
                                     b + (p0 &* bDepth &+ columns.lowerBound), bStride: bDepth,
                                     c + (i &* n &+ columns.lowerBound), depth: depth, width: columns.count)
                }
                p0 &+= depth
            }
        }

        /// The blocked product: panels of B, panels of A, one tile kernel call per tile of C.
        func computePacked(rows: Range<Int>, columns: Range<Int>) {
            let (tileRows, tileColumns) = variant.tile
            let blockDepth = Swift.min(depthBlock, k)
            let blockWidth = Swift.min(columnBlock, (columns.count &+ tileColumns &- 1) / tileColumns &* tileColumns)
            // The portable kernel stores each number of A four times over (see `portableTile`).
            let aCopies = variant == .portable ? 4 : 1
            let panelB = UnsafeMutablePointer<Float>.allocate(capacity: blockDepth &* blockWidth)
            let panelA = UnsafeMutablePointer<Float>.allocate(capacity: blockDepth &* tileRows &* aCopies)
            let edge = UnsafeMutablePointer<Float>.allocate(capacity: tileRows &* tileColumns)
            defer { panelB.deallocate(); panelA.deallocate(); edge.deallocate() }
            var p0 = 0
            while p0 < k {
                let depth = Swift.min(depthBlock, k &- p0)
                var jb = columns.lowerBound
                while jb < columns.upperBound {
                    let width = Swift.min(columnBlock, columns.upperBound &- jb)
                    let strips = (width &+ tileColumns &- 1) / tileColumns
                    for s in 0..<strips {
                        let j0 = jb &+ s &* tileColumns
                        packB(into: panelB + s &* depth &* tileColumns, depth: p0..<(p0 &+ depth),
                              columns: j0..<Swift.min(j0 &+ tileColumns, jb &+ width), width: tileColumns)
                    }
                    var i0 = rows.lowerBound
                    while i0 < rows.upperBound {
                        let height = Swift.min(tileRows, rows.upperBound &- i0)
                        packA(into: panelA, rows: i0..<(i0 &+ height), depth: p0..<(p0 &+ depth),
                              height: tileRows, copies: aCopies)
                        for s in 0..<strips {
                            let j0 = jb &+ s &* tileColumns
                            let strip = panelB + s &* depth &* tileColumns
                            let w = Swift.min(tileColumns, jb &+ width &- j0)
                            if height == tileRows && w == tileColumns {
                                MatmulKernel.tile(variant, panelA, strip, c + (i0 &* n &+ j0), rowStride: n, depth: depth)
                            } else {
                                // A tile at the edge of C: computed whole into a scratch tile, of
                                // which only the part inside C is added.
                                edge.initialize(repeating: 0, count: tileRows &* tileColumns)
                                MatmulKernel.tile(variant, panelA, strip, edge, rowStride: tileColumns, depth: depth)
                                for r in 0..<height {
                                    let row = c + ((i0 &+ r) &* n &+ j0), scratch = edge + r &* tileColumns
                                    for j in 0..<w { row[j] += scratch[j] }
                                }
                            }
                        }
                        i0 &+= height
                    }
                    jb &+= width
                }
                p0 &+= depth
            }
        }

        /// B[depth, columns] into `strip`, element (p, j) at strip[p·width + j], zero past the
        /// last column.
        func packB(into strip: UnsafeMutablePointer<Float>, depth: Range<Int>, columns: Range<Int>, width: Int) {
            let source = b + (depth.lowerBound &* bDepth &+ columns.lowerBound &* bColumn)
            let count = columns.count
            if bColumn == 1 {
                for p in 0..<depth.count {
                    let from = source + p &* bDepth, to = strip + p &* width
                    for j in 0..<count { to[j] = from[j] }
                    for j in count..<width { to[j] = 0 }
                }
            } else {
                // B is stored transposed: each column of the block is a row of memory.
                for j in 0..<width {
                    if j < count {
                        let column = source + j &* bColumn
                        for p in 0..<depth.count { strip[p &* width &+ j] = column[p &* bDepth] }
                    } else {
                        for p in 0..<depth.count { strip[p &* width &+ j] = 0 }
                    }
                }
            }
        }

        /// A[rows, depth] into `panel`, element (r, p) at panel[(p·height + r)·copies + e] for
        /// e < copies (1, or 4 for the portable kernel), zero past the last row.
        func packA(into panel: UnsafeMutablePointer<Float>, rows: Range<Int>, depth: Range<Int>, height: Int, copies: Int) {
            let source = a + (rows.lowerBound &* aRow &+ depth.lowerBound &* aDepth)
            for r in 0..<height {
                if r < rows.count {
                    let row = source + r &* aRow
                    if copies == 1 {
                        for p in 0..<depth.count { panel[p &* height &+ r] = row[p &* aDepth] }
                    } else {
                        // Four copies (the portable kernel's splats), one vector store each.
                        let splats = UnsafeMutableRawPointer(panel)
                        for p in 0..<depth.count {
                            splats.storeBytes(of: SIMD4(repeating: row[p &* aDepth]),
                                              toByteOffset: (p &* height &+ r) &* 16, as: SIMD4<Float>.self)
                        }
                    }
                } else {
                    for p in 0..<depth.count {
                        let at = panel + (p &* height &+ r) &* copies
                        for e in 0..<copies { at[e] = 0 }
                    }
                }
            }
        }
    }

    /// The tile kernel of `variant`: a tile of C (rows `rowStride` apart) += a packed panel of A
    /// times a packed strip of B, over `depth` values of p. The only caller of the kernel
    /// modules' tile functions, reached only for a variant `fastMatmul` has checked.
    @inline(__always)
    static func tile(_ variant: Variant, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                     _ c: UnsafeMutablePointer<Float>, rowStride: Int, depth: Int) {
        switch variant {
        case .portable:
            portableTile(a, b, c, rowStride: rowStride, depth: depth)
        case .avx2:
            #if canImport(KernelsAVX2)
            matmulTileAVX2(a, b, c, rowStride: rowStride, depth: depth)
            #else
            fatalError("fastMatmul: no AVX2 kernel in this build")
            #endif
        case .avx512:
            #if canImport(KernelsAVX512)
            matmulTileAVX512(a, b, c, rowStride: rowStride, depth: depth)
            #else
            fatalError("fastMatmul: no AVX-512 kernel in this build")
            #endif
        }
    }

    /// The row kernel of `variant`: c[j] += Σₚ a[p·aStride] · b[p·bStride + j] for j < width.
    /// The only caller of the kernel modules' row functions.
    @inline(__always)
    static func row(_ variant: Variant, _ a: UnsafePointer<Float>, aStride: Int, _ b: UnsafePointer<Float>, bStride: Int,
                    _ c: UnsafeMutablePointer<Float>, depth: Int, width: Int) {
        switch variant {
        case .portable:
            portableRow(a, aStride: aStride, b, bStride: bStride, c, depth: depth, width: width)
        case .avx2:
            #if canImport(KernelsAVX2)
            matmulRowAVX2(a, aStride: aStride, b, bStride: bStride, c, depth: depth, width: width)
            #else
            fatalError("fastMatmul: no AVX2 kernel in this build")
            #endif
        case .avx512:
            #if canImport(KernelsAVX512)
            matmulRowAVX512(a, aStride: aStride, b, bStride: bStride, c, depth: depth, width: width)
            #else
            fatalError("fastMatmul: no AVX-512 kernel in this build")
            #endif
        }
    }
}
