// Known wrong answers to chapter 9's exercises. Each must fail its exercise's check with a
// message that names its mistake; MutantTests proves it. To add one, write the wrong answer as
// a student would, and the words the diagnosis must contain.

import Chapter9Checks
import Evaluation
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors

/// n-gram counts as a student writes them, keyed by arrays of tokens.
private func counts(_ tokens: [String], _ n: Int) -> [[String]: Int] {
    var result: [[String]: Int] = [:]
    if tokens.count >= n { for i in 0...(tokens.count - n) { result[Array(tokens[i..<i + n]), default: 0] += 1 } }
    return result
}

public let chapter9Mutants: [Mutant] = [
    Mutant("9.1", "spreads ε over the V − 1 wrong classes", mentions: "V − 1 wrong classes") {
        try checkLabelSmoothingTargets($0) { y, classes, epsilon in
            var q = [Float](repeating: epsilon / Float(classes - 1), count: classes)
            q[y] = 1 - epsilon
            return q
        }
    },
    Mutant("9.1", "gives the gold class 1 − ε only", mentions: "its share ε/V") {
        try checkLabelSmoothingTargets($0) { y, classes, epsilon in
            var q = [Float](repeating: epsilon / Float(classes), count: classes)
            q[y] = 1 - epsilon
            return q
        }
    },
    Mutant("9.2", "sums instead of averaging", mentions: "summed, not averaged") {
        try checkPerplexity($0) { logPs in exp(-logPs.reduce(0, +)) }
    },
    Mutant("9.2", "averages the per-token perplexities", mentions: "arithmetic mean of 1/p") {
        try checkPerplexity($0) { logPs in logPs.map { exp(-$0) }.reduce(0, +) / Double(logPs.count) }
    },
    Mutant("9.2", "forgets the minus sign", mentions: "sign is wrong") {
        try checkPerplexity($0) { logPs in exp(logPs.reduce(0, +) / Double(logPs.count)) }
    },
    Mutant("9.3", "adds the clipped counts over the references instead of taking their maximum", mentions: "the maximum, not the sum") {
        try checkClippedPrecision($0) { hypothesis, references, n in
            var limit: [[String]: Int] = [:]
            for reference in references { for (gram, count) in counts(reference, n) { limit[gram, default: 0] += count } }
            let matches = counts(hypothesis, n).reduce(0) { $0 + min($1.value, limit[$1.key] ?? 0) }
            return (matches, max(hypothesis.count - n + 1, 0))
        }
    },
    Mutant("9.3", "does not clip", mentions: "not clipped") {
        try checkClippedPrecision($0) { hypothesis, references, n in
            var seen = Set<[String]>()
            for reference in references { seen.formUnion(counts(reference, n).keys) }
            let matches = counts(hypothesis, n).reduce(0) { $0 + (seen.contains($1.key) ? $1.value : 0) }
            return (matches, max(hypothesis.count - n + 1, 0))
        }
    },
    Mutant("9.3", "uses only the first reference", mentions: "only the first reference") {
        try checkClippedPrecision($0) { hypothesis, references, n in
            let limit = counts(references[0], n)
            let matches = counts(hypothesis, n).reduce(0) { $0 + min($1.value, limit[$1.key] ?? 0) }
            return (matches, max(hypothesis.count - n + 1, 0))
        }
    },
    Mutant("9.3", "counts L − n + 2 n-grams", mentions: "max(0, L − n + 1)") {
        try checkClippedPrecision($0) { hypothesis, references, n in
            var limit: [[String]: Int] = [:]
            for reference in references { for (gram, count) in counts(reference, n) { limit[gram] = max(limit[gram] ?? 0, count) } }
            let matches = counts(hypothesis, n).reduce(0) { $0 + min($1.value, limit[$1.key] ?? 0) }
            return (matches, max(hypothesis.count - n + 2, 0))
        }
    },
    Mutant("9.4", "divides r by c in Int", mentions: "divided in Int") {
        try checkBrevity($0) { c, r in c >= r ? 1 : (c == 0 ? 0 : exp(Double(1 - r / c))) }
    },
    Mutant("9.4", "turns the ratio upside down", mentions: "upside down") {
        try checkBrevity($0) { c, r in c >= r ? 1 : (c == 0 ? 0 : exp(1 - Double(c) / Double(r))) }
    },
    Mutant("9.4", "penalises long hypotheses too", mentions: "BP = 1 when c ≥ r") {
        try checkBrevity($0) { c, r in c == 0 ? 0 : exp(1 - Double(r) / Double(c)) }
    },
    Mutant("9.5", "takes the arithmetic mean of the precisions", mentions: "arithmetic mean") {
        try checkBLEUScore($0) { matches, totals, c, r in
            if matches.contains(0) { return 0 }
            let bp = c >= r ? 1 : exp(1 - Double(r) / Double(c))
            return 100 * bp * zip(matches, totals).map { Double($0) / Double($1) }.reduce(0, +) / 4
        }
    },
    Mutant("9.5", "leaves out the brevity penalty", mentions: "brevity penalty is missing") {
        try checkBLEUScore($0) { matches, totals, _, _ in
            if matches.contains(0) { return 0 }
            return 100 * exp(zip(matches, totals).map { log(Double($0) / Double($1)) }.reduce(0, +) / 4)
        }
    },
    Mutant("9.5", "reports BLEU on the 0-1 scale", mentions: "multiply by 100") {
        try checkBLEUScore($0) { matches, totals, c, r in
            if matches.contains(0) { return 0 }
            let bp = c >= r ? 1 : exp(1 - Double(r) / Double(c))
            return bp * exp(zip(matches, totals).map { log(Double($0) / Double($1)) }.reduce(0, +) / 4)
        }
    },
    Mutant("9.6", "counts the shared tokens in any order", mentions: "in any order") {
        try checkLCS($0) { a, b in
            var left: [String: Int] = [:]
            for t in b { left[t, default: 0] += 1 }
            var shared = 0
            for t in a where (left[t] ?? 0) > 0 { left[t]! -= 1; shared += 1 }
            return shared
        }
    },
    Mutant("9.6", "finds the longest common substring", mentions: "adjacent tokens") {
        try checkLCS($0) { a, b in
            if a.isEmpty || b.isEmpty { return 0 }
            var best = 0
            var previous = [Int](repeating: 0, count: b.count + 1)
            for i in 1...a.count {
                var current = [Int](repeating: 0, count: b.count + 1)
                for j in 1...b.count where a[i - 1] == b[j - 1] {
                    current[j] = previous[j - 1] + 1
                    best = max(best, current[j])
                }
                previous = current
            }
            return best
        }
    },
]

