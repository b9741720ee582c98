// The checks of chapter 8's exercises. Each takes a Checker and the student's function, so the
// same check runs on the answer in Exercises/Chapter8 and on the known wrong answers in
// Mutants/Chapter8, which must fail it with a message that names their mistake.

import Decoding
import ExerciseTesting
import Foundation
import ScalarAutodiff

/// A random next-token model over `vocabulary` tokens (token 0 ends): its log-probabilities
/// depend on the whole prefix through a hash, so a search has something to search.
public func randomPrefixModel(seed: UInt64, vocabulary: Int = 6, rows: Int = 64, spread: Double = 1.5) -> NextTokenModel<[Int]> {
    var rng = SeededRandom(seed: seed)
    let table = (0..<rows).map { _ in logSoftmax((0..<vocabulary).map { _ in Float(rng.normal() * spread) }) }
    return NextTokenModel(vocabularySize: vocabulary) { prefix in
        table[prefix.reduce(11) { ($0 &* 31 &+ $1 &+ 1) & 0xFFFF } % rows]
    }
}

/// A list of numbers for a message: `[−1.1, −1.6]`.
func describe(_ xs: [Float]) -> String {
    "[" + xs.map { Checker.format(Double($0)) }.joined(separator: ", ") + "]"
}

/// 8.1: log P = Σ log pₜ, never the product.
public func checkLogSpaceScore(_ c: Checker, _ score: ([Float]) throws -> Float) throws {
    let long = try score([Float](repeating: 0.01, count: 25))
    c.expectClose(long, 25 * log(0.01), tolerance: 1e-5, "log P of 25 tokens of probability 0.01",
                  mistakes: [Mistake(-.infinity, "the log of the product Π p, which underflows Float to 0 (10⁻⁵⁰ < 1.4 × 10⁻⁴⁵): add the logs instead"),
                             Mistake(0, "the product Π p itself, which underflows Float to 0; return the sum of the logs"),
                             Mistake(25 * log10(0.01), "log10 instead of the natural log: use Foundation.log")])
    let short = try score([0.5, 0.25])
    c.expectClose(short, log(0.125), tolerance: 1e-5, "log P of [0.5, 0.25] (log 0.125)",
                  mistakes: [Mistake(0.125, "the product Π p, not its log"),
                             Mistake(log10(0.125), "log10 instead of the natural log: use Foundation.log")])
    let empty = try score([])
    c.expectClose(empty, 0, "log P of the empty sequence (probability 1)",
                  mistakes: [Mistake(1, "the running total must start at 0 (the log of the empty product 1), not at 1")])
    let certain = try score([1, 1, 1])
    c.expectClose(certain, 0, "log P of three tokens of probability 1")
}

/// 8.2: log P / L^α, with α = 0 and L = 0 leaving log P alone.
public func checkLengthNormalisation(_ c: Checker, _ normalise: (Float, Int, Float) throws -> Float) throws {
    let short = try normalise(-1.6, 2, 0.7)
    c.expectClose(short, -1.6 / pow(2, 0.7), tolerance: 1e-5, "\"I am\": log P −1.6, L = 2, α = 0.7 (−1.6 / 2^0.7 = −0.985)",
                  mistakes: [Mistake(-0.8, "divided by L, not L^α"),
                             Mistake(-1.6 * pow(2, 0.7), "multiplied by L^α instead of dividing"),
                             Mistake(-1.6 / pow(0.7, 2), "computed α^L instead of L^α")])
    let long = try normalise(-2.2, 4, 0.7)
    c.expectClose(long, -2.2 / pow(4, 0.7), tolerance: 1e-5, "\"I am a student\": log P −2.2, L = 4, α = 0.7 (−0.834)",
                  mistakes: [Mistake(-0.55, "divided by L, not L^α")])
    let raw = try normalise(-3.3, 7, 0)
    c.expectClose(raw, -3.3, tolerance: 1e-6, "α = 0 must leave log P unchanged (L⁰ = 1)",
                  mistakes: [Mistake(-3.3 / 7, "divided by L, not L^α")])
    let mean = try normalise(-3, 6, 1)
    c.expectClose(mean, -0.5, tolerance: 1e-6, "α = 1 is the mean log-probability per token, −3 / 6")
    let endOnly = try normalise(-0.4, 0, 0.7)
    c.expectClose(endOnly, -0.4, tolerance: 1e-6, "L = 0 (a sequence of only the end token) is left unchanged",
                  mistakes: [Mistake(-.infinity, "0^α = 0, so dividing by it gives −∞: return log P unchanged when L = 0")])
}

