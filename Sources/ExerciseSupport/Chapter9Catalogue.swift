extension Catalogue {
    /// Chapter 9: training and evaluating sequence models.
    static let chapter9: [Exercise] = [
        Exercise("9.1", "Label-smoothed targets", stars: 1, api: ["labelSmoothingTargets"],
                 forbidden: ["smoothedTargets", "labelSmoothedCrossEntropy"],
                 hints: [
                    "Section 9.1: the target mixes the one-hot vector with the uniform distribution over all V classes.",
                    "PyTorch's convention spreads ε over all V classes, the gold one included: every class gets ε/V, and the gold class gets 1 − ε on top.",
                    "Start every entry at ε / V, then add 1 − ε to entry y. V = 3, y = 0, ε = 0.1 gives [0.9333, 0.0333, 0.0333], which sums to 1.",
                 ]),
        Exercise("9.2", "Perplexity", stars: 1, api: ["tokenPerplexity"],
                 forbidden: ["corpusPerplexity", "perplexityFromLoss"],
                 hints: [
                    "Section 9.2: perplexity is the exponential of the mean negative log-likelihood per token.",
                    "Average the log-probabilities over the tokens first, then negate and exponentiate: a geometric mean of 1/p, not an arithmetic one.",
                    "exp(−(Σ log p) / T). [log 0.5, log 0.25, log 0.125] gives exp(log 4) = 4.",
                 ]),
        Exercise("9.3", "Modified (clipped) n-gram precision", stars: 2, api: ["clippedPrecision"],
                 forbidden: ["modifiedPrecision", "bleuStatistics", "ngramCounts", "BLEU"],
                 hints: [
                    "Section 9.3: each hypothesis n-gram is credited at most as often as it occurs in any single reference.",
                    "Count the hypothesis n-grams in a dictionary keyed by arrays of n tokens. For the references, keep per n-gram the largest count over the references (the maximum, not the sum).",
                    "matches = Σ over hypothesis n-grams g of min(count_hyp(g), max over references of count_ref(g)); total = max(0, hypothesis.count − n + 1). \"the the the\" against \"the cat\" and \"the dog\" gives (1, 3).",
                 ]),
        Exercise("9.4", "The brevity penalty", stars: 1, api: ["brevity"],
                 forbidden: ["brevityPenalty"],
                 hints: [
                    "Section 9.4: BLEU charges an output shorter than the reference; it never charges a longer one.",
                    "BP = 1 when c ≥ r, exp(1 − r/c) when 0 < c < r, and 0 when c = 0. Compute r/c in Double: in Int, 8/6 is 1.",
                    "c = 6, r = 8 gives exp(1 − 8/6) = 0.7165.",
                 ]),
        Exercise("9.5", "BLEU from corpus statistics", stars: 2, api: ["bleuScore"],
                 forbidden: ["bleuFromStatistics", "corpusBLEU", "sentenceBLEU", "brevityPenalty", "BLEU"],
                 hints: [
                    "Section 9.5: BLEU is the brevity penalty times the geometric mean of the four clipped precisions.",
                    "pₙ = matchesₙ / totalₙ. The geometric mean is exp((1/4) Σ log pₙ), not the arithmetic mean of the pₙ. Unsmoothed, a zero pₙ makes BLEU 0.",
                    "If any matchesₙ is 0 return 0. Otherwise 100 · BP · exp((1/4) Σₙ log(matchesₙ / totalₙ)), with BP from 9.4's formula.",
                 ]),
        Exercise("9.6", "Longest common subsequence for ROUGE-L", stars: 2, api: ["lcsLength"],
                 forbidden: ["longestCommonSubsequence", "rougeL", "rouge", "summaryLevelLCS", "lcsIndices", "lcsTable"],
                 hints: [
                    "Section 9.6: a subsequence keeps the order of the tokens but need not be contiguous; solve it by dynamic programming over prefixes.",
                    "Let L[i][j] be the LCS of the first i tokens of a and the first j of b. If aᵢ = bⱼ, L[i][j] = L[i−1][j−1] + 1; otherwise the larger of L[i−1][j] and L[i][j−1].",
                    "Fill a table of size (|a| + 1) × (|b| + 1) with zeros and apply that rule row by row; the answer is L[|a|][|b|]. Two rows at a time are enough.",
                 ]),
            Exercise("9.7", "Sentence BLEU with smoothing and the closest reference length", stars: 3, api: ["smoothedSentenceBLEU"],
                 forbidden: ["sentenceBLEU", "corpusBLEU", "bleuFromStatistics", "bleuStatistics", "modifiedPrecision",
                             "closestReferenceLength", "brevityPenalty", "ngramCounts", "NGram", "BLEU"],
                 file: "SentenceBLEU.swift",
                 hints: [
                    "Sections 9.3 to 9.5: clipped precisions for n = 1 to 4, a brevity penalty against the closest reference, a geometric mean, and sentence BLEU's effective order and 'exp' smoothing.",
                    "Key the n-gram counts by the tokens' Unicode scalars (for example [[UInt32]] of token.unicodeScalars.map(\\.value)), never by String: Swift's String == merges NFC and NFD spellings, Python does not. Take r as the reference length closest to c, the shorter on a tie.",
                    "If no order matches at all, return 0. Loop n = 1…4, stopping at the first total of 0; keep a factor starting at 1; an order with 0 matches doubles it and uses 100 / (factor · total); the others 100 · matches / total. Return BP · exp(Σ log pₙ / N), N the orders used.",
                 ]),
        Exercise("9.8", "The label-smoothed loss and its gradient", stars: 3, api: ["labelSmoothingLoss"],
                 forbidden: ["labelSmoothedCrossEntropy", "smoothedTargets", "crossEntropy"],
                 file: "LabelSmoothingLoss.swift",
                 hints: [
                    "Section 9.1: the smoothed loss is −Σ q log softmax(z), and its gradient with respect to the logits is softmax(z) − q, averaged over the rows that count.",
                    "Compute logSoftmax() of logits.value once. The loss sums −q_c · log p_c over the rows whose target is not ignoreIndex, divided by N, their number (at least 1). Return Variable(Tensor(loss), op: …, inputs: [logits]) { g in … }.",
                    "In the backward rule: dz = exp(log p), minus q on each counted row (ε/V everywhere, 1 − ε more at the target), zero on ignored rows; then logits.accumulate(dz * (g.scalars[0] / N)).",
                 ]),
    ]
}
