extension Catalogue {
    /// Chapter 7: Transformers.
    static let chapter7: [Exercise] = [
        Exercise("7.1", "Scaled dot-product attention", stars: 1, api: ["attention"], forbidden: ["scaledDotProductAttention"],
                 hints: [
                    "Section 7.1: compare every query with every key, turn each row of scores into weights, and average the values with them.",
                    "Q·Kᵀ gives the [t_q, t_k] scores (key.transposed() swaps the last two axes). Divide them by √d_k, with d_k the last axis of the query, then softmax along the last axis.",
                    "var scores = query.matmul(key.transposed()) / √d_k; if there is a mask, scores = scores.maskedFill(mask, with: -.infinity) (1 = blocked); return scores.softmax().matmul(value).",
                 ]),
        Exercise("7.2", "The prefix-LM mask", stars: 1, api: ["prefixMask"], forbidden: ["prefixLMMask"],
                 hints: [
                    "Section 7.6: the prefix sees itself in both directions; after it, each position sees only its past.",
                    "Entry (i, j) is 1 (blocked) exactly when key j is outside the prefix AND in the future of query i. Both conditions must hold.",
                    "Start from Tensor.zeros([length, length]); for every i, j with j ≥ prefix and j > i set scalars[i * length + j] = 1.",
                 ]),
        Exercise("7.3", "Sinusoidal positional encoding", stars: 1, api: ["sinusoidalEncoding"], forbidden: ["positionalEncoding", "InputEmbedding"],
                 hints: [
                    "Section 7.3: each pair of columns (2i, 2i + 1) is a sine and a cosine of one frequency.",
                    "The frequency of pair i is 1/10000^(2i/d), where 2i is the even column index, and both columns of the pair use it.",
                    "angle = Double(pos) / pow(10000, Double(2 * i) / Double(d)); column 2i gets Float(sin(angle)), column 2i + 1 gets Float(cos(angle)).",
                 ]),
        Exercise("7.4", "Splitting into heads", stars: 2, api: ["splitIntoHeads"], forbidden: ["splitHeads", "mergeHeads"],
                 hints: [
                    "Section 7.2: a reshape cuts each position's features into consecutive blocks; a permutation then moves the head axis in front of time.",
                    "First reshape [batch, t, d] to [batch, t, heads, d/heads]: position p's features stay together. A direct reshape to [batch, heads, t, d/heads] would mix positions.",
                    "x.reshaped([b, t, heads, d / heads]).permuted([0, 2, 1, 3]).",
                 ]),
        Exercise("7.5", "Layer normalisation", stars: 2, api: ["layerNormalise"], forbidden: ["LayerNorm"],
                 hints: [
                    "Section 7.4: every position is normalised with its own mean and variance, along the last axis.",
                    "mean(axis: -1, keepingDimension: true) gives μ with shape [..., 1], which broadcasts. The variance is the mean of (x − μ)² over the same axis: divide by d, not d − 1.",
                    "(x − μ) / (σ² + ε).sqrt() * gamma + beta, with ε inside the square root.",
                 ]),
        Exercise("7.6", "A self-attention step with a KV cache", stars: 2, api: ["cachedAttentionStep"], forbidden: ["cachedSelfAttention", "KVCache"],
                 hints: [
                    "Section 7.8: a position's key and value never change, so a step computes them for the newest position only and keeps the rest.",
                    "attention.keysAndValues(.constant(x)) gives the new key and value [batch, h, 1, d/h]. Append them to the cache along the time axis (axis 2), then let the new query attend over all of it.",
                    "keys = Tensor.concatenate([cache.keys, k.value], axis: 2) (or k.value alone on the first step), the same for values; output = attention.attend(.constant(x), keys: .constant(keys), values: .constant(values)).output.value. No mask: the cache holds only the past and the present.",
                 ]),
        Exercise("7.7", "T5 span corruption", stars: 2, api: ["corruptSpans"], forbidden: ["spanCorruption", "randomSpanCorruption"],
                 hints: [
                    "Section 7.9: each dropped span becomes one sentinel in the input; the target lists the spans, each after its sentinel.",
                    "Walk the spans in order, keeping `next`, the first position not yet copied into the input. Sentinel k belongs to span k, and one more sentinel closes the target.",
                    "input += tokens[next..<span.lowerBound] + [sentinels[k]]; target += [sentinels[k]] + tokens[span]; next = span.upperBound. After the loop: input += tokens[next...], target += [sentinels[spans.count]].",
                 ]),
        Exercise("7.8", "Multi-head attention, forward", stars: 3, api: ["multiHeadForward"],
                 forbidden: ["MultiHeadAttention", "scaledDotProductAttention", "splitHeads", "mergeHeads"], file: "Blocks.swift",
                 hints: [
                    "Section 7.2: project, split into heads, attend in every head at once, merge, project. Build it from Variable operations so backward() reaches the four weight matrices.",
                    "Q = wQ(query), K = wK(memory), V = wV(memory), each [b, t, d] → reshape [b, t, h, d/h] → permute [0, 2, 1, 3]. Each head's scores are divided by √(d/h), the width of one head, not √d.",
                    "scores = q.matmul(k.transposed()) * (1/√(d/h)); masked with maskedFill(mask, with: -.infinity); weights = scores.softmax() [b, h, t_q, t_k]; heads = weights.matmul(v).permuted([0, 2, 1, 3]).reshaped([b, t_q, d]); output = wO(heads).",
                 ]),
        Exercise("7.9", "A decoder block", stars: 3, api: ["decoderBlockForward"], forbidden: ["DecoderBlock", "EncoderBlock"], file: "Blocks.swift",
                 hints: [
                    "Section 7.5: three residual sub-layers in order: causal self-attention, cross-attention to the memory, the feed-forward network.",
                    "Pre-norm: h = x + f(LN(x)); post-norm: h = LN(x + f(x)). norms[0] goes with self-attention, norms[1] with cross-attention, norms[2] with the FFN. Self-attention needs Tensor.causalMask(t); cross-attention takes its keys and values from the memory as it is, with memoryMask.",
                    "Self: f(n) = selfAttention(n, n, mask: causal). Cross: let (k, v) = crossAttention.keysAndValues(memory); f(n) = crossAttention.attend(n, keys: k, values: v, mask: memoryMask) (keep its weights). FFN: f(n) = feedForward(n).",
                 ]),
        Exercise("7.10", "Train a Transformer to reverse strings", stars: 3, api: ["trainReverser"],
                 forbidden: ["trainEncoderDecoder", "teacherForcedLoss", "TeacherForcingBatch", "ReversalTask", "trainingLoop"],
                 file: "Training.swift",
                 hints: [
                    "Section 7.7: teacher forcing. The decoder reads the target shifted right by one (start token first) and predicts the target followed by the end token, at every position at once.",
                    "Each step: draw a batch of strings, pad them to one length with 0, build source, decoder input [1] + reversed and decoder target reversed + [2]; the loss is crossEntropy(logits.reshaped([-1, V]), targets, ignoreIndex: 0); zeroGradients, backward, Adam step.",
                    "EncoderDecoderModel(TransformerConfiguration(vocabularySize: V, dimension: 16, heads: 2, hidden: 32, layers: 1, maxLength: 8, padding: 0)); Adam at 1e-2; batches of 32 for about 200 steps reach 90%.",
                 ]),
        Exercise("7.11", "Cutting an image into patches", stars: 1, api: ["patchesOf"], forbidden: ["patchify", "VisionEncoder", "FrozenTileReader"],
                 file: "Vision.swift",
                 hints: [
                    "Section 7.10: a vision Transformer's tokens are the image's p × p squares, numbered row by row over the grid, each listing its pixels row by row.",
                    "Split each axis in two: height H = (H/p)·p and width W = (W/p)·p give [b, H/p, p, W/p, p]. The grid axes must come before the within-patch axes.",
                    "images.reshaped([b, H/p, p, W/p, p]).permuted([0, 1, 3, 2, 4]).reshaped([b, (H/p)·(W/p), p·p]).",
                 ]),
        Exercise("7.12", "Learned queries read the patches", stars: 2, api: ["queryReadout"], forbidden: ["LearnedQueries"],
                 file: "Vision.swift",
                 hints: [
                    "Section 7.10: the k learned queries are the same for every image; they ask, the patch tokens answer, and the answer is added to the queries.",
                    "Give every image its own copy of Q: Variable.stack(Array(repeating: queries, count: batch), axis: 0) is [b, k, d] and still leads back to Q, so Q gets the gradient of every copy.",
                    "let q = Variable.stack(…); let (k, v) = attention.keysAndValues(tokens); let (read, weights) = attention.attend(q, keys: k, values: v); return (q + read, weights).",
                 ]),
    ]
}
