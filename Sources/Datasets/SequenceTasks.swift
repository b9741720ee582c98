import ScalarAutodiff

/// One example of a sequence-to-sequence task: a source sentence and its target, as tokens.
public struct SequencePair: Sendable, Equatable, CustomStringConvertible {
    public let source: [String]
    public let target: [String]

    public init(source: [String], target: [String]) {
        self.source = source
        self.target = target
    }

    public var description: String { source.joined(separator: " ") + " → " + target.joined(separator: " ") }
}

/// Deterministic synthetic sequence-to-sequence tasks, generated in code from a seed.
///
/// Every task draws its sources from `SeededRandom`, so the same seed gives the same examples on
/// every machine. Lengths are drawn uniformly from `lengths`, which makes train/test splits by
/// length easy: train on short sources, test on long ones to see a model's bottleneck.
///
/// ```swift
/// let train = SequenceTasks.reverse(count: 1000, lengths: 3...8, seed: 1)
/// let test = SequenceTasks.reverse(count: 200, lengths: 9...12, seed: 2)
/// print(train[0])      // a pair such as "c h a b → b a h c"
/// ```
public enum SequenceTasks {
    /// The token alphabet of the copy, reverse and sort tasks: the letters a to j.
    public static let letters: [String] = "abcdefghij".map(String.init)

    /// Random strings over `alphabet` with lengths drawn uniformly from `lengths`.
    public static func randomSources(count: Int, lengths: ClosedRange<Int>, alphabet: [String] = letters,
                                     seed: UInt64) -> [[String]] {
        require(count >= 0, "SequenceTasks: count must be non-negative, got \(count)")
        require(lengths.lowerBound >= 1, "SequenceTasks: lengths must start at 1 or more, got \(lengths)")
        require(!alphabet.isEmpty, "SequenceTasks: the alphabet is empty")
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let length = lengths.lowerBound + rng.integer(below: lengths.count)
            return (0..<length).map { _ in alphabet[rng.integer(below: alphabet.count)] }
        }
    }

    /// Copy: the target is the source. "c h a" → "c h a".
    public static func copy(count: Int, lengths: ClosedRange<Int>, seed: UInt64) -> [SequencePair] {
        randomSources(count: count, lengths: lengths, seed: seed).map { SequencePair(source: $0, target: $0) }
    }

    /// Reverse: the target is the source backwards. "c h a" → "a h c".
    public static func reverse(count: Int, lengths: ClosedRange<Int>, seed: UInt64) -> [SequencePair] {
        randomSources(count: count, lengths: lengths, seed: seed).map { SequencePair(source: $0, target: $0.reversed()) }
    }

    /// Sort: the target is the source in alphabetical order. "c h a" → "a c h".
    public static func sort(count: Int, lengths: ClosedRange<Int>, seed: UInt64) -> [SequencePair] {
        randomSources(count: count, lengths: lengths, seed: seed).map { SequencePair(source: $0, target: $0.sorted()) }
    }

    /// The English month names, January first.
    public static let months = ["January", "February", "March", "April", "May", "June", "July",
                                "August", "September", "October", "November", "December"]

    /// Date-format translation: "25 March 2019" → "2019-03-25".
    ///
    /// Source tokens are the day number, the month name and the year as words (`["25", "March",
    /// "2019"]`); target tokens are characters (`["2", "0", "1", "9", "-", "0", "3", "-", "2", "5"]`),
    /// so the model must reorder, translate the month to two digits and pad the day. Years run
    /// from 1950 to 2049; days are valid for their month (February has 28 days).
    public static func dates(count: Int, seed: UInt64) -> [SequencePair] {
        var rng = SeededRandom(seed: seed)
        let days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (0..<count).map { _ in
            let month = rng.integer(below: 12)
            let day = 1 + rng.integer(below: days[month])
            let year = 1950 + rng.integer(below: 100)
            return dateExample(day: day, month: month + 1, year: year)
        }
    }

    /// One date example: dateExample(day: 25, month: 3, year: 2019) is "25 March 2019" → "2019-03-25".
    public static func dateExample(day: Int, month: Int, year: Int) -> SequencePair {
        require((1...12).contains(month), "dateExample: month must be in 1...12, got \(month)")
        require((1...31).contains(day), "dateExample: day must be in 1...31, got \(day)")
        func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let iso = "\(year)-\(twoDigits(month))-\(twoDigits(day))"
        return SequencePair(source: [String(day), months[month - 1], String(year)], target: iso.map(String.init))
    }

    /// Splits `pairs` by source length: those with a length in `trainLengths` for training and
    /// those in `testLengths` for testing (others are dropped). Disjoint ranges test whether a
    /// model generalises to lengths it never saw.
    public static func splitByLength(_ pairs: [SequencePair], trainLengths: ClosedRange<Int>,
                                     testLengths: ClosedRange<Int>) -> (train: [SequencePair], test: [SequencePair]) {
        (pairs.filter { trainLengths.contains($0.source.count) }, pairs.filter { testLengths.contains($0.source.count) })
    }
}
