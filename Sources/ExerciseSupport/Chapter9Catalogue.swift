extension Catalogue {
    /// Chapter 9: training and evaluating sequence models.
    static let chapter9: [Exercise] = [
        Exercise("9.1", "Label-smoothed targets", stars: 1, api: ["labelSmoothingTargets"], forbidden: ["smoothedTargets"],
                 hints: ["Start every entry at ε / V, then add 1 − ε to the gold class. V = 3, y = 0, ε = 0.1 gives [0.9333, 0.0333, 0.0333], which sums to 1."]),
        Exercise("9.2", "Perplexity", stars: 1, api: ["tokenPerplexity"], forbidden: ["perplexity"],
                 hints: ["Average the log-probabilities over all tokens, negate (that is the mean NLL) and exponentiate. [log 0.5, log 0.25, log 0.125] gives exp(log 4) = 4."]),
        Exercise("9.3", "Modified (clipped) n-gram precision", stars: 2, api: ["clippedPrecision"], forbidden: ["modifiedPrecision", "bleuStatistics", "ngramCounts"],
                 hints: ["Count the hypothesis n-grams (arrays of n tokens as dictionary keys). For each reference count its n-grams and keep, per n-gram, the largest count over the references. matches = Σ min(hypothesis count, that maximum); total = number of hypothesis n-grams, max(0, length − n + 1)."]),
        Exercise("9.4", "The brevity penalty", stars: 1, api: ["brevity"], forbidden: ["brevityPenalty"],
                 hints: ["1 when c ≥ r; 0 when c = 0; otherwise exp(1 − r/c), computed in Double. c = 6, r = 8 gives exp(1 − 8/6) = 0.7165."]),
        Exercise("9.5", "BLEU from corpus statistics", stars: 2, api: ["bleuScore"], forbidden: ["bleu", "corpusBLEU", "brevityPenalty"],
                 hints: ["If any matchesₙ is 0 return 0. Otherwise pₙ = matchesₙ / totalₙ, BLEU = BP · exp((1/4) Σ log pₙ) with BP from 9.4's formula; multiply by 100 for the sacreBLEU scale."]),
        Exercise("9.6", "Longest common subsequence for ROUGE-L", stars: 2, api: ["lcsLength"], forbidden: ["longestCommonSubsequence", "rougeL"],
                 hints: ["Fill a table L of size (|a| + 1) × (|b| + 1) with zeros. L[i][j] = L[i−1][j−1] + 1 if a[i−1] == b[j−1], else max(L[i−1][j], L[i][j−1]). The answer is L[|a|][|b|]; one row at a time is enough."]),
    ]
}
