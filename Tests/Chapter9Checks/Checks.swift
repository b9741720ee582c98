// The checks of chapter 9's exercises. Each takes a Checker and the student's function, so the
// same check runs on the answer in Exercises/Chapter9 and on the known wrong answers in
// Mutants/Chapter9, which must fail it with a message that names their mistake.

import Evaluation
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors

/// Words split on spaces (the checks' sentences have single spaces).
func words(_ sentence: String) -> [String] {
    sentence.split(separator: " ").map(String.init)
}

/// 9.1: q = (1 − ε) · onehot(y) + ε / V.
public func checkLabelSmoothingTargets(_ c: Checker, _ targets: (Int, Int, Float) throws -> [Float]) throws {
    let q = try targets(0, 3, 0.1)
    c.expectClose(q, [0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3], tolerance: 1e-6, "V = 3, y = 0, ε = 0.1",
                  mistakes: [Mistake([0.9, 0.05, 0.05], "that spreads ε over the V − 1 wrong classes; PyTorch's convention, used here, spreads it over all V classes, the gold one included"),
                             Mistake([0.9, 0.1 / 3, 0.1 / 3], "the gold class also gets its share ε/V on top of 1 − ε"),
                             Mistake([0.1 + 0.9 / 3, 0.9 / 3, 0.9 / 3], "ε and 1 − ε are swapped: the gold class keeps 1 − ε")])
    let wide = try targets(7, 10, 0.2)
    var expected = [Float](repeating: 0.02, count: 10)
    expected[7] = 0.82
    c.expectClose(wide, expected, tolerance: 1e-6, "V = 10, y = 7, ε = 0.2")
    c.expectClose(wide.reduce(0, +), 1, tolerance: 1e-5, "the targets' total (a distribution sums to 1)")
    let none = try targets(1, 4, 0)
    c.expectClose(none, [0, 1, 0, 0], "ε = 0 is the plain one-hot vector")
}

/// 9.2: PPL = exp(−(1/T) Σ log p).
public func checkPerplexity(_ c: Checker, _ ppl: ([Double]) throws -> Double) throws {
    let logPs = [0.5, 0.25, 0.125].map { log($0) }
    let four = try ppl(logPs)
    c.expectClose(four, 4, tolerance: 1e-9, "the perplexity of gold probabilities [0.5, 0.25, 0.125]",
                  mistakes: [Mistake(64, "the log-probabilities were summed, not averaged: divide by the number of tokens"),
                             Mistake(0.25, "the sign is wrong: the NLL is −log p, so PPL = exp(−mean log p)"),
                             Mistake((2 + 4 + 8) / 3.0, "that is the arithmetic mean of 1/p; perplexity is exp of the mean NLL, a geometric mean"),
                             Mistake(log(4), "that is the mean NLL itself; exponentiate it")])
    let sure = try ppl([0, 0])
    c.expectClose(sure, 1, tolerance: 1e-12, "the perplexity of a model that gives every gold token probability 1")
    var rng = SeededRandom(seed: 95)
    let random = (0..<30).map { _ in log(0.01 + rng.uniform() * 0.99) }
    c.expectClose(try ppl(random), corpusPerplexity(tokenLogProbabilities: random), tolerance: 1e-9,
                  "the perplexity of 30 random gold log-probabilities")
}

/// Clipped counts computed with a known mistake.
func clippedVariant(_ hypothesis: [String], _ references: [[String]], _ n: Int,
                    sumOverReferences: Bool = false, noClipping: Bool = false, firstReferenceOnly: Bool = false,
                    distinctTotal: Bool = false) -> (matches: Int, total: Int) {
    func counts(_ tokens: [String]) -> [[String]: Int] {
        var result: [[String]: Int] = [:]
        if tokens.count >= n { for i in 0...(tokens.count - n) { result[Array(tokens[i..<i + n]), default: 0] += 1 } }
        return result
    }
    let hyp = counts(hypothesis)
    var limit: [[String]: Int] = [:]
    for reference in firstReferenceOnly ? Array(references.prefix(1)) : references {
        for (gram, count) in counts(reference) { limit[gram] = sumOverReferences ? (limit[gram] ?? 0) + count : max(limit[gram] ?? 0, count) }
    }
    let matches = hyp.reduce(0) { total, entry in
        guard let l = limit[entry.key] else { return total }
        return total + (noClipping ? entry.value : min(entry.value, l))
    }
    return (matches, distinctTotal ? hyp.count : max(hypothesis.count - n + 1, 0))
}

