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
        var h = input(tokens.map { [$0] }, offset: state.position)
        for (i, block) in decoder.blocks.enumerated() {
            h = block.step(h, cache: &state.caches[i])
        }
        state.position += 1
        return output(decoder.norm(h)).value.reshaped([tokens.count, configuration.vocabularySize])
    }

    /// Greedy continuation of equal-length prompts by `count` tokens, with the KV cache or by
    /// rerunning the model over the whole sequence at every step. Dropout is off while it runs.
    ///
    /// - Returns: the new tokens of each row, and the logits of every new token.
    public func greedyContinue(_ prompts: [[Int]], count: Int, cached: Bool = true) -> (tokens: [[Int]], logits: [Tensor]) {
        require(!prompts.isEmpty && !prompts[0].isEmpty, "greedyContinue: needs non-empty prompts")
        require(count >= 0 && prompts[0].count + count <= configuration.maxLength + 1,
                     "greedyContinue: \(prompts[0].count) prompt tokens + \(count) new ones exceed maxLength \(configuration.maxLength)")
        let wasTraining = dropout.isTraining
        dropout.isTraining = false
        defer { dropout.isTraining = wasTraining }
        var sequences = prompts
        var state = startGenerating()
        var logits: Tensor? = nil
        if cached {
            for t in 0..<prompts[0].count { logits = step(prompts.map { $0[t] }, state: &state) }
        }
        var allLogits: [Tensor] = []
        for _ in 0..<count {
            if !cached {
                let t = sequences[0].count
                logits = self(sequences).value.slice(axis: 1, (t - 1)..<t).reshaped([prompts.count, configuration.vocabularySize])
            }
            allLogits.append(logits!)
            let next = logits!.argmax()
            for row in sequences.indices { sequences[row].append(next[row]) }
            if cached && allLogits.count < count { logits = step(next, state: &state) }
        }
        return (sequences.map { Array($0.dropFirst(prompts[0].count)) }, allLogits)
    }
}
