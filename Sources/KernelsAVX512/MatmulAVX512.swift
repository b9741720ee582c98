/// Matrix-multiplication kernels for x86-64-v4: AVX-512 registers of sixteen Floats (32 of them)
/// and fused multiply-add.
///
/// This module is compiled with `-Xcc -march=x86-64-v4` (see Package.swift), so every function
/// in it may use any instruction of that level. A CPU without them stops with an illegal
/// instruction, so nothing here may run before `Tensors` has checked the CPU; see
/// Sources/Tensors/KernelDispatch.swift for how that is guaranteed. For the same reason the
/// module has no types, no stored properties and nothing `@inlinable`: its code runs only when
/// called, and only through the two public functions below.
///
/// Both kernels add, for each element of C, a sum of products that starts at 0 and runs over
/// p = 0, 1, …, depth − 1 in order, one fused multiply-add per step:
///
///     s ← fma(aₚ, bₚⱼ, s),   then   Cᵢⱼ ← Cᵢⱼ + s
///
/// so an element gets the same bits whichever kernel computes it (see MatmulKernel.swift).
private typealias V = SIMD16<Float>

/// C[0..<8, 0..<32] += A·B over `depth` values of p, for the 8 rows of A at `a`, element (r, p)
/// at a[r·aRow + p·aDepth], and the 32 columns of B at `b`, element (p, j) at b[p·bDepth + j]. C's
/// rows are `cRow` apart.
///
/// A and B may be packed (a panel with aRow = 1, aDepth = 8; a strip with bDepth = 32) or read
/// where they are. The 256 sums live in 16 registers; each step loads two vectors of B and
/// broadcasts 8 numbers of A, for 16 fused multiply-adds.
public func matmulTileAVX512(_ a: UnsafePointer<Float>, aRow: Int, aDepth: Int, _ b: UnsafePointer<Float>, bDepth: Int,
                             _ c: UnsafeMutablePointer<Float>, cRow: Int, depth: Int) {
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
    var c40 = V(), c41 = V(), c50 = V(), c51 = V(), c60 = V(), c61 = V(), c70 = V(), c71 = V()
    let r1 = aRow, r2 = 2 &* aRow, r3 = 3 &* aRow, r4 = 4 &* aRow, r5 = 5 &* aRow, r6 = 6 &* aRow, r7 = 7 &* aRow
    var pa = a, pb = UnsafeRawPointer(b)
    for _ in 0..<depth {
        let b0 = pb.loadUnaligned(as: V.self)
        let b1 = pb.loadUnaligned(fromByteOffset: 64, as: V.self)
        var s = V(repeating: pa[0])
        c00 = c00.addingProduct(s, b0); c01 = c01.addingProduct(s, b1)
        s = V(repeating: pa[r1])
        c10 = c10.addingProduct(s, b0); c11 = c11.addingProduct(s, b1)
        s = V(repeating: pa[r2])
        c20 = c20.addingProduct(s, b0); c21 = c21.addingProduct(s, b1)
        s = V(repeating: pa[r3])
        c30 = c30.addingProduct(s, b0); c31 = c31.addingProduct(s, b1)
        s = V(repeating: pa[r4])
        c40 = c40.addingProduct(s, b0); c41 = c41.addingProduct(s, b1)
        s = V(repeating: pa[r5])
        c50 = c50.addingProduct(s, b0); c51 = c51.addingProduct(s, b1)
        s = V(repeating: pa[r6])
        c60 = c60.addingProduct(s, b0); c61 = c61.addingProduct(s, b1)
        s = V(repeating: pa[r7])
        c70 = c70.addingProduct(s, b0); c71 = c71.addingProduct(s, b1)
        pa += aDepth
        pb += bDepth &* 4
    }
    add(c00, c01, to: c)
    add(c10, c11, to: c + cRow)
    add(c20, c21, to: c + 2 &* cRow)
    add(c30, c31, to: c + 3 &* cRow)
    add(c40, c41, to: c + 4 &* cRow)
    add(c50, c51, to: c + 5 &* cRow)
    add(c60, c61, to: c + 6 &* cRow)
    add(c70, c71, to: c + 7 &* cRow)
}

/// c[0..<32] += (low, high).
@inline(__always)
private func add(_ low: V, _ high: V, to c: UnsafeMutablePointer<Float>) {
    let row = UnsafeMutableRawPointer(c)
    row.storeBytes(of: row.loadUnaligned(as: V.self) + low, as: V.self)
    row.storeBytes(of: row.loadUnaligned(fromByteOffset: 64, as: V.self) + high, toByteOffset: 64, as: V.self)
}

/// One row of C: c[j] += Σₚ a[p·aStride] · b[p·bStride + j] for j < width, for products with
/// fewer rows than a tile (a batch of one, say), where packing would cost more than it saves.
public func matmulRowAVX512(_ a: UnsafePointer<Float>, aStride: Int, _ b: UnsafePointer<Float>, bStride: Int,
                            _ c: UnsafeMutablePointer<Float>, depth: Int, width: Int) {
    var j = 0
    // 64 columns at a time (four registers), then 16, then one by one.
    while j &+ 64 <= width {
        var s0 = V(), s1 = V(), s2 = V(), s3 = V()
        var pb = UnsafeRawPointer(b + j)
        for p in 0..<depth {
            let x = V(repeating: a[p &* aStride])
            s0 = s0.addingProduct(x, pb.loadUnaligned(as: V.self))
            s1 = s1.addingProduct(x, pb.loadUnaligned(fromByteOffset: 64, as: V.self))
            s2 = s2.addingProduct(x, pb.loadUnaligned(fromByteOffset: 128, as: V.self))
            s3 = s3.addingProduct(x, pb.loadUnaligned(fromByteOffset: 192, as: V.self))
            pb += bStride &* 4
        }
        add(s0, s1, to: c + j)
        add(s2, s3, to: c + (j &+ 32))
        j &+= 64
    }
    while j &+ 16 <= width {
        var s0 = V()
        var pb = UnsafeRawPointer(b + j)
        for p in 0..<depth {
            s0 = s0.addingProduct(V(repeating: a[p &* aStride]), pb.loadUnaligned(as: V.self))
            pb += bStride &* 4
        }
        let row = UnsafeMutableRawPointer(c + j)
        row.storeBytes(of: row.loadUnaligned(as: V.self) + s0, as: V.self)
        j &+= 16
    }
    while j < width {
        var s: Float = 0
        for p in 0..<depth { s = s.addingProduct(a[p &* aStride], b[p &* bStride &+ j]) }
        c[j] += s
        j &+= 1
    }
}
