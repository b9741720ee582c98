import ScalarAutodiff
import Tensors

/// Everything an encoder-decoder needs to take the next decoding step: the encoded source, one
/// ``LayerCache`` per decoder block, and the number of tokens fed in so far.
///
/// A value type: copying a state (for example, for each hypothesis of a beam search) copies its
/// caches, and ``selecting(_:)`` reorders the batch rows.
public struct DecoderState {
    public let memory: EncodedSource
    public var caches: [LayerCache]
    /// The position of the next token fed to ``EncoderDecoderModel/step(_:state:)``.
    public var position: Int

    /// The state with batch rows picked by index (rows may repeat): row i of the result is row
    /// `rows[i]` of this state. Beam search uses it to follow the surviving hypotheses.
    public func selecting(_ rows: [Int]) -> DecoderState {
        let memory = EncodedSource(states: .constant(selectRows(self.memory.states.value, rows)),
                                   mask: self.memory.mask.map { selectRows($0, rows) })
        let caches = self.caches.map { c in
            LayerCache(selfAttention: c.selfAttention.selecting(rows),
                       crossKeys: selectRows(c.crossKeys, rows), crossValues: selectRows(c.crossValues, rows))
        }
        return DecoderState(memory: memory, caches: caches, position: position)
    }
}

extension EncoderDecoderModel {
    /// The state before the first step: the source encoded once, and each block's
    /// cross-attention keys and values computed from it once, to be reused at every step.
    public func startDecoding(_ source: [[Int]]) -> DecoderState {
        let memory = encode(source)
        return DecoderState(memory: memory, caches: decoder.startCaches(memory: memory.states), position: 0)
    }

    /// One cached decoding step: feeds `tokens` (one per batch row, at position `state.position`)
    /// and returns the logits [batch, vocabulary] for the next token. Only the new position is
    /// computed; the keys and values of earlier positions come from the cache.
    ///
    /// Turn dropout off first (`model.dropout.isTraining = false`) unless you want noisy steps.
    public func step(_ tokens: [Int], state: inout DecoderState) -> Tensor {
        require(tokens.count == state.memory.states.shape[0],
                     "step: \(tokens.count) tokens for a batch of \(state.memory.states.shape[0]) sources")
        defer { state.position += 1 }
        return decoder.step(tokens, position: state.position, caches: &state.caches, memoryMask: state.memory.mask)
    }

    /// The uncached equivalent of a step: runs the decoder over the whole prefix [batch, t] and
    /// returns the logits [batch, vocabulary] of its last position. O(t²) work per step.
    public func nextTokenLogits(_ prefix: [[Int]], memory: EncodedSource) -> Tensor {
        let logits = decode(prefix, memory: memory).logits.value
        let t = prefix[0].count
        return logits.slice(axis: 1, (t - 1)..<t).reshaped([prefix.count, configuration.vocabularySize])
    }

    /// Greedy decoding: at every step, the most likely next token. Dropout is off while it runs. Each row starts with `start`
    /// and stops after `end` (or after `maxLength` tokens); rows that have ended keep receiving
    /// `end`. With `cached` it uses ``step(_:state:)``; without, ``nextTokenLogits(_:memory:)``.
    /// The two must give the same tokens.
    ///
    /// - Returns: the generated tokens of each row (without `start`), and the logits of every step.
    public func greedyDecode(_ source: [[Int]], start: Int, end: Int, maxLength: Int,
                             cached: Bool = true) -> (tokens: [[Int]], logits: [Tensor]) {
        require(maxLength > 0 && maxLength <= configuration.maxLength,
                     "greedyDecode: maxLength must be in 1...\(configuration.maxLength) (the positional table), got \(maxLength)")
        let wasTraining = dropout.isTraining
        dropout.isTraining = false
        defer { dropout.isTraining = wasTraining }
        var state = startDecoding(source)
        var sequences = source.map { _ in [start] }
        var finished = source.map { _ in false }
        var allLogits: [Tensor] = []
        for _ in 0..<maxLength {
            let logits = cached
                ? step(sequences.map { $0.last! }, state: &state)
                : nextTokenLogits(sequences, memory: state.memory)
            allLogits.append(logits)
            let choices = logits.argmax()
            for row in sequences.indices {
                sequences[row].append(finished[row] ? end : choices[row])
                if choices[row] == end { finished[row] = true }
            }
            if finished.allSatisfy({ $0 }) { break }
        }
        return (sequences.map { Array($0.dropFirst()) }, allLogits)
    }
}
