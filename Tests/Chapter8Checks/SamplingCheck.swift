// The check of exercise 8.10, seeded nucleus sampling, against the book's `ancestralSample`.

import Decoding
import ExerciseTesting
import Foundation
import ScalarAutodiff

/// Ways a nucleus sampler goes wrong, each a switch of ``nucleusSampleVariant``.
struct SamplerMistakes {
    var multiplyByTemperature = false
    var noNucleus = false
    var excludeCrossing = false
    var filteredLogP = false
    var twoUniforms = false
}

/// The book's sampler with one mistake switched on, to name it when an answer matches it.
func nucleusSampleVariant(_ model: NextTokenModel<[Int]>, maxLength: Int, endToken: Int, temperature: Float, topP: Float,
                          rng: inout SeededRandom, _ m: SamplerMistakes) -> DecodedSequence {
    var tokens: [Int] = [], logP: Float = 0
    while tokens.count < maxLength {
        let z = model.logProbabilities(tokens)
        let q = softmax(z.map { m.multiplyByTemperature ? $0 * temperature : $0 / temperature })
        var p = q
        if !m.noNucleus {
            if m.excludeCrossing {
                let order = q.indices.sorted { q[$0] > q[$1] || (q[$0] == q[$1] && $0 < $1) }
                var kept: [Int] = [], mass: Float = 0
                for v in order {
                    if !kept.isEmpty && mass + q[v] > topP { break }
                    kept.append(v)
                    mass += q[v]
                }
                p = q.indices.map { kept.contains($0) ? q[$0] / mass : 0 }
            } else {
                p = nucleusFilter(q, p: topP)
            }
        }
        if m.twoUniforms { _ = rng.uniform() }
        let token = rng.categorical(p.map(Double.init))
        tokens.append(token)
        logP += m.filteredLogP ? log(p[token]) : z[token]
        if token == endToken { return DecodedSequence(tokens: tokens, logProbability: logP, isFinished: true) }
    }
    return DecodedSequence(tokens: tokens, logProbability: logP, isFinished: false)
}

/// 8.10: seeded nucleus sampling, token for token the book's.
public func checkNucleusSample(_ c: Checker,
                               _ sample: (NextTokenModel<[Int]>, Int, Int, Float, Float, inout SeededRandom) throws -> DecodedSequence) throws {
    let settings: [(temperature: Float, topP: Float)] = [(1, 0.9), (0.7, 0.9), (1.5, 0.5), (1, 1), (0.5, 0.6)]
    for modelSeed: UInt64 in [21, 22] {
        let model = randomPrefixModel(seed: modelSeed, vocabulary: 8, spread: 1.2)
        for (t, p) in settings {
            for drawSeed: UInt64 in 1...6 {
                var mine = SeededRandom(seed: drawSeed), book = SeededRandom(seed: drawSeed)
                let got = try sample(model, 10, 0, t, p, &mine)
                let expected = ancestralSample(model, maxLength: 10, rules: DecodingRules(endToken: 0), temperature: t, topP: p, rng: &book)
                let what = "random model \(modelSeed), T = \(Checker.format(Double(t))), p = \(Checker.format(Double(p))), seed \(drawSeed)"
                if got.tokens != expected.tokens || got.isFinished != expected.isFinished {
                    c.fail(samplingDiagnosis(got, expected, model: model, temperature: t, topP: p, seed: drawSeed, what))
                    return
                }
                if abs(got.logProbability - expected.logProbability) > 1e-4 {
                    var variant = SeededRandom(seed: drawSeed)
                    let filtered = nucleusSampleVariant(model, maxLength: 10, endToken: 0, temperature: t, topP: p, rng: &variant, SamplerMistakes(filteredLogP: true))
                    var message = "\(what): the right tokens \(got.tokens), but log P \(Checker.format(Double(got.logProbability))) instead of \(Checker.format(Double(expected.logProbability)))."
                    if abs(got.logProbability - filtered.logProbability) <= 1e-4 {
                        message += " Likely mistake: log P is the model's, the sum of z[token] before the temperature and the filter, not the log of the filtered probabilities."
                    }
                    c.fail(message)
                    return
                }
                if mine.uniform() != book.uniform() {
                    c.fail("\(what): the right sequence, but the generator was left in another state. Likely mistake: draw exactly one rng.uniform() per token, and nothing else.")
                    return
                }
            }
        }
    }
}

/// Where a sample parted from the book's, what the nucleus was there, and the likely mistake.
func samplingDiagnosis(_ got: DecodedSequence, _ expected: DecodedSequence, model: NextTokenModel<[Int]>,
                       temperature: Float, topP: Float, seed: UInt64, _ what: String) -> String {
    let step = zip(got.tokens, expected.tokens).prefix { $0 == $1 }.count
    var message = "\(what): the sample should be \(expected.tokens), got \(got.tokens)"
    if step < got.tokens.count && step < expected.tokens.count {
        let prefix = Array(expected.tokens.prefix(step))
        let nucleus = samplingDistribution(model.logProbabilities(prefix), temperature: temperature, topP: topP)
        let kept = nucleus.indices.filter { nucleus[$0] > 0 }.map { "\($0): \(Checker.format(Double(nucleus[$0])))" }
        message += ". They part at token \(step + 1) (after \(prefix)), where the nucleus is {\(kept.joined(separator: ", "))}; the book drew \(expected.tokens[step]), you drew \(got.tokens[step])"
        if nucleus[got.tokens[step]] == 0 { message += ", which is outside the nucleus" }
    } else if got.tokens.count > expected.tokens.count {
        message += ". Yours goes on after the book's stopped"
    }
    message += "."
    let variants: [(SamplerMistakes, String)] = [
        (SamplerMistakes(multiplyByTemperature: true), "the logits were multiplied by T; divide them by T"),
        (SamplerMistakes(noNucleus: true), "the whole distribution was sampled: keep only the nucleus, the most likely tokens whose total reaches p"),
        (SamplerMistakes(excludeCrossing: true), "the token whose probability carries the total past p belongs to the nucleus"),
        (SamplerMistakes(twoUniforms: true), "more than one random number was drawn per token: use exactly one rng.uniform()"),
    ]
    for (mistake, explanation) in variants {
        var rng = SeededRandom(seed: seed)
        let v = nucleusSampleVariant(model, maxLength: 10, endToken: 0, temperature: temperature, topP: topP, rng: &rng, mistake)
        if v.tokens == got.tokens {
            return message + " Likely mistake: \(explanation)."
        }
    }
    if got.tokens.dropLast().contains(0) {
        message += " Likely mistake: the sequence must stop right after the end token (token 0)."
    } else if got.tokens.count > 10 {
        message += " Likely mistake: stop when the sequence holds maxLength tokens."
    }
    return message
}
