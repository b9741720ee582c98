import ExerciseSupport
import Foundation

/// Pairs of submissions whose answers to an exercise are the same once comments, whitespace,
/// the names they declare and the way they write numbers are normalised away (see
/// ``Fingerprints``): `similarity.csv` and a section of `summary.md`.
///
/// For each exercise, each student's answer is the code its API reaches in their chapter
/// files. Its fingerprints are compared with every other student's through an index from
/// fingerprint to students, so the work grows with the number of shared fingerprints rather
/// than with every pair. Fingerprints of the stub (the code the book gives) are dropped, and
/// so are those that more than half of a class of ten or more share (the idioms everyone
/// writes). The reference solutions, when given, take part as one more "student", so that a
/// copy of them is flagged as such.
///
/// A pair's score is the share of the smaller answer's fingerprints that the other answer
/// has too: 1 for a copy, whatever was renamed, reordered or commented.
public struct SimilarityReport: Sendable {
    /// The name the reference solutions take in the report.
    public static let referenceName = "(reference solution)"
    /// Pairs scoring at least this are reported.
    public static let threshold = 0.7
    /// An answer needs at least this many fingerprints to be compared: shorter ones (a line or
    /// two) are too short to tell a copy from the one obvious way to write them.
    public static let minimumFingerprints = 4

    public struct Pair: Sendable, Equatable {
        public let exercise: String
        public let first: String
        public let second: String
        /// Shared fingerprints over the smaller answer's fingerprints, from 0 to 1.
        public let score: Double
        public let shared: Int
        /// The matching lines in each, as `Exercises.swift:12-20, 31`.
        public let firstLines: String
        public let secondLines: String

        /// Whether one of the two is the reference solution.
        public var involvesReference: Bool { first == SimilarityReport.referenceName || second == SimilarityReport.referenceName }
    }

    /// The pairs reported, by exercise in catalogue order, highest score first.
    public let pairs: [Pair]
    /// Answers compared, and seconds it took.
    public let answersCompared: Int
    public let seconds: Double

    /// Compares the students' answers to `exercises`.
    ///
    /// - Parameters:
    ///   - students: each student's name and Swift files by chapter.
    ///   - stubs: the stub files by chapter (their code is not counted).
    ///   - reference: the reference solutions by chapter, if any.
    ///   - threshold: the lowest score reported.
    public init(students: [(name: String, sources: [Int: [SourceFile]])], exercises: [Exercise],
                stubs: [Int: [SourceFile]], reference: [Int: [SourceFile]]? = nil, threshold: Double = SimilarityReport.threshold) {
        let start = Date()
        var entrants = students
        if let reference { entrants.append((Self.referenceName, reference)) }
        var pairs: [Pair] = []
        var compared = 0
        for chapter in Set(exercises.map(\.chapter)).sorted() {
            // Each student's chapter files are read once for all of the chapter's exercises.
            let mine = exercises.filter { $0.chapter == chapter }
            let answers = entrants.map { entrant in
                SourceRules.answerDeclarations(of: mine, in: (entrant.sources[chapter] ?? []).map { SourceRules.File(path: $0.path, source: $0.text) })
            }
            let given = SourceRules.answerDeclarations(of: mine, in: (stubs[chapter] ?? []).map { SourceRules.File(path: $0.path, source: $0.text) })
            for exercise in mine {
                let stub = Fingerprints(given[exercise.number] ?? []).hashes
                var prints: [Fingerprints] = answers.map { answer in
                    var prints = Fingerprints(answer[exercise.number] ?? [])
                    prints.remove(stub)
                    return prints
                }
                let names = entrants.map(\.name)
                compared += prints.filter { !$0.isEmpty }.count
                // Copies of the reference, whatever the rest of the class wrote.
                var found: [Pair] = []
                if reference != nil, let last = prints.indices.last {
                    found = Self.referencePairs(exercise: exercise.number, names: names, prints: prints, reference: last, threshold: threshold)
                }
                // What most of a real class writes alike is how the exercise is done, not copying.
                let counted = prints.indices.filter { names[$0] != Self.referenceName && prints[$0].marks.count >= Self.minimumFingerprints }
                if counted.count >= 10 {
                    var frequency: [UInt64: Int] = [:]
                    for index in counted { for hash in prints[index].marks.keys { frequency[hash, default: 0] += 1 } }
                    let common = Set(frequency.filter { $0.value * 2 > counted.count }.keys)
                    for index in prints.indices { prints[index].remove(common) }
                }
                if reference != nil { prints.removeLast() }
                found += Self.pairs(exercise: exercise.number, names: names, prints: prints, threshold: threshold)
                pairs += found.sorted { ($0.score, $1.first, $1.second) > ($1.score, $0.first, $0.second) }
            }
        }
        self.pairs = pairs
        answersCompared = compared
        seconds = Date().timeIntervalSince(start)
    }

