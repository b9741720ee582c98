import ScalarAutodiff
import Tensors

/// A decoder-only model's decoding state: one ``KVCache`` per block and the position of the
/// next token. A value type, like ``DecoderState``.
public struct GeneratorState {
    public var caches: [KVCache]
    public var position: Int

    /// The state with batch rows picked by index (rows may repeat).
    public func selecting(_ rows: [Int]) -> GeneratorState {
        GeneratorState(caches: caches.map { $0.selecting(rows) }, position: position)
    }
}

extension DecoderOnlyModel {
    /// An empty cache for every block.
    public func startGenerating() -> GeneratorState {
        GeneratorState(caches: decoder.blocks.map { _ in KVCache() }, position: 0)
    }

    /// One cached step under the causal mask: feeds `tokens` (one per batch row) at position
    /// `state.position` and returns the logits [batch, vocabulary] for the next token. A prompt
    /// is fed one token at a time the same way.
    public func step(_ tokens: [Int], state: inout GeneratorState) -> Tensor {
        prefill(tokens.map { [$0] }, state: &state)
    }

    /// Feeds a prefix LM's whole prefix [batch, p] at once, starting at `state.position`: every
    /// block reads the p positions together, each seeing all the others, and keeps their keys
    /// and values. Returns the logits [batch, vocabulary] for the token after the prefix.
    ///
    /// The prefix cannot be fed one token at a time, as a causal prompt can: under the
    /// prefix-LM mask an early prefix position sees the later ones, so its keys and values in
    /// every block above the first depend on tokens that come after it. One pass over the whole
    /// prefix computes them as the uncached model does; the tokens after the prefix are then
    /// causal, and ``step(_:state:)`` continues from the cache. Padding is not masked here:
    /// give prefixes of one length.
    @discardableResult
    public func prefill(_ prefix: [[Int]], state: inout GeneratorState) -> Tensor {
        require(!prefix.isEmpty && !prefix[0].isEmpty, "prefill: needs a non-empty prefix for every row")
        let p = prefix[0].count
        var h = input(prefix, offset: state.position)
        for (i, block) in decoder.blocks.enumerated() {
            h = block.step(h, cache: &state.caches[i])
        }
        state.position += p
        let last = p == 1 ? h : h.slice(axis: 1, (p - 1)..<p)
        return output(decoder.norm(last)).value.reshaped([prefix.count, configuration.vocabularySize])
    }

    /// Greedy continuation of equal-length prompts by `count` tokens, with the KV cache or by
    /// rerunning the model over the whole sequence at every step. Dropout is off while it runs.
    ///
    /// With `prefixLM`, the prompt is a prefix LM's prefix: its positions see each other both
    /// ways (the mask of `self(_:prefix:)` with prefix = the prompt's length), the new tokens
    /// causally. The cached path then reads the prompt with ``prefill(_:state:)``; without
    /// `prefixLM` it feeds the prompt one token at a time under the causal mask. Both paths
    /// give the same tokens and logits.
    ///
    /// - Returns: the new tokens of each row, and the logits of every new token.
    public func greedyContinue(_ prompts: [[Int]], count: Int, cached: Bool = true,
                               prefixLM: Bool = false) -> (tokens: [[Int]], logits: [Tensor]) {
        require(!prompts.isEmpty && !prompts[0].isEmpty, "greedyContinue: needs non-empty prompts")
        require(prompts.allSatisfy { $0.count == prompts[0].count },
                "greedyContinue: prompts must have one length, got lengths \(prompts.map(\.count))")
        require(count >= 0 && prompts[0].count + count <= configuration.maxLength + 1,
                     "greedyContinue: \(prompts[0].count) prompt tokens + \(count) new ones exceed maxLength \(configuration.maxLength)")
        let wasTraining = dropout.isTraining
        dropout.isTraining = false
        defer { dropout.isTraining = wasTraining }
        let promptLength = prompts[0].count
        var sequences = prompts
        var state = startGenerating()
        var logits: Tensor? = nil
        if cached {
            if prefixLM {
                logits = prefill(prompts, state: &state)
            } else {
                for t in 0..<promptLength { logits = step(prompts.map { $0[t] }, state: &state) }
            }
        }
        var allLogits: [Tensor] = []
        for _ in 0..<count {
            if !cached {
                let t = sequences[0].count
                logits = self(sequences, prefix: prefixLM ? promptLength : 0).value
                    .slice(axis: 1, (t - 1)..<t).reshaped([prompts.count, configuration.vocabularySize])
            }
            allLogits.append(logits!)
            let next = logits!.argmax()
            for row in sequences.indices { sequences[row].append(next[row]) }
            if cached && allLogits.count < count { logits = step(next, state: &state) }
        }
        return (sequences.map { Array($0.dropFirst(promptLength)) }, allLogits)
    }
}
