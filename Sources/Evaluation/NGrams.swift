// N-grams: the runs of n consecutive tokens that BLEU and ROUGE-N count.

import ScalarAutodiff

/// n consecutive tokens, compared as sacreBLEU and rouge-score compare them: scalar by scalar.
///
/// Swift's `String ==` treats canonically equivalent strings as equal, so "café" written with é
/// (U+00E9, the NFC form) and with e followed by U+0301 (the NFD form) are one `String`. Python
/// compares code points, so for sacreBLEU they are two different tokens: "le café" against
/// "le cafe\u{301}" has one unigram match in two, not two. An `NGram` hashes and compares the
/// tokens' Unicode scalars, and counts the way the reference tools do.
public struct NGram: Hashable, Sendable, CustomStringConvertible {
    public let tokens: [String]

    public init(_ tokens: [String]) {
        self.tokens = tokens
    }

    public init<S: Sequence>(_ tokens: S) where S.Element == String {
        self.tokens = Array(tokens)
    }

    public static func == (a: NGram, b: NGram) -> Bool {
        a.tokens.count == b.tokens.count
            && zip(a.tokens, b.tokens).allSatisfy { $0.unicodeScalars.elementsEqual($1.unicodeScalars) }
    }

    public func hash(into hasher: inout Hasher) {
        for token in tokens {
            for scalar in token.unicodeScalars { hasher.combine(scalar.value) }
            hasher.combine(UInt32.max)   // a separator no scalar can take
        }
    }

    public var description: String { tokens.joined(separator: " ") }
}

/// Counts of every n-gram (n consecutive tokens) of a token list, tokens compared by Unicode
/// scalars (see ``NGram``).
///
/// "the cat the cat" has bigrams {"the cat": 2, "cat the": 1}. A list shorter than n has none.
public func ngramCounts(_ tokens: [String], n: Int) -> [NGram: Int] {
    require(n >= 1, "ngramCounts: n must be at least 1, got \(n)")
    var counts: [NGram: Int] = [:]
    if tokens.count < n { return counts }
    for start in 0...(tokens.count - n) {
        counts[NGram(tokens[start..<(start + n)]), default: 0] += 1
    }
    return counts
}
