import Chapter8Exercises
import Decoding
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Testing

/// The checks for Exercises/Chapter8. Each test is named `exerciseN_M` after its exercise;
/// a stub's "not attempted" ends the test as cancelled, a wrong answer fails it with a message.
@Suite("Chapter 8: exercises")
struct Chapter8ExerciseTests {
    @Test("8.1 Log-space scoring: 25 × 0.01 scores −115.13, not −∞")
    func exercise8_1() throws {
        let score = try attempt("8.1") { try logSpaceScore([Float](repeating: 0.01, count: 25)) }
        #expect(abs(score - -115.129) < 0.01,
                "25 tokens of probability 0.01 should score 25 · log 0.01 = −115.13, got \(score); if you got −inf, you took the log of the product, which is already 0 in Float")
        let short = try logSpaceScore([0.5, 0.25])
        #expect(abs(short - log(0.125)) < 1e-5, "[0.5, 0.25] should score log 0.125 = −2.079, got \(short)")
        let empty = try logSpaceScore([])
        #expect(empty == 0, "the empty sequence has probability 1, so log P = 0, got \(empty)")
    }

    @Test("8.2 Length normalisation: log P / L^α")
    func exercise8_2() throws {
        let short = try attempt("8.2") { try normalisedScore(logProbability: -1.6, length: 2, alpha: 0.7) }
        let long = try normalisedScore(logProbability: -2.2, length: 4, alpha: 0.7)
        #expect(abs(short - -0.985) < 5e-4, "\"I am\": −1.6 / 2^0.7 should be −0.985, got \(short)")
        #expect(abs(long - -0.834) < 5e-4, "\"I am a student\": −2.2 / 4^0.7 should be −0.834, got \(long)")
        let raw = try normalisedScore(logProbability: -3.3, length: 7, alpha: 0)
        #expect(raw == -3.3, "α = 0 must give log P unchanged, since L⁰ = 1; got \(raw)")
        let mean = try normalisedScore(logProbability: -3, length: 6, alpha: 1)
        #expect(abs(mean - -0.5) < 1e-6, "α = 1 is the mean log-probability per token, −3 / 6 = −0.5; got \(mean)")
    }

    @Test("8.3 Greedy decoding: the locally best token at every step")
    func exercise8_3() throws {
        let toy = LookupTableModel.catsAndDogs
        let end = toy.id("</s>")
        let tokens = try attempt("8.3") { try greedy({ toy.logProbabilities(after: $0) }, endToken: end, maxLength: 10) }
        #expect(toy.words(tokens) == "The cat sat </s>",
                "greedy decoding of the chapter's table should give \"The cat sat </s>\" (keep the end token), got \"\(toy.words(tokens))\"")
        // A model that never ends: the length limit must stop it.
        let looping = try greedy({ _ in [-2, -0.1, -3] }, endToken: 0, maxLength: 4)
        #expect(looping == [1, 1, 1, 1], "a model that always prefers token 1 must stop at maxLength = 4, got \(looping)")
        // Ties go to the lower id.
        let tie = try greedy({ p in p.isEmpty ? [-1, -0.5, -0.5] : [0, -5, -5] }, endToken: 0, maxLength: 5)
        #expect(tie == [1, 0], "on a tie the lower token id wins, so [1, 0] is expected, got \(tie)")
        // The same answer as the reference on the trained-style random model.
        var rng = SeededRandom(seed: 83)
        let table = (0..<40).map { _ in (0..<6).map { _ in Float(rng.normal()) } }
        let model = NextTokenModel(vocabularySize: 6) { prefix in logSoftmax(table[(prefix.reduce(7, { $0 * 31 + $1 })) % 40]) }
        let expected = greedyDecode(model, maxLength: 8, endToken: 0).tokens
        let got = try greedy(model.logProbabilities, endToken: 0, maxLength: 8)
        #expect(got == expected, "on a random model greedy decoding gives \(expected), got \(got)")
    }

    @Test("8.4 One beam step: keep the k best of all B × V extensions")
    func exercise8_4() throws {
        let toy = LookupTableModel.catsAndDogs
        let beams: [(tokens: [Int], logProbability: Float)] = [(toy.ids("The"), -0.5), (toy.ids("A"), -0.7)]
        let next = beams.map { toy.logProbabilities(after: $0.tokens) }
        let kept = try attempt("8.4") { try beamStep(beams, next: next, width: 2) }
        #expect(kept.map { toy.words($0.tokens) } == ["The cat", "A feline"],
                "with k = 2 the step keeps \"The cat\" (−1.1) and \"A feline\" (−1.6), got \(kept.map { toy.words($0.tokens) })")
        #expect(kept.count == 2 && abs(kept[0].logProbability - -1.1) < 1e-5 && abs(kept[1].logProbability - -1.6) < 1e-5,
                "the scores are the sums −0.5 + −0.6 = −1.1 and −0.7 + −0.9 = −1.6, got \(kept.map(\.logProbability))")
        let wide = try beamStep(beams, next: next, width: 10)
        #expect(wide.count == 4, "only 4 extensions have probability > 0 (−∞ ones are skipped), got \(wide.count)")
        // Against the reference on random scores, ties included.
        var rng = SeededRandom(seed: 84)
        let logPs: [Float] = [-1, -1.5, -1]
        let rows = (0..<3).map { _ in (0..<5).map { _ in Float(Int(rng.normal() * 2)) / 2 } }
        let randomBeams = logPs.enumerated().map { (tokens: [$0.offset], logProbability: $0.element) }
        let got = try beamStep(randomBeams, next: rows, width: 4)
        let expected = bestExtensions(beamLogProbabilities: logPs, nextLogProbabilities: rows, width: 4)
        #expect(got.map(\.tokens) == expected.map { [$0.beam, $0.token] } && got.map(\.logProbability) == expected.map(\.logProbability),
                "for scores \(rows) the best 4 are \(expected.map { ([$0.beam, $0.token], $0.logProbability) }), got \(got); break ties by lower beam, then lower token")
    }

    @Test("8.5 Softmax with a temperature")
    func exercise8_5() throws {
        let sharp = try attempt("8.5") { try temperatureSoftmax([2, 1, 0], temperature: 0.5) }
        #expect(sharp.count == 3 && zip(sharp, [0.867, 0.117, 0.016] as [Float]).allSatisfy { abs($0 - $1) < 1e-3 },
                "softmax([2, 1, 0] / 0.5) should be [0.867, 0.117, 0.016], got \(sharp)")
        let flat = try temperatureSoftmax([2, 1, 0], temperature: 2)
        #expect(flat.count == 3 && zip(flat, [0.506, 0.307, 0.186] as [Float]).allSatisfy { abs($0 - $1) < 1e-3 },
                "softmax([2, 1, 0] / 2) should be [0.506, 0.307, 0.186], got \(flat)")
        let big = try temperatureSoftmax([1000, 1001, 1002], temperature: 1)
        #expect(big.allSatisfy { $0.isFinite } && abs(big[2] - 0.665) < 1e-3,
                "logits of 1000 must not overflow: subtract the largest before exp; expected [0.090, 0.245, 0.665], got \(big)")
    }

    @Test("8.6 The top-k filter")
    func exercise8_6() throws {
        let scores: [Float] = [-1.2, -0.3, -2, -0.3, -0.9]
        let two = try attempt("8.6") { try keepTopK(scores, k: 2) }
        #expect(two == [-.infinity, -0.3, -.infinity, -0.3, -.infinity],
                "k = 2 keeps the two −0.3 entries and sets the rest to −∞, got \(two)")
        let three = try keepTopK(scores, k: 3)
        #expect(three == [-.infinity, -0.3, -.infinity, -0.3, -0.9], "k = 3 also keeps −0.9, got \(three)")
        let tie = try keepTopK([0, 0, 0], k: 1)
        #expect(tie == [0, -.infinity, -.infinity], "on a tie the lower index wins, got \(tie)")
        let all = try keepTopK(scores, k: 9)
        #expect(all == scores, "k larger than the vocabulary keeps everything, got \(all)")
    }

    @Test("8.7 The nucleus (top-p) filter")
    func exercise8_7() throws {
        let p: [Float] = [0.5, 0.2, 0.15, 0.1, 0.05]
        let kept = try attempt("8.7") { try keepNucleus(p, p: 0.9) }
        #expect(kept.count == 5 && zip(kept, [0.526, 0.211, 0.158, 0.105, 0] as [Float]).allSatisfy { abs($0 - $1) < 1e-3 },
                "p = 0.9: the running totals 0.5, 0.7, 0.85, 0.95 keep four (the token that crosses p is kept), renormalised by 0.95 to [0.526, 0.211, 0.158, 0.105, 0]; got \(kept)")
        let one = try keepNucleus(p, p: 0.5)
        #expect(one == [1, 0, 0, 0, 0], "p = 0.5: the first token alone reaches 0.5, so it gets probability 1; got \(one)")
        let shuffled = try keepNucleus([0.05, 0.15, 0.5, 0.1, 0.2], p: 0.7)
        #expect(zip(shuffled, [0, 0, 0.714, 0, 0.286] as [Float]).allSatisfy { abs($0 - $1) < 1e-3 },
                "the tokens need not be sorted: p = 0.7 keeps 0.5 and 0.2 wherever they are, got \(shuffled)")
    }

    @Test("8.8 The repetition penalty")
    func exercise8_8() throws {
        let logP: [Float] = [0.5, 0.3, 0.2].map { log($0) }
        let got = try attempt("8.8") { try penalise(logP, previous: [0, 0], theta: 2) }.map { exp($0) }
        #expect(got.count == 3 && zip(got, [0.333, 0.4, 0.267] as [Float]).allSatisfy { abs($0 - $1) < 1e-3 },
                "token 0 repeated: 0.5 becomes 0.5² = 0.25, renormalised by 0.75 to [0.333, 0.4, 0.267]; got \(got) (penalise each token once, however often it appeared)")
        var rng = SeededRandom(seed: 88)
        let random = logSoftmax((0..<6).map { _ in Float(rng.normal()) })
        let mine = try penalise(random, previous: [4, 1, 4], theta: 1.3)
        let expected = penaliseRepetition(random, previous: [4, 1, 4], theta: 1.3)
        #expect(zip(mine, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "expected \(expected), got \(mine)")
    }
}
