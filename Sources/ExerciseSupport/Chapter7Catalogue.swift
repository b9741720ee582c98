extension Catalogue {
    /// Chapter 7: Transformers.
    static let chapter7: [Exercise] = [
        Exercise("7.1", "Scaled dot-product attention", stars: 1, api: ["attention"], forbidden: ["scaledDotProductAttention"],
                 hints: ["scores = query.matmul(key.transposed()) / √d_k, with d_k the last axis of query. If there is a mask, scores.maskedFill(mask, with: -.infinity). Then scores.softmax().matmul(value)."]),
        Exercise("7.2", "The prefix-LM mask", stars: 1, api: ["prefixMask"], forbidden: ["prefixLMMask"],
                 hints: ["Start from Tensor.zeros([length, length]). Entry (i, j) is blocked (1) when j is outside the prefix (j ≥ prefix) and in the future (j > i)."]),
        Exercise("7.3", "Sinusoidal positional encoding", stars: 1, api: ["sinusoidalEncoding"], forbidden: ["positionalEncoding"],
                 hints: ["For column pair (2i, 2i+1) the angle is pos / 10000^(2i/d): compute it in Double with pow(10000, Double(2 * i) / Double(d)), then put sin in column 2i and cos in column 2i + 1."]),
        Exercise("7.4", "Splitting into heads", stars: 2, api: ["splitIntoHeads"], forbidden: ["splitHeads"],
                 hints: ["Reshape [batch, t, d] to [batch, t, heads, d/heads] (this cuts each position's features into consecutive blocks), then permute the axes [0, 2, 1, 3] so each head's positions are together."]),
        Exercise("7.5", "Layer normalisation", stars: 2, api: ["layerNormalise"], forbidden: ["LayerNorm"],
                 hints: ["mean(axis: -1, keepingDimension: true) gives μ with shape [..., 1], which broadcasts. The variance is the mean of (x − μ)² over the same axis (divide by d, not d − 1). Then (x − μ) / sqrt(σ² + ε) * gamma + beta."]),
        Exercise("7.6", "A self-attention step with a KV cache", stars: 3, api: ["cachedAttentionStep"], forbidden: ["cachedSelfAttention"],
                 hints: ["attention.keysAndValues(.constant(x)) gives the new key and value, [batch, h, 1, d/h]. Tensor.concatenate([old, new], axis: 2) grows the cache. attention.attend(.constant(x), keys:, values:) with no mask: the cache holds only the past and the present."]),
        Exercise("7.7", "T5 span corruption", stars: 2, api: ["corruptSpans"], forbidden: ["spanCorruption"],
                 hints: ["Walk the spans in order, keeping `next`, the first position not yet copied. Copy tokens[next..<span.lowerBound] then the sentinel to the input; append the sentinel then tokens[span] to the target. After the loop, copy the rest and close the target with sentinels[spans.count]."]),
    ]
}
