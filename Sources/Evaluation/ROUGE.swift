// ROUGE (Lin 2004): recall-oriented overlap between a candidate (often a summary) and a
// reference. The numbers match Google's `rouge-score` package: its tokenizer (with or without
// the Porter stemmer), ROUGE-N, ROUGE-L, the summary-level ROUGE-Lsum and `score_multi`.

import ScalarAutodiff

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

    static let zero = ROUGEScore(precision: 0, recall: 0)
}

/// The four measures rouge-score reports.
public struct ROUGEScores: Equatable, Sendable {
    public let rouge1: ROUGEScore
    public let rouge2: ROUGEScore
    public let rougeL: ROUGEScore
    public let rougeLsum: ROUGEScore
}

/// rouge-score's tokenizer: lowercase (as Python does), turn every scalar outside a-z and 0-9
/// into a space, split, and with `stem` replace each token longer than three letters by its
/// Porter stem. "The Cat's mat!" gives ["the", "cat", "s", "mat"].
///
/// Accented letters are separators, as in rouge-score: "café" gives ["caf"]. Decomposed text
/// keeps its base letters: "cafe\u{301}" gives ["cafe"] (the combining accent is the separator),
/// so the tokenizer works on Unicode scalars, not on Swift's Characters, where "e\u{301}" is one.
public func rougeTokens(_ text: String, stem: Bool = false) -> [String] {
    var tokens: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in pythonLowercased(text).unicodeScalars {
        if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
            current.append(scalar)
        } else if !current.isEmpty {
            tokens.append(String(current))
            current = String.UnicodeScalarView()
        }
    }
    if !current.isEmpty { tokens.append(String(current)) }
    return stem ? tokens.map { $0.unicodeScalars.count > 3 ? porterStem($0) : $0 } : tokens
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

/// The table of LCS lengths of every pair of prefixes, L[i][j] for a[..<i] and b[..<j]:
///
///     L[i][j] = L[i−1][j−1] + 1            if aᵢ = bⱼ
///     L[i][j] = max(L[i−1][j], L[i][j−1])  otherwise
func lcsTable(_ a: [String], _ b: [String]) -> [[Int]] {
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in a.indices {
        for j in b.indices {
            table[i + 1][j + 1] = a[i] == b[j] ? table[i][j] + 1 : max(table[i][j + 1], table[i + 1][j])
        }
    }
    return table
}

/// The length of the longest common subsequence of two token lists (tokens in the same order,
/// not necessarily adjacent), by dynamic programming over prefixes, one row at a time.
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

/// The positions in `reference` of one longest common subsequence with `candidate`, read back
/// from the table from the end, as rouge-score does (on a tie it moves up in `reference`).
public func lcsIndices(_ reference: [String], _ candidate: [String]) -> [Int] {
    let table = lcsTable(reference, candidate)
    var i = reference.count, j = candidate.count
    var indices: [Int] = []
    while i > 0 && j > 0 {
        if reference[i - 1] == candidate[j - 1] {
            indices.append(i - 1)
            i -= 1
            j -= 1
        } else if table[i][j - 1] > table[i - 1][j] {
            j -= 1
        } else {
            i -= 1
        }
    }
    return indices.reversed()
}

/// ROUGE-L of token lists: P = LCS / |candidate|, R = LCS / |reference| (0 if either is empty).
/// It rewards words in the right order without asking them to be adjacent.
public func rougeL(candidate: [String], reference: [String]) -> ROUGEScore {
    if candidate.isEmpty || reference.isEmpty { return .zero }
    let lcs = Double(longestCommonSubsequence(reference, candidate))
    return ROUGEScore(precision: lcs / Double(candidate.count), recall: lcs / Double(reference.count))
}

/// Summary-level ROUGE-L (ROUGE-Lsum; Lin 2004, section 3.2) of texts given as sentences of tokens.
///
/// For each reference sentence, the union of its LCS positions with every candidate sentence
/// counts as hits, each token at most as often as it occurs in the reference and in the
/// candidate (rouge-score follows ROUGE 1.5.5 here); P = hits / candidate tokens,
/// R = hits / reference tokens.
public func summaryLevelLCS(candidate: [[String]], reference: [[String]]) -> ROUGEScore {
    let m = reference.reduce(0) { $0 + $1.count }, n = candidate.reduce(0) { $0 + $1.count }
    if m == 0 || n == 0 { return .zero }
    var referenceLeft: [String: Int] = [:], candidateLeft: [String: Int] = [:]
    for sentence in reference { for t in sentence { referenceLeft[t, default: 0] += 1 } }
    for sentence in candidate { for t in sentence { candidateLeft[t, default: 0] += 1 } }
    var hits = 0
    for sentence in reference {
        let union = Set(candidate.flatMap { lcsIndices(sentence, $0) }).sorted()
        for token in union.map({ sentence[$0] }) where (candidateLeft[token] ?? 0) > 0 && (referenceLeft[token] ?? 0) > 0 {
            hits += 1
            candidateLeft[token]! -= 1
            referenceLeft[token]! -= 1
        }
    }
    return ROUGEScore(precision: Double(hits) / Double(n), recall: Double(hits) / Double(m))
}

/// ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum of a candidate text against a reference text, the
/// same numbers as rouge-score's
/// `RougeScorer(['rouge1', 'rouge2', 'rougeL', 'rougeLsum'], use_stemmer=stem).score(reference, candidate)`
/// (note rouge-score's argument order: target first). ROUGE-Lsum splits both texts into
/// sentences at line feeds.
public func rouge(candidate: String, reference: String, stem: Bool = false) -> ROUGEScores {
    let c = rougeTokens(candidate, stem: stem), r = rougeTokens(reference, stem: stem)
    let sentences = { (text: String) in pythonLines(text).filter { !$0.isEmpty }.map { rougeTokens($0, stem: stem) } }
    return ROUGEScores(rouge1: rougeN(candidate: c, reference: r, n: 1), rouge2: rougeN(candidate: c, reference: r, n: 2),
                       rougeL: rougeL(candidate: c, reference: r),
                       rougeLsum: summaryLevelLCS(candidate: sentences(candidate), reference: sentences(reference)))
}

/// Scores against several references, as rouge-score's `score_multi`: for each measure, the
/// reference with the highest F (the first on a tie).
public func rouge(candidate: String, references: [String], stem: Bool = false) -> ROUGEScores {
    require(!references.isEmpty, "rouge: a candidate needs at least one reference")
    let all = references.map { rouge(candidate: candidate, reference: $0, stem: stem) }
    func best(_ measure: KeyPath<ROUGEScores, ROUGEScore>) -> ROUGEScore {
        all.map { $0[keyPath: measure] }.reduce(nil as ROUGEScore?) { best, s in
            guard let best else { return s }
            return s.fMeasure > best.fMeasure ? s : best
        }!
    }
    return ROUGEScores(rouge1: best(\.rouge1), rouge2: best(\.rouge2), rougeL: best(\.rougeL), rougeLsum: best(\.rougeLsum))
}
