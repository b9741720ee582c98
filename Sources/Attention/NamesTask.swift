import Datasets
import ScalarAutodiff

/// Translating sentences that contain names: the pointer-generator's task in miniature.
///
/// A sentence mixes the letters a to f, which both vocabularies know, with names such as "Kalo"
/// or "Mivi", which neither does. The target translates every letter to the next one (a → b,
/// …, f → a) and keeps every name: "c Kalo f" → "d Kalo a". A model with a fixed output
/// vocabulary can only write `<unk>` for a name. A pointer-generator can copy it from the source,
/// and must also learn *when* to copy: for a letter, copying is wrong. The names of the test
/// sentences never occur in training, so copying them is the only way to get them right.
public enum NamesTask {
    /// The vocabulary's words: the letters a to f.
    public static let letters = Array(SequenceTasks.letters.prefix(6))
    /// The vocabulary of both sides: the special tokens and the letters, no names.
    public static let vocabulary = Vocabulary(letters)

    static let syllables = ["ka", "lo", "mi", "ru", "te", "so", "na", "vi", "do", "pe", "zu", "ha", "ri", "jo", "be"]

    /// The 225 names, two syllables each, capitalised: "Kaka", "Kalo", …
    public static let names: [String] = syllables.flatMap { first in
        syllables.map { (first.prefix(1).uppercased() + first.dropFirst()) + $0 }
    }

    /// Names 0 ..< 150 are for training, 150 ..< 225 for testing.
    public static let trainingNames = 0..<150, testNames = 150..<225

    /// The translation of one token: the next letter (f wraps round to a), or the name itself.
    public static func translate(_ token: String) -> String {
        guard let i = letters.firstIndex(of: token) else { return token }
        return letters[(i + 1) % letters.count]
    }

    /// `count` sentences of `lengths` tokens, each token a name with probability `nameRate`
    /// (from `nameRange` of ``names``) and otherwise a letter, with at least one name; the
    /// target is the sentence translated by ``translate(_:)``.
    public static func pairs(count: Int, lengths: ClosedRange<Int>, nameRange: Range<Int>, nameRate: Double = 0.25,
                             seed: UInt64) -> [SequencePair] {
        require(count > 0 && lengths.lowerBound > 0 && !nameRange.isEmpty && nameRange.upperBound <= names.count,
                "NamesTask.pairs: need count > 0, positive lengths and a non-empty name range within 0..<\(names.count)")
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let length = lengths.lowerBound + rng.integer(below: lengths.count)
            var tokens = (0..<length).map { _ in
                rng.uniform() < nameRate ? names[nameRange.lowerBound + rng.integer(below: nameRange.count)]
                                         : letters[rng.integer(below: letters.count)]
            }
            if !tokens.contains(where: { !letters.contains($0) }) {
                tokens[rng.integer(below: length)] = names[nameRange.lowerBound + rng.integer(below: nameRange.count)]
            }
            return SequencePair(source: tokens, target: tokens.map(translate))
        }
    }
}

/// Pairs encoded for a pointer-generator: the encoder reads `<unk>` for every word the
/// vocabulary lacks, while each such word also gets an id of its own in the sentence's
/// *extended* vocabulary (V, V + 1, … in order of first appearance), through which it can be
/// copied. A target word outside the vocabulary gets its source word's extended id, or `<unk>`
/// if the source does not have it either.
public struct PointerPairs {
    public let vocabulary: Vocabulary
    /// The encoder's input ids: out-of-vocabulary words are `<unk>`.
    public let sources: [[Int]]
    /// The same positions in extended ids: vocabulary ids, or V + k for the k-th new word.
    public let extendedSources: [[Int]]
    /// Each sentence's out-of-vocabulary words, in order: word k has extended id V + k.
    public let unknownWords: [[String]]
    /// Target ids in the extended vocabulary, ending in `<eos>`.
    public let targets: [[Int]]

    public init(_ pairs: [SequencePair], vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        let V = vocabulary.count
        var sources: [[Int]] = [], extended: [[Int]] = [], unknown: [[String]] = [], targets: [[Int]] = []
        for pair in pairs {
            var words: [String] = []
            let ids = pair.source.map { vocabulary.id($0) }
            let ext = pair.source.map { word -> Int in
                guard vocabulary.id(word) == Vocabulary.unknownID else { return vocabulary.id(word) }
                if let k = words.firstIndex(of: word) { return V + k }
                words.append(word)
                return V + words.count - 1
            }
            let target = pair.target.map { word -> Int in
                let id = vocabulary.id(word)
                guard id == Vocabulary.unknownID, let k = words.firstIndex(of: word) else { return id }
                return V + k
            } + [Vocabulary.endID]
            sources.append(ids)
            extended.append(ext)
            unknown.append(words)
            targets.append(target)
        }
        self.sources = sources
        self.extendedSources = extended
        self.unknownWords = unknown
        self.targets = targets
    }

    public var count: Int { sources.count }

    /// The words of extended ids for sentence `index`.
    public func words(_ ids: [Int], sentence index: Int) -> [String] {
        ids.map { $0 < vocabulary.count ? vocabulary.token($0) : unknownWords[index][$0 - vocabulary.count] }
    }
}
