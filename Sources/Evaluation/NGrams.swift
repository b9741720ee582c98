// N-grams: the runs of n consecutive tokens that BLEU and ROUGE-N count.

import ScalarAutodiff


/// Counts of every n-gram (n consecutive tokens) of a token list.
///
/// "the cat the cat" has bigrams {"the cat": 2, "cat the": 1}. A list shorter than n has none.
public func ngramCounts(_ tokens: [String], n: Int) -> [[String]: Int] {
    require(n >= 1, "ngramCounts: n must be at least 1, got \(n)")
    var counts: [[String]: Int] = [:]
    if tokens.count < n { return counts }
    for start in 0...(tokens.count - n) {
        counts[Array(tokens[start..<(start + n)]), default: 0] += 1
    }
    return counts
}

/// Splits text on runs of whitespace, like Python's `str.split()` (sacreBLEU's `tokenize='none'`).
public func whitespaceTokens(_ text: String) -> [String] {
    text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
}