/// A student's sentence BLEU, with a switch for each mistake below.
private func studentSentenceBLEU(_ hypothesis: [String], _ references: [[String]], stringKeys: Bool = false,
                                 longerOnTie: Bool = false, fullOrder: Bool = false, constantFactor: Bool = false) -> Double {
    func grams(_ tokens: [String], _ n: Int) -> [[[UInt32]]: Int] {
        var result: [[[UInt32]]: Int] = [:]
        if tokens.count >= n {
            for i in 0...(tokens.count - n) {
                // Keys by String go through Swift's ==, which merges NFC and NFD; normalising to NFC mimics that.
                let key = tokens[i..<i + n].map { (stringKeys ? $0.precomposedStringWithCanonicalMapping : $0).unicodeScalars.map(\.value) }
                result[key, default: 0] += 1
            }
        }
        return result
    }
    var matches = [Int](repeating: 0, count: 4)
    let totals = (1...4).map { max(hypothesis.count - $0 + 1, 0) }
    for n in 1...4 {
        var limit: [[[UInt32]]: Int] = [:]
        for reference in references { for (g, k) in grams(reference, n) { limit[g] = max(limit[g] ?? 0, k) } }
        for (g, k) in grams(hypothesis, n) { matches[n - 1] += min(k, limit[g] ?? 0) }
    }
    if matches.allSatisfy({ $0 == 0 }) { return 0 }
    let c = hypothesis.count
    let r = references.map(\.count).min { abs($0 - c) != abs($1 - c) ? abs($0 - c) < abs($1 - c) : (longerOnTie ? $0 > $1 : $0 < $1) }!
    let bp = c >= r ? 1 : (c == 0 ? 0 : exp(1 - Double(r) / Double(c)))
    var total = 0.0, used = 0, factor = 1.0
    for n in 0..<4 {
        if totals[n] == 0 {
            if fullOrder { return 0 }
            break
        }
        used += 1
        if matches[n] == 0 {
            factor = constantFactor ? 2 : factor * 2
            total += log(100 / (factor * Double(totals[n])))
        } else {
            total += log(100 * Double(matches[n]) / Double(totals[n]))
        }
    }
    return bp * exp(total / Double(used))
}

