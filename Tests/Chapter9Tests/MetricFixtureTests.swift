import Evaluation
import Foundation
import Testing

// Reference numbers printed by Tools/bleu_rouge_fixtures.py (sacreBLEU 2.6.0 with tokenize='none';
// rouge-score 0.1.2 with use_stemmer=False). Re-run the script and paste its output to refresh them.

/// One sentence scored four ways by sacreBLEU.
struct BLEUCase: Sendable, CustomTestStringConvertible {
    let name: String, hypothesis: String, references: [String]
    let sentenceExp: Double, sentenceFloor: Double, corpusExp: Double, corpusNone: Double
    init(_ name: String, _ hypothesis: String, _ references: [String],
         sentenceExp: Double, sentenceFloor: Double, corpusExp: Double, corpusNone: Double) {
        (self.name, self.hypothesis, self.references) = (name, hypothesis, references)
        (self.sentenceExp, self.sentenceFloor, self.corpusExp, self.corpusNone) = (sentenceExp, sentenceFloor, corpusExp, corpusNone)
    }
    var testDescription: String { name }
}

/// A seeded corpus of noisy copies, scored by sacreBLEU's corpus_bleu.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    let seed: Int, hypotheses: [String], references: [String]
    let score: Double, precisions: [Double], brevityPenalty: Double, hypothesisLength: Int, referenceLength: Int
    var testDescription: String { "seed \(seed)" }
}

/// A candidate and reference scored by rouge-score: (precision, recall, F) for each measure.
struct ROUGECase: Sendable, CustomTestStringConvertible {
    typealias PRF = (Double, Double, Double)
    let candidate: String, reference: String
    let rouge1: PRF, rouge2: PRF, rougeL: PRF
    init(_ candidate: String, _ reference: String, rouge1: PRF, rouge2: PRF, rougeL: PRF) {
        (self.candidate, self.reference, self.rouge1, self.rouge2, self.rougeL) = (candidate, reference, rouge1, rouge2, rougeL)
    }
    var testDescription: String { "\"\(candidate)\" vs \"\(reference)\"" }
}

enum Fixtures {
    static let bleu: [BLEUCase] = [
        BLEUCase("perfect", "the cat sat on the mat", ["the cat sat on the mat"], sentenceExp: 100.00000000000004, sentenceFloor: 100.00000000000004, corpusExp: 100.00000000000004, corpusNone: 100.00000000000004),
        BLEUCase("no overlap", "a b c d e", ["f g h i j"], sentenceExp: 0.0, sentenceFloor: 0.0, corpusExp: 0.0, corpusNone: 0.0),
        BLEUCase("short hypothesis", "the cat sat", ["the cat sat on the mat"], sentenceExp: 36.78794411714425, sentenceFloor: 36.78794411714425, corpusExp: 0.0, corpusNone: 0.0),
        BLEUCase("long hypothesis", "the cat sat on the mat and then it slept", ["the cat sat on the mat"], sentenceExp: 51.697315395717055, sentenceFloor: 51.697315395717055, corpusExp: 51.697315395717055, corpusNone: 51.697315395717055),
        BLEUCase("clipping", "the the the the the the the", ["the cat is on the mat"], sentenceExp: 7.809849842300637, sentenceFloor: 3.9281465090051304, corpusExp: 7.809849842300637, corpusNone: 0.0),
        BLEUCase("repeated bigrams", "the cat the cat the cat", ["the cat sat with the cat"], sentenceExp: 22.957488466614336, sentenceFloor: 12.209471671615692, corpusExp: 22.957488466614336, corpusNone: 0.0),
        BLEUCase("two references", "the cat is on the mat", ["the cat sat on the mat", "there is a cat on the mat"], sentenceExp: 39.76353643835254, sentenceFloor: 26.59147948472494, corpusExp: 39.76353643835254, corpusNone: 0.0),
        BLEUCase("closest reference tie", "a b c d e", ["a b c d", "a b c d e f"], sentenceExp: 100.00000000000004, sentenceFloor: 100.00000000000004, corpusExp: 100.00000000000004, corpusNone: 100.00000000000004),
        BLEUCase("one token", "cat", ["the cat"], sentenceExp: 36.78794411714425, sentenceFloor: 36.78794411714425, corpusExp: 0.0, corpusNone: 0.0),
        BLEUCase("no 4-grams", "on the mat", ["the cat sat on the mat"], sentenceExp: 36.78794411714425, sentenceFloor: 36.78794411714425, corpusExp: 0.0, corpusNone: 0.0),
        BLEUCase("unigrams only", "mat the on sat cat", ["the cat sat on the mat"], sentenceExp: 13.078059222838354, sentenceFloor: 6.5779155448680715, corpusExp: 13.078059222838354, corpusNone: 0.0),
        BLEUCase("reordered", "sat the cat on mat the", ["the cat sat on the mat"], sentenceExp: 21.3643503198117, sentenceFloor: 11.36219366467499, corpusExp: 21.3643503198117, corpusNone: 0.0),
    ]

