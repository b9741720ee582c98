import Foundation

/// A seeded, portable random number generator: the same seed gives the same numbers on every
/// machine and every Swift version.
///
/// The bits come from xoshiro256** (Blackman and Vigna, 2018), whose 256-bit state is filled
/// from the seed by SplitMix64. Every conversion from bits to numbers is written out here,
/// because `Double.random(in:using:)` and `shuffled(using:)` may change their algorithms
/// between Swift releases, and the book's worked numbers must not move.
///
/// ```swift
/// var rng = SeededRandom(seed: 42)
/// let u = rng.uniform()            // in [0, 1)
/// let z = rng.normal()             // N(0, 1)
/// let k = rng.categorical([0.2, 0.8])
/// ```
///
/// Every later chapter uses this generator for initialisation, data, dropout and sampling.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)
    /// The second Box-Muller normal, kept for the next call to ``normal()``.
    private var spareNormal: Double?

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// A uniform Double in [0, 1): the top 53 bits, scaled by 2⁻⁵³.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform Double in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// A uniform Float in [0, 1): the top 24 bits, scaled by 2⁻²⁴.
    public mutating func uniformFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// A uniform integer in 0..<bound, without modulo bias (Lemire's multiply-and-reject).
    public mutating func integer(below bound: Int) -> Int {
        require(bound > 0, "integer(below:) needs a positive bound, got \(bound)")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// A standard normal sample, N(0, 1), by the Box-Muller transform:
    ///
    ///     z₀ = √(−2 ln u₁) · cos(2π u₂),   z₁ = √(−2 ln u₁) · sin(2π u₂)
    ///
    /// with u₁ in (0, 1] so the logarithm is finite. z₁ is kept for the next call.
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1 - uniform()
        let u2 = uniform()
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        spareNormal = radius * Foundation.sin(2 * Double.pi * u2)
        return radius * Foundation.cos(2 * Double.pi * u2)
    }

    /// A normal sample with the given mean and standard deviation.
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * normal()
    }

    /// An index drawn with the given probabilities (which need not sum exactly to 1; they are
    /// used relative to their total). Walks the running total until it passes u · total.
    public mutating func categorical(_ probabilities: [Double]) -> Int {
        require(!probabilities.isEmpty, "categorical needs at least one probability")
        require(probabilities.allSatisfy { $0 >= 0 && $0.isFinite },
                     "categorical needs finite, non-negative probabilities, got \(probabilities)")
        let total = probabilities.reduce(0, +)
        require(total > 0, "categorical needs probabilities with a positive total, got \(probabilities)")
        let target = uniform() * total
        var running = 0.0
        for (index, p) in probabilities.enumerated() {
            running += p
            if target < running { return index }
        }
        return probabilities.lastIndex { $0 > 0 }!
    }

    /// Shuffles an array in place (Fisher-Yates), the same way on every platform.
    public mutating func shuffle<Element>(_ array: inout [Element]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = integer(below: i + 1)
            array.swapAt(i, j)
        }
    }

    /// A shuffled copy of an array.
    public mutating func shuffled<Element>(_ array: [Element]) -> [Element] {
        var copy = array
        shuffle(&copy)
        return copy
    }
}
