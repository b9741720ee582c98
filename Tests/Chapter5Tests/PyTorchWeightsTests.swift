import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors
import Testing

@Suite("Chapter 5: cells built from PyTorch's weights")
struct Chapter5PyTorchWeightsTests {
    @Test("A PyTorch nn.GRU(5, 7) saved as safetensors, loaded into a GRUCell, gives PyTorch's outputs to 1e-5")
    func gruFromSafetensors() throws {
        let (w, metadata) = try Safetensors.decode(GRUSafetensorsFixture.bytes)
        #expect(metadata["module"] == "torch.nn.GRU(5, 7)")
        let cell = GRUCell(pytorchWeightIH: w["weight_ih_l0"]!, pytorchWeightHH: w["weight_hh_l0"]!,
                           biasIH: w["bias_ih_l0"]!, biasHH: w["bias_hh_l0"]!)
        #expect(cell.inputSize == 5 && cell.hiddenSize == 7)
        let input = w["input"]!, expected = w["output"]!       // [T, B, E] and [T, B, H], PyTorch's time-major layout
        let (T, B) = (input.shape[0], input.shape[1])
        var h = Variable.constant(w["h0"]!.reshaped([B, 7]))
        var worst: Float = 0
        for t in 0..<T {
            h = cell(.constant(input.slice(axis: 0, t..<(t + 1)).reshaped([B, 5])), h)
            let theirs = expected.slice(axis: 0, t..<(t + 1)).reshaped([B, 7])
            worst = max(worst, zip(h.value.scalars, theirs.scalars).map { abs($0 - $1) }.max()!)
        }
        #expect(worst < 1e-5, "largest difference from PyTorch's output: \(worst)")
        #expect(h.value.isClose(to: w["h_n"]!.reshaped([B, 7]), tolerance: 1e-5), "h_n")
    }

    @Test("Every cell built from PyTorch's layout holds the transposed weights, and checks the shapes")
    func layouts() async {
        var rng = SeededRandom(seed: 5)
        for gates in [1, 3, 4] {
            let wi = Tensor.randomNormal([gates * 3, 2], rng: &rng), wh = Tensor.randomNormal([gates * 3, 3], rng: &rng)
            let bi = Tensor.randomNormal([gates * 3], rng: &rng), bh = Tensor.randomNormal([gates * 3], rng: &rng)
            let x = Variable.constant(Tensor.randomNormal([2, 2], rng: &rng)), h = Variable.constant(Tensor.randomNormal([2, 3], rng: &rng))
            switch gates {
            case 1:
                let a = RNNCell(pytorchWeightIH: wi, pytorchWeightHH: wh, biasIH: bi, biasHH: bh)
                let b = RNNCell(weightIH: wi.transposed(), weightHH: wh.transposed(), biasIH: bi, biasHH: bh)
                #expect(a.weightIH.value == wi.transposed() && a(x, h).value == b(x, h).value)
                // By hand: tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh).
                let byHand = (x.value.matmul(wi.transposed()) + bi + h.value.matmul(wh.transposed()) + bh).tanh()
                #expect(a(x, h).value.isClose(to: byHand, tolerance: 1e-6))
            case 3:
                let a = GRUCell(pytorchWeightIH: wi, pytorchWeightHH: wh, biasIH: bi, biasHH: bh)
                #expect(a.weightIH.value == wi.transposed() && a.weightHH.value == wh.transposed())
            default:
                let a = LSTMCell(pytorchWeightIH: wi, pytorchWeightHH: wh, biasIH: bi, biasHH: bh)
                #expect(a.weightIH.value == wi.transposed() && a.hiddenSize == 3 && a.inputSize == 2)
            }
        }
        await #expect(processExitsWith: .failure) {
            // The book's layout given where PyTorch's is expected: [E, 3H] instead of [3H, E].
            _ = GRUCell(pytorchWeightIH: Tensor.zeros([2, 9]), pytorchWeightHH: Tensor.zeros([3, 9]), biasIH: Tensor.zeros([9]), biasHH: Tensor.zeros([9]))
        }
    }
}

@Suite("Chapter 5: named parameters")
struct Chapter5NamedParameterTests {
    @Test("PyTorch-style names cover every parameter once: encoder.rnn.weight_ih_l0, …_reverse, bridge.weight, decoder.output.bias")
    func names() {
        var rng = SeededRandom(seed: 55)
        let model = Seq2Seq(sourceVocabularySize: 9, targetVocabularySize: 8, embeddingSize: 3, hiddenSize: 4, bidirectional: true, rng: &rng)
        let names = model.namedParameters
        #expect(names.count == model.parameters.count)
        #expect(Set(names.values.map(ObjectIdentifier.init)) == Set(model.parameters.map(ObjectIdentifier.init)))
        let rnn = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
        let expected = Set(["encoder.embedding.weight", "decoder.embedding.weight", "bridge.weight", "bridge.bias",
                            "decoder.output.weight", "decoder.output.bias"]
                           + rnn.flatMap { ["encoder.rnn.\($0)_l0", "encoder.rnn.\($0)_l0_reverse", "decoder.rnn.\($0)_l0"] })
        #expect(Set(names.keys) == expected, "\(Set(names.keys).symmetricDifference(expected))")
        let lstm = LSTMSeq2Seq(sourceVocabularySize: 9, targetVocabularySize: 8, embeddingSize: 3, hiddenSize: 4, rng: &rng)
        #expect(lstm.namedParameters.count == lstm.parameters.count && lstm.namedParameters["encoder.rnn.weight_ih_l0"]?.shape == [3, 16])
    }

    @Test("A model's weights saved as safetensors and loaded into a model from another seed make it decode the same")
    func safetensorsRoundTrip() throws {
        var rng = SeededRandom(seed: 56)
        let trained = Seq2Seq(sourceVocabularySize: 9, targetVocabularySize: 9, embeddingSize: 3, hiddenSize: 4, rng: &rng)
        let other = Seq2Seq(sourceVocabularySize: 9, targetVocabularySize: 9, embeddingSize: 3, hiddenSize: 4, rng: &rng)
        let bytes = Safetensors.encode(stateDict(of: trained.namedParameters))
        try loadStateDict(try Safetensors.decode(bytes).tensors, into: other.namedParameters)
        #expect(greedyDecode(other, source: [4, 5, 6], maxLength: 6).steps == greedyDecode(trained, source: [4, 5, 6], maxLength: 6).steps)
    }
}
