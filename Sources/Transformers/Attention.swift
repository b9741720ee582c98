import ScalarAutodiff
import Tensors

/// Scaled dot-product attention (Vaswani et al., 2017):
///
///     Attention(Q, K, V) = softmax(Q·Kᵀ / √d_k + B) · V
///
/// Q has shape […, t_q, d_k], K has shape […, t_k, d_k] and V has shape […, t_k, d_v]; the leading
/// axes (batch, heads) are equal. Row i of the weights says how much query i takes from each key.
/// Dividing by √d_k keeps the scores' variance near 1 when the entries of q and k have variance 1,
/// so the softmax does not saturate as d_k grows.
///
/// - Parameters:
///   - query: Q, shape […, t_q, d_k].
///   - key: K, shape […, t_k, d_k].
///   - value: V, shape […, t_k, d_v].
///   - mask: a boolean mask, 1 where query i may *not* look at key j, 0 where it may. It
///     broadcasts to […, t_q, t_k]: a [t_q, t_k] causal mask, or a [batch, 1, 1, t_k] padding
///     mask. Masked scores become −∞, so their weight is exactly 0.
///   - bias: an additive mask B (0 or −∞, or any learned bias), broadcast the same way.
/// - Returns: the output […, t_q, d_v] and the attention weights […, t_q, t_k].
///
/// ```swift
/// let (output, weights) = scaledDotProductAttention(query: q, key: k, value: v,
///                                                   mask: Tensor.causalMask(4))
/// ```
public func scaledDotProductAttention(query: Variable, key: Variable, value: Variable,
                                      mask: Tensor? = nil, bias: Tensor? = nil) -> (output: Variable, weights: Variable) {
    let rq = query.shape.count, rk = key.shape.count, rv = value.shape.count
    require(rq >= 2 && rq == rk && rk == rv,
                 "scaledDotProductAttention: query, key and value need the same rank (at least 2), got shapes \(query.shape), \(key.shape) and \(value.shape)")
    require(query.shape[rq - 1] == key.shape[rk - 1],
                 "scaledDotProductAttention: queries and keys need the same width d_k, got shapes \(query.shape) and \(key.shape)")
    require(key.shape[rk - 2] == value.shape[rv - 2],
                 "scaledDotProductAttention: keys and values need the same number of positions, got shapes \(key.shape) and \(value.shape)")
    let dk = Float(query.shape[rq - 1])
    var scores = query.matmul(key.transposed()) * (1 / dk.squareRoot())
    if let bias { scores = scores + bias }
    if let mask { scores = scores.maskedFill(mask, with: -.infinity) }
    let weights = scores.softmax()
    return (weights.matmul(value), weights)
}

/// The additive form of a boolean mask: 0 where attention is allowed, −∞ where it is not.
///
///     B = −∞ · M      (with 0 · ∞ taken as 0)
///
/// softmax(s + B) and softmax(s with masked entries set to −∞) are the same thing.
public func additiveMask(_ mask: Tensor) -> Tensor {
    mask.map { $0 != 0 ? -.infinity : 0 }
}
