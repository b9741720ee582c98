import ScalarAutodiff
import Tensors

/// The keys and values of every position decoded so far, for one self-attention layer,
/// each [batch, h, t, d/h].
///
/// A position's key and value never change once it is written (under the causal mask no later
/// token affects an earlier position), so a decoding step computes them for the newest position
/// only and appends them here: O(t·d) work per step instead of recomputing all t positions.
public struct KVCache {
    public private(set) var keys: Tensor?
    public private(set) var values: Tensor?

    public init(keys: Tensor? = nil, values: Tensor? = nil) {
        self.keys = keys
        self.values = values
    }

    /// The number of cached positions.
    public var length: Int { keys?.shape[2] ?? 0 }

    /// Appends new keys and values [batch, h, t_new, d/h] along the time axis and returns the
    /// whole cache.
    public mutating func append(keys newKeys: Tensor, values newValues: Tensor) -> (keys: Tensor, values: Tensor) {
        keys = keys.map { Tensor.concatenate([$0, newKeys], axis: 2) } ?? newKeys
        values = values.map { Tensor.concatenate([$0, newValues], axis: 2) } ?? newValues
        return (keys!, values!)
    }
}

extension MultiHeadAttention {
    /// Self-attention of new positions x [batch, t_new, d] over every cached position and
    /// themselves: their keys and values join the cache, their queries attend over the whole
    /// cache. One new position needs no mask, because the cache holds only the past and the
    /// present; its result equals the last row of causal self-attention over all positions.
    /// Several new positions without a mask see each other in both directions, which is how a
    /// prefix LM reads its prefix (``DecoderOnlyModel/prefill(_:state:)``); `mask`, if given,
    /// broadcasts to [batch, h, t_new, cached + t_new].
    public func cachedSelfAttention(_ x: Variable, cache: inout KVCache, mask: Tensor? = nil) -> Variable {
        require(x.shape.count == 3 && x.shape[1] >= 1,
                     "cachedSelfAttention: expected new positions [batch, t, d], got shape \(x.shape)")
        let (k, v) = keysAndValues(x)
        let (keys, values) = cache.append(keys: k.value, values: v.value)
        return attend(x, keys: .constant(keys), values: .constant(values), mask: mask).output
    }
}

/// What one decoder block keeps between decoding steps: the growing self-attention cache, and
/// the cross-attention keys and values [batch, h, s, d/h], computed once from the encoder's
/// output and reused at every step.
public struct LayerCache {
    public var selfAttention: KVCache
    public let crossKeys: Tensor
    public let crossValues: Tensor

    public init(selfAttention: KVCache = KVCache(), crossKeys: Tensor, crossValues: Tensor) {
        self.selfAttention = selfAttention
        self.crossKeys = crossKeys
        self.crossValues = crossValues
    }
}

/// Batch rows of a tensor picked by index (rows may repeat): row i of the result is row
/// `rows[i]`. Beam search uses it to follow its surviving hypotheses.
func selectRows(_ t: Tensor, _ rows: [Int]) -> Tensor {
    let width = t.count / max(t.shape[0], 1)
    var scalars: [Float] = []
    scalars.reserveCapacity(rows.count * width)
    for r in rows {
        require(r >= 0 && r < t.shape[0], "selecting: row \(r) is not in 0..<\(t.shape[0])")
        scalars.append(contentsOf: t.scalars[(r * width)..<((r + 1) * width)])
    }
    return Tensor(shape: [rows.count] + t.shape.dropFirst(), scalars: scalars)
}

extension KVCache {
    /// The cache with batch rows picked by index.
    public func selecting(_ rows: [Int]) -> KVCache {
        KVCache(keys: keys.map { selectRows($0, rows) }, values: values.map { selectRows($0, rows) })
    }
}
