import Autoencoders
import ScalarAutodiff
import Tensors
import Testing

/// The autoencoder's parameters by name, as PyTorch's state_dict names them, and a weights round trip.
@Suite("Chapter 3: the autoencoder's named parameters")
struct Chapter3NamedParameterTests {
    @Test("The seeds' model names its eight tensors encoder.0.weight … decoder.2.bias, with the layers' shapes")
    func seedsNames() {
        var rng = SeededRandom(seed: 3)
        let model = Autoencoder.seeds(rng: &rng)
        let shapes = model.namedParameters.mapValues(\.shape)
        #expect(shapes == [
            "encoder.0.weight": [784, 128], "encoder.0.bias": [128],
            "encoder.2.weight": [128, 32], "encoder.2.bias": [32],
            "decoder.0.weight": [32, 128], "decoder.0.bias": [128],
            "decoder.2.weight": [128, 784], "decoder.2.bias": [784],
        ])
        // The names cover exactly the parameters, the same variables (not copies).
        #expect(model.namedParameters.values.reduce(0) { $0 + $1.value.count } == 209_968)
        #expect(model.namedParameters["encoder.0.weight"] === model.encoder.parameters[0])
        #expect(model.namedParameters["decoder.2.bias"] === model.decoder.parameters.last)
    }

    @Test("A state dict saved from one model and loaded into another makes their reconstructions equal")
    func stateDictRoundTrip() throws {
        var first = SeededRandom(seed: 1), second = SeededRandom(seed: 2)
        let trained = Autoencoder.mlp(widths: [64, 32, 8], output: .sigmoid, rng: &first)
        let fresh = Autoencoder.mlp(widths: [64, 32, 8], output: .sigmoid, rng: &second)
        let x = Tensor.randomUniform([5, 64], rng: &first)
        #expect(fresh.reconstruct(x) != trained.reconstruct(x))
        try fresh.loadStateDict(trained.stateDict)
        #expect(fresh.reconstruct(x) == trained.reconstruct(x))
        // A state for a different architecture is refused, naming what does not fit.
        var other = SeededRandom(seed: 3)
        let wider = Autoencoder.mlp(widths: [64, 32, 16], output: .sigmoid, rng: &other)
        #expect(throws: StateDictError.self) { try fresh.loadStateDict(wider.stateDict) }
    }
}
