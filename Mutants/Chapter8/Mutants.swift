// Known wrong answers to chapter 8's exercises. Each must fail its exercise's check with a
// message that names its mistake; MutantTests proves it. To add one, write the wrong answer as
// a student would, and the words the diagnosis must contain.

import Chapter8Checks
import Decoding
import ExerciseTesting
import Foundation
import ScalarAutodiff

public let chapter8Mutants: [Mutant] = [
    Mutant("8.1", "takes the log of the product", mentions: "underflows") {
        try checkLogSpaceScore($0) { p in log(p.reduce(1, *)) }
    },
    Mutant("8.1", "uses log10", mentions: "log10") {
        try checkLogSpaceScore($0) { p in p.reduce(0) { $0 + log10($1) } }
    },
    Mutant("8.1", "starts the running total at 1", mentions: "start at 0") {
        try checkLogSpaceScore($0) { p in p.reduce(1) { $0 + log($1) } }
    },
    Mutant("8.2", "divides by L", mentions: "divided by L, not L^α") {
        try checkLengthNormalisation($0) { logP, length, _ in logP / Float(length) }
    },
    Mutant("8.2", "multiplies by L^α", mentions: "multiplied by L^α") {
        try checkLengthNormalisation($0) { logP, length, alpha in logP * pow(Float(length), alpha) }
    },
    Mutant("8.2", "divides by 0^α = 0 for an empty sequence", mentions: "0^α = 0") {
        try checkLengthNormalisation($0) { logP, length, alpha in alpha == 0 ? logP : logP / pow(Float(length), alpha) }
    },
    Mutant("8.3", "drops the end token", mentions: "keep the end token") {
        try checkGreedy($0) { model, end, maxLength in
            var tokens: [Int] = []
            while tokens.count < maxLength {
                let scores = model(tokens)
                var best = 0
                for v in scores.indices where scores[v] > scores[best] { best = v }
                if best == end { break }
                tokens.append(best)
            }
            return tokens
        }
    },
    Mutant("8.3", "breaks ties towards the higher id", mentions: "lowest id wins") {
        try checkGreedy($0) { model, end, maxLength in
            var tokens: [Int] = []
            while tokens.count < maxLength {
                let scores = model(tokens)
                var best = 0
                for v in scores.indices where scores[v] >= scores[best] { best = v }
                tokens.append(best)
                if best == end { break }
            }
            return tokens
        }
    },
    Mutant("8.3", "stops one token late", mentions: "one token too many") {
        try checkGreedy($0) { model, end, maxLength in
            var tokens: [Int] = []
            while tokens.count <= maxLength {
                let scores = model(tokens)
                var best = 0
                for v in scores.indices where scores[v] > scores[best] { best = v }
                tokens.append(best)
                if best == end { break }
            }
            return tokens
        }
    },
    Mutant("8.4", "forgets the prefix score", mentions: "prefix score is forgotten") {
        try checkBeamStep($0) { beams, next, width in
            var candidates: [Hypothesis] = []
            for (b, beam) in beams.enumerated() {
                for (v, logP) in next[b].enumerated() where logP > -.infinity {
                    candidates.append((beam.tokens + [v], logP))
                }
            }
            let order = candidates.indices.sorted { candidates[$0].logProbability > candidates[$1].logProbability || (candidates[$0].logProbability == candidates[$1].logProbability && $0 < $1) }
            return order.prefix(width).map { candidates[$0] }
        }
    },
    Mutant("8.4", "keeps extensions of probability 0", mentions: "must be skipped") {
        try checkBeamStep($0) { beams, next, width in
            var candidates: [Hypothesis] = []
            for (b, beam) in beams.enumerated() {
                for (v, logP) in next[b].enumerated() { candidates.append((beam.tokens + [v], beam.logProbability + logP)) }
            }
            let order = candidates.indices.sorted { candidates[$0].logProbability > candidates[$1].logProbability || (candidates[$0].logProbability == candidates[$1].logProbability && $0 < $1) }
            return order.prefix(width).map { candidates[$0] }
        }
    },
    Mutant("8.4", "breaks ties towards the later candidate", mentions: "ties go to the lower hypothesis") {
        try checkBeamStep($0) { beams, next, width in
            var candidates: [Hypothesis] = []
            for (b, beam) in beams.enumerated() {
                for (v, logP) in next[b].enumerated() where logP > -.infinity {
                    candidates.append((beam.tokens + [v], beam.logProbability + logP))
                }
            }
            let order = candidates.indices.sorted { candidates[$0].logProbability > candidates[$1].logProbability || (candidates[$0].logProbability == candidates[$1].logProbability && $0 > $1) }
            return order.prefix(width).map { candidates[$0] }
        }
    },
    Mutant("8.5", "multiplies by T", mentions: "multiplied the logits by T") {
        try checkTemperatureSoftmax($0) { z, t in
            let m = z.max()!
            let e = z.map { exp(($0 - m) * t) }
            let total = e.reduce(0, +)
            return e.map { $0 / total }
        }
    },
    Mutant("8.5", "never subtracts the largest logit", mentions: "overflows to ∞") {
        try checkTemperatureSoftmax($0) { z, t in
            let e = z.map { exp($0 / t) }
            let total = e.reduce(0, +)
            return e.map { $0 / total }
        }
    },
    Mutant("8.5", "divides by T before subtracting the largest", mentions: "before dividing by T") {
        try checkTemperatureSoftmax($0) { z, t in
            let scaled = z.map { $0 / t }
            let m = scaled.max()!
            let e = scaled.map { exp($0 - m) }
            let total = e.reduce(0, +)
            return e.map { $0 / total }
        }
    },
    Mutant("8.6", "sets ruled-out tokens to 0", mentions: "not 0") {
        try checkTopK($0) { scores, k in
            let kept = Set(scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(k))
            return scores.indices.map { kept.contains($0) ? scores[$0] : 0 }
        }
    },
    Mutant("8.6", "keeps k + 1 tokens", mentions: "one token too many") {
        try checkTopK($0) { scores, k in
            let kept = Set(scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(k + 1))
            return scores.indices.map { kept.contains($0) ? scores[$0] : -.infinity }
        }
    },
    Mutant("8.6", "breaks ties towards the higher index", mentions: "lower index wins") {
        try checkTopK($0) { scores, k in
            let kept = Set(scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }.prefix(k))
            return scores.indices.map { kept.contains($0) ? scores[$0] : -.infinity }
        }
    },
    Mutant("8.7", "leaves out the token that crosses p", mentions: "carries the total past p") {
        try checkNucleus($0) { p, top in
            let order = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
            var kept: [Int] = [], mass: Float = 0
            for v in order {
                if !kept.isEmpty && mass + p[v] > top { break }
                kept.append(v)
                mass += p[v]
            }
            var result = [Float](repeating: 0, count: p.count)
            for v in kept { result[v] = p[v] / mass }
            return result
        }
    },
    Mutant("8.7", "forgets to renormalise", mentions: "renormalised") {
        try checkNucleus($0) { p, top in
            let order = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
            var result = [Float](repeating: 0, count: p.count), mass: Float = 0
            for v in order where mass < top {
                result[v] = p[v]
                mass += p[v]
            }
            return result
        }
    },
    Mutant("8.7", "stops only once the total exceeds p", mentions: "≥ p, not > p") {
        try checkNucleus($0) { p, top in
            let order = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
            var kept: [Int] = [], mass: Float = 0
            for v in order where mass <= top {
                kept.append(v)
                mass += p[v]
            }
            var result = [Float](repeating: 0, count: p.count)
            for v in kept { result[v] = p[v] / mass }
            return result
        }
    },
    Mutant("8.8", "penalises a token once per occurrence", mentions: "once per occurrence") {
        try checkPenalise($0) { logP, previous, theta in
            var s = logP
            for v in previous { s[v] *= theta }
            let m = s.max()!
            let total = m + log(s.reduce(0) { $0 + exp($1 - m) })
            return s.map { $0 - total }
        }
    },
    Mutant("8.8", "does not renormalise", mentions: "not renormalised") {
        try checkPenalise($0) { logP, previous, theta in
            var s = logP
            for v in Set(previous) { s[v] *= theta }
            return s
        }
    },
    Mutant("8.8", "divides log p by θ", mentions: "multiply by θ") {
        try checkPenalise($0) { logP, previous, theta in
            var s = logP
            for v in Set(previous) { s[v] /= theta }
            let m = s.max()!
            let total = m + log(s.reduce(0) { $0 + exp($1 - m) })
            return s.map { $0 - total }
        }
    },
]

