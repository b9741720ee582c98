import Foundation
import ScalarAutodiff

// BLEU as sacreBLEU computes it from text, and the signature that says how: the tokenizer, the
// case, the smoothing and the number of references. Two BLEU scores are comparable only when
// their signatures agree (Post 2018).

/// The name the signatures carry where sacreBLEU writes its version.
public let signatureVersion = "EncoderDecoderBook"

/// BLEU's settings, as sacreBLEU's `BLEU(...)` object holds them, and the scores they give.
///
/// ```swift
/// let metric = BLEU()                                  // 13a tokens, mixed case, 'exp' smoothing
/// let result = metric.corpusScore(hypotheses: hyps, referenceStreams: [refs])
/// print(metric.signature(referenceCount: 1))           // nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:EncoderDecoderBook
/// ```
public struct BLEU: Sendable {
    public var tokenize: BLEUTokenizer
    /// Lowercase both sides first (Python's `str.lower()`).
    public var lowercase: Bool
    public var smoothing: BLEUSmoothing
    /// Average only over the n-gram orders the hypothesis has (sentence BLEU).
    public var effectiveOrder: Bool
    public var maxOrder: Int

    public init(tokenize: BLEUTokenizer = .thirteenA, lowercase: Bool = false, smoothing: BLEUSmoothing = .exp,
                effectiveOrder: Bool = false, maxOrder: Int = 4) {
        require(maxOrder >= 1, "BLEU: maxOrder must be at least 1, got \(maxOrder)")
        self.tokenize = tokenize
        self.lowercase = lowercase
        self.smoothing = smoothing
        self.effectiveOrder = effectiveOrder
        self.maxOrder = maxOrder
    }

    /// The tokens BLEU counts in a sentence: lowercased if asked, trailing whitespace stripped,
    /// tokenized, then split on whitespace as Python's `str.split()` does.
    public func tokens(_ sentence: String) -> [String] {
        let text = lowercase ? pythonLowercased(sentence) : sentence
        return pythonSplit(tokenize.tokenize(pythonRightStripped(text)))
    }

    /// One sentence's statistics against its references.
    public func statistics(hypothesis: String, references: [String]) -> BLEUStatistics {
        require(!references.isEmpty, "BLEU: a hypothesis needs at least one reference")
        return bleuStatistics(hypothesis: tokens(hypothesis), references: references.map(tokens), maxOrder: maxOrder)
    }

    /// Corpus BLEU: the statistics of every sentence summed, then one score.
    ///
    /// `referenceStreams[k][i]` is the k-th reference of hypothesis i, as in sacreBLEU.
    public func corpusScore(hypotheses: [String], referenceStreams: [[String]]) -> BLEUScore {
        let references = transposedStreams(referenceStreams, hypotheses: hypotheses.count, caller: "BLEU")
        let zero = BLEUStatistics(matches: Array(repeating: 0, count: maxOrder), totals: Array(repeating: 0, count: maxOrder),
                                  hypothesisLength: 0, referenceLength: 0)
        let total = zip(hypotheses, references).reduce(zero) { $0 + statistics(hypothesis: $1.0, references: $1.1) }
        return bleuFromStatistics(total, smoothing: smoothing, effectiveOrder: effectiveOrder)
    }

    /// Sentence BLEU of one hypothesis against its references (one or more).
    public func sentenceScore(hypothesis: String, references: [String]) -> BLEUScore {
        bleuFromStatistics(statistics(hypothesis: hypothesis, references: references),
                           smoothing: smoothing, effectiveOrder: effectiveOrder)
    }

    /// sacreBLEU's signature, with ``signatureVersion`` in place of its version:
    /// `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:EncoderDecoderBook`.
    public func signature(referenceCount: Int) -> String {
        let smooth: String
        switch smoothing {
        case .none: smooth = "none"
        case .exp: smooth = "exp"
        case .floor(let k): smooth = "floor[\(String(format: "%.2f", k))]"
        case .addK(let k): smooth = "add-k[\(String(format: "%.2f", k))]"
        }
        return "nrefs:\(referenceCount)|case:\(lowercase ? "lc" : "mixed")|eff:\(effectiveOrder ? "yes" : "no")"
            + "|tok:\(tokenize.rawValue)|smooth:\(smooth)|version:\(signatureVersion)"
    }
}

extension BLEU {
    /// The line the `sacrebleu` command prints in its text format:
    /// `BLEU|nrefs:1|…|version:EncoderDecoderBook = 57.9 90.9/77.8/57.1/40.0 (BP = 0.913 …)`,
    /// the score with `width` decimals.
    public func formatted(_ result: BLEUScore, referenceCount: Int, width: Int = 1) -> String {
        "BLEU|\(signature(referenceCount: referenceCount)) = \(String(format: "%.\(width)f", result.score)) \(result.verbose)"
    }
}

extension BLEUScore {
    /// sacreBLEU's verbose part: `72.1/48.2/33.3/24.1 (BP = 0.979 ratio = 0.979 hyp_len = 47 ref_len = 48)`.
    public var verbose: String {
        let s = statistics
        let ratio = s.referenceLength > 0 ? Double(s.hypothesisLength) / Double(s.referenceLength) : 0
        return precisions.map { String(format: "%.1f", $0) }.joined(separator: "/")
            + " (BP = \(String(format: "%.3f", brevityPenalty)) ratio = \(String(format: "%.3f", ratio))"
            + " hyp_len = \(s.hypothesisLength) ref_len = \(s.referenceLength))"
    }
}

/// sacreBLEU's reference streams, checked and turned into one list of references per hypothesis.
func transposedStreams(_ streams: [[String]], hypotheses: Int, caller: String) -> [[String]] {
    require(hypotheses > 0, "\(caller): the corpus is empty")
    require(!streams.isEmpty, "\(caller): no reference streams were given; pass [references] for one reference per hypothesis")
    for (k, stream) in streams.enumerated() {
        require(stream.count == hypotheses,
                "\(caller): reference stream \(k + 1) has \(stream.count) lines but there are \(hypotheses) hypotheses. "
                + "References come as sacreBLEU's streams: referenceStreams[k][i] is the k-th reference of hypothesis i, "
                + "so one reference per hypothesis is [references]")
    }
    return (0..<hypotheses).map { i in streams.map { $0[i] } }
}