    static let corpora: [CorpusCase] = [
        CorpusCase(seed: 1, hypotheses: ["w1 w4 w1 w7 w6", "w7", "w0 w4 w6 w1 w0 w4 w7 w7 w6 w5 w3", "w7 w6 w0 w5 w3 w6 w6 w6 w5", "w6 w2 w5 w7 w4 w0", "w3 w6 w7 w5 w4 w5 w1 w5 w7 w0 w3 w2", "w5 w4 w1 w2 w7", "w4 w6 w5", "w3 w6 w7 w3 w0 w6 w2 w0 w2 w7 w6", "w4 w2", "w0 w3 w6 w2 w0 w6 w4 w5 w1 w3 w2", "w4 w1 w6 w5 w7 w3", "w4 w5 w2 w5 w1 w4 w1 w7 w2 w1 w5", "w1 w6 w4 w1 w0 w4 w6 w6 w4 w6 w5 w0", "w5", "w7 w1 w7 w3 w7 w5 w4 w0 w3", "w1 w7 w3 w1 w3 w1 w1 w4 w1", "w3 w2 w3 w6 w0 w5 w7 w2 w2 w6 w2 w0", "w0 w0 w5 w2 w2 w2 w4 w3 w6 w6 w6 w1", "w3 w0 w1 w5 w7"],
                   references: ["w1 w4 w1 w7 w7", "w7 w4 w3", "w0 w6 w3 w6 w0 w3 w7 w7 w3 w5 w3", "w7 w6 w0 w7 w3 w6 w6 w2 w5 w5 w1 w7", "w6 w5 w5 w7 w4 w0", "w3 w6 w7 w5 w6 w5 w0 w5 w7 w0 w3 w2", "w5 w4 w1 w2 w2", "w4 w6 w5", "w3 w6 w0 w3 w0 w6 w2 w0 w2 w7 w6", "w4 w1 w1", "w0 w3 w7 w2 w0 w6 w3 w5 w1 w3 w6", "w4 w1 w6 w5 w7 w3", "w4 w5 w5 w5 w1 w4 w3 w7 w2 w1 w5", "w1 w7 w4 w1 w0 w4 w0 w0 w1 w6 w1 w0", "w0 w0 w4", "w7 w1 w4 w3 w7 w5 w4 w2 w3 w4 w3 w3", "w1 w3 w3 w0 w3 w6 w1 w4 w1 w1 w0 w0", "w4 w2 w3 w2 w0 w5 w3 w2 w4 w6 w2 w0", "w0 w0 w5 w2 w2 w2 w4 w4 w6 w6 w2 w1", "w3 w0 w1 w5 w2 w3 w4"],
                   score: 39.679345993115554, precisions: [80.3921568627, 57.1428571429, 36.5217391304, 22.4489795918], brevityPenalty: 0.9007070946560695, hypothesisLength: 153, referenceLength: 169),
        CorpusCase(seed: 2, hypotheses: ["w4", "w0 w6 w6 w7 w2", "w3 w0 w2 w5 w7 w5", "w5 w7 w2 w5 w7 w7 w7 w4", "w4 w7 w4 w1 w5", "w2 w3 w0 w4 w0 w1", "w0 w1 w1 w2 w0 w0", "w2 w0 w0 w0 w6 w2", "w1 w7 w1 w0 w4 w2", "w2 w0 w4", "w0 w2 w3 w7 w1 w3 w1 w3 w1 w4 w6", "w2 w7 w3 w6 w5 w0 w5", "w1 w1 w4 w3 w0 w3 w3 w6 w7", "w5 w6", "w6 w4 w4 w5 w7 w2 w5 w4 w7", "w2 w6 w1 w6 w0 w2 w4 w6 w3 w3 w7", "w6 w7 w7 w0 w1 w3 w6 w0 w6 w0 w6 w4", "w2 w3 w0 w6 w3 w6 w3 w1 w6 w1", "w6 w7 w5 w2 w4 w7 w4 w1 w5", "w6 w7 w6 w4 w3 w2 w7 w1 w1"],
                   references: ["w1 w1 w5", "w6 w6 w5 w7 w4", "w3 w0 w2 w5 w2 w2", "w5 w7 w2 w6 w7 w3 w7 w4", "w4 w7 w4 w4 w6", "w1 w0 w0 w4 w3 w1", "w0 w1 w1 w1 w0 w0", "w2 w0 w0 w5 w1 w4", "w1 w5 w1 w0 w7 w2", "w2 w0 w4", "w0 w3 w3 w7 w1 w4 w1 w3 w5 w4 w6", "w6 w3 w3 w6 w6 w0 w0", "w1 w1 w4 w3 w0 w7 w0 w6 w7", "w5 w6 w1 w4 w1", "w0 w7 w4 w5 w7 w2 w5 w4 w7 w7", "w2 w6 w1 w1 w0 w2 w4 w6 w3 w5 w7", "w2 w7 w7 w0 w6 w2 w6 w0 w7 w4 w6 w4", "w2 w1 w0 w6 w3 w6 w3 w1 w6 w3", "w1 w7 w5 w7 w4 w7 w0 w1 w5 w2", "w6 w7 w3 w4 w7 w2 w7 w4 w1 w4 w5"],
                   score: 32.6701812886115, precisions: [75.1773049645, 49.5867768595, 25.4901960784, 15.4761904762], brevityPenalty: 0.9381646735450738, hypothesisLength: 141, referenceLength: 150),
        CorpusCase(seed: 3, hypotheses: ["w2 w5 w7 w1 w0 w7", "w2 w6 w7 w1 w6 w6", "w7 w2 w5 w1 w0 w0 w2 w3 w4 w6 w4 w6", "w4 w1 w1 w1 w7 w5 w1 w4 w1 w4 w2 w0", "w6 w6 w4 w6 w0 w5", "w4 w6 w3 w4 w6 w4 w4 w0 w0", "w2 w2 w2 w5 w3", "w5 w0 w7 w2 w2 w5 w1 w5", "w2 w4 w7 w6 w6 w3 w6 w6 w4", "w3 w6 w1 w3 w2", "w6 w1 w1 w2 w0 w4 w7 w0 w3 w3 w3", "w1 w0 w0 w2 w0 w1 w0", "w6 w1 w2", "w6 w5 w5", "w5 w4 w3 w4 w6 w6 w1 w0 w2 w0", "w1 w0 w3 w2 w0 w5 w2 w3", "w5 w6 w2 w6 w7 w6 w2 w6 w7", "w3 w4 w6 w4 w3 w2 w0 w4", "w7 w0 w7 w1", "w2 w0 w1 w2 w0"],
                   references: ["w2 w5 w7 w1 w0 w7", "w2 w6 w0 w1 w2 w0", "w7 w2 w5 w1 w0 w2 w7 w3 w4 w6 w4 w6", "w4 w4 w1 w1 w7 w7 w1 w5 w1 w6 w2 w0", "w6 w4 w4 w2 w0 w5", "w4 w6 w3 w4 w6 w4 w4 w5 w0 w6 w5 w0", "w2 w5 w2 w5 w5 w4 w4 w6", "w5 w3 w7 w2 w1 w5 w3 w7", "w4 w4 w7 w5 w6 w4 w6 w6 w0", "w1 w4 w1 w3 w0 w0", "w6 w0 w1 w5 w2 w4 w7 w0 w5 w3 w3", "w5 w0 w0 w2 w0 w1 w0 w1 w7 w0", "w6 w1 w2", "w6 w0 w5", "w0 w3 w3 w4 w1 w6 w3 w6 w2 w0", "w1 w1 w6 w2 w0 w5 w1 w0 w1 w7 w4", "w5 w6 w1 w6 w3 w6 w2 w6 w7", "w3 w4 w6 w4 w3 w4 w0 w4", "w7 w0 w7 w1 w6 w0", "w2 w0 w4 w2 w0"],
                   score: 35.69659384503158, precisions: [78.7671232877, 50.7936507937, 29.2452830189, 20.9302325581], brevityPenalty: 0.9023618042115344, hypothesisLength: 146, referenceLength: 161),
    ]

