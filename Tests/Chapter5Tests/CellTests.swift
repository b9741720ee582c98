import RecurrentNetworks
import ScalarAutodiff
import Tensors
import Foundation
import Testing

/// A Float tensor from the fixture's Doubles.
func tensor(_ values: [Double], _ shape: [Int]) -> Tensor {
    Tensor(shape: shape, scalars: values.map(Float.init))
}

/// PyTorch's [gates·H, E] weight turned into the book's [E, gates·H].
func bookLayout(_ values: [Double], rows: Int, columns: Int) -> Tensor {
    tensor(values, [rows, columns]).transposed()
}

private let E = PyTorchFixture.inputSize, H = PyTorchFixture.hiddenSize
private let B = PyTorchFixture.batch, T = PyTorchFixture.steps

@Suite("Chapter 5: recurrent cells against PyTorch")
struct Chapter5CellTests {
    typealias F = PyTorchFixture

    /// xₜ as a leaf variable [B, E] for t = 0 ..< T, so its gradient can be compared.
    static func inputs() -> [Variable] {
        (0..<T).map { t in Variable(tensor(Array(F.x[(t * B * E)..<((t + 1) * B * E)]), [B, E])) }
    }

    /// Σₜ sum(hₜ ∗ coefficientₜ), the fixture's loss.
    static func loss(_ outputs: [Variable]) -> Variable {
        let terms = outputs.enumerated().map { t, h in
            (h * tensor(Array(F.coefficients[(t * B * H)..<((t + 1) * B * H)]), [B, H])).sum()
        }
        return terms.dropFirst().reduce(terms[0], +)
    }

    static func expectClose(_ got: Tensor, _ expected: Tensor, _ what: String) {
        #expect(got.isClose(to: expected, tolerance: 1e-4), "\(what): PyTorch gives \(expected), got \(got)")
    }

    @Test("A GRU over 3 steps matches PyTorch's nn.GRU: states, loss and every gradient")
    func gru() {
        let cell = GRUCell(weightIH: bookLayout(F.gruWeightIH, rows: 3 * H, columns: E),
                           weightHH: bookLayout(F.gruWeightHH, rows: 3 * H, columns: H),
                           biasIH: tensor(F.gruBiasIH, [3 * H]), biasHH: tensor(F.gruBiasHH, [3 * H]))
        let xs = Self.inputs(), h0 = Variable(tensor(F.h0, [B, H]))
        var h = h0, outputs: [Variable] = []
        for x in xs {
            h = cell(x, h)
            outputs.append(h)
        }
        Self.expectClose(Tensor.concatenate(outputs.map(\.value), axis: 0), tensor(F.gruOutputs, [T * B, H]), "GRU states")
        let loss = Self.loss(outputs)
        #expect(abs(Double(loss.value.scalar) - F.gruLoss) < 1e-4, "GRU loss: PyTorch \(F.gruLoss), got \(loss.value.scalar)")
        loss.backward()
        Self.expectClose(cell.weightIH.gradient, bookLayout(F.gruGradWeightIH, rows: 3 * H, columns: E), "∂L/∂W_ih")
        Self.expectClose(cell.weightHH.gradient, bookLayout(F.gruGradWeightHH, rows: 3 * H, columns: H), "∂L/∂W_hh")
        Self.expectClose(cell.biasIH.gradient, tensor(F.gruGradBiasIH, [3 * H]), "∂L/∂b_ih")
        Self.expectClose(cell.biasHH.gradient, tensor(F.gruGradBiasHH, [3 * H]), "∂L/∂b_hh")
        Self.expectClose(Tensor.concatenate(xs.map(\.gradient), axis: 0), tensor(F.gruGradX, [T * B, E]), "∂L/∂x")
        Self.expectClose(h0.gradient, tensor(F.gruGradH0, [B, H]), "∂L/∂h₀")
        #expect(cell.parameters.reduce(0) { $0 + $1.value.count } == F.gruParameterCount)
    }

