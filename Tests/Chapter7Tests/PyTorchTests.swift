import ScalarAutodiff
import Tensors
import Testing
import Transformers

/// The book's layers built from PyTorch's weights give PyTorch's outputs (the fixture is written
/// by Tools/transformer_pytorch_fixture.py).
@Suite("Chapter 7: PyTorch's Transformer layers, loaded from safetensors")
struct Chapter7PyTorchTests {
    static let state: [String: Tensor] = (try? Safetensors.decode(PyTorchFixture.bytes).tensors) ?? [:]
    static func tensor(_ name: String) -> Tensor { state[name] ?? Tensor.zeros([0]) }
    static var x: Variable { .constant(tensor("input.x")) }
    static var memory: Variable { .constant(tensor("input.memory")) }
    /// PyTorch's key_padding_mask [batch, t] (true = padding) as the book's [batch, 1, 1, t] (1 = blocked).
    static func padding(_ name: String) -> Tensor {
        let m = tensor(name)
        return m.reshaped([m.shape[0], 1, 1, m.shape[1]])
    }

    /// The largest difference between two tensors of one shape, or ∞ if the shapes differ.
    func largestDifference(_ a: Tensor, _ b: Tensor) -> Float {
        a.shape == b.shape ? (a - b).abs().scalars.max() ?? 0 : .infinity
    }

    @Test("Post-norm TransformerEncoderLayer (PyTorch's default, ReLU) with a key padding mask matches to 1e-5")
    func postNormEncoder() throws {
        let block = try EncoderBlock(pytorch: Self.state, prefix: "post.", dimension: 8, heads: 2, hidden: 16, normFirst: false)
        let output = block(Self.x, mask: Self.padding("input.x_padding")).value
        #expect(largestDifference(output, Self.tensor("output.post")) <= 1e-5)
    }

    @Test("Pre-norm TransformerEncoderLayer with GELU, without a mask and with the causal mask, matches to 1e-5")
    func preNormEncoder() throws {
        let block = try EncoderBlock(pytorch: Self.state, prefix: "pre.", dimension: 8, heads: 2, hidden: 16, normFirst: true, activation: .gelu)
        #expect(largestDifference(block(Self.x).value, Self.tensor("output.pre")) <= 1e-5)
        #expect(largestDifference(block(Self.x, mask: Tensor.causalMask(5)).value, Self.tensor("output.pre_causal")) <= 1e-5)
        let post = try EncoderBlock(pytorch: Self.state, prefix: "pre.", dimension: 8, heads: 2, hidden: 16, normFirst: false, activation: .gelu)
        #expect(largestDifference(post(Self.x).value, Self.tensor("output.pre")) > 1e-2, "the same weights in post-norm order give another layer")
    }

    @Test("Post-norm TransformerDecoderLayer with the causal mask and a memory padding mask matches to 1e-5")
    func postNormDecoder() throws {
        let block = try DecoderBlock(pytorch: Self.state, prefix: "decoder.", dimension: 8, heads: 2, hidden: 16, normFirst: false)
        let output = block.forward(Self.x, memory: Self.memory, selfMask: Tensor.causalMask(5),
                                   memoryMask: Self.padding("input.memory_padding")).output.value
        #expect(largestDifference(output, Self.tensor("output.decoder")) <= 1e-5)
    }

    @Test("MultiheadAttention from the packed in_proj_weight: output, per-head and averaged weights match to 1e-5")
    func multiheadAttention() throws {
        let mha = try MultiHeadAttention(pytorch: Self.state, prefix: "mha.", dimension: 8, heads: 2)
        let (output, weights, averaged) = mha.forward(Self.x, Self.memory, mask: Self.padding("input.memory_padding"))
        #expect(largestDifference(output.value, Self.tensor("output.mha")) <= 1e-5)
        #expect(weights.shape == [2, 2, 5, 4] && largestDifference(weights.value, Self.tensor("output.mha_weights_per_head")) <= 1e-5)
        #expect(averaged.shape == [2, 5, 4] && largestDifference(averaged.value, Self.tensor("output.mha_weights")) <= 1e-5)
        #expect(averaged.value.slice(axis: 0, 1..<2).scalars.enumerated().allSatisfy { $0.offset % 4 != 3 || $0.element == 0 },
                "the padded key of the second memory gets weight exactly 0")
    }

    @Test("A missing or misshapen PyTorch weight is named in the error")
    func missingWeight() {
        #expect(throws: PyTorchWeightsError.self) { _ = try EncoderBlock(pytorch: [:], dimension: 8, heads: 2, hidden: 16, normFirst: false) }
        do {
            _ = try EncoderBlock(pytorch: Self.state, prefix: "post.", dimension: 8, heads: 2, hidden: 32, normFirst: false)
            Issue.record("a hidden width of 32 should not load a layer with d_ff = 16")
        } catch {
            #expect("\(error)" == "\"post.linear1.weight\" has shape [16, 8], expected [32, 8]")
        }
        do {
            _ = try MultiHeadAttention(pytorch: Self.state, prefix: "nothing.", dimension: 8, heads: 2)
        } catch {
            #expect("\(error)".hasPrefix("no tensor \"nothing.in_proj_weight\" in the weights"))
        }
    }
}