/// 9.3: BLEU's clipped n-gram precision, numerator and denominator.
public func checkClippedPrecision(_ c: Checker, _ clipped: ([String], [[String]], Int) throws -> (matches: Int, total: Int)) throws {
    func check(_ hypothesis: String, _ references: [String], _ n: Int, _ what: String) throws {
        let h = words(hypothesis), r = references.map(words)
        let got = try clipped(h, r, n)
        let expected = modifiedPrecision(hypothesis: h, references: r, n: n)
        guard got != expected else { return }
        var message = "\(what), n = \(n): expected \(expected.matches) matches of \(expected.total), got \(got.matches) of \(got.total)."
        let known: [((matches: Int, total: Int), String)] = [
            (clippedVariant(h, r, n, sumOverReferences: true), "the counts were added over the references; clip by the largest count in any one reference (the maximum, not the sum)"),
            (clippedVariant(h, r, n, noClipping: true), "the counts were not clipped: an n-gram is credited at most as often as it occurs in a reference"),
            (clippedVariant(h, r, n, firstReferenceOnly: true), "only the first reference was used; take, per n-gram, the largest count over all references"),
            (clippedVariant(h, r, n, distinctTotal: true), "the total counts distinct n-grams; it counts every hypothesis n-gram, repeats included"),
        ]
        if got.total == expected.total + 1 || got.total < 0 {
            message += " Likely mistake: a hypothesis of L tokens has max(0, L − n + 1) n-grams."
        } else if let mistake = known.first(where: { $0.0 == got }) {
            message += " Likely mistake: \(mistake.1)."
        }
        c.fail(message)
    }
    try check("the the the the the the the", ["the cat is on the mat"], 1, "seven \"the\" against \"the cat is on the mat\" (section 9.3)")
    try check("the the the", ["the cat", "the dog"], 1, "\"the the the\" against \"the cat\" and \"the dog\"")
    try check("the cat the cat on the mat", ["the cat sat on the mat", "a cat on the mat with the cat"], 2, "two references")
    let hypothesis = "the cat is on the mat"
    for n in 1...4 {
        try check(hypothesis, ["the cat sat on the mat", "there is a cat on the mat"], n, "\"\(hypothesis)\" against section 9.5's two references")
    }
    try check("cat", ["the cat"], 2, "a one-token hypothesis")
    var rng = SeededRandom(seed: 93)
    for trial in 1...3 {
        let sentence = { (length: Int) in (0..<length).map { _ in "w\(rng.integer(below: 4))" }.joined(separator: " ") }
        let h = sentence(12), r = [sentence(10), sentence(14), sentence(9)]
        for n in 1...3 { try check(h, r, n, "random sentence \(trial) against three references") }
    }
}

/// 9.4: the brevity penalty.
public func checkBrevity(_ c: Checker, _ brevity: (Int, Int) throws -> Double) throws {
    c.expectClose(try brevity(6, 8), exp(1 - 8.0 / 6), tolerance: 1e-12, "BP for c = 6, r = 8 (exp(1 − 8/6) = 0.7165)",
                  mistakes: [Mistake(1, "r/c was divided in Int (8/6 is 1): convert to Double first"),
                             Mistake(exp(1 - 6.0 / 8), "the ratio is upside down: BP = exp(1 − r/c), not exp(1 − c/r)")])
    c.expectClose(try brevity(12, 8), 1, tolerance: 1e-12, "BP for c = 12, r = 8",
                  mistakes: [Mistake(exp(1 - 8.0 / 12), "a hypothesis at least as long as the reference is not penalised: BP = 1 when c ≥ r")])
    c.expectClose(try brevity(8, 8), 1, tolerance: 1e-12, "BP for c = r = 8")
    c.expectClose(try brevity(0, 8), 0, tolerance: 1e-12, "BP for an empty hypothesis (c = 0)")
    c.expectClose(try brevity(3, 6), exp(-1.0), tolerance: 1e-12, "BP for c = 3, r = 6 (e⁻¹)")
}