    @Test("An LSTM over 3 steps matches PyTorch's nn.LSTM: states, loss and every gradient")
    func lstm() {
        let cell = LSTMCell(weightIH: bookLayout(F.lstmWeightIH, rows: 4 * H, columns: E),
                            weightHH: bookLayout(F.lstmWeightHH, rows: 4 * H, columns: H),
                            biasIH: tensor(F.lstmBiasIH, [4 * H]), biasHH: tensor(F.lstmBiasHH, [4 * H]))
        let xs = Self.inputs(), h0 = Variable(tensor(F.h0, [B, H]))
        var state = (h: h0, c: Variable.constant(tensor(F.c0, [B, H])))
        var outputs: [Variable] = []
        for x in xs {
            state = cell(x, state)
            outputs.append(state.h)
        }
        Self.expectClose(Tensor.concatenate(outputs.map(\.value), axis: 0), tensor(F.lstmOutputs, [T * B, H]), "LSTM states")
        let loss = Self.loss(outputs)
        #expect(abs(Double(loss.value.scalar) - F.lstmLoss) < 1e-4, "LSTM loss: PyTorch \(F.lstmLoss), got \(loss.value.scalar)")
        loss.backward()
        Self.expectClose(cell.weightIH.gradient, bookLayout(F.lstmGradWeightIH, rows: 4 * H, columns: E), "∂L/∂W_ih")
        Self.expectClose(cell.weightHH.gradient, bookLayout(F.lstmGradWeightHH, rows: 4 * H, columns: H), "∂L/∂W_hh")
        Self.expectClose(cell.biasIH.gradient, tensor(F.lstmGradBiasIH, [4 * H]), "∂L/∂b_ih")
        Self.expectClose(cell.biasHH.gradient, tensor(F.lstmGradBiasHH, [4 * H]), "∂L/∂b_hh")
        Self.expectClose(Tensor.concatenate(xs.map(\.gradient), axis: 0), tensor(F.lstmGradX, [T * B, E]), "∂L/∂x")
        Self.expectClose(h0.gradient, tensor(F.lstmGradH0, [B, H]), "∂L/∂h₀")
        #expect(cell.parameters.reduce(0) { $0 + $1.value.count } == F.lstmParameterCount)
    }

    @Test("The vanilla RNN cell is tanh(x·W_ih + b_ih + h·W_hh + b_hh)")
    func vanilla() {
        var rng = SeededRandom(seed: 51)
        let cell = RNNCell(inputSize: 3, hiddenSize: 2, rng: &rng)
        let x = Tensor([[0.5, -1, 2]]), h = Tensor([[0.3, -0.7]])
        let got = cell(.constant(x), .constant(h)).value
        var expected: [Float] = []
        for j in 0..<2 {
            var a = cell.biasIH.value.scalars[j] + cell.biasHH.value.scalars[j]
            for i in 0..<3 { a += x.scalars[i] * cell.weightIH.value[i, j] }
            for i in 0..<2 { a += h.scalars[i] * cell.weightHH.value[i, j] }
            expected.append(Float(tanh(Double(a))))
        }
        #expect(got.isClose(to: Tensor([expected]), tolerance: 1e-6))
        #expect(cell.parameters.reduce(0) { $0 + $1.value.count } == rnnParameterCount(input: 3, hidden: 2))
        #expect(rnnParameterCount(input: 3, hidden: 2) == 14, "2·(3 + 2) + 2·2")
    }

    @Test("Parameter counts: GRU 3H(E+H)+6H, LSTM 4H(E+H)+8H, and the cells really hold that many")
    func counts() {
        var rng = SeededRandom(seed: 52)
        #expect(gruParameterCount(input: 32, hidden: 64) == 18_816)
        #expect(lstmParameterCount(input: 32, hidden: 64) == 25_088)
        for (e, h) in [(32, 64), (5, 7), (160, 64)] {
            let gru = GRUCell(inputSize: e, hiddenSize: h, rng: &rng)
            let lstm = LSTMCell(inputSize: e, hiddenSize: h, rng: &rng)
            #expect(gru.parameters.reduce(0) { $0 + $1.value.count } == gruParameterCount(input: e, hidden: h))
            #expect(lstm.parameters.reduce(0) { $0 + $1.value.count } == lstmParameterCount(input: e, hidden: h))
        }
        #expect(gruParameterCount(input: 160, hidden: 64) == 43_392, "the reference decoder GRU(32 + 128, 64)")
    }

    @Test("The reference model has 104,212 parameters, part by part as PyTorch counts them")
    func referenceModel() {
        let size = ReferenceModelSize()
        #expect(size.total == 104_212)
        #expect(size.total == F.referenceModelParameterCount, "PyTorch counts \(F.referenceModelParameterCount)")
        let p = F.referenceModelParts
        let expected = [p["src_embedding"]! + p["tgt_embedding"]!, p["encoder"]!, p["bridge"]!, p["decoder"]!,
                        p["W_a"]! + p["U_a"]! + p["v"]!, p["output"]!]
        #expect(size.parts.map(\.count) == expected)
        #expect(size.parts.map(\.count) == [1_280, 37_632, 8_256, 43_392, 12_352, 1_300])
        #expect(linearParameterCount(192, 64) + 64 == 12_416, "a biased W plus v would be 64 too many")
        // The parts chapter 5 owns, built for real: everything but the attention.
        var rng = SeededRandom(seed: 53)
        let encoder = GRUEncoder(vocabularySize: 20, embeddingSize: 32, hiddenSize: 64, bidirectional: true, rng: &rng)
        let bridge = Linear(128, 64, rng: &rng)
        let decoder = GRUDecoder(vocabularySize: 20, embeddingSize: 32, hiddenSize: 64, contextSize: 128, rng: &rng)
        let built = (encoder.parameters + bridge.parameters + decoder.parameters).reduce(0) { $0 + $1.value.count }
        #expect(built == 104_212 - 12_352, "encoder, bridge and decoder with a 128-number context input: \(built)")
    }
}