    static let rouge: [ROUGECase] = [
        ROUGECase("the cat sat on the mat", "the cat sat on the mat", rouge1: (1.0, 1.0, 1.0), rouge2: (1.0, 1.0, 1.0), rougeL: (1.0, 1.0, 1.0)),
        ROUGECase("a b c d e", "f g h i j", rouge1: (0.0, 0.0, 0.0), rouge2: (0.0, 0.0, 0.0), rougeL: (0.0, 0.0, 0.0)),
        ROUGECase("the cat sat", "the cat sat on the mat", rouge1: (1.0, 0.5, 0.6666666666666666), rouge2: (1.0, 0.4, 0.5714285714285715), rougeL: (1.0, 0.5, 0.6666666666666666)),
        ROUGECase("the cat sat on the mat and then it slept", "the cat sat on the mat", rouge1: (0.6, 1.0, 0.7499999999999999), rouge2: (0.5555555555555556, 1.0, 0.7142857142857143), rougeL: (0.6, 1.0, 0.7499999999999999)),
        ROUGECase("the the the the the the the", "the cat is on the mat", rouge1: (0.2857142857142857, 0.3333333333333333, 0.30769230769230765), rouge2: (0.0, 0.0, 0.0), rougeL: (0.2857142857142857, 0.3333333333333333, 0.30769230769230765)),
        ROUGECase("the cat the cat the cat", "the cat sat with the cat", rouge1: (0.6666666666666666, 0.6666666666666666, 0.6666666666666666), rouge2: (0.4, 0.4, 0.4000000000000001), rougeL: (0.6666666666666666, 0.6666666666666666, 0.6666666666666666)),
        ROUGECase("the cat is on the mat", "the cat sat on the mat", rouge1: (0.8333333333333334, 0.8333333333333334, 0.8333333333333334), rouge2: (0.6, 0.6, 0.6), rougeL: (0.8333333333333334, 0.8333333333333334, 0.8333333333333334)),
        ROUGECase("a b c d e", "a b c d", rouge1: (0.8, 1.0, 0.888888888888889), rouge2: (0.75, 1.0, 0.8571428571428571), rougeL: (0.8, 1.0, 0.888888888888889)),
        ROUGECase("cat", "the cat", rouge1: (1.0, 0.5, 0.6666666666666666), rouge2: (0.0, 0.0, 0.0), rougeL: (1.0, 0.5, 0.6666666666666666)),
        ROUGECase("on the mat", "the cat sat on the mat", rouge1: (1.0, 0.5, 0.6666666666666666), rouge2: (1.0, 0.4, 0.5714285714285715), rougeL: (1.0, 0.5, 0.6666666666666666)),
        ROUGECase("mat the on sat cat", "the cat sat on the mat", rouge1: (1.0, 0.8333333333333334, 0.9090909090909091), rouge2: (0.0, 0.0, 0.0), rougeL: (0.4, 0.3333333333333333, 0.3636363636363636)),
        ROUGECase("sat the cat on mat the", "the cat sat on the mat", rouge1: (1.0, 1.0, 1.0), rouge2: (0.2, 0.2, 0.20000000000000004), rougeL: (0.6666666666666666, 0.6666666666666666, 0.6666666666666666)),
        ROUGECase("The Cat's mat!", "the cat sat on the MAT.", rouge1: (0.75, 0.5, 0.6), rouge2: (0.3333333333333333, 0.2, 0.25), rougeL: (0.75, 0.5, 0.6)),
        ROUGECase("police killed the gunman", "the gunman was shot down by police", rouge1: (0.75, 0.42857142857142855, 0.5454545454545454), rouge2: (0.3333333333333333, 0.16666666666666666, 0.2222222222222222), rougeL: (0.5, 0.2857142857142857, 0.36363636363636365)),
        ROUGECase("", "the cat", rouge1: (0.0, 0.0, 0.0), rouge2: (0.0, 0.0, 0.0), rougeL: (0, 0, 0)),
        ROUGECase("café au lait, s'il vous plaît", "cafe au lait please", rouge1: (0.25, 0.5, 0.3333333333333333), rouge2: (0.14285714285714285, 0.3333333333333333, 0.2), rougeL: (0.25, 0.5, 0.3333333333333333)),
    ]
}

