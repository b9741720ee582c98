// The check of exercise 8.9, a complete beam search, against the book's `beamSearch`.

import Decoding
import ExerciseTesting
import Foundation
import ScalarAutodiff

/// Ways a beam search goes wrong, each a switch of ``beamSearchVariant``.
struct BeamMistakes {
    var dropOpenAtTheLimit = false
    var neverStopEarly = false
    var rawLogP = false
    var endTokenCounted = false
    var finishAtAnyRank = false
    var onlyWidthCandidates = false
    var extendFinished = false
}

/// The book's beam search with one mistake switched on, to name it when an answer matches it.
func beamSearchVariant(_ model: NextTokenModel<[Int]>, width: Int, maxLength: Int, endToken: Int, alpha: Float,
                       _ m: BeamMistakes) -> [DecodedSequence] {
    var open: [(tokens: [Int], logP: Float)] = [([], 0)]
    var finished: [DecodedSequence] = []
    var steps = 0
    while steps < maxLength {
        steps += 1
        let candidates = bestExtensions(beamLogProbabilities: open.map(\.logP),
                                        nextLogProbabilities: open.map { model.logProbabilities($0.tokens) },
                                        width: m.onlyWidthCandidates ? width : 2 * width)
        var kept: [(tokens: [Int], logP: Float)] = []
        for (rank, c) in candidates.enumerated() {
            let parent = open[c.beam]
            if c.token == endToken && !m.extendFinished {
                if rank < width || m.finishAtAnyRank {
                    finished.append(DecodedSequence(tokens: parent.tokens + [c.token], logProbability: c.logProbability, isFinished: true))
                }
            } else if kept.count < width {
                kept.append((parent.tokens + [c.token], c.logProbability))
            }
        }
        open = kept
        let enough = finished.count >= width && (m.dropOpenAtTheLimit || steps < maxLength)
        if open.isEmpty || (enough && !m.neverStopEarly) { break }
    }
    let atTheLimit = steps == maxLength && !(m.dropOpenAtTheLimit && finished.count >= width)
        ? open.map { DecodedSequence(tokens: $0.tokens, logProbability: $0.logP, isFinished: false) } : []
    let all = finished + atTheLimit
    func score(_ s: DecodedSequence) -> Float {
        if m.rawLogP { return s.logProbability }
        let length = m.endTokenCounted ? s.tokens.count : s.length
        return alpha == 0 || length == 0 ? s.logProbability : s.logProbability / pow(Float(length), alpha)
    }
    let ranked = all.indices.sorted { score(all[$0]) > score(all[$1]) || (score(all[$0]) == score(all[$1]) && $0 < $1) }
    return ranked.prefix(width).map { all[$0] }
}

func sameSequences(_ a: [DecodedSequence], _ b: [DecodedSequence]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy {
        $0.tokens == $1.tokens && $0.isFinished == $1.isFinished && abs($0.logProbability - $1.logProbability) <= 1e-4
    }
}

func describe(_ s: DecodedSequence, words: (([Int]) -> String)?) -> String {
    let tokens = words.map { "\"\($0(s.tokens))\"" } ?? "\(s.tokens)"
    return "\(tokens) (log P \(Checker.format(Double(s.logProbability)))\(s.isFinished ? "" : ", unfinished"))"
}

/// 8.9: a complete beam search.
public func checkBeamDecode(_ c: Checker, _ decode: (NextTokenModel<[Int]>, Int, Int, Int, Float) throws -> [DecodedSequence]) throws {
    func check(_ model: NextTokenModel<[Int]>, width: Int, maxLength: Int, endToken: Int, alpha: Float,
               _ what: String, words: (([Int]) -> String)? = nil) throws {
        let got = try decode(model, width, maxLength, endToken, alpha)
        let expected = beamSearch(model, width: width, maxLength: maxLength, rules: DecodingRules(endToken: endToken), alpha: alpha)
        guard !sameSequences(got, expected) else { return }
        let setting = "\(what) (k = \(width), maxLength \(maxLength), α = \(Checker.format(Double(alpha))))"
        var message: String
        if let rank = (0..<min(got.count, expected.count)).first(where: { !sameSequences([got[$0]], [expected[$0]]) }) {
            message = "\(setting): result \(rank + 1) should be \(describe(expected[rank], words: words)), got \(describe(got[rank], words: words))."
        } else {
            message = "\(setting): expected \(expected.count) sequences, got \(got.count)."
        }
        let variants: [(BeamMistakes, String)] = [
            (BeamMistakes(dropOpenAtTheLimit: true), "at the maximum length the open hypotheses must compete with the finished ones, even when k have finished"),
            (BeamMistakes(neverStopEarly: true), "stop as soon as k hypotheses have finished before the maximum length"),
            (BeamMistakes(endTokenCounted: true), "L, the length in log P / L^α, does not count the end token"),
            (BeamMistakes(rawLogP: true), "rank the results by log P / L^α, not by log P"),
            (BeamMistakes(finishAtAnyRank: true), "an end-token candidate finishes only if it ranks within the top k; lower ones are dropped"),
            (BeamMistakes(onlyWidthCandidates: true), "take the 2k best candidates, so that k can stay open after finished ones leave the beam"),
            (BeamMistakes(extendFinished: true), "a hypothesis that ends with the end token leaves the beam: it is finished, not extended"),
        ]
        if got.contains(where: { s in s.tokens.dropLast().contains(endToken) }) {
            message += " Likely mistake: a hypothesis continues after the end token; once it ends it is finished and leaves the beam."
        } else {
            let matching = variants.filter { sameSequences(got, beamSearchVariant(model, width: width, maxLength: maxLength, endToken: endToken, alpha: alpha, $0.0)) }
            if !matching.isEmpty { message += " Likely mistake: " + matching.map { $0.1 + "." }.joined(separator: " Or: ") }
        }
        c.fail(message)
    }
    let toy = LookupTableModel.catsAndDogs
    for width in [1, 2, 3] {
        try check(toy.model, width: width, maxLength: 10, endToken: toy.id("</s>"), alpha: 0, "the chapter's table (section 8.3)", words: toy.words)
    }
    let student = LookupTableModel.iAmAStudent
    try check(student.model, width: 2, maxLength: 10, endToken: student.id("</s>"), alpha: 0.7, "\"I am\" or \"I am a student\" (section 8.4)", words: student.words)
    let cut = LookupTableModel.cutAtTheLimit
    try check(cut.model, width: 2, maxLength: 2, endToken: cut.id("</s>"), alpha: 0, "the cut-at-the-limit table (section 8.3)", words: cut.words)
    try check(cut.model, width: 2, maxLength: 3, endToken: cut.id("</s>"), alpha: 0, "the cut-at-the-limit table with room for one more step", words: cut.words)
    let neverEnds = NextTokenModel(vocabularySize: 3) { _ in [-5, -0.1, -3] as [Float] }
    try check(neverEnds, width: 2, maxLength: 4, endToken: 0, alpha: 0, "a model that rarely ends")
    var setting = SeededRandom(seed: 89)
    for seed: UInt64 in 1...8 {
        let model = randomPrefixModel(seed: seed, vocabulary: 5, spread: 2)
        let width = 1 + setting.integer(below: 4), maxLength = 2 + setting.integer(below: 5)
        let alpha: Float = seed % 2 == 0 ? 0.7 : 0
        try check(model, width: width, maxLength: maxLength, endToken: 0, alpha: alpha, "a random model (seed \(seed), end token 0)")
    }
}
