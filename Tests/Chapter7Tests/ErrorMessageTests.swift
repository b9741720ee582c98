import Foundation
import ScalarAutodiff
import Tensors
import Testing
import Transformers

/// Bad input stops with a message naming what is wrong.
@Suite("Chapter 7: bad input gets a clear message")
struct Chapter7ErrorMessageTests {
    func standardError(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test("Queries and keys of different widths name both shapes")
    func attentionWidths() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = scaledDotProductAttention(query: .constant(Tensor.zeros([2, 3])), key: .constant(Tensor.zeros([4, 5])),
                                          value: .constant(Tensor.zeros([4, 5])))
        }
        #expect(standardError(result).contains("queries and keys need the same width d_k, got shapes [2, 3] and [4, 5]"))
    }

    @Test("Heads that do not divide the width say so")
    func headsDivide() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededRandom(seed: 0)
            _ = MultiHeadAttention(dimension: 10, heads: 3, rng: &rng)
        }
        #expect(standardError(result).contains("dimension 10 must be a positive multiple of heads 3"))
    }

    @Test("An odd positional-encoding width and a prefix longer than the sequence are refused")
    func encodingAndPrefix() async {
        let odd = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = positionalEncoding(length: 4, dimension: 5)
        }
        #expect(standardError(odd).contains("dimension must be a positive even number"))
        let prefix = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = prefixLMMask(length: 3, prefix: 5)
        }
        #expect(standardError(prefix).contains("prefix must be in 0...length, got prefix 5 for length 3"))
    }

    @Test("A sequence longer than the positional table names the limit")
    func tooLong() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = EncoderOnlyModel(TransformerConfiguration(vocabularySize: 5, dimension: 4, heads: 2, hidden: 4, layers: 1, maxLength: 3))
            _ = model([[1, 2, 3, 4]])
        }
        #expect(standardError(result).contains("positions 0..<4 exceed maxLength 3"))
    }

    @Test("A decoding step with the wrong number of tokens names both counts")
    func stepBatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = EncoderDecoderModel(TransformerConfiguration(vocabularySize: 5, dimension: 4, heads: 2, hidden: 4, layers: 1))
            var state = model.startDecoding([[1, 2], [3, 4]])
            _ = model.step([1], state: &state)
        }
        #expect(standardError(result).contains("step: 1 tokens for a batch of 2 sources"))
    }

    @Test("Span corruption without enough sentinels says how many it needs")
    func sentinels() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = spanCorruption([1, 2, 3, 4], spans: [0..<1, 2..<3], sentinels: [9, 8])
        }
        #expect(standardError(result).contains("2 spans need 3 sentinels, got 2"))
    }
}