/// Agreement within 10⁻⁹ relative: both sides compute in Double, so only summation order differs.
func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(b)) }

@Suite("Chapter 9: agreement with sacreBLEU and rouge-score on hand-made cases")
struct Chapter9MetricFixtureTests {
    @Test("Sentence and corpus-of-one BLEU match sacreBLEU", arguments: Fixtures.bleu)
    func bleuMatchesSacreBLEU(_ c: BLEUCase) {
        let exp = sentenceBLEU(hypothesis: c.hypothesis, references: c.references, tokenize: .none).score
        let floor = sentenceBLEU(hypothesis: c.hypothesis, references: c.references, tokenize: .none, smoothing: .floor(0.1)).score
        let corpusExp = corpusBLEU(hypotheses: [c.hypothesis], referenceStreams: c.references.map { [$0] }, tokenize: .none).score
        let corpusNone = corpusBLEU(hypotheses: [c.hypothesis], referenceStreams: c.references.map { [$0] }, tokenize: .none, smoothing: .none).score
        #expect(close(exp, c.sentenceExp), "sentence BLEU ('exp', effective order): \(exp) vs sacreBLEU \(c.sentenceExp)")
        #expect(close(floor, c.sentenceFloor), "sentence BLEU ('floor' 0.1): \(floor) vs sacreBLEU \(c.sentenceFloor)")
        #expect(close(corpusExp, c.corpusExp), "corpus BLEU ('exp'): \(corpusExp) vs sacreBLEU \(c.corpusExp)")
        #expect(close(corpusNone, c.corpusNone), "corpus BLEU ('none'): \(corpusNone) vs sacreBLEU \(c.corpusNone)")
    }

