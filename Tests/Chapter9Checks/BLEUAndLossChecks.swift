// The checks of exercises 9.7 (sentence BLEU) and 9.8 (the label-smoothed loss and its gradient).

import Evaluation
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors

/// Ways sentence BLEU goes wrong, each a switch of ``sentenceBLEUVariant``.
struct SentenceBLEUMistakes {
    var sumOverReferences = false
    var longerOnTie = false
    var firstReference = false
    var shortestReference = false
    var fullOrder = false
    var noSmoothing = false
    var constantFactor = false
    var canonicalEquality = false
}

/// Sentence BLEU (sacreBLEU's defaults) with one mistake switched on.
func sentenceBLEUVariant(_ hypothesis: [String], _ references: [[String]], _ m: SentenceBLEUMistakes) -> Double {
    // Swift's String keys merge canonically equivalent tokens; the book's NGram keys do not.
    func counts(_ tokens: [String], _ n: Int) -> [AnyHashable: Int] {
        var result: [AnyHashable: Int] = [:]
        if tokens.count >= n {
            for i in 0...(tokens.count - n) {
                let gram = Array(tokens[i..<i + n])
                result[m.canonicalEquality ? AnyHashable(gram) : AnyHashable(NGram(gram)), default: 0] += 1
            }
        }
        return result
    }
    var matches = [Double](repeating: 0, count: 4), totals = [Double](repeating: 0, count: 4)
    for n in 1...4 {
        var limit: [AnyHashable: Int] = [:]
        for reference in m.firstReference ? [references[0]] : references {
            for (gram, count) in counts(reference, n) { limit[gram] = m.sumOverReferences ? (limit[gram] ?? 0) + count : max(limit[gram] ?? 0, count) }
        }
        for (gram, count) in counts(hypothesis, n) { matches[n - 1] += Double(min(count, limit[gram] ?? 0)) }
        totals[n - 1] = Double(max(hypothesis.count - n + 1, 0))
    }
    if matches.allSatisfy({ $0 == 0 }) { return 0 }
    let c = hypothesis.count
    let lengths = references.map(\.count)
    let r = m.firstReference ? lengths[0] : m.shortestReference ? lengths.min()!
        : lengths.min { abs($0 - c) != abs($1 - c) ? abs($0 - c) < abs($1 - c) : (m.longerOnTie ? $0 > $1 : $0 < $1) }!
    let bp = c >= r ? 1 : (c == 0 ? 0 : exp(1 - Double(r) / Double(c)))
    var logSum = 0.0, order = 0, factor = 1.0
    for n in 0..<4 {
        if totals[n] == 0 && !m.fullOrder { break }
        order += 1
        if matches[n] == 0 {
            if m.noSmoothing || totals[n] == 0 { return 0 }
            factor = m.constantFactor ? 2 : factor * 2
            logSum += log(100 / (factor * totals[n]))
        } else {
            logSum += log(100 * matches[n] / totals[n])
        }
    }
    return bp * exp(logSum / Double(order))
}