/// A student's beam search, with a switch for each mistake below.
private func studentBeamSearch(_ model: NextTokenModel<[Int]>, width: Int, maxLength: Int, endToken: Int, alpha: Float,
                               dropOpenAtTheLimit: Bool = false, rawScores: Bool = false, countEndToken: Bool = false,
                               onlyWidthCandidates: Bool = false) -> [DecodedSequence] {
    var open: [(tokens: [Int], logP: Float, state: [Int])] = [([], 0, model.start)]
    var done: [DecodedSequence] = []
    for step in 1...maxLength {
        var candidates: [(b: Int, v: Int, score: Float)] = []
        for (b, h) in open.enumerated() {
            for (v, lp) in model.logProbabilities(h.state).enumerated() where lp > -.infinity { candidates.append((b, v, h.logP + lp)) }
        }
        let best = candidates.enumerated().sorted { $0.element.score > $1.element.score || ($0.element.score == $1.element.score && $0.offset < $1.offset) }
            .map(\.element).prefix(onlyWidthCandidates ? width : 2 * width)
        var next: [(tokens: [Int], logP: Float, state: [Int])] = []
        for (rank, cand) in best.enumerated() {
            let h = open[cand.b]
            if cand.v == endToken {
                if rank < width { done.append(DecodedSequence(tokens: h.tokens + [cand.v], logProbability: cand.score, isFinished: true)) }
            } else if next.count < width {
                next.append((h.tokens + [cand.v], cand.score, model.advance(h.state, cand.v)))
            }
        }
        open = next
        if open.isEmpty { break }
        if done.count >= width && (dropOpenAtTheLimit || step < maxLength) { break }
    }
    var all = done
    if !(dropOpenAtTheLimit && done.count >= width) && open.allSatisfy({ $0.tokens.count == maxLength }) {
        all += open.map { DecodedSequence(tokens: $0.tokens, logProbability: $0.logP, isFinished: false) }
    }
    func score(_ s: DecodedSequence) -> Float {
        if rawScores || alpha == 0 { return s.logProbability }
        let length = countEndToken ? s.tokens.count : (s.isFinished ? s.tokens.count - 1 : s.tokens.count)
        return length == 0 ? s.logProbability : s.logProbability / pow(Float(length), alpha)
    }
    return Array(all.enumerated().sorted { score($0.element) > score($1.element) || (score($0.element) == score($1.element) && $0.offset < $1.offset) }
        .map(\.element).prefix(width))
}

