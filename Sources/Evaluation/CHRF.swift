import Foundation
import ScalarAutodiff

// chrF (Popović 2015): an F-score over character n-grams, n = 1 to 6, with recall weighted β = 2
// times as much as precision. Characters need no tokenizer, and a partly right word earns
// partial credit ("cats" and "cat" share every n-gram of "cat"). The numbers match
// sacreBLEU's CHRF(): whitespace removed, characters compared as Unicode scalars, the effective
// order, and the best reference per sentence.

/// chrF's counts for one sentence, or summed over a corpus: for each order n, the hypothesis's
/// character n-grams, the reference's, and the matches (clipped, as in BLEU).
public struct CHRFStatistics: Equatable, Sendable {
    public var hypothesis: [Int]
    public var reference: [Int]
    public var matches: [Int]

    public init(hypothesis: [Int], reference: [Int], matches: [Int]) {
        self.hypothesis = hypothesis
        self.reference = reference
        self.matches = matches
    }

    public static func + (a: CHRFStatistics, b: CHRFStatistics) -> CHRFStatistics {
        CHRFStatistics(hypothesis: zip(a.hypothesis, b.hypothesis).map(+), reference: zip(a.reference, b.reference).map(+),
                       matches: zip(a.matches, b.matches).map(+))
    }
}

/// chrF's settings, as sacreBLEU's `CHRF(...)` holds them.
///
///     chrFβ = 100 · (1 + β²) P R / (β² P + R)
///
/// where P and R are the character n-gram precision and recall averaged over the orders the
/// hypothesis and reference both have (the effective order).
public struct CHRF: Sendable {
    public var characterOrder: Int
    public var beta: Int
    public var lowercase: Bool

    public init(characterOrder: Int = 6, beta: Int = 2, lowercase: Bool = false) {
        require(characterOrder >= 1, "CHRF: the character order must be at least 1, got \(characterOrder)")
        require(beta >= 0, "CHRF: β must be ≥ 0, got \(beta)")
        self.characterOrder = characterOrder
        self.beta = beta
        self.lowercase = lowercase
    }

    /// The metric's name as sacreBLEU prints it: `chrF2`.
    public var name: String { "chrF\(beta)" }

    /// Counts of the character n-grams of a sentence for n = 1...characterOrder, whitespace removed.
    func characterNGrams(_ sentence: String) -> [[[Unicode.Scalar]: Int]] {
        let text = lowercase ? pythonLowercased(sentence) : sentence
        let characters = Array(pythonSplit(text).joined().unicodeScalars)
        return (1...characterOrder).map { n in
            var counts: [[Unicode.Scalar]: Int] = [:]
            if characters.count >= n {
                for start in 0...(characters.count - n) { counts[Array(characters[start..<(start + n)]), default: 0] += 1 }
            }
            return counts
        }
    }

    /// The statistics of a hypothesis against one reference's n-grams.
    func statistics(_ hypothesis: [[[Unicode.Scalar]: Int]], _ reference: [[[Unicode.Scalar]: Int]]) -> CHRFStatistics {
        var result = CHRFStatistics(hypothesis: [], reference: [], matches: [])
        for (h, r) in zip(hypothesis, reference) {
            var matches = 0, total = 0
            for (gram, count) in h {
                total += count
                if let inReference = r[gram] { matches += min(count, inReference) }
            }
            // As in sacreBLEU, an order the reference lacks counts no hypothesis n-grams.
            result.hypothesis.append(r.isEmpty ? 0 : total)
            result.reference.append(r.values.reduce(0, +))
            result.matches.append(matches)
        }
        return result
    }

    /// One sentence's statistics: those of the reference that gives the best chrF (the first on a tie).
    public func statistics(hypothesis: String, references: [String]) -> CHRFStatistics {
        require(!references.isEmpty, "CHRF: a hypothesis needs at least one reference")
        let h = characterNGrams(hypothesis)
        var best = statistics(h, characterNGrams(references[0]))
        var bestScore = score(best)
        for reference in references.dropFirst() {
            let candidate = statistics(h, characterNGrams(reference))
            let s = score(candidate)
            if s > bestScore { (best, bestScore) = (candidate, s) }
        }
        return best
    }

    /// chrF from statistics, on the 0-100 scale.
    public func score(_ s: CHRFStatistics) -> Double {
        var averagePrecision = 0.0, averageRecall = 0.0, orders = 0
        for n in s.hypothesis.indices where s.hypothesis[n] > 0 && s.reference[n] > 0 {
            averagePrecision += Double(s.matches[n]) / Double(s.hypothesis[n])
            averageRecall += Double(s.matches[n]) / Double(s.reference[n])
            orders += 1
        }
        if orders == 0 { return 0 }
        averagePrecision /= Double(orders)
        averageRecall /= Double(orders)
        guard averagePrecision + averageRecall > 0 else { return 0 }
        let factor = Double(beta * beta)
        var f = (1 + factor) * averagePrecision * averageRecall
        f /= factor * averagePrecision + averageRecall
        return 100 * f
    }

    /// Sentence chrF.
    public func sentenceScore(hypothesis: String, references: [String]) -> Double {
        score(statistics(hypothesis: hypothesis, references: references))
    }

    /// Corpus chrF: every sentence's statistics (its best reference's) summed, then one score.
    /// `referenceStreams[k][i]` is the k-th reference of hypothesis i, as in sacreBLEU.
    public func corpusScore(hypotheses: [String], referenceStreams: [[String]]) -> Double {
        let references = transposedStreams(referenceStreams, hypotheses: hypotheses.count, caller: "CHRF")
        let zero = CHRFStatistics(hypothesis: Array(repeating: 0, count: characterOrder),
                                  reference: Array(repeating: 0, count: characterOrder),
                                  matches: Array(repeating: 0, count: characterOrder))
        return score(zip(hypotheses, references).reduce(zero) { $0 + statistics(hypothesis: $1.0, references: $1.1) })
    }

    /// The line the `sacrebleu` command prints in its text format: `chrF2|nrefs:1|…= 81.3`.
    public func formatted(_ score: Double, referenceCount: Int, width: Int = 1) -> String {
        "\(name)|\(signature(referenceCount: referenceCount)) = \(String(format: "%.\(width)f", score))"
    }

    /// sacreBLEU's signature: `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:EncoderDecoderBook`.
    public func signature(referenceCount: Int) -> String {
        "nrefs:\(referenceCount)|case:\(lowercase ? "lc" : "mixed")|eff:yes|nc:\(characterOrder)|nw:0|space:no|version:\(signatureVersion)"
    }
}
