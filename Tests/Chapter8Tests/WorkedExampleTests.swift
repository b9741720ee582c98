import Decoding
import Foundation
import Testing

/// Rounds to `places` decimals, for comparing with the numbers printed in the chapter.
func rounded(_ x: Float, _ places: Int) -> Float {
    let scale = Float(pow(10, Double(places)))
    return (x * scale).rounded() / scale
}

/// Every worked number of chapter 8, in the order of the text.
@Suite("Chapter 8: worked examples")
struct Chapter8WorkedExampleTests {
    let toy = LookupTableModel.catsAndDogs

    @Test("Section 8.1: Greedy takes The (−0.5) and ends with The cat sat (−2.6); A feline sat (−1.7) is better")
    func greedyMissesTheBestSequence() {
        let end = toy.id("</s>")
        let greedy = greedyDecode(toy.model, maxLength: 10, endToken: end)
        #expect(toy.words(greedy.tokens) == "The cat sat </s>")
        #expect(rounded(greedy.logProbability, 4) == -2.6, "got \(greedy.logProbability)")
        // Every complete sentence of the table, scored by hand in the text's table.
        let sentences = ["The cat sat": -2.6, "The cat ran": -2.7, "The dog sat": -2.1, "A feline sat": -1.7, "A dog ran": -1.9] as [String: Float]
        for (sentence, expected) in sentences {
            var prefix: [Int] = [], logP: Float = 0
            for token in toy.ids(sentence + " </s>") {
                logP += toy.logProbabilities(after: prefix)[token]
                prefix.append(token)
            }
            #expect(rounded(logP, 4) == expected, "\(sentence): got \(logP)")
        }
        let best = sentences.max { $0.value < $1.value }!
        #expect(best.key == "A feline sat" && best.value > greedy.logProbability)
    }

    @Test("Section 8.2: 25 probabilities of 0.01: the Float product is 0, the sum of logs is −115.13")
    func logSpace() {
        let probabilities = [Float](repeating: 0.01, count: 25)
        #expect(sequenceProbability(probabilities) == 0, "10⁻⁵⁰ is below the smallest Float and must underflow to 0")
        #expect(sequenceProbability(Array(probabilities.prefix(5))) > 0, "10⁻¹⁰ is still a Float")
        let logP = sequenceLogProbability(probabilities)
        #expect(rounded(logP, 2) == -115.13, "got \(logP)")
        // Two different long sequences tie at 0 as products but not as log sums.
        let other = [Float](repeating: 0.005, count: 25)
        #expect(sequenceProbability(other) == sequenceProbability(probabilities))
        #expect(sequenceLogProbability(other) < logP)
    }

    @Test("Section 8.3: One beam step with k = 2 keeps The cat (−1.1) and A feline (−1.6)")
    func oneBeamStep() {
        let the = toy.ids("The"), a = toy.ids("A")
        let step1 = toy.logProbabilities(after: [])
        #expect(step1[the[0]] == -0.5 && step1[a[0]] == -0.7)
        let kept = bestExtensions(beamLogProbabilities: [-0.5, -0.7],
                                  nextLogProbabilities: [toy.logProbabilities(after: the), toy.logProbabilities(after: a)],
                                  width: 2)
        #expect(kept.map { toy.words([[the[0], a[0]][$0.beam], $0.token]) } == ["The cat", "A feline"])
        #expect(kept.map { rounded($0.logProbability, 4) } == [-1.1, -1.6])
        // All four candidates of the text's table, in order.
        let all = bestExtensions(beamLogProbabilities: [-0.5, -0.7],
                                 nextLogProbabilities: [toy.logProbabilities(after: the), toy.logProbabilities(after: a)],
                                 width: 10)
        #expect(all.map { toy.words([[the[0], a[0]][$0.beam], $0.token]) } == ["The cat", "A feline", "A dog", "The dog"])
        #expect(all.map { rounded($0.logProbability, 4) } == [-1.1, -1.6, -1.7, -1.8])
    }

    @Test("Section 8.3: Beam search with k = 2 finds A feline sat (−1.7); k = 1 is greedy")
    func beamFindsTheBestSequence() {
        let rules = DecodingRules(endToken: toy.id("</s>"))
        let k2 = beamSearch(toy.model, width: 2, maxLength: 10, rules: rules)
        #expect(k2.map { toy.words($0.tokens) } == ["A feline sat </s>", "The cat sat </s>"])
        #expect(k2.map { rounded($0.logProbability, 4) } == [-1.7, -2.6])
        #expect(k2.allSatisfy { $0.isFinished })
        let k1 = beamSearch(toy.model, width: 1, maxLength: 10, rules: rules)
        #expect(k1 == [greedyDecode(toy.model, maxLength: 10, rules: rules)])
        let k3 = beamSearch(toy.model, width: 3, maxLength: 10, rules: rules)
        #expect(k3.map { toy.words($0.tokens) } == ["A feline sat </s>", "A dog ran </s>", "The cat sat </s>"])
    }