/// 8.3: greedy decoding with an end token and a maximum length.
public func checkGreedy(_ c: Checker, _ greedy: (([Int]) -> [Float], Int, Int) throws -> [Int]) throws {
    let toy = LookupTableModel.catsAndDogs
    let end = toy.id("</s>")
    let tokens = try greedy({ toy.logProbabilities(after: $0) }, end, 10)
    c.expectEqual(toy.words(tokens), "The cat sat </s>", "greedy decoding of the chapter's table (section 8.1)",
                  mistakes: [Mistake("The cat sat", "keep the end token in the result: append it, then stop"),
                             Mistake("A dog ran </s>", "that takes the smallest score at each step; take the largest (log-probabilities closer to 0 are more likely)")])
    // A model that never ends: the length limit must stop it.
    let looping = try greedy({ _ in [-2, -0.1, -3] }, 0, 4)
    c.expectEqual(looping, [1, 1, 1, 1], "a model that always prefers token 1, with maxLength = 4",
                  mistakes: [Mistake([1, 1, 1, 1, 1], "one token too many: stop when the result holds maxLength tokens"),
                             Mistake([1, 1, 1], "one token too few: the result may hold maxLength tokens")])
    // Ties go to the lower id.
    let tie = try greedy({ p in p.isEmpty ? [-1, -0.5, -0.5] : [0, -5, -5] }, 0, 5)
    c.expectEqual(tie, [1, 0], "tokens 1 and 2 tie at the first step",
                  mistakes: [Mistake([2, 0], "on a tie the lowest id wins: move to a new best only on a strictly larger score (>, not ≥)")])
    // The same answer as the reference on random models.
    for seed: UInt64 in [83, 84, 85] {
        let model = randomPrefixModel(seed: seed)
        let expected = greedyDecode(model, maxLength: 8, endToken: 0).tokens
        let got = try greedy(model.logProbabilities, 0, 8)
        c.expectEqual(got, expected, "greedy decoding of a random model (seed \(seed), end token 0, maxLength 8)")
    }
}

/// One hypothesis of a beam step, as the exercise passes them.
public typealias Hypothesis = (tokens: [Int], logProbability: Float)

/// A beam step computed with a known mistake, to name it when an answer matches.
func beamStepVariant(_ beams: [Hypothesis], _ next: [[Float]], width: Int,
                     forgetPrefix: Bool = false, keepImpossible: Bool = false, laterFirstOnTies: Bool = false) -> [Hypothesis] {
    var candidates: [Hypothesis] = []
    for (b, beam) in beams.enumerated() {
        for (v, logP) in next[b].enumerated() where keepImpossible || logP > -.infinity {
            candidates.append((beam.tokens + [v], (forgetPrefix ? 0 : beam.logProbability) + logP))
        }
    }
    let order = candidates.indices.sorted { i, j in
        let a = candidates[i].logProbability, b = candidates[j].logProbability
        return a > b || (a == b && (laterFirstOnTies ? i > j : i < j))
    }
    return order.prefix(width).map { candidates[$0] }
}

func sameHypotheses(_ a: [Hypothesis], _ b: [Hypothesis]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in
        x.tokens == y.tokens && (x.logProbability == y.logProbability || abs(x.logProbability - y.logProbability) <= 1e-5)
    }
}