    @Test("Corpus BLEU of seeded noisy copies matches sacreBLEU, part by part", arguments: Fixtures.corpora)
    func corpusMatchesSacreBLEU(_ c: CorpusCase) {
        let result = corpusBLEU(hypotheses: c.hypotheses, referenceStreams: [c.references], tokenize: .none)
        #expect(close(result.score, c.score), "BLEU \(result.score) vs sacreBLEU \(c.score)")
        #expect(close(result.brevityPenalty, c.brevityPenalty), "BP \(result.brevityPenalty) vs \(c.brevityPenalty)")
        #expect(result.statistics.hypothesisLength == c.hypothesisLength && result.statistics.referenceLength == c.referenceLength,
                "c, r = \(result.statistics.hypothesisLength), \(result.statistics.referenceLength) vs \(c.hypothesisLength), \(c.referenceLength)")
        for n in 0..<4 {
            #expect(abs(result.precisions[n] - c.precisions[n]) < 1e-8, "p\(n + 1): \(result.precisions[n]) vs \(c.precisions[n])")
        }
    }

    @Test("ROUGE-1, ROUGE-2 and ROUGE-L match rouge-score", arguments: Fixtures.rouge)
    func rougeMatchesRougeScore(_ c: ROUGECase) {
        let scores = rouge(candidate: c.candidate, reference: c.reference)
        for (name, ours, theirs) in [("ROUGE-1", scores.rouge1, c.rouge1), ("ROUGE-2", scores.rouge2, c.rouge2), ("ROUGE-L", scores.rougeL, c.rougeL)] {
            #expect(close(ours.precision, theirs.0) && close(ours.recall, theirs.1) && close(ours.fMeasure, theirs.2),
                    "\(name): (P, R, F) = (\(ours.precision), \(ours.recall), \(ours.fMeasure)) vs rouge-score \(theirs)")
        }
    }
}
