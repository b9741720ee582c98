import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// Layers built from given weights, and parameters by name: PyTorch's names, saving and loading
/// a model's state, and the messages when a state does not fit.
@Suite("Chapter 2: layers from given weights, and named parameters")
struct Chapter2NamedParameterTests {
    @Test("Linear(weight:bias:) computes x·W + b; Linear(pytorchWeight:bias:) takes PyTorch's [out, in]")
    func linearFromWeights() {
        let w = Tensor([[1, 2, 3], [4, 5, 6]])            // [in 2, out 3]
        let b = Tensor([0.5, -0.5, 1])
        let x = Variable.constant(Tensor([[1, -1]]))
        let layer = Linear(weight: w, bias: b)
        #expect(layer(x).value == Tensor([[-2.5, -3.5, -2]]), "x·W + b for x = [1, −1], got \(layer(x).value)")
        let fromPyTorch = Linear(pytorchWeight: w.transposed(), bias: b)
        #expect(fromPyTorch(x).value == layer(x).value, "PyTorch's [out, in] weight is the transpose of the book's")
        #expect(fromPyTorch.weight.shape == [2, 3])
        let table = Tensor([[0, 1], [2, 3], [4, 5]])
        let embedding = Embedding(table: table)
        #expect(embedding([2, 0]).value == Tensor([[4, 5], [0, 1]]))
    }

    @Test("Bad weights are refused with both shapes named")
    func badWeights() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Linear(weight: Tensor.zeros([2, 3]), bias: Tensor.zeros([2]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("a weight of shape [2, 3] needs a bias of shape [3], got [2]"),
                "the message should name both shapes; got: \(message)")
    }

    @Test("Names follow PyTorch: weight and bias, Sequential positions, nested parts")
    func names() {
        var rng = SeededRandom(seed: 3)
        let model = Sequential([Linear(4, 3, rng: &rng), ReLU(), Linear(3, 2, rng: &rng)])
        let named = model.namedParameters
        #expect(named.keys.sorted() == ["0.bias", "0.weight", "2.bias", "2.weight"], "got \(named.keys.sorted())")
        #expect(named["2.weight"] === (model.layers[2] as! Linear).weight, "a name refers to the layer's own variable")
        let nested = Sequential([model, Sequential([Tanh(), Linear(2, 1, rng: &rng)])])
        #expect(nested.namedParameters.keys.sorted() == ["0.0.bias", "0.0.weight", "0.2.bias", "0.2.weight", "1.1.bias", "1.1.weight"])
        let embedding = Embedding(vocabularySize: 5, dimension: 2, rng: &rng)
        let parts = namespaced(["encoder": model.namedParameters, "embedding": embedding.namedParameters])
        #expect(parts.keys.sorted() == ["embedding.weight", "encoder.0.bias", "encoder.0.weight", "encoder.2.bias", "encoder.2.weight"])
        #expect(Set(parts.values.map(ObjectIdentifier.init)).count == 5)
    }

    @Test("A layer that gives no names gets positional ones")
    func positionalNames() {
        struct Scale: Tensors.Layer {
            let factor = Variable(Tensor([2]))
            func callAsFunction(_ x: Variable) -> Variable { x * factor }
            var parameters: [Variable] { [factor] }
        }
        let layer = Scale()
        #expect(layer.namedParameters.keys.sorted() == ["0"] && layer.namedParameters["0"] === layer.factor)
        #expect(Sequential([Scale(), Scale()]).namedParameters.keys.sorted() == ["0.0", "1.0"])
    }

    @Test("stateDict copies the values; loadStateDict puts them into another model of the same shape")
    func stateRoundTrip() throws {
        var rng = SeededRandom(seed: 5)
        let a = Sequential([Linear(3, 4, rng: &rng), Tanh(), Linear(4, 2, rng: &rng)])
        let b = Sequential([Linear(3, 4, rng: &rng), Tanh(), Linear(4, 2, rng: &rng)])
        let x = Variable.constant(Tensor.randomNormal([5, 3], rng: &rng))
        #expect(a(x).value != b(x).value)
        let state = a.stateDict
        try b.loadStateDict(state)
        #expect(a(x).value == b(x).value, "after loading a's state, b computes what a computes")
        (a.layers[0] as! Linear).weight.value.scalars[0] += 1
        #expect(state["0.weight"] != (a.layers[0] as! Linear).weight.value, "the state is a copy, not a view")
    }

    @Test("A state that does not fit changes nothing and says what is missing, unexpected or of the wrong shape")
    func stateErrors() {
        var rng = SeededRandom(seed: 6)
        let model = Sequential([Linear(3, 4, rng: &rng), Linear(4, 2, rng: &rng)])
        let before = model.stateDict
        var state = before
        state["1.bias"] = nil
        state["2.weight"] = Tensor.zeros([1])
        state["0.weight"] = Tensor.zeros([4, 3])
        #expect {
            try model.loadStateDict(state)
        } throws: { error in
            guard let error = error as? StateDictError else { return false }
            return error.missing == ["1.bias"] && error.unexpected == ["2.weight"]
                && error.mismatched == ["0.weight is [4, 3] in the state but [3, 4] in the model"]
                && error.description.contains("PyTorch Linear weight is [out, in]")
        }
        #expect(model.stateDict == before, "a failed load must change nothing")
        // Not strict: names on one side only are skipped, the rest is loaded.
        var partial = before
        partial["1.bias"] = nil
        partial["0.bias"] = Tensor([1, 2, 3, 4])
        #expect(throws: Never.self) { try loadStateDict(partial, into: model.namedParameters, strict: false) }
        #expect(model.stateDict["0.bias"] == Tensor([1, 2, 3, 4]) && model.stateDict["1.bias"] == before["1.bias"])
    }
}