    /// The pairs of one exercise that score at least `threshold`.
    static func pairs(exercise: String, names: [String], prints: [Fingerprints], threshold: Double) -> [Pair] {
        var index: [UInt64: [Int]] = [:]
        for (student, print) in prints.enumerated() where print.marks.count >= minimumFingerprints {
            for hash in print.marks.keys { index[hash, default: []].append(student) }
        }
        var shared: [Int: Int] = [:]   // a * count + b, for a < b
        let count = prints.count
        for students in index.values where students.count > 1 {
            for i in students.indices {
                for j in students.indices where j > i {
                    shared[students[i] * count + students[j], default: 0] += 1
                }
            }
        }
        var result: [Pair] = []
        for (key, common) in shared {
            let (a, b) = (key / count, key % count)
            let score = Double(common) / Double(min(prints[a].marks.count, prints[b].marks.count))
            guard score >= threshold else { continue }
            let hashes = Set(prints[a].marks.keys).intersection(prints[b].marks.keys)
            result.append(Pair(exercise: exercise, first: names[a], second: names[b], score: score, shared: common,
                               firstLines: lines(hashes, in: prints[a]), secondLines: lines(hashes, in: prints[b])))
        }
        return result.sorted { ($0.score, $1.first, $1.second) > ($1.score, $0.first, $0.second) }
    }

    /// Each student's answer against the reference's, one comparison a student.
    static func referencePairs(exercise: String, names: [String], prints: [Fingerprints], reference: Int, threshold: Double) -> [Pair] {
        let model = prints[reference]
        guard model.marks.count >= minimumFingerprints else { return [] }
        let hashes = model.hashes
        return prints.indices.filter { $0 != reference && prints[$0].marks.count >= minimumFingerprints }.compactMap { student in
            let common = hashes.intersection(prints[student].marks.keys)
            let score = Double(common.count) / Double(min(model.marks.count, prints[student].marks.count))
            guard score >= threshold else { return nil }
            return Pair(exercise: exercise, first: names[student], second: names[reference], score: score, shared: common.count,
                        firstLines: lines(common, in: prints[student]), secondLines: lines(common, in: model))
        }
    }

    /// The lines where the shared fingerprints start, as ranges per file: `Exercises.swift:12-14, 20`.
    static func lines(_ hashes: Set<UInt64>, in print: Fingerprints) -> String {
        var byFile: [String: Set<Int>] = [:]
        for hash in hashes { for mark in print.marks[hash] ?? [] { byFile[mark.path, default: []].insert(mark.line) } }
        return byFile.keys.sorted().map { path in
            let sorted = byFile[path]!.sorted()
            var ranges: [String] = []
            var low = sorted[0], high = sorted[0]
            for line in sorted.dropFirst() {
                // Lines a few apart belong to one passage.
                if line <= high + 3 { high = line; continue }
                ranges.append(low == high ? "\(low)" : "\(low)-\(high)")
                (low, high) = (line, line)
            }
            ranges.append(low == high ? "\(low)" : "\(low)-\(high)")
            return "\(path):" + ranges.joined(separator: ", ")
        }.joined(separator: "; ")
    }

    /// `similarity.csv`: one row a pair, highest score first within each exercise.
    public func csv() -> String {
        var rows = [["exercise", "student_a", "student_b", "score", "shared_fingerprints", "lines_a", "lines_b"]]
        for pair in pairs {
            rows.append([pair.exercise, pair.first, pair.second, String(format: "%.2f", pair.score), String(pair.shared),
                         pair.firstLines, pair.secondLines])
        }
        return rows.map { $0.map(Gradebook.field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
