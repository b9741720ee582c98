import Evaluation
import Foundation
import Tensors
import Testing

/// Rounds to `places` decimals, for comparing with the numbers printed in the chapter.
func rounded(_ x: Double, _ places: Int) -> Double {
    let scale = pow(10, Double(places))
    return (x * scale).rounded() / scale
}

/// Every worked number of chapter 9, in the order of the text.
@Suite("Chapter 9: worked examples")
struct Chapter9WorkedExampleTests {
    @Test("Section 9.1: Logits [2, 1, 0], target 0: cross-entropy 0.4076, label-smoothed (ε = 0.1) 0.5076")
    func labelSmoothingWorkedExample() {
        let logits = Variable(Tensor(shape: [1, 3], scalars: [2, 1, 0]))
        let plain = crossEntropy(logits: logits, targets: [0]).value.scalars[0]
        let smoothed = labelSmoothedCrossEntropy(logits: logits, targets: [0], epsilon: 0.1)
        #expect(rounded(Double(plain), 4) == 0.4076, "got \(plain)")
        #expect(rounded(Double(smoothed.value.scalars[0]), 4) == 0.5076, "got \(smoothed.value.scalars[0])")
        let logP = Tensor(shape: [1, 3], scalars: [2, 1, 0]).logSoftmax()
        #expect(logP.scalars.map { rounded(Double($0), 4) } == [-0.4076, -1.4076, -2.4076], "got \(logP.scalars)")
        // The two terms of the smoothed loss: 0.9 · 0.4076 and (0.1/3) · (0.4076 + 1.4076 + 2.4076).
        #expect(rounded(Double(0.9 * -logP.scalars[0]), 4) == 0.3668)
        #expect(rounded(Double(0.1 / 3 * -logP.scalars.reduce(0, +)), 4) == 0.1408)
        let q = smoothedTargets(target: 0, classes: 3, epsilon: 0.1)
        #expect(q.map { rounded(Double($0), 4) } == [0.9333, 0.0333, 0.0333], "got \(q)")
        #expect(abs(q.reduce(0, +) - 1) < 1e-6, "the smoothed targets must sum to 1, got \(q.reduce(0, +))")
        // The gradient is softmax(z) − q: [0.6652, 0.2447, 0.0900] − q; without smoothing, softmax(z) − onehot.
        #expect(logP.exp().scalars.map { rounded(Double($0), 4) } == [0.6652, 0.2447, 0.09])
        let plainLogits = Variable(Tensor(shape: [1, 3], scalars: [2, 1, 0]))
        crossEntropy(logits: plainLogits, targets: [0]).backward()
        #expect(plainLogits.gradient.scalars.map { rounded(Double($0), 4) } == [-0.3348, 0.2447, 0.09], "got \(plainLogits.gradient.scalars)")
        smoothed.backward()
        #expect(logits.gradient.scalars.map { rounded(Double($0), 4) } == [-0.2681, 0.2114, 0.0567], "got \(logits.gradient.scalars)")
    }

    @Test("Section 9.1: The smoothed loss can never fall below H(q) = 0.2911, reached at softmax(z) = q")
    func smoothedLossFloor() {
        let q = smoothedTargets(target: 0, classes: 3, epsilon: 0.1)
        let entropy = -q.reduce(Float(0)) { $0 + $1 * log($1) }
        #expect(rounded(Double(entropy), 4) == 0.2911, "got \(entropy)")
        // Logits equal to log q make softmax(z) = q: the minimum.
        let atMinimum = labelSmoothedCrossEntropy(logits: .constant(Tensor(shape: [1, 3], scalars: q.map { log($0) })), targets: [0], epsilon: 0.1)
        #expect(abs(atMinimum.value.scalars[0] - entropy) < 1e-5, "got \(atMinimum.value.scalars[0])")
        // Making the gold logit huge lowers plain cross-entropy towards 0 but raises the smoothed loss.
        let confident = Tensor(shape: [1, 3], scalars: [12, 0, 0])
        let plain = crossEntropy(logits: .constant(confident), targets: [0]).value.scalars[0]
        let smoothed = labelSmoothedCrossEntropy(logits: .constant(confident), targets: [0], epsilon: 0.1).value.scalars[0]
        #expect(plain < 1e-4 && smoothed > 0.8, "plain \(plain), smoothed \(smoothed)")
    }

