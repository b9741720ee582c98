import Foundation
import ScalarAutodiff

/// A toy language model given as a table: for each prefix of words, the log-probabilities of
/// the words that may follow. Every word not listed after a prefix has probability 0 (−∞).
///
/// The chapter's worked examples are lookup tables, small enough to follow every step by hand:
///
/// ```swift
/// let toy = LookupTableModel(vocabulary: ["</s>", "The", "A", "cat"], table: [
///     "":        ["The": -0.5, "A": -0.7],
///     "The":     ["cat": -0.6],
///     "A":       ["cat": -0.9],
///     "The cat": ["</s>": 0],
///     "A cat":   ["</s>": 0],
/// ])
/// let best = greedyDecode(toy.model, maxLength: 5, endToken: toy.id("</s>"))
/// print(toy.words(best.tokens))        // The cat </s>
/// ```
///
/// The numbers are chosen for easy arithmetic, not to sum to 1; the search only adds and compares
/// them (sampling renormalises).
public struct LookupTableModel: Sendable {
    public let vocabulary: [String]
    /// Prefix (words joined by single spaces; "" before the first word) → next word → log-probability.
    public let table: [String: [String: Float]]

    public init(vocabulary: [String], table: [String: [String: Float]]) {
        require(Set(vocabulary).count == vocabulary.count, "LookupTableModel: the vocabulary has a repeated word: \(vocabulary)")
        for (prefix, row) in table {
            for word in row.keys {
                require(vocabulary.contains(word), "LookupTableModel: \"\(word)\" after \"\(prefix)\" is not in the vocabulary \(vocabulary)")
            }
            require(row.values.allSatisfy { $0 <= 0 && !$0.isNaN },
                         "LookupTableModel: log-probabilities after \"\(prefix)\" must be ≤ 0, got \(row)")
        }
        self.vocabulary = vocabulary
        self.table = table
    }

    /// The token id of a word.
    public func id(_ word: String) -> Int {
        guard let index = vocabulary.firstIndex(of: word) else {
            fatalError("LookupTableModel: \"\(word)\" is not in the vocabulary \(vocabulary)")
        }
        return index
    }

    /// The ids of the words of a sentence ("The cat" → [1, 3]).
    public func ids(_ sentence: String) -> [Int] {
        sentence.split(separator: " ").map { id(String($0)) }
    }

    /// The words of a list of token ids, joined by spaces.
    public func words(_ tokens: [Int]) -> String {
        tokens.map { vocabulary[$0] }.joined(separator: " ")
    }

    /// The next-token log-probabilities after a prefix of token ids: −∞ except for the listed words.
    public func logProbabilities(after prefix: [Int]) -> [Float] {
        var scores = [Float](repeating: -.infinity, count: vocabulary.count)
        for (word, logP) in table[words(prefix)] ?? [:] { scores[id(word)] = logP }
        return scores
    }

    /// The table as a model every decoder accepts (its state is the prefix).
    public var model: NextTokenModel<[Int]> {
        NextTokenModel(vocabularySize: vocabulary.count) { self.logProbabilities(after: $0) }
    }
}

extension LookupTableModel {
    /// The chapter's beam-search example over {The, A, cat, dog, feline, sat, ran} and the end token.
    ///
    ///     step 1:  The −0.5, A −0.7
    ///     step 2:  The → cat −0.6, dog −1.3;  A → feline −0.9, dog −1.0
    ///     step 3:  The cat → sat −1.5, ran −1.6;  The dog → sat −0.3;  A feline → sat −0.1;  A dog → ran −0.2
    ///     step 4:  after any three words, </s> with log-probability 0
    ///
    /// Greedy decoding gives "The cat sat" (−2.6); beam search with k = 2 finds "A feline sat" (−1.7).
    /// (e^−0.5 + e^−0.7 = 1.10 > 1: the first step's numbers are scores for the example, not one
    /// normalised distribution.)
    public static let catsAndDogs = LookupTableModel(
        vocabulary: ["</s>", "The", "A", "cat", "dog", "feline", "sat", "ran"],
        table: [
            "": ["The": -0.5, "A": -0.7],
            "The": ["cat": -0.6, "dog": -1.3],
            "A": ["feline": -0.9, "dog": -1.0],
            "The cat": ["sat": -1.5, "ran": -1.6],
            "The dog": ["sat": -0.3],
            "A feline": ["sat": -0.1],
            "A dog": ["ran": -0.2],
            "The cat sat": ["</s>": 0], "The cat ran": ["</s>": 0], "The dog sat": ["</s>": 0],
            "A feline sat": ["</s>": 0], "A dog ran": ["</s>": 0],
        ])

    /// The chapter's length-normalisation example: "I am" (log P −1.6, L = 2) against
    /// "I am a student" (log P −2.2, L = 4).
    ///
    ///     "" → I −0.3;  "I" → am −0.5;  "I am" → </s> −0.8, a −0.9;  "I am a" → student −0.3;
    ///     "I am a student" → </s> −0.2
    public static let iAmAStudent = LookupTableModel(
        vocabulary: ["</s>", "I", "am", "a", "student"],
        table: [
            "": ["I": -0.3],
            "I": ["am": -0.5],
            "I am": ["</s>": -0.8, "a": -0.9],
            "I am a": ["student": -0.3],
            "I am a student": ["</s>": -0.2],
        ])

    /// The chapter's example of hypotheses cut at the maximum length, with true probabilities:
    ///
    ///     step 1:  </s> 0.3, A 0.5, B 0.2
    ///     step 2:  A → </s> 0.1, x 0.9;  B → </s> 0.95, y 0.05
    ///
    /// With k = 2 and a maximum length of 2, `</s>` (log 0.3 = −1.204) finishes at step 1 and
    /// "B </s>" (−1.661) at step 2, while "A x" (log 0.45 = −0.799), the most likely of all, is
    /// still open when the length runs out. It must compete with the finished ones, and win.
    public static let cutAtTheLimit = LookupTableModel(
        vocabulary: ["</s>", "A", "B", "x", "y"],
        table: [
            "": ["</s>": Foundation.log(0.3), "A": Foundation.log(0.5), "B": Foundation.log(0.2)],
            "A": ["</s>": Foundation.log(0.1), "x": Foundation.log(0.9)],
            "B": ["</s>": Foundation.log(0.95), "y": Foundation.log(0.05)],
        ])
}
