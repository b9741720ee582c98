import Decoding
import Foundation
import ScalarAutodiff
import Testing

/// A random "language model" over 6 tokens (token 0 ends): the log-probabilities depend on the
/// whole prefix through a hash, so beam search has something to search.
func randomModel(seed: UInt64, vocabulary: Int = 6, rows: Int = 64) -> NextTokenModel<[Int]> {
    var rng = SeededRandom(seed: seed)
    let table = (0..<rows).map { _ in logSoftmax((0..<vocabulary).map { _ in Float(rng.normal() * 1.5) }) }
    return NextTokenModel(vocabularySize: vocabulary) { prefix in
        table[prefix.reduce(11) { ($0 &* 31 &+ $1 &+ 1) & 0xFFFF } % rows]
    }
}

/// Decoders on general models: the end token, the length limit, the minimum length, the
/// incremental-state interface, and what a wider beam buys.
@Suite("Chapter 8: the book's decoders")
struct Chapter8DecoderTests {
    @Test("Beam search with width 1 is greedy decoding, on random models", arguments: [1, 2, 3, 4] as [UInt64])
    func widthOneIsGreedy(seed: UInt64) {
        let model = randomModel(seed: seed)
        let rules = DecodingRules(endToken: 0)
        #expect(beamSearch(model, width: 1, maxLength: 12, rules: rules) == [greedyDecode(model, maxLength: 12, rules: rules)])
    }

    @Test("Exhaustive search over short sequences: beam search finds the best when k covers everything")
    func wideBeamIsExact() {
        let model = randomModel(seed: 7, vocabulary: 4)
        // Enumerate every sequence of at most 3 tokens (ending at token 0 or cut at 3).
        var best: (tokens: [Int], logP: Float) = ([], -.infinity)
        func explore(_ prefix: [Int], _ logP: Float) {
            let scores = model.logProbabilities(prefix)
            for v in 0..<4 {
                let total = logP + scores[v]
                if v == 0 || prefix.count == 2 {
                    if v == 0, total > best.logP { best = (prefix + [v], total) }
                } else {
                    explore(prefix + [v], total)
                }
            }
        }
        explore([], 0)
        let search = beamSearch(model, width: 64, maxLength: 3, rules: DecodingRules(endToken: 0))
        let bestFinished = search.filter { $0.isFinished }.max { $0.logProbability < $1.logProbability }!
        #expect(bestFinished.tokens == best.tokens)
        #expect(abs(bestFinished.logProbability - best.logP) < 1e-5)
        // Greedy and a narrow beam are never better than that.
        #expect(greedyDecode(model, maxLength: 3, endToken: 0).logProbability <= best.logP + 1e-5)
    }

    @Test("The end token finishes a hypothesis; maxLength cuts open ones, marked unfinished")
    func endAndMaxLength() {
        // Token 1 is always best; the end token 0 is never likely.
        let model = NextTokenModel(vocabularySize: 3) { _ in [-5, -0.1, -3] as [Float] }
        let cut = beamSearch(model, width: 2, maxLength: 4, rules: DecodingRules(endToken: 0))
        #expect(cut[0].tokens == [1, 1, 1, 1] && !cut[0].isFinished && cut[0].length == 4)
        #expect(abs(cut[0].logProbability - -0.4) < 1e-5)
        let g = greedyDecode(model, maxLength: 4, endToken: 0)
        #expect(g.tokens == [1, 1, 1, 1] && !g.isFinished)
        // Without an end token nothing finishes.
        #expect(beamSearch(model, width: 3, maxLength: 2).allSatisfy { !$0.isFinished })
    }

    @Test("Minimum length: the end token is forbidden until L tokens, and the rest renormalised")
    func minimumLength() {
        let model = LookupTableModel.iAmAStudent
        let end = model.id("</s>")
        let rules = DecodingRules(endToken: end, minimumLength: 3)
        let result = beamSearch(model.model, width: 2, maxLength: 10, rules: rules)
        #expect(result.map { model.words($0.tokens) } == ["I am a student </s>"], "\"I am </s>\" is too short")
        // After "I am", forbidding </s> (−0.8) moves its mass to "a" (−0.9): log(e^−0.8 + e^−0.9) = −0.1556.
        let after = forbidEnd(model.logProbabilities(after: model.ids("I am")), endToken: end, length: 2, minimumLength: 3)
        #expect(after[end] == -.infinity && abs(after[model.id("a")] - -0.1556) < 1e-4, "got \(after)")
        #expect(abs(result[0].logProbability - -1.4556) < 1e-4, "−0.3 − 0.5 − 0.1556 − 0.3 − 0.2 = −1.4556, got \(result[0].logProbability)")
        // Rows without the end token are left alone.
        #expect(forbidEnd(model.logProbabilities(after: []), endToken: end, length: 0, minimumLength: 3) == model.logProbabilities(after: []))
        let g = greedyDecode(model.model, maxLength: 10, rules: rules)
        #expect(model.words(g.tokens) == "I am a student </s>")
    }

