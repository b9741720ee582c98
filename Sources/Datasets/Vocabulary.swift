/// A two-way table between tokens (strings) and ids (integers), with four reserved tokens.
///
/// Ids 0 to 3 are always `<pad>` (fills short sequences in a batch), `<sos>` (start of sequence:
/// the decoder's first input), `<eos>` (end of sequence: the decoder says it is done) and `<unk>`
/// (any token the table does not know). The other tokens follow in the order given.
///
/// ```swift
/// let vocabulary = Vocabulary(["je", "suis", "un", "etudiant"])
/// vocabulary.encode(["je", "suis"], addEnd: true)     // [4, 5, 2]
/// vocabulary.decode([4, 5, 2])                         // ["je", "suis", "<eos>"]
/// vocabulary.count                                     // 8
/// ```

import ScalarAutodiff

public struct Vocabulary: Sendable, Equatable {
    public static let pad = "<pad>", start = "<sos>", end = "<eos>", unknown = "<unk>"
    public static let padID = 0, startID = 1, endID = 2, unknownID = 3

    /// Every token, indexed by id.
    public let tokens: [String]
    private let ids: [String: Int]

    /// A table holding the four reserved tokens, then `tokens` (duplicates and reserved tokens
    /// in `tokens` are skipped).
    public init<S: Sequence>(_ tokens: S) where S.Element == String {
        var list = [Self.pad, Self.start, Self.end, Self.unknown]
        var ids: [String: Int] = [:]
        for (i, t) in list.enumerated() { ids[t] = i }
        for t in tokens where ids[t] == nil {
            ids[t] = list.count
            list.append(t)
        }
        self.tokens = list
        self.ids = ids
    }

    /// The table of every token that appears in `sentences`, in order of first appearance.
    public init(collecting sentences: [[String]]) {
        self.init(sentences.joined())
    }

    /// The number of tokens, reserved ones included.
    public var count: Int { tokens.count }

    /// The id of `token`, or the id of `<unk>` if the table does not know it.
    public func id(_ token: String) -> Int { ids[token] ?? Self.unknownID }

    /// The token with this id.
    public func token(_ id: Int) -> String {
        require(id >= 0 && id < count, "Vocabulary: id \(id) is not in 0..<\(count)")
        return tokens[id]
    }

    /// The ids of `tokens`, optionally preceded by `<sos>` and followed by `<eos>`.
    public func encode(_ tokens: [String], addStart: Bool = false, addEnd: Bool = false) -> [Int] {
        (addStart ? [Self.startID] : []) + tokens.map(id) + (addEnd ? [Self.endID] : [])
    }

    /// The tokens of `ids`; with `stripSpecial`, `<pad>`, `<sos>` and `<eos>` are dropped.
    public func decode(_ ids: [Int], stripSpecial: Bool = false) -> [String] {
        ids.filter { !stripSpecial || $0 > Self.endID }.map(token)
    }
}

/// Pads sequences of ids with `padID` to the length of the longest (or `length`), giving a
/// rectangular batch and each sequence's true length.
///
///     padBatch([[5, 6, 7], [8]])  →  ([[5, 6, 7], [8, 0, 0]], lengths [3, 1])
public func padBatch(_ sequences: [[Int]], length: Int? = nil,
                     padID: Int = Vocabulary.padID) -> (ids: [[Int]], lengths: [Int]) {
    let width = length ?? sequences.map(\.count).max() ?? 0
    require(sequences.allSatisfy { $0.count <= width },
                 "padBatch: a sequence of length \(sequences.map(\.count).max() ?? 0) is longer than the requested length \(width)")
    return (sequences.map { $0 + Array(repeating: padID, count: width - $0.count) }, sequences.map(\.count))
}
