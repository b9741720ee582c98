import ScalarAutodiff
import Tensors
import Testing
import VariationalAutoencoders

/// The VAE's parameters by name, as PyTorch's state_dict names them, and a weights round trip.
@Suite("Chapter 4: the VAE's named parameters")
struct Chapter4NamedParameterTests {
    @Test("The demo's VAE names its ten tensors encoder.body.0.weight … decoder.2.bias: 34,884 numbers")
    func names() {
        var rng = SeededRandom(seed: 1)
        let vae = VariationalAutoencoder(inputs: 64, hidden: [256], latent: 2, rng: &rng)
        let shapes = vae.namedParameters.mapValues(\.shape)
        #expect(shapes == [
            "encoder.body.0.weight": [64, 256], "encoder.body.0.bias": [256],
            "encoder.muHead.weight": [256, 2], "encoder.muHead.bias": [2],
            "encoder.logVarianceHead.weight": [256, 2], "encoder.logVarianceHead.bias": [2],
            "decoder.0.weight": [2, 256], "decoder.0.bias": [256],
            "decoder.2.weight": [256, 64], "decoder.2.bias": [64],
        ])
        #expect(vae.namedParameters.values.reduce(0) { $0 + $1.value.count } == 34_884)
        #expect(vae.namedParameters["encoder.muHead.weight"] === vae.encoder.muHead.weight)
    }

    @Test("Loading one VAE's state dict into another makes their codes and decodings equal; a wrong shape is refused")
    func stateDictRoundTrip() throws {
        var first = SeededRandom(seed: 1), second = SeededRandom(seed: 2)
        let source = VariationalAutoencoder(inputs: 8, hidden: [6], latent: 2, rng: &first)
        let target = VariationalAutoencoder(inputs: 8, hidden: [6], latent: 2, rng: &second)
        let x = Tensor.randomUniform([3, 8], rng: &first)
        try target.loadStateDict(source.stateDict)
        #expect(target.encode(x).mu == source.encode(x).mu)
        #expect(target.encode(x).logVariance == source.encode(x).logVariance)
        #expect(target.reconstruct(x) == source.reconstruct(x))
        var other = SeededRandom(seed: 3)
        let wider = VariationalAutoencoder(inputs: 8, hidden: [6], latent: 3, rng: &other)
        let before = target.stateDict
        #expect(throws: StateDictError.self) { try target.loadStateDict(wider.stateDict) }
        #expect(target.stateDict == before, "a refused state changes nothing")
    }
}