/// Compares a beam step's result with the expected one and says what differs: the count, or the
/// first rank that differs, and the likely mistake.
func compareBeamStep(_ c: Checker, got: [Hypothesis], expected: [Hypothesis], _ what: String,
                     beams: [Hypothesis], next: [[Float]], width: Int) {
    guard !sameHypotheses(got, expected) else { return }
    var message: String
    if got.count != expected.count {
        message = "\(what): expected \(expected.count) hypotheses, got \(got.count)."
    } else {
        let rank = got.indices.first { !sameHypotheses([got[$0]], [expected[$0]]) }!
        message = "\(what): rank \(rank + 1) should be \(expected[rank].tokens) scored \(Checker.format(Double(expected[rank].logProbability))), got \(got[rank].tokens) scored \(Checker.format(Double(got[rank].logProbability)))."
    }
    let known: [(Bool, String)] = [
        (sameHypotheses(got, beamStepVariant(beams, next, width: width, forgetPrefix: true)),
         "the prefix score is forgotten: a candidate scores beams[b].logProbability + next[b][v], not next[b][v] alone"),
        (sameHypotheses(got, beamStepVariant(beams, next, width: width, keepImpossible: true)),
         "extensions scored −∞ (probability 0) must be skipped"),
        (sameHypotheses(got, beamStepVariant(beams, next, width: width, laterFirstOnTies: true)),
         "equal scores are ordered the wrong way: ties go to the lower hypothesis index b, then the lower token v"),
    ]
    if let mistake = known.first(where: { $0.0 }) {
        message += " Likely mistake: \(mistake.1)."
    } else if got.count == expected.count, Set(got.map(\.tokens)) == Set(expected.map(\.tokens)) {
        message += " The right extensions came back in the wrong order: sort by score, best first."
    }
    c.fail(message)
}

/// 8.4: one step of beam search.
public func checkBeamStep(_ c: Checker, _ step: ([Hypothesis], [[Float]], Int) throws -> [Hypothesis]) throws {
    let toy = LookupTableModel.catsAndDogs
    let beams: [Hypothesis] = [(toy.ids("The"), -0.5), (toy.ids("A"), -0.7)]
    let next = beams.map { toy.logProbabilities(after: $0.tokens) }
    let two = try step(beams, next, 2)
    compareBeamStep(c, got: two, expected: [(toy.ids("The cat"), -1.1), (toy.ids("A feline"), -1.6)],
                    "the chapter's step with k = 2 (\"The cat\" −1.1, \"A feline\" −1.6; section 8.3)", beams: beams, next: next, width: 2)
    let wide = try step(beams, next, 10)
    compareBeamStep(c, got: wide, expected: beamStepVariant(beams, next, width: 10),
                    "the same step with k = 10 (only 4 extensions have a probability above 0)", beams: beams, next: next, width: 10)
    // Random scores rounded to halves, so that ties occur.
    var rng = SeededRandom(seed: 84)
    for trial in 0..<3 {
        let logPs: [Float] = [-1, -1.5, -1]
        let rows = (0..<3).map { _ in (0..<5).map { _ in Float(Int(rng.normal() * 2)) / 2 } }
        let random = logPs.enumerated().map { (tokens: [$0.offset, trial], logProbability: $0.element) }
        let got = try step(random, rows, 4)
        compareBeamStep(c, got: got, expected: beamStepVariant(random, rows, width: 4),
                        "random scores with ties (trial \(trial + 1), k = 4)", beams: random, next: rows, width: 4)
    }
}

