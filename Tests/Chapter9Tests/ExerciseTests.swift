import Chapter9Exercises
import Evaluation
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Testing

/// The checks for Exercises/Chapter9. Each test is named `exerciseN_M` after its exercise;
/// a stub's "not attempted" ends the test as cancelled, a wrong answer fails it with a message.
@Suite("Chapter 9: exercises")
struct Chapter9ExerciseTests {
    @Test("9.1 Label-smoothed targets: (1 − ε) · onehot + ε / V")
    func exercise9_1() throws {
        let q = try attempt("9.1") { try labelSmoothingTargets(target: 0, classes: 3, epsilon: 0.1) }
        #expect(q.count == 3, "there is one target probability per class: 3, got \(q.count)")
        guard q.count == 3 else { return }
        #expect(abs(q[0] - 0.93333) < 1e-4 && abs(q[1] - 0.03333) < 1e-4 && abs(q[2] - 0.03333) < 1e-4,
                "V = 3, y = 0, ε = 0.1 should give [0.9333, 0.0333, 0.0333]: the gold class keeps 1 − ε and also gets its share ε/V; got \(q)")
        let wide = try labelSmoothingTargets(target: 7, classes: 10, epsilon: 0.2)
        #expect(abs(wide.reduce(0, +) - 1) < 1e-5, "the targets are a distribution and must sum to 1, got \(wide.reduce(0, +)); did you forget the ε/V share of the gold class?")
        #expect(wide == smoothedTargets(target: 7, classes: 10, epsilon: 0.2),
                "V = 10, y = 7, ε = 0.2 should give 0.02 everywhere and 0.82 at index 7, got \(wide)")
        let none = try labelSmoothingTargets(target: 1, classes: 4, epsilon: 0)
        #expect(none == [0, 1, 0, 0], "ε = 0 is the plain one-hot vector, got \(none)")
    }

    @Test("9.2 Perplexity = exp(mean negative log-likelihood)")
    func exercise9_2() throws {
        let four = try attempt("9.2") { try tokenPerplexity([log(0.5), log(0.25), log(0.125)]) }
        #expect(abs(four - 4) < 1e-9,
                "p = [0.5, 0.25, 0.125] has mean NLL (log 2 + log 4 + log 8)/3 = log 4, so perplexity 4; got \(four)")
        let sure = try tokenPerplexity([0, 0])
        #expect(sure == 1, "a model that gives every gold token probability 1 has perplexity 1, got \(sure)")
        var rng = SeededRandom(seed: 95)
        let logPs = (0..<30).map { _ in log(0.01 + rng.uniform() * 0.99) }
        let got = try tokenPerplexity(logPs)
        let expected = perplexity(tokenLogProbabilities: logPs)
        #expect(abs(got - expected) < 1e-9 * expected,
                "on 30 random tokens perplexity should be \(expected), got \(got); average the log-probabilities before exponentiating (the geometric mean of 1/p, not the arithmetic mean)")
    }

    @Test("9.3 Modified n-gram precision: counts are clipped by the references")
    func exercise9_3() throws {
        let sevenThes = whitespaceTokens("the the the the the the the")
        let reference = whitespaceTokens("the cat is on the mat")
        let clipped = try attempt("9.3") { try clippedPrecision(hypothesis: sevenThes, references: [reference], n: 1) }
        #expect(clipped.matches == 2 && clipped.total == 7,
                "\"the\" × 7 against a reference with two \"the\" should give 2 matches of 7, got \(clipped.matches) of \(clipped.total); clip each count at the reference count")
        let hypothesis = whitespaceTokens("the cat is on the mat")
        let references = ["the cat sat on the mat", "there is a cat on the mat"].map(whitespaceTokens)
        for n in 1...4 {
            let got = try clippedPrecision(hypothesis: hypothesis, references: references, n: n)
            let expected = modifiedPrecision(hypothesis: hypothesis, references: references, n: n)
            #expect(got == expected,
                    "n = \(n) against two references should give \(expected.matches)/\(expected.total), got \(got.matches)/\(got.total); take, per n-gram, the largest count in any one reference")
        }
        let short = try clippedPrecision(hypothesis: ["cat"], references: [reference], n: 2)
        #expect(short.matches == 0 && short.total == 0, "a 1-token hypothesis has no bigrams: (0, 0), got \(short)")
    }

    @Test("9.4 The brevity penalty: exp(1 − r/c) when c < r")
    func exercise9_4() throws {
        let bp = try attempt("9.4") { try brevity(hypothesisLength: 6, referenceLength: 8) }
        #expect(abs(bp - 0.716531) < 1e-5, "c = 6, r = 8 should give exp(1 − 8/6) = 0.7165, got \(bp); divide in Double, not Int (8/6 is 1 in Int)")
        let long = try brevity(hypothesisLength: 12, referenceLength: 8)
        #expect(long == 1, "a hypothesis at least as long as the reference is not penalised (BP = 1), got \(long)")
        let empty = try brevity(hypothesisLength: 0, referenceLength: 8)
        #expect(empty == 0, "an empty hypothesis gets BP = 0 (the limit of exp(1 − r/c) as c → 0), got \(empty)")
    }

    @Test("9.5 BLEU from corpus statistics, unsmoothed, 0-100")
    func exercise9_5() throws {
        let perfect = try attempt("9.5") { try bleuScore(matches: [6, 5, 4, 3], totals: [6, 5, 4, 3], hypothesisLength: 6, referenceLength: 6) }
        #expect(abs(perfect - 100) < 1e-9, "every n-gram matching and c = r is BLEU 100, got \(perfect)")
        // A seeded corpus, checked against the module's (sacreBLEU-matched) implementation.
        let corpus = Fixtures.corpora[0]
        let reference = corpusBLEU(hypotheses: corpus.hypotheses, references: corpus.references.map { [$0] }, smoothing: .none)
        let s = reference.statistics
        let got = try bleuScore(matches: s.matches, totals: s.totals, hypothesisLength: s.hypothesisLength, referenceLength: s.referenceLength)
        #expect(abs(got - reference.score) < 1e-9 * reference.score,
                "matches \(s.matches), totals \(s.totals), c = \(s.hypothesisLength), r = \(s.referenceLength) give BLEU \(reference.score), got \(got); remember the brevity penalty and the geometric (not arithmetic) mean")
        let zero = try bleuScore(matches: [6, 3, 1, 0], totals: [6, 5, 4, 3], hypothesisLength: 6, referenceLength: 6)
        #expect(zero == 0, "a precision of 0 makes unsmoothed BLEU 0, got \(zero)")
    }

    @Test("9.6 Longest common subsequence")
    func exercise9_6() throws {
        let a = whitespaceTokens("the cat sat on the mat"), b = whitespaceTokens("the cat on a mat")
        let four = try attempt("9.6") { try lcsLength(a, b) }
        #expect(four == 4, "\"the cat sat on the mat\" and \"the cat on a mat\" share \"the cat on mat\": 4, got \(four)")
        #expect(try lcsLength(b, a) == 4, "LCS is symmetric: swapping the arguments must give 4 too")
        #expect(try lcsLength([], a) == 0, "an empty list shares nothing: 0")
        let shuffled = whitespaceTokens("mat the on sat cat")
        let two = try lcsLength(a, shuffled)
        #expect(two == 2,
                "\"mat the on sat cat\" keeps only 2 tokens in the order of the reference (e.g. \"the on\"); got \(two); matching tokens must be in the same order in both")
        var rng = SeededRandom(seed: 96)
        let x = (0..<25).map { _ in "w\(rng.integer(below: 4))" }, y = (0..<18).map { _ in "w\(rng.integer(below: 4))" }
        let random = try lcsLength(x, y)
        #expect(random == longestCommonSubsequence(x, y),
                "on two random sequences the LCS is \(longestCommonSubsequence(x, y)), got \(random)")
    }
}