/// 9.7: sacreBLEU's sentence BLEU of token lists.
public func checkSentenceBLEU(_ c: Checker, _ bleu: ([String], [[String]]) throws -> Double) throws {
    func check(_ hypothesis: String, _ references: [String], _ what: String) throws {
        let h = words(hypothesis), r = references.map(words)
        let got = try bleu(h, r)
        let expected = sentenceBLEU(hypothesisTokens: h, referenceTokens: r).score
        let mistakes: [(SentenceBLEUMistakes, String)] = [
            (SentenceBLEUMistakes(canonicalEquality: true), "tokens were compared with Swift's ==, which calls NFC and NFD spellings equal; compare them scalar by scalar (token.unicodeScalars), as Python does"),
            (SentenceBLEUMistakes(sumOverReferences: true), "the clipping limit is the largest count in any one reference, not the sum over the references"),
            (SentenceBLEUMistakes(longerOnTie: true), "when two references are equally close in length, r is the shorter one"),
            (SentenceBLEUMistakes(firstReference: true), "r is the length of the reference closest to c, and every reference counts for clipping, not only the first"),
            (SentenceBLEUMistakes(shortestReference: true), "r is the reference length closest to c, not the shortest"),
            (SentenceBLEUMistakes(fullOrder: true), "sentence BLEU uses the effective order: average only over the orders for which the hypothesis has n-grams"),
            (SentenceBLEUMistakes(noSmoothing: true), "with 'exp' smoothing an order with no match gets pₙ = 1 / (2ⁱ · totalₙ) instead of making BLEU 0"),
            (SentenceBLEUMistakes(constantFactor: true), "the 'exp' factor doubles with each order that has no match: 1/(2·total), then 1/(4·total), …"),
        ]
        guard abs(got - expected) > 1e-9 * max(1, expected) else { return }
        var message = "sentence BLEU of \(what): expected \(Checker.format(expected)), got \(Checker.format(got))."
        // Different mistakes can give the same number on one sentence: name every one that does.
        let matching = mistakes.filter { abs(sentenceBLEUVariant(h, r, $0.0) - got) <= 1e-9 * max(1, abs(got)) }
        if !matching.isEmpty { message += " Likely mistake: " + matching.map { $0.1 + "." }.joined(separator: " Or: ") }
        c.fail(message)
    }
    try check("the cat is on the mat", ["the cat sat on the mat", "there is a cat on the mat"], "section 9.5's example (39.76)")
    try check("the cat sat", ["the cat sat on the mat"], "\"the cat sat\" (36.79: no 4-grams)")
    try check("the the the", ["the cat", "the dog"], "\"the the the\" against \"the cat\" and \"the dog\"")
    try check("a b c d e", ["a b c d x y", "a b c d"], "a 5-token hypothesis against references of 6 and 4 tokens (equally close)")
    try check("a b c d e f", ["a b c d e f g h i j", "a b c x y z"], "a 6-token hypothesis against references of 10 and 6 tokens")
    try check("one two three four five six seven", ["one two three four nine six seven eight", "one two three"],
              "a hypothesis between a longer and a much shorter reference")
    try check("w x y z v", ["w x q z p", "w q y r v"], "a hypothesis with no matching trigram or 4-gram")
    try check("le caf\u{E9} est tr\u{E8}s bon", ["le cafe\u{301} est tr\u{E8}s bon"], "\"le café est très bon\" (NFC) against the same words with café in NFD")
    try check("a b", ["c d"], "no matching n-gram at all")
    try check("", ["a b c"], "an empty hypothesis")
    try check("cat", ["the cat"], "a one-token hypothesis")
    var rng = SeededRandom(seed: 97)
    for trial in 1...6 {
        let sentence = { (length: Int) in (0..<length).map { _ in "w\(rng.integer(below: 5))" }.joined(separator: " ") }
        let references = (0..<(1 + trial % 3)).map { _ in sentence(4 + rng.integer(below: 10)) }
        try check(sentence(3 + rng.integer(below: 10)), references, "random sentence \(trial)")
    }
}