/// 9.5: unsmoothed BLEU from corpus statistics.
public func checkBLEUScore(_ c: Checker, _ score: ([Int], [Int], Int, Int) throws -> Double) throws {
    func check(_ s: BLEUStatistics, _ what: String) throws {
        let got = try score(s.matches, s.totals, s.hypothesisLength, s.referenceLength)
        let expected = bleuFromStatistics(s, smoothing: .none).score
        let p = zip(s.matches, s.totals).map { Double($0) / Double($1) }
        let bp = brevityPenalty(hypothesisLength: s.hypothesisLength, referenceLength: s.referenceLength)
        let geometric = exp(p.map { log($0) }.reduce(0, +) / 4)
        c.expectClose(got, expected, tolerance: 1e-9,
                      "\(what): matches \(s.matches), totals \(s.totals), c = \(s.hypothesisLength), r = \(s.referenceLength)",
                      mistakes: [Mistake(100 * bp * p.reduce(0, +) / 4, "that is the arithmetic mean of the precisions; BLEU takes the geometric mean, exp((1/4) Σ log pₙ)"),
                                 Mistake(100 * geometric, "the brevity penalty is missing"),
                                 Mistake(bp * geometric, "BLEU is reported on sacreBLEU's 0-100 scale: multiply by 100")])
    }
    try check(BLEUStatistics(matches: [6, 5, 4, 3], totals: [6, 5, 4, 3], hypothesisLength: 6, referenceLength: 6), "a perfect match")
    // A seeded corpus of noisy copies, its statistics summed by the book's bleuStatistics.
    var rng = SeededRandom(seed: 97)
    var total = BLEUStatistics(matches: [0, 0, 0, 0], totals: [0, 0, 0, 0], hypothesisLength: 0, referenceLength: 0)
    for _ in 0..<20 {
        let reference = (0..<(3 + rng.integer(below: 10))).map { _ in "w\(rng.integer(below: 8))" }
        var hypothesis = reference.map { rng.uniform() < 0.7 ? $0 : "w\(rng.integer(below: 8))" }
        if rng.uniform() < 0.3 { hypothesis = Array(hypothesis.prefix(max(1, hypothesis.count - 1 - rng.integer(below: 3)))) }
        total = total + bleuStatistics(hypothesis: hypothesis, references: [reference])
    }
    try check(total, "a seeded corpus of 20 noisy copies")
    let zero = try score([6, 3, 1, 0], [6, 5, 4, 3], 6, 6)
    c.expectClose(zero, 0, tolerance: 1e-12, "unsmoothed BLEU when the 4-gram precision is 0/3 (section 9.5's example)")
}

/// 9.6: the length of the longest common subsequence.
public func checkLCS(_ c: Checker, _ lcs: ([String], [String]) throws -> Int) throws {
    func check(_ a: [String], _ b: [String], _ what: String) throws {
        let got = try lcs(a, b)
        let expected = longestCommonSubsequence(a, b)
        guard got != expected else { return }
        var message = "\(what): expected \(expected), got \(got)."
        var counts: [String: Int] = [:]
        for t in b { counts[t, default: 0] += 1 }
        let shared = a.reduce(0) { total, t in
            guard let n = counts[t], n > 0 else { return total }
            counts[t] = n - 1
            return total + 1
        }
        var substring = 0
        for i in a.indices { for j in b.indices {
            var k = 0
            while i + k < a.count && j + k < b.count && a[i + k] == b[j + k] { k += 1 }
            substring = max(substring, k)
        } }
        if got == shared && shared != expected {
            message += " Likely mistake: that counts the shared tokens in any order; a subsequence keeps the tokens in the same order in both."
        } else if got == substring && substring != expected {
            message += " Likely mistake: that is the longest common run of adjacent tokens; a subsequence may skip tokens in between."
        }
        c.fail(message)
    }
    let a = words("the cat sat on the mat"), b = words("the cat on a mat")
    try check(a, b, "\"the cat sat on the mat\" and \"the cat on a mat\" (section 9.6: \"the cat on mat\")")
    try check(b, a, "the same pair swapped")
    try check([], a, "an empty list and a sentence")
    try check(a, words("mat the on sat cat"), "\"the cat sat on the mat\" and \"mat the on sat cat\"")
    var rng = SeededRandom(seed: 96)
    for _ in 0..<3 {
        let x = (0..<25).map { _ in "w\(rng.integer(below: 4))" }, y = (0..<18).map { _ in "w\(rng.integer(below: 4))" }
        try check(x, y, "two random sequences of 25 and 18 tokens over 4 words")
    }
}