/// A student's label-smoothed loss, with a switch for each mistake below.
private func studentSmoothedLoss(_ logits: Variable, _ targets: [Int], _ epsilon: Float, _ ignore: Int?, divideByAllRows: Bool = false,
                                 oneHotGradient: Bool = false, ignoreUpstream: Bool = false, overwrite: Bool = false,
                                 composed: Bool = false) -> Variable {
    let v = logits.shape.last!
    let logP = logits.value.logSoftmax()
    var loss: Float = 0, n = 0
    for (i, y) in targets.enumerated() where y != ignore {
        for k in 0..<v { loss -= (epsilon / Float(v) + (k == y ? 1 - epsilon : 0)) * logP.scalars[i * v + k] }
        n += 1
    }
    let count = Float(divideByAllRows ? targets.count : max(n, 1))
    if composed {
        // Built from Variable operations: autodiff, not the student, writes the gradient.
        let onehotish = Tensor(shape: logits.shape, scalars: (0..<logits.value.count).map { j in
            let (i, k) = (j / v, j % v)
            return targets[i] == ignore ? 0 : epsilon / Float(v) + (k == targets[i] ? 1 - epsilon : 0)
        })
        return (logits.logSoftmax() * Variable.constant(onehotish)).sum() * (-1 / count)
    }
    return Variable(Tensor(loss / count), op: "smoothed", inputs: [logits]) { g in
        var dz = logP.exp()
        for (i, y) in targets.enumerated() {
            for k in 0..<v {
                let q = oneHotGradient ? (k == y ? 1 : 0) : epsilon / Float(v) + (k == y ? 1 - epsilon : 0)
                dz.scalars[i * v + k] = y == ignore ? 0 : dz.scalars[i * v + k] - q
            }
        }
        let scaled = dz * ((ignoreUpstream ? 1 : g.scalars[0]) / count)
        if overwrite { logits.grad = scaled } else { logits.accumulate(scaled) }
    }
}

public let chapter9MetricMutants: [Mutant] = [
    Mutant("9.7", "keys the n-grams by String", mentions: "scalar by scalar") {
        try checkSentenceBLEU($0) { studentSentenceBLEU($0, $1, stringKeys: true) }
    },
    Mutant("9.7", "takes the longer reference on a tie", mentions: "the shorter one") {
        try checkSentenceBLEU($0) { studentSentenceBLEU($0, $1, longerOnTie: true) }
    },
    Mutant("9.7", "averages over all four orders", mentions: "effective order") {
        try checkSentenceBLEU($0) { studentSentenceBLEU($0, $1, fullOrder: true) }
    },
    Mutant("9.7", "smooths every empty order with 1/(2·total)", mentions: "factor doubles") {
        try checkSentenceBLEU($0) { studentSentenceBLEU($0, $1, constantFactor: true) }
    },
    Mutant("9.8", "divides by every row, padding included", mentions: "N counts only the rows") {
        try checkLabelSmoothingLoss($0) { studentSmoothedLoss($0, $1, $2, $3, divideByAllRows: true) }
    },
    Mutant("9.8", "uses the one-hot target in the gradient", mentions: "smoothed target q") {
        try checkLabelSmoothingLoss($0) { studentSmoothedLoss($0, $1, $2, $3, oneHotGradient: true) }
    },
    Mutant("9.8", "ignores the upstream gradient", mentions: "upstream gradient g") {
        try checkLabelSmoothingLoss($0) { studentSmoothedLoss($0, $1, $2, $3, ignoreUpstream: true) }
    },
    Mutant("9.8", "overwrites logits.grad", mentions: "do not overwrite") {
        try checkLabelSmoothingLoss($0) { studentSmoothedLoss($0, $1, $2, $3, overwrite: true) }
    },
    Mutant("9.8", "lets autodiff write the gradient", mentions: "autodiff wrote its gradient") {
        try checkLabelSmoothingLoss($0) { studentSmoothedLoss($0, $1, $2, $3, composed: true) }
    },
]