/// 9.8: the label-smoothed loss as one node with a hand-written gradient.
public func checkLabelSmoothingLoss(_ c: Checker, _ lossFunction: (Variable, [Int], Float, Int?) throws -> Variable) throws {
    func case_(_ shape: [Int], _ targets: [Int], epsilon: Float, ignore: Int?, seed: UInt64, scale: Float = 2, _ what: String) throws {
        var rng = SeededRandom(seed: seed)
        let values = Tensor.randomUniform(shape, low: -scale, high: scale, rng: &rng)
        let logits = Variable(values)
        let loss = try lossFunction(logits, targets, epsilon, ignore)
        guard loss.inputs.count == 1 && loss.inputs[0] === logits else {
            c.fail("\(what): the loss must be one node whose only input is logits, with a backward rule you write; got a \"\(loss.op)\" node with \(loss.inputs.count) input(s), not logits itself. Likely mistake: the loss was built from Variable operations, so autodiff wrote its gradient; build Variable(Tensor(value), op:, inputs: [logits]) { g in logits.accumulate(…) }.")
            return
        }
        guard loss.value.scalars.allSatisfy(\.isFinite) else {
            c.fail("\(what): the loss is \(loss.value.scalars), not a finite number. Likely mistake: log(softmax(z)) underflows to log 0 = −∞ for large logits; use the stable Tensor method logSoftmax().")
            return
        }
        guard loss.value.count == 1 else {
            c.fail("\(what): the loss must be one number, got a value of shape \(loss.value.shape).")
            return
        }
        let reference = Variable(values)
        let expected = labelSmoothedCrossEntropy(logits: reference, targets: targets, epsilon: epsilon, ignoreIndex: ignore)
        let rows = targets.count, classes = shape.last!
        let counted = Float(max(targets.filter { $0 != ignore }.count, 1))
        let logP = values.logSoftmax()
        var perRow = Tensor.zeros([rows]), spreadOverOthers: Float = 0
        for (i, y) in targets.enumerated() where y != ignore {
            for k in 0..<classes {
                let q = epsilon / Float(classes) + (k == y ? 1 - epsilon : 0)
                perRow.scalars[i] -= q * logP.scalars[i * classes + k]
                let other = k == y ? 1 - epsilon : epsilon / Float(classes - 1)
                spreadOverOthers -= other * logP.scalars[i * classes + k]
            }
        }
        let sum = perRow.scalars.reduce(0, +)
        c.expectClose(loss.value.scalars[0], expected.value.scalars[0], tolerance: 1e-5, "\(what): the loss",
                      mistakes: [Mistake(sum / Float(rows), "N counts only the rows whose target is not ignoreIndex"),
                                 Mistake(sum, "the loss is the mean over the N rows, not their sum"),
                                 Mistake(spreadOverOthers / counted, "PyTorch's convention, used here, spreads ε over all V classes, the gold one included: q = (1 − ε)·onehot + ε/V")])
        // The gradient, with an upstream gradient of 3 to see that g is used.
        loss.backward(seed: Tensor(repeating: 3, shape: loss.value.shape))
        expected.backward(seed: Tensor(repeating: 3, shape: expected.value.shape))
        let want = reference.gradient
        var plain = values.softmax(), unscaled = want, noN = want, ignoredToo = values.softmax()
        for (i, y) in targets.enumerated() {
            for k in 0..<classes {
                let q = epsilon / Float(classes) + (k == y ? 1 - epsilon : 0)
                plain.scalars[i * classes + k] = y == ignore ? 0 : 3 * (plain.scalars[i * classes + k] - (k == y ? 1 : 0)) / counted
                ignoredToo.scalars[i * classes + k] = 3 * (ignoredToo.scalars[i * classes + k] - (y == ignore ? 0 : q)) / counted
            }
        }
        for i in unscaled.scalars.indices {
            unscaled.scalars[i] /= 3
            noN.scalars[i] *= counted
        }
        c.expectClose(logits.gradient, want, tolerance: 1e-5, "\(what): ∂(3L)/∂logits",
                      mistakes: [Mistake(unscaled, "the backward rule must multiply by the upstream gradient g"),
                                 Mistake(noN, "the gradient of a mean keeps its 1/N"),
                                 Mistake(Tensor(shape: want.shape, scalars: want.scalars.map { -$0 }), "the sign is flipped: ∂L/∂z = softmax(z) − q"),
                                 Mistake(plain, "the gradient must use the smoothed target q, not the one-hot target"),
                                 Mistake(ignoredToo, "rows whose target is ignoreIndex get a zero gradient")])
    }
    // The worked example, by hand: L = 0.5076, ∂L/∂z = [−0.2681, 0.2114, 0.0567].
    let logits = Variable(Tensor(shape: [1, 3], scalars: [2, 1, 0]))
    let loss = try lossFunction(logits, [0], 0.1, nil)
    c.expectClose(loss.value.scalars.first ?? .nan, 0.9 * 0.40760596 + 0.1 / 3 * (0.40760596 + 1.40760596 + 2.40760596), tolerance: 1e-5,
                  "logits [2, 1, 0], target 0, ε = 0.1 (section 9.1: 0.5076)",
                  mistakes: [Mistake(0.40760596, "ε was left out: that is the plain cross-entropy")])
    try case_([6, 5], [3, 0, -1, 4, -1, 2], epsilon: 0.2, ignore: -1, seed: 91, "6 rows of 5 logits, 2 of them padding (ignoreIndex −1), ε = 0.2")
    try case_([2, 3, 4], [1, 0, 3, 2, 2, 0], epsilon: 0.1, ignore: nil, seed: 92, "logits of shape [2, 3, 4], ε = 0.1")
    try case_([3, 4], [0, 1, 2], epsilon: 0, ignore: nil, seed: 93, "ε = 0, plain cross-entropy")
    try case_([2, 3], [1, 2], epsilon: 0.3, ignore: nil, seed: 94, scale: 800, "logits as large as ±800 (a stable log-softmax stays finite)")
    // Two losses on the same logits: their gradients must add up.
    let shared = Variable(Tensor(shape: [2, 3], scalars: [0.5, -1, 2, 1, 0, -0.5]))
    let first = try lossFunction(shared, [2, 0], 0.1, nil), second = try lossFunction(shared, [2, 0], 0.1, nil)
    first.backward()
    second.backward()
    let single = Variable(shared.value)
    labelSmoothedCrossEntropy(logits: single, targets: [2, 0], epsilon: 0.1).backward()
    c.expectClose(shared.gradient, single.gradient * 2, tolerance: 1e-5, "the gradient after two losses on the same logits, each backward once",
                  mistakes: [Mistake(single.gradient, "add to logits' gradient with logits.accumulate(_:); do not overwrite logits.grad")])
}
