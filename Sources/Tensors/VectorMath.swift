/// eˣ, eˣ − 1 and tanh x for eight Floats at a time, written out so that the compiler can keep
/// them in vector registers. The C library's `expf` and `tanhf` work on one number per call, and
/// in an RNN or an attention softmax those calls took longer than the matrix products.
///
/// Range reduction (Cody and Waite): write x = n·ln 2 + r with n an integer and |r| ≤ ln(2)/2.
/// Then
///
///     eˣ = 2ⁿ · eʳ,   eʳ − 1 = r + r²/2! + r³/3! + … + r⁷/7!   (error below r⁸/8! < 6·10⁻⁹)
///
/// 2ⁿ is built directly from the bits of a Float (exponent field n + 127). ln 2 is split into a
/// part with few significant bits and a small correction, so that n·ln 2 is subtracted from x
/// without rounding error. Keeping eʳ − 1 separate gives an accurate eˣ − 1 for small x, and
///
///     tanh x = (e²ˣ − 1) / (e²ˣ − 1 + 2)
///
/// is then accurate near 0 too. eˣ is 0 below x = −103 (where even subnormal Floats run out) and
/// +∞ above x = 88.72 (the largest Float); NaN stays NaN. The tests compare every function with the
/// Double-precision library on a dense grid.
enum VectorMath {
    typealias V = SIMD8<Float>

    /// x limited to [low, high], by compare-and-select (the standard library's `clamped` was not
    /// inlined here, and cost more than the exponential itself). NaN lanes stay NaN.
    @inline(__always)
    static func clamp(_ x: V, _ low: Float, _ high: Float) -> V {
        var y = x
        y.replace(with: V(repeating: low), where: x .< V(repeating: low))
        y.replace(with: V(repeating: high), where: x .> V(repeating: high))
        return y
    }

    /// (eʳ − 1, n) for x = n·ln 2 + r.
    @inline(__always)
    static func reduce(_ x: V) -> (p: V, n: SIMD8<Int32>) {
        let clamped = clamp(x, -103, 88.8)
        // n = round(x / ln 2), by the 1.5·2²³ trick: adding it pushes the fraction bits out.
        let magic = V(repeating: 12_582_912)
        let shifted = clamped * V(repeating: 1.442_695_04) + magic
        let n = shifted - magic
        let r = (clamped - n * V(repeating: 0.693_359_375)) - n * V(repeating: -2.121_944_4e-4)
        // eʳ − 1 by Horner's rule: r(1 + r(1/2 + r(1/6 + r(1/24 + r(1/120 + r(1/720 + r/5040)))))).
        var q = V(repeating: 1.0 / 5040)
        q = q * r + V(repeating: 1.0 / 720)
        q = q * r + V(repeating: 1.0 / 120)
        q = q * r + V(repeating: 1.0 / 24)
        q = q * r + V(repeating: 1.0 / 6)
        q = q * r + V(repeating: 0.5)
        q = q * r + V(repeating: 1)
        let p = q * r
        // The low bits of `shifted` hold n + 2²², as an integer.
        let bits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        return (p, bits)
    }

    /// 2ᵏ for −126 ≤ k ≤ 127: the exponent field k + 127 and a zero fraction.
    @inline(__always)
    static func power2(_ k: SIMD8<Int32>) -> V {
        unsafeBitCast((k &+ 127) &<< 23, to: V.self)
    }

    /// eˣ − 1 on every lane, for |x| ≤ 20 (tanh clamps its argument first).
    @inline(__always)
    static func expm1Bounded(_ x: V) -> V {
        let (p, n) = reduce(x)
        let scale = power2(n)
        // 2ⁿ(1 + p) − 1 = 2ⁿp + (2ⁿ − 1); for n = 0 this is p exactly, with no cancellation.
        return scale * p + (scale - 1)
    }

    /// eˣ on every lane.
    @inline(__always)
    static func exp(_ x: V) -> V {
        let (p, n) = reduce(x)
        // 2ⁿ as 2ⁿ⸍² · 2ⁿ⁻ⁿ⸍², so that n = 128 (just below the largest Float) and n < −126
        // (results that are subnormal) still have exponents a Float can hold.
        let half = n &>> 1
        var result = power2(half) * (power2(n &- half) * (p + 1))
        result.replace(with: V(repeating: .infinity), where: x .> 88.722_83)
        result.replace(with: V(repeating: 0), where: x .< -103)
        result.replace(with: x, where: x .!= x)
        return result
    }

    /// tanh x on every lane, as (e²ˣ − 1)/(e²ˣ − 1 + 2), with |x| ≥ 10 giving ±1 exactly.
    @inline(__always)
    static func tanh(_ x: V) -> V {
        let clamped = clamp(x, -10, 10)
        let e = expm1Bounded(clamped + clamped)
        var result = e / (e + 2)
        result.replace(with: x, where: x .!= x)
        return result
    }

    /// σ(x) = 1 / (1 + e⁻ˣ) on every lane. For very negative x, e⁻ˣ is +∞ and σ is 0, not NaN.
    @inline(__always)
    static func sigmoid(_ x: V) -> V {
        1 / (1 + exp(-x))
    }

    /// Applies a vector function to a whole array: eight at a time, then the rest padded.
    @inline(__always)
    static func apply(_ input: [Float], _ f: (V) -> V) -> [Float] {
        let count = input.count
        guard count > 0 else { return [] }
        return makeScalars(count) { po in
            input.withUnsafeBufferPointer { p in
                let source = UnsafeRawPointer(p.baseAddress!), destination = UnsafeMutableRawPointer(po.baseAddress!)
                var i = 0
                while i &+ 8 <= count {
                    destination.storeBytes(of: f(source.loadUnaligned(fromByteOffset: i &* 4, as: V.self)),
                                           toByteOffset: i &* 4, as: V.self)
                    i &+= 8
                }
                if i < count {
                    var last = V()
                    for j in 0..<(count &- i) { last[j] = p[i &+ j] }
                    let y = f(last)
                    for j in 0..<(count &- i) { po[i &+ j] = y[j] }
                }
            }
        }
    }
}