/// 8.5: softmax(z / T), stable for large logits and tiny temperatures.
public func checkTemperatureSoftmax(_ c: Checker, _ softmaxT: ([Float], Float) throws -> [Float]) throws {
    let logits: [Float] = [2, 1, 0]
    let sharp = try softmaxT(logits, 0.5)
    c.expectClose(sharp, softmax([4, 2, 0]), tolerance: 1e-4, "softmax([2, 1, 0] / 0.5)",
                  mistakes: [Mistake(softmax([1, 0.5, 0]), "multiplied the logits by T instead of dividing"),
                             Mistake(softmax(logits), "the temperature was ignored")])
    let flat = try softmaxT(logits, 2)
    c.expectClose(flat, softmax([1, 0.5, 0]), tolerance: 1e-4, "softmax([2, 1, 0] / 2)",
                  mistakes: [Mistake(softmax([4, 2, 0]), "multiplied the logits by T instead of dividing")])
    let big = try softmaxT([1000, 1001, 1002], 1)
    if let bad = big.firstIndex(where: { !$0.isFinite }) {
        c.fail("softmax([1000, 1001, 1002]) at T = 1: entry \(bad) is \(big[bad]), expected \(Checker.format(Double(softmax([0, 1, 2])[bad]))). Likely mistake: exp(1000) overflows to ∞ and ∞/∞ is NaN; subtract the largest logit before exp.")
    } else {
        c.expectClose(big, softmax([0, 1, 2]), tolerance: 1e-4, "softmax([1000, 1001, 1002]) at T = 1")
    }
    let tiny = try softmaxT([100, 50, 0], 1e-37)
    if let bad = tiny.firstIndex(where: { !$0.isFinite }) {
        c.fail("softmax([100, 50, 0] / T) at T = 1e-37 (the greedy limit, expected [1, 0, 0]): entry \(bad) is \(tiny[bad]). Likely mistake: 100 / 1e-37 overflows Float to ∞, and ∞ − ∞ is NaN; subtract the largest logit before dividing by T.")
    } else {
        c.expectClose(tiny, [1, 0, 0], "softmax([100, 50, 0] / T) at T = 1e-37 (the greedy limit)")
    }
    let ruledOut = try softmaxT([0, -.infinity, 1], 1)
    c.expectClose(ruledOut, [Float(1 / (1 + M_E)), 0, Float(M_E / (1 + M_E))], tolerance: 1e-5,
                  "a logit of −∞ (a token ruled out) gets probability 0")
    let total = try softmaxT([0.3, -1.2, 2.5, 0.7], 0.8).reduce(0, +)
    c.expectClose(total, 1, tolerance: 1e-5, "the probabilities must add up to 1", mistakes: [])
}

/// 8.6: the top-k filter.
public func checkTopK(_ c: Checker, _ keep: ([Float], Int) throws -> [Float]) throws {
    func variant(_ scores: [Float], _ k: Int, laterFirst: Bool = false, ruledOut: Float = -.infinity) -> [Float] {
        let kept = Set(scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && (laterFirst ? $0 > $1 : $0 < $1)) }.prefix(k))
        return scores.indices.map { kept.contains($0) ? scores[$0] : ruledOut }
    }
    func check(_ scores: [Float], _ k: Int, _ what: String) throws {
        let got = try keep(scores, k)
        guard got.count == scores.count else {
            c.fail("\(what): expected \(scores.count) scores, one per token, got \(got.count). Likely mistake: the result keeps every token's position, its score if kept and −∞ if not.")
            return
        }
        c.expectClose(got, topKFilter(scores, k: k), tolerance: 1e-6, what, mistakes: [
            Mistake(variant(scores, k, ruledOut: 0), "a ruled-out token must get −∞, not 0; these are scores, and 0 is a high one"),
            Mistake(variant(scores, k + 1), "one token too many is kept; keep exactly k"),
            Mistake(variant(scores, k, laterFirst: true), "on a tie the lower index wins"),
        ])
    }
    let scores: [Float] = [-1.2, -0.3, -2, -0.3, -0.9]
    try check(scores, 2, "k = 2 on [−1.2, −0.3, −2, −0.3, −0.9]")
    try check(scores, 3, "k = 3 on the same scores")
    try check([0, 0, 0], 1, "k = 1 on [0, 0, 0]")
    try check(scores, 9, "k = 9, more than the vocabulary of 5 (everything is kept)")
    var rng = SeededRandom(seed: 86)
    try check((0..<8).map { _ in Float(rng.normal()) }, 4, "k = 4 on 8 random scores")
}

