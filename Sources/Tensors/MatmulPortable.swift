/// The portable matmul kernels: baseline instructions only, so they run on every CPU the
/// package builds for. On x86-64 that is SSE2 (four Floats per register, no fused multiply-add);
/// on arm64, NEON, which has a fused multiply-add. They are the fallback when the CPU has no
/// AVX2 (KernelDispatch.swift) and what `BOOK_KERNEL=portable` selects.

extension MatmulKernel {
    /// A 4 × 8 tile of C (rows `cRow` apart) += a packed panel of A times 8 columns of B
    /// (element (p, j) at b[p·bDepth + j]), over `depth` values of p.
    ///
    /// The 32 sums live in eight `SIMD4<Float>` registers. Each number of A was packed as four
    /// equal lanes (element (r, p) at a[16p + 4r ..< 16p + 4r + 4], a "splat"), so the inner loop
    /// multiplies by it without shuffling lanes.
    static func portableTile(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, bDepth: Int,
                             _ c: UnsafeMutablePointer<Float>, cRow: Int, depth: Int) {
        let splats = UnsafeRawPointer(a).assumingMemoryBound(to: SIMD4<Float>.self)
        let strip = UnsafeRawPointer(b), step = bDepth &* 4
        var c0l = SIMD4<Float>(), c0h = SIMD4<Float>(), c1l = SIMD4<Float>(), c1h = SIMD4<Float>()
        var c2l = SIMD4<Float>(), c2h = SIMD4<Float>(), c3l = SIMD4<Float>(), c3h = SIMD4<Float>()
        var s = splats
        var p = 0
        // Two values of p per pass, which halves the loop's own bookkeeping.
        while p &+ 2 <= depth {
            var bl = strip.loadUnaligned(fromByteOffset: p &* step, as: SIMD4<Float>.self)
            var bh = strip.loadUnaligned(fromByteOffset: p &* step &+ 16, as: SIMD4<Float>.self)
            c0l = fma(c0l, s[0], bl); c0h = fma(c0h, s[0], bh)
            c1l = fma(c1l, s[1], bl); c1h = fma(c1h, s[1], bh)
            c2l = fma(c2l, s[2], bl); c2h = fma(c2h, s[2], bh)
            c3l = fma(c3l, s[3], bl); c3h = fma(c3h, s[3], bh)
            bl = strip.loadUnaligned(fromByteOffset: (p &+ 1) &* step, as: SIMD4<Float>.self)
            bh = strip.loadUnaligned(fromByteOffset: (p &+ 1) &* step &+ 16, as: SIMD4<Float>.self)
            c0l = fma(c0l, s[4], bl); c0h = fma(c0h, s[4], bh)
            c1l = fma(c1l, s[5], bl); c1h = fma(c1h, s[5], bh)
            c2l = fma(c2l, s[6], bl); c2h = fma(c2h, s[6], bh)
            c3l = fma(c3l, s[7], bl); c3h = fma(c3h, s[7], bh)
            s += 8
            p &+= 2
        }
        if p < depth {
            let bl = strip.loadUnaligned(fromByteOffset: p &* step, as: SIMD4<Float>.self)
            let bh = strip.loadUnaligned(fromByteOffset: p &* step &+ 16, as: SIMD4<Float>.self)
            c0l = fma(c0l, s[0], bl); c0h = fma(c0h, s[0], bh)
            c1l = fma(c1l, s[1], bl); c1h = fma(c1h, s[1], bh)
            c2l = fma(c2l, s[2], bl); c2h = fma(c2h, s[2], bh)
            c3l = fma(c3l, s[3], bl); c3h = fma(c3h, s[3], bh)
        }
        add(c0l, c0h, to: c)
        add(c1l, c1h, to: c + cRow)
        add(c2l, c2h, to: c + 2 &* cRow)
        add(c3l, c3h, to: c + 3 &* cRow)
    }

    /// One row of C: c[j] += Σₚ a[p·aStride] · b[p·bStride + j] for j < width (B not packed).
    static func portableRow(_ a: UnsafePointer<Float>, aStride: Int, _ b: UnsafePointer<Float>, bStride: Int,
                            _ c: UnsafeMutablePointer<Float>, depth: Int, width: Int) {
        var j = 0
        while j &+ 8 <= width {
            var low = SIMD4<Float>(), high = SIMD4<Float>()
            var pb = UnsafeRawPointer(b + j)
            for p in 0..<depth {
                let x = SIMD4<Float>(repeating: a[p &* aStride])
                low = fma(low, x, pb.loadUnaligned(as: SIMD4<Float>.self))
                high = fma(high, x, pb.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self))
                pb += bStride &* 4
            }
            add(low, high, to: c + j)
            j &+= 8
        }
        while j < width {
            var s: Float = 0
            for p in 0..<depth { s = fma(s, a[p &* aStride], b[p &* bStride &+ j]) }
            c[j] += s
            j &+= 1
        }
    }

    /// c + a·b lane by lane. On arm64 every CPU has a fused multiply-add, so one instruction
    /// does both; the x86-64 baseline has none, and a fused multiply-add there would become a
    /// slow library call, so it is a multiply and an add.
    @inline(__always)
    static func fma(_ c: SIMD4<Float>, _ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
        #if arch(arm64)
        return c.addingProduct(a, b)
        #else
        return c + a * b
        #endif
    }

    /// c + a·b for one number, rounded as the vector version above rounds each lane.
    @inline(__always)
    static func fma(_ c: Float, _ a: Float, _ b: Float) -> Float {
        #if arch(arm64)
        return c.addingProduct(a, b)
        #else
        return c + a * b
        #endif
    }

    /// c[0..<8] += (low, high).
    @inline(__always)
    static func add(_ low: SIMD4<Float>, _ high: SIMD4<Float>, to c: UnsafeMutablePointer<Float>) {
        let row = UnsafeMutableRawPointer(c)
        row.storeBytes(of: row.loadUnaligned(as: SIMD4<Float>.self) + low, as: SIMD4<Float>.self)
        row.storeBytes(of: row.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self) + high,
                       toByteOffset: 16, as: SIMD4<Float>.self)
    }
}