    @Test("The repetition penalty stops a model that loves its last word from looping")
    func repetitionPenaltyBreaksLoops() {
        // Always: token 1 at 0.6, token 2 at 0.3, end at 0.1.
        let model = NextTokenModel(vocabularySize: 3) { _ in [0.1, 0.6, 0.3].map { Float(log($0)) } }
        let plain = greedyDecode(model, maxLength: 6, endToken: 0)
        #expect(plain.tokens == [1, 1, 1, 1, 1, 1])
        let penalised = greedyDecode(model, maxLength: 6, rules: DecodingRules(endToken: 0, repetitionPenalty: 5))
        // After [1]: 0.6⁵ = 0.078 < 0.3, so 2; after [1, 2]: 0.078 and 0.3⁵ = 0.002 against 0.1, so the end.
        // θ = 3 is not enough: 0.6³ = 0.216 > 0.1, and the model loops on 1 after "1 2".
        let mild = greedyDecode(model, maxLength: 6, rules: DecodingRules(endToken: 0, repetitionPenalty: 3))
        #expect(mild.tokens == [1, 2, 1, 1, 1, 1], "got \(mild.tokens)")
        #expect(penalised.tokens == [1, 2, 0], "got \(penalised.tokens)")
    }

    @Test("An incremental model (state = a running count, not the prefix) decodes like its prefix twin")
    func incrementalState() {
        // The next-token distribution depends on how many 1s were generated so far.
        func scores(ones: Int) -> [Float] { ones >= 2 ? [-0.1, -3, -3] : [-2, -0.4, -1.2] }
        let incremental = NextTokenModel(vocabularySize: 3, start: 0,
                                         logProbabilities: { scores(ones: $0) },
                                         advance: { count, token in count + (token == 1 ? 1 : 0) })
        let prefix = NextTokenModel(vocabularySize: 3) { p in scores(ones: p.filter { $0 == 1 }.count) }
        let rules = DecodingRules(endToken: 0)
        #expect(beamSearch(incremental, width: 3, maxLength: 8, rules: rules) == beamSearch(prefix, width: 3, maxLength: 8, rules: rules))
        #expect(greedyDecode(incremental, maxLength: 8, rules: rules).tokens == [1, 1, 0])
        var a = SeededRandom(seed: 5), b = SeededRandom(seed: 5)
        #expect(ancestralSample(incremental, maxLength: 8, rules: rules, rng: &a) == ancestralSample(prefix, maxLength: 8, rules: rules, rng: &b))
    }

    @Test("Diverse beam search: groups start differently, and λ = 0 repeats plain beam search in every group")
    func diverseGroups() {
        let model = randomModel(seed: 11)
        let rules = DecodingRules(endToken: 0)
        let plain = beamSearch(model, width: 2, maxLength: 8, rules: rules)
        let copies = diverseBeamSearch(model, groups: 3, widthPerGroup: 2, diversityStrength: 0, maxLength: 8, rules: rules)
        #expect(copies.allSatisfy { $0 == plain })
        let diverse = diverseBeamSearch(model, groups: 3, widthPerGroup: 1, diversityStrength: 100, maxLength: 8, rules: rules)
        let firstTokens = diverse.map { $0[0].tokens[0] }
        #expect(Set(firstTokens).count == 3, "a huge λ forces three different first tokens, got \(firstTokens)")
        // Each group reports the model's true log P of its sequence.
        for group in diverse {
            var prefix: [Int] = [], logP: Float = 0
            for t in group[0].tokens { logP += model.logProbabilities(prefix)[t]; prefix.append(t) }
            #expect(abs(logP - group[0].logProbability) < 1e-4)
        }
    }

    @Test("A wider beam never finds a worse best sequence on the chapter's table")
    func widerIsNotWorse() {
        let toy = LookupTableModel.catsAndDogs
        let rules = DecodingRules(endToken: toy.id("</s>"))
        let best = (1...5).map { beamSearch(toy.model, width: $0, maxLength: 10, rules: rules)[0].logProbability }
        #expect(best.map { rounded($0, 4) } == [-2.6, -1.7, -1.7, -1.7, -1.7])
    }
}