/// A student's nucleus sampler, with a switch for each mistake below.
private func studentNucleusSample(_ model: NextTokenModel<[Int]>, maxLength: Int, endToken: Int, temperature: Float, topP: Float,
                                  rng: inout SeededRandom, noFilter: Bool = false, excludeCrossing: Bool = false,
                                  filteredLogP: Bool = false, multiplyByT: Bool = false, twoDraws: Bool = false) -> DecodedSequence {
    var tokens: [Int] = [], logP: Float = 0
    while tokens.count < maxLength {
        let z = model.logProbabilities(tokens)
        let q = softmax(z.map { multiplyByT ? $0 * temperature : $0 / temperature })
        var p = q
        if !noFilter {
            let order = q.indices.sorted { q[$0] > q[$1] || (q[$0] == q[$1] && $0 < $1) }
            var kept: [Int] = [], total: Float = 0
            for v in order {
                if excludeCrossing && !kept.isEmpty && total + q[v] > topP { break }
                kept.append(v)
                total += q[v]
                if !excludeCrossing && total >= topP { break }
            }
            p = q.indices.map { kept.contains($0) ? q[$0] / total : 0 }
        }
        if twoDraws { _ = rng.uniform() }
        let target = rng.uniform() * p.reduce(0.0) { $0 + Double($1) }
        var running = 0.0, token = p.lastIndex { $0 > 0 }!
        for (v, x) in p.enumerated() {
            running += Double(x)
            if target < running { token = v; break }
        }
        tokens.append(token)
        logP += filteredLogP ? log(p[token]) : z[token]
        if token == endToken { return DecodedSequence(tokens: tokens, logProbability: logP, isFinished: true) }
    }
    return DecodedSequence(tokens: tokens, logProbability: logP, isFinished: false)
}

public let chapter8DecoderMutants: [Mutant] = [
    Mutant("8.9", "drops the open hypotheses at the maximum length once k have finished", mentions: "compete with the finished ones") {
        try checkBeamDecode($0) { studentBeamSearch($0, width: $1, maxLength: $2, endToken: $3, alpha: $4, dropOpenAtTheLimit: true) }
    },
    Mutant("8.9", "ranks the results by raw log P", mentions: "not by log P") {
        try checkBeamDecode($0) { studentBeamSearch($0, width: $1, maxLength: $2, endToken: $3, alpha: $4, rawScores: true) }
    },
    Mutant("8.9", "counts the end token in L", mentions: "does not count the end token") {
        try checkBeamDecode($0) { studentBeamSearch($0, width: $1, maxLength: $2, endToken: $3, alpha: $4, countEndToken: true) }
    },
    Mutant("8.9", "takes only the k best candidates", mentions: "2k best candidates") {
        try checkBeamDecode($0) { studentBeamSearch($0, width: $1, maxLength: $2, endToken: $3, alpha: $4, onlyWidthCandidates: true) }
    },
    Mutant("8.10", "samples the whole distribution", mentions: "keep only the nucleus") {
        try checkNucleusSample($0) { studentNucleusSample($0, maxLength: $1, endToken: $2, temperature: $3, topP: $4, rng: &$5, noFilter: true) }
    },
    Mutant("8.10", "leaves the crossing token out of the nucleus", mentions: "carries the total past p") {
        try checkNucleusSample($0) { studentNucleusSample($0, maxLength: $1, endToken: $2, temperature: $3, topP: $4, rng: &$5, excludeCrossing: true) }
    },
    Mutant("8.10", "adds the filtered log-probability", mentions: "log P is the model's") {
        try checkNucleusSample($0) { studentNucleusSample($0, maxLength: $1, endToken: $2, temperature: $3, topP: $4, rng: &$5, filteredLogP: true) }
    },
    Mutant("8.10", "multiplies the logits by T", mentions: "divide them by T") {
        try checkNucleusSample($0) { studentNucleusSample($0, maxLength: $1, endToken: $2, temperature: $3, topP: $4, rng: &$5, multiplyByT: true) }
    },
    Mutant("8.10", "draws two random numbers per token", mentions: "exactly one rng.uniform()") {
        try checkNucleusSample($0) { studentNucleusSample($0, maxLength: $1, endToken: $2, temperature: $3, topP: $4, rng: &$5, twoDraws: true) }
    },
]