/// A nucleus computed with a known mistake.
func nucleusVariant(_ p: [Float], _ top: Float, strict: Bool = false, excludeCrossing: Bool = false,
                    unsorted: Bool = false, renormalise: Bool = true) -> [Float] {
    let order = unsorted ? Array(p.indices) : p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
    var kept: [Int] = [], mass: Float = 0
    for v in order {
        if excludeCrossing {
            if mass + p[v] > top && !kept.isEmpty { break }
            kept.append(v)
            mass += p[v]
            continue
        }
        if strict ? mass > top : mass >= top { break }
        kept.append(v)
        mass += p[v]
    }
    var result = [Float](repeating: 0, count: p.count)
    for v in kept { result[v] = renormalise ? p[v] / mass : p[v] }
    return result
}

/// 8.7: the nucleus (top-p) filter.
public func checkNucleus(_ c: Checker, _ keep: ([Float], Float) throws -> [Float]) throws {
    func check(_ probabilities: [Float], _ top: Float, _ what: String) throws {
        let got = try keep(probabilities, top)
        c.expectClose(got, nucleusFilter(probabilities, p: top), tolerance: 1e-5, what, mistakes: [
            Mistake(nucleusVariant(probabilities, top, renormalise: false), "the kept probabilities must be renormalised to add up to 1 (divide by their total)"),
            Mistake(nucleusVariant(probabilities, top, excludeCrossing: true), "the token whose probability carries the total past p is kept; stop after adding it"),
            Mistake(nucleusVariant(probabilities, top, strict: true), "stop as soon as the total reaches p (≥ p, not > p): the nucleus is the smallest such set"),
            Mistake(nucleusVariant(probabilities, top, unsorted: true), "take the tokens from the most likely down, not in index order"),
        ])
    }
    let p: [Float] = [0.5, 0.2, 0.15, 0.1, 0.05]
    try check(p, 0.9, "p = 0.9 on [0.5, 0.2, 0.15, 0.1, 0.05] (section 8.5's table)")
    try check(p, 0.5, "p = 0.5 on the same distribution (the first token alone reaches 0.5)")
    try check([0.05, 0.15, 0.5, 0.1, 0.2], 0.7, "p = 0.7 on [0.05, 0.15, 0.5, 0.1, 0.2] (not sorted)")
    try check([0.25, 0.25, 0.25, 0.25], 0.3, "p = 0.3 on four equal probabilities (ties: the lower index first)")
    try check(p, 1, "p = 1 keeps every token")
}

/// 8.8: the repetition penalty on log-probabilities.
public func checkPenalise(_ c: Checker, _ penalise: ([Float], [Int], Float) throws -> [Float]) throws {
    let logP: [Float] = [0.5, 0.3, 0.2].map { log($0) }
    let root = Float(0.5).squareRoot()
    let got = try penalise(logP, [0, 0], 2).map { exp($0) }
    c.expectClose(got, [0.25 / 0.75, 0.3 / 0.75, 0.2 / 0.75], tolerance: 1e-4,
                  "p = [0.5, 0.3, 0.2] after token 0 (twice), θ = 2, as probabilities (section 8.6)",
                  mistakes: [Mistake([0.0625 / 0.5625, 0.3 / 0.5625, 0.2 / 0.5625], "the token was penalised once per occurrence; penalise each distinct token once"),
                             Mistake([0.25, 0.3, 0.2], "the result was not renormalised: subtract log Σ exp(s) from every score"),
                             Mistake([root / (root + 0.5), 0.3 / (root + 0.5), 0.2 / (root + 0.5)],
                                     "dividing log p by θ raises it (log p ≤ 0); multiply by θ")])
    let none = try penalise(logP, [1, 2], 1)
    c.expectClose(none, logP, tolerance: 1e-5, "θ = 1 changes nothing")
    var rng = SeededRandom(seed: 88)
    let random = logSoftmax((0..<6).map { _ in Float(rng.normal()) })
    let mine = try penalise(random, [4, 1, 4], 1.3)
    c.expectClose(mine, penaliseRepetition(random, previous: [4, 1, 4], theta: 1.3), tolerance: 1e-5,
                  "random log-probabilities after tokens [4, 1, 4], θ = 1.3")
}