    @Test("Section 9.2: Perplexity: [0.5, 0.25, 0.125] gives 4; a uniform guess over 20 tokens gives 20")
    func perplexityWorkedExample() {
        #expect(abs(corpusPerplexity(tokenLogProbabilities: [log(0.5), log(0.25), log(0.125)]) - 4) < 1e-12)
        let uniform = corpusPerplexity(logits: Tensor.zeros([5, 20]), targets: [1, 2, 3, 4, 5])
        #expect(abs(uniform - 20) < 1e-4, "got \(uniform)")
    }

    @Test("Section 9.7: Trained with ε = 0.1 over V = 55 tokens, a model's best gold probability is 0.9018: perplexity ≥ 1.109")
    func perplexityFloorOfASmoothedModel() {
        let q = smoothedTargets(target: 0, classes: 55, epsilon: 0.1)
        #expect(rounded(Double(q[0]), 4) == 0.9018, "got \(q[0])")
        #expect(rounded(Double(q[1]), 5) == 0.00182, "got \(q[1])")
        #expect(rounded(Double(q.dropFirst().reduce(0, +)), 4) == 0.0982, "got \(q.dropFirst().reduce(0, +))")
        let floor = corpusPerplexity(tokenLogProbabilities: [log(Double(q[0]))])
        #expect(rounded(floor, 3) == 1.109, "got \(floor)")
        // Sampling at T = 1 from q itself: all 10 tokens of an output are gold with probability 0.9018¹⁰.
        #expect(rounded(pow(Double(q[0]), 10), 2) == 0.36, "got \(pow(Double(q[0]), 10))")
    }

    @Test("Section 9.3: Clipping: \"the\" × 7 against \"the cat is on the mat\" scores p₁ = 2/7, not 7/7")
    func clipping() {
        let hypothesis = pythonSplit("the the the the the the the")
        let (matches, total) = modifiedPrecision(hypothesis: hypothesis, references: [pythonSplit("the cat is on the mat")], n: 1)
        #expect(matches == 2 && total == 7, "got \(matches)/\(total)")
    }

    @Test("Section 9.4: Brevity penalty: c = 6, r = 8 gives 0.7165; c ≥ r gives 1; the tie 4 vs 6 for c = 5 takes 4")
    func brevity() {
        #expect(rounded(brevityPenalty(hypothesisLength: 6, referenceLength: 8), 4) == 0.7165)
        #expect(brevityPenalty(hypothesisLength: 9, referenceLength: 8) == 1)
        #expect(brevityPenalty(hypothesisLength: 0, referenceLength: 8) == 0)
        #expect(closestReferenceLength(hypothesisLength: 5, referenceLengths: [6, 4]) == 4)
    }

    @Test("Section 9.5: \"the cat is on the mat\" vs two references: p = 6/6, 3/5, 1/4, 0/3; BLEU 39.76 with 'exp', 0 without")
    func bleuWorkedExample() {
        let hypothesis = "the cat is on the mat"
        let references = ["the cat sat on the mat", "there is a cat on the mat"]
        let result = corpusBLEU(hypotheses: [hypothesis], referenceStreams: references.map { [$0] })
        #expect(result.statistics.matches == [6, 3, 1, 0] && result.statistics.totals == [6, 5, 4, 3], "got \(result.statistics)")
        #expect(result.statistics.referenceLength == 6 && result.brevityPenalty == 1)
        // The 4-gram precision 0/3 is smoothed to 1 / (2 · 3) = 16.67 %.
        #expect(result.precisions.map { rounded($0, 2) } == [100, 60, 25, 16.67], "got \(result.precisions)")
        #expect(rounded(result.score, 2) == 39.76, "got \(result.score)")
        #expect(abs(result.score - 100 * pow(1 * 0.6 * 0.25 / 6, 0.25)) < 1e-9)
        #expect(corpusBLEU(hypotheses: [hypothesis], referenceStreams: references.map { [$0] }, smoothing: .none).score == 0)
    }

    @Test("Section 9.5: Sentence BLEU of \"the cat sat\": corpus BLEU 0 (no 4-grams), sentence BLEU 36.79 = BP e⁻¹")
    func effectiveOrder() {
        let corpus = corpusBLEU(hypotheses: ["the cat sat"], referenceStreams: [["the cat sat on the mat"]])
        let sentence = sentenceBLEU(hypothesis: "the cat sat", references: ["the cat sat on the mat"])
        #expect(corpus.score == 0)
        #expect(rounded(sentence.score, 2) == 36.79 && abs(sentence.score - 100 * exp(-1.0)) < 1e-9, "got \(sentence.score)")
    }

