import Decoding
import Foundation
import ScalarAutodiff
import Testing

/// Sampling with the seeded generator. Frequencies are checked against their probabilities with a
/// tolerance of several standard deviations (√(p(1 − p)/n) ≤ 0.0036 for n = 20,000), and every
/// draw is determined by the seed, so these cannot flake.
@Suite("Chapter 8: the book's samplers")
struct Chapter8SamplingTests {
    func frequencies(_ probabilities: [Float], draws: Int, seed: UInt64) -> [Double] {
        var rng = SeededRandom(seed: seed)
        var counts = [Int](repeating: 0, count: probabilities.count)
        for _ in 0..<draws { counts[sampleToken(probabilities, rng: &rng)] += 1 }
        return counts.map { Double($0) / Double(draws) }
    }

    @Test("Nucleus sampling with p = 0.9 draws the four kept tokens at 0.526, 0.211, 0.158, 0.105 and never the fifth")
    func nucleusFrequencies() {
        let p = samplingDistribution([0.5, 0.2, 0.15, 0.1, 0.05].map { log($0) }, topP: 0.9)
        let f = frequencies(p, draws: 20_000, seed: 81)
        for (got, expected) in zip(f, [0.526, 0.211, 0.158, 0.105]) {
            #expect(abs(got - expected) < 0.015, "frequency \(got), probability \(expected)")
        }
        #expect(f[4] == 0, "the token outside the nucleus has probability exactly 0")
    }

    @Test("Top-k sampling with k = 2 draws only the two best tokens, in ratio 0.5 : 0.2")
    func topKFrequencies() {
        let p = samplingDistribution([0.5, 0.2, 0.15, 0.1, 0.05].map { log($0) }, topK: 2)
        #expect(p.map { rounded($0, 3) } == [0.714, 0.286, 0, 0, 0])
        let f = frequencies(p, draws: 20_000, seed: 82)
        #expect(abs(f[0] - 0.714) < 0.015 && f[2...].allSatisfy { $0 == 0 }, "got \(f)")
    }

    @Test("Temperature: low T almost always draws the best token, high T spreads the draws out")
    func temperatureFrequencies() {
        let logits: [Float] = [2, 1, 0]
        let cold = frequencies(samplingDistribution(logits, temperature: 0.1), draws: 5_000, seed: 83)
        #expect(cold[0] > 0.99, "at T = 0.1 the best token has probability 0.99995, drew it \(cold[0]) of the time")
        let hot = frequencies(samplingDistribution(logits, temperature: 2), draws: 20_000, seed: 84)
        for (got, expected) in zip(hot, [0.506, 0.307, 0.186]) {
            #expect(abs(got - expected) < 0.015, "T = 2: frequency \(got), probability \(expected)")
        }
    }

    @Test("Sampling whole sentences from the chapter's table: A feline sat about as often as its probability")
    func sentenceFrequencies() {
        let toy = LookupTableModel.catsAndDogs
        let rules = DecodingRules(endToken: toy.id("</s>"))
        var rng = SeededRandom(seed: 85)
        var counts: [String: Int] = [:]
        let n = 4_000
        for _ in 0..<n { counts[toy.words(ancestralSample(toy.model, maxLength: 10, rules: rules, rng: &rng).tokens), default: 0] += 1 }
        // Sampling renormalises each step: P(A) = e^−0.7 / (e^−0.5 + e^−0.7) = 0.450, P(feline | A) = 0.525, P(sat | A feline) = 1.
        let first = samplingDistribution(toy.logProbabilities(after: [])), second = samplingDistribution(toy.logProbabilities(after: toy.ids("A")))
        #expect(rounded(first[toy.id("A")], 3) == 0.450 && rounded(second[toy.id("feline")], 3) == 0.525)
        // A lower temperature sharpens each step towards greedy's "The", so the best sentence gets rarer.
        let coldFirst = samplingDistribution(toy.logProbabilities(after: []), temperature: 0.5)
        let coldSecond = samplingDistribution(toy.logProbabilities(after: toy.ids("A")), temperature: 0.5)
        #expect(rounded(coldFirst[toy.id("A")], 3) == 0.401 && rounded(coldSecond[toy.id("feline")], 3) == 0.550)
        #expect(rounded(coldFirst[toy.id("A")] * coldSecond[toy.id("feline")], 3) == 0.221)
        let pAFelineSat = 0.450 * 0.525
        let f = Double(counts["A feline sat </s>", default: 0]) / Double(n)
        #expect(abs(f - pAFelineSat) < 0.03, "frequency \(f), probability \(pAFelineSat)")
        #expect(counts.keys.count == 5, "all five sentences of the table are drawn sometime, got \(counts)")
    }

    @Test("The same seed gives the same sample; the log P of a sample is the model's")
    func reproducible() {
        let model = randomModel(seed: 3)
        let rules = DecodingRules(endToken: 0)
        var a = SeededRandom(seed: 9), b = SeededRandom(seed: 9)
        let s1 = ancestralSample(model, maxLength: 10, rules: rules, temperature: 0.7, topK: 3, topP: 0.9, rng: &a)
        let s2 = ancestralSample(model, maxLength: 10, rules: rules, temperature: 0.7, topK: 3, topP: 0.9, rng: &b)
        #expect(s1 == s2)
        var prefix: [Int] = [], logP: Float = 0
        for t in s1.tokens { logP += model.logProbabilities(prefix)[t]; prefix.append(t) }
        #expect(abs(logP - s1.logProbability) < 1e-4)
    }
}
