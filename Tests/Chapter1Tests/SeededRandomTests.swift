import Foundation
import ScalarAutodiff
import Testing

@Suite("Chapter 1: the seeded random number generator")
struct Chapter1SeededRandomTests {
    @Test("The bits match an independent implementation of xoshiro256** (Tools/seeded_random_reference.py)")
    func matchesReference() {
        var zero = SeededRandom(seed: 0)
        let zeroBits = (0..<4).map { _ in zero.next() }
        #expect(zeroBits == [0x99ec_5f36_cb75_f2b4, 0xbf6e_1f78_4956_452a, 0x1a5f_849d_4933_e6e0, 0x6aa5_94f1_262d_2d2c])
        var fortyTwo = SeededRandom(seed: 42)
        let fortyTwoBits = (0..<4).map { _ in fortyTwo.next() }
        #expect(fortyTwoBits == [0x1578_0b2e_0c2e_c716, 0x6104_d986_6d11_3a7e, 0xae17_5332_39e4_99a1, 0xecb8_ad47_03b3_60a1])
        var uniforms = SeededRandom(seed: 42)
        let firstUniforms = (0..<3).map { _ in uniforms.uniform() }
        #expect(firstUniforms == [0.08386297105988216, 0.3789802506626686, 0.6800434110281394])
    }

    @Test("Uniform samples have mean 1/2 and variance 1/12")
    func uniformMoments() {
        var rng = SeededRandom(seed: 7)
        let xs = (0..<100_000).map { _ in rng.uniform() }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
        #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
        // Standard error of the mean is about 0.0009: five of them.
        #expect(abs(mean - 0.5) < 0.0045)
        #expect(abs(variance - 1.0 / 12) < 0.002)
        let floats = (0..<1000).map { _ in rng.uniformFloat() }
        #expect(floats.allSatisfy { $0 >= 0 && $0 < 1 })
    }

    @Test("Normal samples have mean 0 and variance 1")
    func normalMoments() {
        var rng = SeededRandom(seed: 11)
        let zs = (0..<100_000).map { _ in rng.normal() }
        let mean = zs.reduce(0, +) / Double(zs.count)
        let variance = zs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(zs.count)
        #expect(abs(mean) < 0.016)
        #expect(abs(variance - 1) < 0.02)
        #expect(zs.allSatisfy { $0.isFinite })
        let shifted = (0..<10_000).map { _ in rng.normal(mean: 5, standardDeviation: 0.1) }
        #expect(abs(shifted.reduce(0, +) / 10_000 - 5) < 0.005)
    }

    @Test("Categorical samples follow their probabilities")
    func categoricalFrequencies() {
        var rng = SeededRandom(seed: 5)
        let p = [0.1, 0.0, 0.6, 0.3]
        var counts = [0, 0, 0, 0]
        for _ in 0..<50_000 { counts[rng.categorical(p)] += 1 }
        #expect(counts[1] == 0, "an outcome of probability 0 never happens")
        for i in p.indices {
            #expect(abs(Double(counts[i]) / 50_000 - p[i]) < 0.01, "outcome \(i): \(counts[i])")
        }
    }

    @Test("Integers below a bound cover the range evenly; shuffles are permutations")
    func integersAndShuffles() {
        var rng = SeededRandom(seed: 9)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[rng.integer(below: 7)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 }, "\(counts)")
        let shuffled = rng.shuffled(Array(0..<100))
        #expect(shuffled.sorted() == Array(0..<100))
        #expect(shuffled != Array(0..<100))
    }

    @Test("The same seed gives the same sequence; different seeds differ")
    func determinism() {
        var a = SeededRandom(seed: 123), b = SeededRandom(seed: 123), c = SeededRandom(seed: 124)
        let xa = (0..<10).map { _ in a.normal() }
        let xb = (0..<10).map { _ in b.normal() }
        let xc = (0..<10).map { _ in c.normal() }
        #expect(xa == xb)
        #expect(xa != xc)
    }
}