    @Test("Section 9.6: ROUGE: LCS of \"the cat sat on the mat\" and \"the cat on a mat\" is 4; ROUGE-L P 0.8, R 0.667")
    func rougeWorkedExample() {
        let reference = pythonSplit("the cat sat on the mat"), candidate = pythonSplit("the cat on a mat")
        #expect(longestCommonSubsequence(reference, candidate) == 4)
        let l = rougeL(candidate: candidate, reference: reference)
        #expect(rounded(l.precision, 4) == 0.8 && rounded(l.recall, 4) == 0.6667 && rounded(l.fMeasure, 4) == 0.7273, "got \(l)")
        let one = rougeN(candidate: candidate, reference: reference, n: 1)
        let two = rougeN(candidate: candidate, reference: reference, n: 2)
        #expect(rounded(one.precision, 4) == 0.8 && rounded(one.recall, 4) == 0.6667, "got \(one)")
        #expect(rounded(two.precision, 4) == 0.25 && rounded(two.recall, 4) == 0.2, "got \(two)")
        #expect(rougeTokens("The Cat's mat!") == ["the", "cat", "s", "mat"])
    }

    @Test("Section 9.5: \"The cat, sat on the mat.\" against \"The cat sat on the mat.\": 59.46 with 13a, 53.73 on whitespace, chrF 81.39; the signature")
    func tokenizationMatters() {
        let hypothesis = ["The cat, sat on the mat."], references = [["The cat sat on the mat."]]
        let thirteenA = corpusBLEU(hypotheses: hypothesis, referenceStreams: references)
        #expect(rounded(thirteenA.score, 2) == 59.46, "got \(thirteenA.score)")
        #expect(BLEU().tokens("The cat, sat on the mat.") == ["The", "cat", ",", "sat", "on", "the", "mat", "."])
        #expect(thirteenA.statistics.hypothesisLength == 8 && thirteenA.statistics.referenceLength == 7)
        #expect(rounded(corpusBLEU(hypotheses: hypothesis, referenceStreams: references, tokenize: .none).score, 2) == 53.73)
        #expect(BLEU().formatted(thirteenA, referenceCount: 1)
                == "BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:EncoderDecoderBook = 59.5 87.5/71.4/50.0/40.0 (BP = 1.000 ratio = 1.143 hyp_len = 8 ref_len = 7)")
        let chrF = CHRF().corpusScore(hypotheses: hypothesis, referenceStreams: references)
        #expect(rounded(chrF, 2) == 81.39, "got \(chrF)")
        #expect(CHRF().signature(referenceCount: 1) == "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:EncoderDecoderBook")
        #expect(BLEUTokenizer.thirteenA.tokenize("It costs $5.50, or 1,000 yen.") == "It costs $ 5.50 , or 1,000 yen .")
    }

    @Test("Section 9.5: \"le café est très bon\", café in NFC against NFD, scores 42.73, not 100")
    func scalarsNotCharacters() {
        let nfc = "le caf\u{E9} est tr\u{E8}s bon", nfd = "le cafe\u{301} est tr\u{E8}s bon"
        #expect(nfc == nfd, "Swift's String calls them equal")
        let result = corpusBLEU(hypotheses: [nfc], referenceStreams: [[nfd]])
        #expect(rounded(result.score, 2) == 42.73, "got \(result.score)")
        #expect(result.statistics.matches == [4, 2, 1, 0])
        #expect(corpusBLEU(hypotheses: [nfc], referenceStreams: [[nfc]]).score > 99.99)
        #expect(pythonSplit("a\u{1C}b c") == ["a", "b", "c"], "U+001C is whitespace to Python")
    }

    @Test("Section 9.6: stemming, ROUGE-Lsum and several references")
    func rougeAsRougeScore() {
        let plain = rouge(candidate: "the cats were running", reference: "the cat was running")
        let stemmed = rouge(candidate: "the cats were running", reference: "the cat was running", stem: true)
        #expect(plain.rouge1.fMeasure == 0.5 && stemmed.rouge1.fMeasure == 0.75)
        #expect(["running", "cats", "were", "was", "generously", "relational"].map(porterStem) == ["run", "cat", "were", "wa", "gener", "relat"])
        #expect(rougeTokens("caf\u{E9}") == ["caf"] && rougeTokens("cafe\u{301}") == ["cafe"])
        let swapped = rouge(candidate: "the cat was happy.\nit sat on the mat.", reference: "the cat sat on the mat.\nit was happy.")
        #expect(rounded(swapped.rougeL.fMeasure, 4) == 0.6667 && swapped.rougeLsum.fMeasure == 1)
        let multi = rouge(candidate: "the cat on a mat", references: ["the cat sat on the mat", "a cat on a mat"])
        #expect(rounded(multi.rougeL.fMeasure, 4) == 0.8)
    }
}

