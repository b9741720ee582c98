import ScalarAutodiff
import Tensors

/// Splits the last axis of x [batch, t, d] into h heads: [batch, h, t, d/h].
///
/// Head j gets features j·(d/h) ..< (j+1)·(d/h) of every position; a reshape to
/// [batch, t, h, d/h] followed by swapping the t and h axes puts each head's sequence together.
///
/// ```swift
/// splitHeads(x, heads: 2)   // [1, 3, 4] → [1, 2, 3, 2]
/// ```
public func splitHeads(_ x: Variable, heads: Int) -> Variable {
    require(x.shape.count == 3, "splitHeads: expected [batch, time, features], got shape \(x.shape)")
    let (b, t, d) = (x.shape[0], x.shape[1], x.shape[2])
    require(heads > 0 && d % heads == 0, "splitHeads: \(d) features do not split into \(heads) heads")
    return x.reshaped([b, t, heads, d / heads]).permuted([0, 2, 1, 3])
}

/// The inverse of ``splitHeads(_:heads:)``: [batch, h, t, d/h] → [batch, t, d], the heads'
/// outputs side by side (concatenated) at each position.
public func mergeHeads(_ x: Variable) -> Variable {
    require(x.shape.count == 4, "mergeHeads: expected [batch, heads, time, features], got shape \(x.shape)")
    let (b, h, t, dh) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    return x.permuted([0, 2, 1, 3]).reshaped([b, t, h * dh])
}

/// Multi-head attention:
///
///     headⱼ = Attention(Q·W_Qⱼ, K·W_Kⱼ, V·W_Vⱼ),   MultiHead(Q, K, V) = [head₁; …; head_h]·W_O
///
/// The h projections W_Qⱼ [d, d/h] sit side by side in one [d, d] matrix, so one Linear layer
/// projects every head at once and ``splitHeads(_:heads:)`` separates them. Each head attends in
/// its own d/h-dimensional subspace; W_O mixes what they found. With h heads of width d/h the
/// cost is that of one head of width d.
///
/// In self-attention Q, K and V all come from the same sequence; in cross-attention Q comes from
/// the decoder and K, V from the encoder's output (the "memory").
public struct MultiHeadAttention {
    public let heads: Int
    public let dimension: Int
    public let wQ: Linear, wK: Linear, wV: Linear, wO: Linear

    public init(dimension: Int, heads: Int, rng: inout SeededRandom) {
        require(heads > 0 && dimension > 0 && dimension % heads == 0,
                     "MultiHeadAttention: dimension \(dimension) must be a positive multiple of heads \(heads)")
        self.heads = heads
        self.dimension = dimension
        wQ = Linear(dimension, dimension, rng: &rng)
        wK = Linear(dimension, dimension, rng: &rng)
        wV = Linear(dimension, dimension, rng: &rng)
        wO = Linear(dimension, dimension, rng: &rng)
    }

    /// Multi-head attention from given projections (for example, weights loaded from a file),
    /// each a Linear layer [d, d] in the book's layout y = x·W + b.
    public init(heads: Int, wQ: Linear, wK: Linear, wV: Linear, wO: Linear) {
        let d = wQ.weight.shape[0]
        require(heads > 0 && d > 0 && d % heads == 0,
                "MultiHeadAttention: dimension \(d) must be a positive multiple of heads \(heads)")
        for (name, layer) in [("wQ", wQ), ("wK", wK), ("wV", wV), ("wO", wO)] {
            require(layer.weight.shape == [d, d] && layer.bias.shape == [d],
                    "MultiHeadAttention: \(name) must have weight [\(d), \(d)] and bias [\(d)], got \(layer.weight.shape) and \(layer.bias.shape)")
        }
        self.heads = heads
        dimension = d
        self.wQ = wQ
        self.wK = wK
        self.wV = wV
        self.wO = wO
    }

    /// Multi-head attention from PyTorch's `nn.MultiheadAttention` weights, in PyTorch's layout:
    /// `in_proj_weight` [3d, d] holds W_Q, W_K and W_V one above the other, each [out, in] (the
    /// transpose of the book's [in, out]), `in_proj_bias` [3d] their biases, and `out_proj`
    /// the output layer.
    public init(heads: Int, inProjWeight: Tensor, inProjBias: Tensor, outProjWeight: Tensor, outProjBias: Tensor) {
        let d = outProjWeight.shape.first ?? 0
        require(inProjWeight.shape == [3 * d, d] && inProjBias.shape == [3 * d],
                "MultiHeadAttention: in_proj_weight must be [3d, d] = [\(3 * d), \(d)] and in_proj_bias [\(3 * d)], got \(inProjWeight.shape) and \(inProjBias.shape)")
        func part(_ i: Int) -> Linear {
            Linear(pytorchWeight: inProjWeight.slice(axis: 0, (i * d)..<((i + 1) * d)), bias: inProjBias.slice(axis: 0, (i * d)..<((i + 1) * d)))
        }
        self.init(heads: heads, wQ: part(0), wK: part(1), wV: part(2), wO: Linear(pytorchWeight: outProjWeight, bias: outProjBias))
    }

    /// The keys and values of a sequence x [batch, t, d], split into heads: [batch, h, t, d/h].
    /// Cross-attention computes them once per source sentence; a KV cache stores them.
    public func keysAndValues(_ x: Variable) -> (keys: Variable, values: Variable) {
        (splitHeads(wK(x), heads: heads), splitHeads(wV(x), heads: heads))
    }

    /// Attention of the queries from x [batch, t_q, d] over keys and values already split into
    /// heads. Returns the output [batch, t_q, d] and the weights [batch, h, t_q, t_k].
    public func attend(_ x: Variable, keys: Variable, values: Variable,
                       mask: Tensor? = nil) -> (output: Variable, weights: Variable) {
        require(x.shape.count == 3 && x.shape[2] == dimension,
                     "MultiHeadAttention: expected input [batch, time, \(dimension)], got shape \(x.shape)")
        let q = splitHeads(wQ(x), heads: heads)
        let (output, weights) = scaledDotProductAttention(query: q, key: keys, value: values, mask: mask)
        return (wO(mergeHeads(output)), weights)
    }

    /// Attention of `query` [batch, t_q, d] over `memory` [batch, t_k, d] (self-attention when
    /// they are the same sequence). `mask` broadcasts to [batch, h, t_q, t_k], 1 = blocked.
    public func callAsFunction(_ query: Variable, _ memory: Variable, mask: Tensor? = nil) -> Variable {
        let (k, v) = keysAndValues(memory)
        return attend(query, keys: k, values: v, mask: mask).output
    }

    /// Attention of `query` over `memory` with its weights, per head [batch, h, t_q, t_k] and
    /// averaged over the heads [batch, t_q, t_k] (PyTorch's `average_attn_weights=False` and
    /// `True`).
    public func forward(_ query: Variable, _ memory: Variable,
                        mask: Tensor? = nil) -> (output: Variable, weights: Variable, averageWeights: Variable) {
        let (k, v) = keysAndValues(memory)
        let (output, weights) = attend(query, keys: k, values: v, mask: mask)
        return (output, weights, weights.mean(axis: 1))
    }

    public var parameters: [Variable] { [wQ, wK, wV, wO].flatMap(\.parameters) }
}
