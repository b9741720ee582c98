import ScalarAutodiff
import Tensors

// Masks say which positions a query may look at. The book's convention (the same as
// `Tensor.causalMask` and `maskedFill`): 1 = blocked, 0 = visible. Row i is query i, column j is
// key j. Three patterns give the three families of models:
//
//     bidirectional (encoder, BERT)   causal (decoder, GPT)   prefix-LM, prefix 2 (T5 prefix LM)
//         0 0 0 0                        0 1 1 1                 0 0 1 1
//         0 0 0 0                        0 0 1 1                 0 0 1 1
//         0 0 0 0                        0 0 0 1                 0 0 0 1
//         0 0 0 0                        0 0 0 0                 0 0 0 0
//
// A padding mask is added on top of any of them, so no query looks at a padding token.

/// The padding mask of a batch of token sequences, shape [batch, 1, 1, t]: 1 where the token is
/// `padding`. It broadcasts over heads and queries in attention scores [batch, h, t_q, t].
public func paddingMask(_ tokens: [[Int]], padding: Int) -> Tensor {
    require(!tokens.isEmpty, "paddingMask: no sequences given")
    let t = tokens[0].count
    require(tokens.allSatisfy { $0.count == t },
                 "paddingMask: sequences must have equal length (pad them), got lengths \(tokens.map(\.count))")
    return Tensor(shape: [tokens.count, 1, 1, t], scalars: tokens.flatMap { $0.map { $0 == padding ? 1 : 0 } })
}

/// The prefix-LM mask, shape [length, length]: every position sees the whole prefix
/// (bidirectionally) and, after it, only the positions up to itself (causally).
///
///     blocked(i, j) = j ≥ prefix and j > i
///
/// prefix 0 gives the causal mask; prefix = length gives no mask at all.
public func prefixLMMask(length: Int, prefix: Int) -> Tensor {
    require(length >= 0 && prefix >= 0 && prefix <= length,
                 "prefixLMMask: prefix must be in 0...length, got prefix \(prefix) for length \(length)")
    var m = Tensor.zeros([length, length])
    for i in 0..<length {
        for j in 0..<length where j >= prefix && j > i { m.scalars[i * length + j] = 1 }
    }
    return m
}

/// Two masks combined: a position is blocked if either blocks it. The shapes broadcast, so a
/// [t, t] causal mask and a [batch, 1, 1, t] padding mask give [batch, 1, t, t].
public func combineMasks(_ a: Tensor?, _ b: Tensor?) -> Tensor? {
    guard let a else { return b }
    guard let b else { return a }
    return Tensor.zip(a, b, op: "combineMasks") { $0 != 0 || $1 != 0 ? 1 : 0 }
}

/// The key positions that query `query` may look at under a [t_q, t_k] mask.
///
/// ```swift
/// visiblePositions(Tensor.causalMask(4), query: 1)   // [0, 1]
/// ```
public func visiblePositions(_ mask: Tensor, query: Int) -> [Int] {
    require(mask.rank == 2, "visiblePositions: expected a [queries, keys] mask, got shape \(mask.shape)")
    require(query >= 0 && query < mask.shape[0], "visiblePositions: query \(query) is not a row of a mask of shape \(mask.shape)")
    let t = mask.shape[1]
    return (0..<t).filter { mask.scalars[query * t + $0] == 0 }
}
