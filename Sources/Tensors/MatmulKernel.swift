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
/// 2. Packing. When a block of B serves many rows of A, it is copied into strips as wide as a
///    tile, each contiguous, so the tile kernel reads memory strictly in order; small products
///    read A and B where they are, since copying them would cost as much as multiplying. Tiles
///    at the edges of C use zero-padded copies.
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
            if m < variant.tile.rows || m &* k &* n <= smallProduct {
                computeByRows(rows: rows, columns: columns)
            } else {
                computeTiled(rows: rows, columns: columns)
            }
        }

        /// Products of at most this many multiply-adds go row by row: attention's per-head
        /// products (9 × 8 × 9, say) would spend longer setting up tiles than multiplying.
        var smallProduct: Int { 8192 }

        /// Row by row, for fewer rows than a tile (a batch of one, say) or a small product: each
        /// row of C straight from A and B by the row kernel, with no packing, except that a B
        /// stored transposed is first copied the right way round.
        func computeByRows(rows: Range<Int>, columns: Range<Int>) {
            guard bColumn != 1 else {
                byRows(rows: rows, columns: columns, b: b + columns.lowerBound, bStride: bDepth)
                return
            }
            withUnsafeTemporaryAllocation(of: Float.self, capacity: k &* columns.count) { copy in
                let to = copy.baseAddress!
                for j in 0..<columns.count {
                    let column = b + (columns.lowerBound &+ j) &* bColumn
                    for p in 0..<k { to[p &* columns.count &+ j] = column[p &* bDepth] }
                }
                byRows(rows: rows, columns: columns, b: UnsafePointer(to), bStride: columns.count)
            }
        }

        /// C[rows, columns] += A[rows, :]·B, with element (p, j) of B's columns at b[p·bStride + j].
        func byRows(rows: Range<Int>, columns: Range<Int>, b: UnsafePointer<Float>, bStride: Int) {
            var p0 = 0
            while p0 < k {
                let depth = Swift.min(depthBlock, k &- p0)
                for i in rows {
                    MatmulKernel.row(variant, a + (i &* aRow &+ p0 &* aDepth), aStride: aDepth, b + p0 &* bStride,
                                     bStride: bStride, c + (i &* n &+ columns.lowerBound), depth: depth, width: columns.count)
                }
                p0 &+= depth
            }
        }

        /// The blocked product: for each block of depths and columns, one tile kernel call per
        /// tile of C.
        ///
        /// The AVX kernels read A and B where they are, in any layout; copying ("packing") only
        /// pays when a block of B is used by many rows of A (m ≥ 64: it is then read from
        /// contiguous memory, which the caches and the TLB prefer), or when B is stored transposed
        /// (its columns are then rows of memory, too far apart). The portable kernel always packs
        /// A, as splats. Tiles at the right or bottom edge of C use a zero-padded copy of their
        /// part of B or A and are computed whole into a scratch tile, of which only the part inside
        /// C is added. None of these choices changes any arithmetic.
        func computeTiled(rows: Range<Int>, columns: Range<Int>) {
            let (tileRows, tileColumns) = variant.tile
            let blockDepth = Swift.min(depthBlock, k)
            let blockWidth = Swift.min(columnBlock, (columns.count &+ tileColumns &- 1) / tileColumns &* tileColumns)
            let packB = bColumn != 1 || m >= 64
            let packA = variant == .portable
            // The portable kernel stores each number of A four times over (see `portableTile`).
            let aCopies = variant == .portable ? 4 : 1
            // Scratch space for a panel of B, a panel of A and an edge tile: on the stack where it
            // fits, else on the heap.
            let sizeB = packB ? blockDepth &* blockWidth : blockDepth &* tileColumns
            let sizeA = blockDepth &* tileRows &* aCopies
            withUnsafeTemporaryAllocation(of: Float.self, capacity: sizeB &+ sizeA &+ tileRows &* tileColumns) { scratch in
                let panelB = scratch.baseAddress!, panelA = panelB + sizeB, edge = panelA + sizeA
                var p0 = 0
                while p0 < k {
                    let depth = Swift.min(depthBlock, k &- p0)
                    var jb = columns.lowerBound
                    while jb < columns.upperBound {
                        let width = Swift.min(columnBlock, columns.upperBound &- jb)
                        let strips = (width &+ tileColumns &- 1) / tileColumns
                        // Strip s of B: element (p, j) at strip(s).pointer[p·stride + j].
                        func strip(_ s: Int) -> (pointer: UnsafePointer<Float>, stride: Int) {
                            let j0 = jb &+ s &* tileColumns
                            if packB { return (UnsafePointer(panelB + s &* depth &* tileColumns), tileColumns) }
                            if j0 &+ tileColumns <= jb &+ width { return (b + (p0 &* bDepth &+ j0), bDepth) }
                            return (UnsafePointer(panelB), tileColumns)
                        }
                        for s in 0..<strips where packB || s == strips &- 1 {
                            let j0 = jb &+ s &* tileColumns
                            let end = Swift.min(j0 &+ tileColumns, jb &+ width)
                            if packB || end &- j0 < tileColumns {
                                packStrip(into: packB ? panelB + s &* depth &* tileColumns : panelB,
                                          depth: p0..<(p0 &+ depth), columns: j0..<end, width: tileColumns)
                            }
                        }
                        var i0 = rows.lowerBound
                        while i0 < rows.upperBound {
                            let height = Swift.min(tileRows, rows.upperBound &- i0)
                            // Panel of A: element (r, p) at pointer[r·rowStride + p·depthStride].
                            var panel = (pointer: a + (i0 &* aRow &+ p0 &* aDepth), rowStride: aRow, depthStride: aDepth)
                            if packA || height < tileRows {
                                packPanel(into: panelA, rows: i0..<(i0 &+ height), depth: p0..<(p0 &+ depth),
                                          height: tileRows, copies: aCopies)
                                panel = (UnsafePointer(panelA), aCopies, tileRows &* aCopies)
                            }
                            for s in 0..<strips {
                                let j0 = jb &+ s &* tileColumns
                                let w = Swift.min(tileColumns, jb &+ width &- j0)
                                let (pointer, stride) = strip(s)
                                if height == tileRows && w == tileColumns {
                                    MatmulKernel.tile(variant, panel.pointer, aRow: panel.rowStride, aDepth: panel.depthStride,
                                                      pointer, bDepth: stride, c + (i0 &* n &+ j0), cRow: n, depth: depth)
                                } else {
                                    edge.initialize(repeating: 0, count: tileRows &* tileColumns)
                                    MatmulKernel.tile(variant, panel.pointer, aRow: panel.rowStride, aDepth: panel.depthStride,
                                                      pointer, bDepth: stride, edge, cRow: tileColumns, depth: depth)
                                    for r in 0..<height {
                                        let row = c + ((i0 &+ r) &* n &+ j0), part = edge + r &* tileColumns
                                        for j in 0..<w { row[j] += part[j] }
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
        }

        /// B[depth, columns] into `strip`, element (p, j) at strip[p·width + j], zero past the
        /// last column.
        func packStrip(into strip: UnsafeMutablePointer<Float>, depth: Range<Int>, columns: Range<Int>, width: Int) {
            let source = b + (depth.lowerBound &* bDepth &+ columns.lowerBound &* bColumn)
            let count = columns.count
            if count < width { strip.initialize(repeating: 0, count: depth.count &* width) }
            if bColumn == 1 {
                for p in 0..<depth.count {
                    let from = source + p &* bDepth, to = strip + p &* width
                    for j in 0..<count { to[j] = from[j] }
                }
            } else {
                // B is stored transposed: each column of the block is a row of memory.
                for j in 0..<count {
                    let column = source + j &* bColumn
                    for p in 0..<depth.count { strip[p &* width &+ j] = column[p &* bDepth] }
                }
            }
        }

        /// A[rows, depth] into `panel`, element (r, p) at panel[(p·height + r)·copies + e] for
        /// e < copies (1, or 4 for the portable kernel), zero past the last row.
        func packPanel(into panel: UnsafeMutablePointer<Float>, rows: Range<Int>, depth: Range<Int>, height: Int, copies: Int) {
            let source = a + (rows.lowerBound &* aRow &+ depth.lowerBound &* aDepth)
            if rows.count < height { panel.initialize(repeating: 0, count: depth.count &* height &* copies) }
            for r in 0..<rows.count {
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
            }
        }
    }

    /// The tile kernel of `variant`: a tile of C (rows `cRow` apart) += the rows of A at `a`
    /// (element (r, p) at a[r·aRow + p·aDepth]; for the portable kernel, a packed panel of splats)
    /// times the columns of B at `b` (element (p, j) at b[p·bDepth + j]), over `depth` values of
    /// p. The only caller of the kernel modules' tile functions, reached only for a variant
    /// `fastMatmul` has checked.
    @inline(__always)
    static func tile(_ variant: Variant, _ a: UnsafePointer<Float>, aRow: Int, aDepth: Int,
                     _ b: UnsafePointer<Float>, bDepth: Int, _ c: UnsafeMutablePointer<Float>, cRow: Int, depth: Int) {
        switch variant {
        case .portable:
            portableTile(a, b, bDepth: bDepth, c, cRow: cRow, depth: depth)
        case .avx2:
            #if canImport(KernelsAVX2)
            matmulTileAVX2(a, aRow: aRow, aDepth: aDepth, b, bDepth: bDepth, c, cRow: cRow, depth: depth)
            #else
            fatalError("fastMatmul: no AVX2 kernel in this build")
            #endif
        case .avx512:
            #if canImport(KernelsAVX512)
            matmulTileAVX512(a, aRow: aRow, aDepth: aDepth, b, bDepth: bDepth, c, cRow: cRow, depth: depth)
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
