// ROUGE (Lin 2004): recall-oriented overlap between a candidate (often a summary) and a
// reference. The numbers match Google's `rouge-score` package with `use_stemmer=False`,
// including its tokenizer (`rougeTokens`).

/// Precision, recall and their harmonic mean F = 2PR / (P + R) (0 when P + R = 0).
public struct ROUGEScore: Equatable, Sendable {
    public let precision: Double
    public let recall: Double
    public let fMeasure: Double

    public init(precision: Double, recall: Double) {
        self.precision = precision
        self.recall = recall
        self.fMeasure = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }
}

/// rouge-score's default tokenizer: lowercase, turn every character outside a-z and 0-9 into a
/// space, split. "The cat's mat!" gives ["the", "cat", "s", "mat"]. Letters with accents are
/// separators too ("café" gives ["caf"]), exactly as in rouge-score.
public func rougeTokens(_ text: String) -> [String] {
    text.lowercased()
        .split(whereSeparator: { !(("a"..."z").contains($0) || ("0"..."9").contains($0)) })
        .map(String.init)
}

/// ROUGE-N of token lists:
///
///     overlap = Σ_g min(count_cand(g), count_ref(g))   over n-grams g
///     P = overlap / #candidate n-grams,   R = overlap / #reference n-grams
///
/// (each denominator taken as at least 1, so empty inputs score 0).
public func rougeN(candidate: [String], reference: [String], n: Int) -> ROUGEScore {
    let candidateCounts = ngramCounts(candidate, n: n)
    let referenceCounts = ngramCounts(reference, n: n)
    var overlap = 0
    for (gram, count) in referenceCounts { overlap += min(count, candidateCounts[gram] ?? 0) }
    let candidateTotal = max(candidate.count - n + 1, 0)
    let referenceTotal = max(reference.count - n + 1, 0)
    return ROUGEScore(precision: Double(overlap) / Double(max(candidateTotal, 1)),
                      recall: Double(overlap) / Double(max(referenceTotal, 1)))
}

/// The length of the longest common subsequence of two token lists (tokens in the same order,
/// not necessarily adjacent), by dynamic programming over prefixes:
///
///     L[i][j] = L[i−1][j−1] + 1            if aᵢ = bⱼ
///     L[i][j] = max(L[i−1][j], L[i][j−1])  otherwise
///
/// "the cat sat on the mat" and "the cat on a mat" share "the cat on mat": 4.
public func longestCommonSubsequence(_ a: [String], _ b: [String]) -> Int {
    if a.isEmpty || b.isEmpty { return 0 }
    var previous = [Int](repeating: 0, count: b.count + 1)
    var current = previous
    for i in 1...a.count {
        for j in 1...b.count {
            current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// ROUGE-L of token lists: P = LCS / |candidate|, R = LCS / |reference| (0 if either is empty).
/// It rewards words in the right order without asking them to be adjacent.
public func rougeL(candidate: [String], reference: [String]) -> ROUGEScore {
    if candidate.isEmpty || reference.isEmpty { return ROUGEScore(precision: 0, recall: 0) }
    let lcs = Double(longestCommonSubsequence(reference, candidate))
    return ROUGEScore(precision: lcs / Double(candidate.count), recall: lcs / Double(reference.count))
}

/// ROUGE-1, ROUGE-2 and ROUGE-L of a candidate text against a reference text, tokenised by
/// `rougeTokens`: the same numbers as
/// `rouge_scorer.RougeScorer(['rouge1', 'rouge2', 'rougeL'], use_stemmer=False).score(reference, candidate)`
/// (note rouge-score's argument order: target first).
public func rouge(candidate: String, reference: String) -> (rouge1: ROUGEScore, rouge2: ROUGEScore, rougeL: ROUGEScore) {
    let c = rougeTokens(candidate), r = rougeTokens(reference)
    return (rougeN(candidate: c, reference: r, n: 1), rougeN(candidate: c, reference: r, n: 2),
            rougeL(candidate: c, reference: r))
}