    @Test("Section 8.3: At the maximum length A x (−0.799), still open, beats the finished </s> (−1.204) and B </s> (−1.661)")
    func openHypothesesCompeteAtTheLimit() {
        let table = LookupTableModel.cutAtTheLimit
        let rules = DecodingRules(endToken: table.id("</s>"))
        let results = beamSearch(table.model, width: 2, maxLength: 2, rules: rules)
        #expect(results.map { table.words($0.tokens) } == ["A x", "</s>"])
        #expect(results.map { rounded($0.logProbability, 3) } == [-0.799, -1.204])
        #expect(results.map(\.isFinished) == [false, true], "A x is returned marked unfinished")
        // B </s> finished too, and loses to both.
        #expect(rounded(log(Float(0.2)) + log(Float(0.95)), 3) == -1.661)
        // With one more step of room, k = 2 hypotheses have finished before the limit, and the
        // search stops there (as fairseq does): the open A x is not at the limit, and is dropped.
        let roomier = beamSearch(table.model, width: 2, maxLength: 3, rules: rules)
        #expect(roomier.map { table.words($0.tokens) } == ["</s>", "B </s>"])
        // Diverse beam search with one group keeps the same rule.
        let diverse = diverseBeamSearch(table.model, groups: 1, widthPerGroup: 2, diversityStrength: 0, maxLength: 2, rules: rules)
        #expect(diverse[0] == results)
    }

    @Test("Section 8.4: I am (−1.6, L = 2) against I am a student (−2.2, L = 4): −0.985 and −0.834 with α = 0.7")
    func lengthNormalisation() {
        #expect(rounded(lengthNormalisedScore(logProbability: -1.6, length: 2, alpha: 0.7), 3) == -0.985)
        #expect(rounded(lengthNormalisedScore(logProbability: -2.2, length: 4, alpha: 0.7), 3) == -0.834)
        #expect(lengthNormalisedScore(logProbability: -1.6, length: 2, alpha: 0) == -1.6)
        #expect(rounded(lengthNormalisedScore(logProbability: -2.2, length: 4, alpha: 1), 2) == -0.55)
        #expect(rounded(lengthNormalisedScore(logProbability: -1.6, length: 2, alpha: 1), 2) == -0.8)
        // The divisors of the text's table: 2^0.7 = 1.625 and 4^0.7 = 2.639.
        #expect(rounded(pow(2, 0.7), 3) == 1.625 && rounded(pow(4, 0.7), 3) == 2.639)

        let model = LookupTableModel.iAmAStudent
        let rules = DecodingRules(endToken: model.id("</s>"))
        let raw = beamSearch(model.model, width: 2, maxLength: 10, rules: rules, alpha: 0)
        #expect(raw.map { model.words($0.tokens) } == ["I am </s>", "I am a student </s>"], "raw log P prefers the short sentence")
        #expect(raw.map { rounded($0.logProbability, 4) } == [-1.6, -2.2])
        #expect(raw.map(\.length) == [2, 4], "L does not count the end token")
        let normalised = beamSearch(model.model, width: 2, maxLength: 10, rules: rules, alpha: 0.7)
        #expect(normalised.map { model.words($0.tokens) } == ["I am a student </s>", "I am </s>"], "with α = 0.7 the long one wins")
        #expect(normalised.map { rounded($0.lengthNormalisedScore(alpha: 0.7), 3) } == [-0.834, -0.985])
    }

