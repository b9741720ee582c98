// Exercise 9.7: reference answer. Same public API as Exercises/Chapter9/SentenceBLEU.swift.

import Evaluation
import ExerciseSupport
import Foundation

/// A token as Python compares it: by Unicode scalars.
private struct Scalars: Hashable {
    let values: [UInt32]
    init(_ token: String) { values = token.unicodeScalars.map(\.value) }
}

/// Exercise 9.7 ★★★ — Sentence BLEU with smoothing and the closest reference length.
public func smoothedSentenceBLEU(hypothesis: [String], references: [[String]]) throws -> Double {
    func counts(_ tokens: [String], _ n: Int) -> [[Scalars]: Int] {
        var result: [[Scalars]: Int] = [:]
        let keys = tokens.map(Scalars.init)
        if keys.count >= n { for i in 0...(keys.count - n) { result[Array(keys[i..<i + n]), default: 0] += 1 } }
        return result
    }
    var matches = [Int](repeating: 0, count: 4), totals = [Int](repeating: 0, count: 4)
    for n in 1...4 {
        var limit: [[Scalars]: Int] = [:]
        for reference in references { for (gram, count) in counts(reference, n) { limit[gram] = max(limit[gram] ?? 0, count) } }
        for (gram, count) in counts(hypothesis, n) { matches[n - 1] += min(count, limit[gram] ?? 0) }
        totals[n - 1] = max(hypothesis.count - n + 1, 0)
    }
    if matches.allSatisfy({ $0 == 0 }) { return 0 }
    let c = hypothesis.count
    let r = references.map(\.count).min { abs($0 - c) != abs($1 - c) ? abs($0 - c) < abs($1 - c) : $0 < $1 }!
    let bp = c >= r ? 1 : (c == 0 ? 0 : exp(1 - Double(r) / Double(c)))
    var logSum = 0.0, order = 0, factor = 1.0
    for n in 0..<4 {
        if totals[n] == 0 { break }
        order += 1
        if matches[n] == 0 {
            factor *= 2
            logSum += log(100 / (factor * Double(totals[n])))
        } else {
            logSum += log(100 * Double(matches[n]) / Double(totals[n]))
        }
    }
    return bp * exp(logSum / Double(order))
}