    @Test("Section 8.4: GNMT's penalty ((5 + L)/6)^0.7: I am −1.436, I am a student −1.656, and the short one stays first")
    func gnmtPenalty() {
        #expect(LengthPenalty.gnmt(0.7).penaltyDivisor(length: 1) == 1)
        #expect(rounded(lengthNormalisedScore(logProbability: -1.6, length: 2, penalty: .gnmt(0.7)), 3) == -1.436)
        #expect(rounded(lengthNormalisedScore(logProbability: -2.2, length: 4, penalty: .gnmt(0.7)), 3) == -1.656)
        #expect(lengthNormalisedScore(logProbability: -2.2, length: 4, penalty: .power(0.7)) == lengthNormalisedScore(logProbability: -2.2, length: 4, alpha: 0.7))
        let model = LookupTableModel.iAmAStudent
        let rules = DecodingRules(endToken: model.id("</s>"))
        let gnmt = beamSearch(model.model, width: 2, maxLength: 10, rules: rules, lengthPenalty: .gnmt(0.7))
        #expect(gnmt.map { model.words($0.tokens) } == ["I am </s>", "I am a student </s>"])
        // α = 2 is strong enough: 7/6 squared is 1.361, 1.5 squared 2.25, so −1.176 against −0.978.
        let strong = beamSearch(model.model, width: 2, maxLength: 10, rules: rules, lengthPenalty: .gnmt(2))
        #expect(strong.map { model.words($0.tokens) } == ["I am a student </s>", "I am </s>"])
        #expect(strong.map { rounded($0.lengthNormalisedScore(.gnmt(2)), 3) } == [-0.978, -1.176])
    }

    @Test("Section 8.5: Nucleus filter: p = 0.9 keeps four, renormalised to [0.526, 0.211, 0.158, 0.105]; p = 0.5 keeps one")
    func nucleus() {
        let p: [Float] = [0.5, 0.2, 0.15, 0.1, 0.05]
        let kept90 = nucleusFilter(p, p: 0.9)
        #expect(kept90.map { rounded($0, 3) } == [0.526, 0.211, 0.158, 0.105, 0])
        #expect(abs(kept90.reduce(0, +) - 1) < 1e-6)
        #expect(nucleusFilter(p, p: 0.5) == [1, 0, 0, 0, 0])
        #expect(nucleusFilter(p, p: 1).map { rounded($0, 3) } == [0.5, 0.2, 0.15, 0.1, 0.05])
        // Top-k with k = 4 keeps the same four here, but a fixed k does not adapt to the distribution.
        let logits = p.map { log($0) }
        #expect(softmax(topKFilter(logits, k: 4)).map { rounded($0, 3) } == [0.526, 0.211, 0.158, 0.105, 0])
        let sure: [Float] = [0.95, 0.02, 0.01, 0.01, 0.01]
        #expect(nucleusFilter(sure, p: 0.9).filter { $0 > 0 }.count == 1, "a confident model keeps one token")
    }

    @Test("Section 8.5: Temperature: T = 0.5 sharpens, T = 2 flattens, T = 1 changes nothing")
    func temperature() {
        let logits: [Float] = [2, 1, 0]
        let plain = softmax(logits)
        #expect(plain.map { rounded($0, 3) } == [0.665, 0.245, 0.090])
        #expect(softmax(applyTemperature(logits, 0.5)).map { rounded($0, 3) } == [0.867, 0.117, 0.016])
        #expect(softmax(applyTemperature(logits, 2)).map { rounded($0, 3) } == [0.506, 0.307, 0.186])
        #expect(softmax(applyTemperature(logits, 1)) == plain)
    }

    @Test("Section 8.6: Repetition penalty θ = 2 on p = [0.5, 0.3, 0.2] after token 0: [0.333, 0.4, 0.267]")
    func repetition() {
        let logP: [Float] = [0.5, 0.3, 0.2].map { log($0) }
        let penalised = penaliseRepetition(logP, previous: [0, 0], theta: 2).map { exp($0) }
        #expect(penalised.map { rounded($0, 3) } == [0.333, 0.4, 0.267])
        #expect(penaliseRepetition(logP, previous: [0], theta: 1) == logP)
    }

    @Test("Section 8.6: Diverse beam search: with λ = 1 the second group starts with A, with λ = 0 both start with The")
    func diverse() {
        let rules = DecodingRules(endToken: toy.id("</s>"))
        let apart = diverseBeamSearch(toy.model, groups: 2, widthPerGroup: 1, diversityStrength: 1, maxLength: 10, rules: rules)
        #expect(apart.map { toy.words($0[0].tokens) } == ["The cat sat </s>", "A feline sat </s>"])
        #expect(apart.map { rounded($0[0].logProbability, 4) } == [-2.6, -1.7], "the true log P, without the penalty")
        let together = diverseBeamSearch(toy.model, groups: 2, widthPerGroup: 1, diversityStrength: 0, maxLength: 10, rules: rules)
        #expect(together.map { toy.words($0[0].tokens) } == ["The cat sat </s>", "The cat sat </s>"])
    }
}
