import ScalarAutodiff
import Tensors

/// The encoder-decoder pattern: an encoder maps the input to a code, a decoder maps the code back.
///
///     z = f_enc(x),    ŷ = f_dec(z)
///
/// For an autoencoder the target is the input itself, ŷ = x̂ ≈ x, and the code z is the
/// *bottleneck*: whatever the decoder needs to rebuild x must pass through it. Chapters 5 to 7 keep
/// this shape and change what x, z and ŷ are (a sentence, a context vector or a list of encoder
/// states, a translation).
///
/// ```swift
/// var rng = SeededRandom(seed: 3)
/// let model = Autoencoder.seeds(rng: &rng)                       // 784 → 128 → 32 → 128 → 784
/// let x = Variable.constant(Tensor.zeros([16, 784]))
/// let z = model.encode(x)                                        // shape [16, 32]
/// let xHat = model.decode(z)                                     // shape [16, 784]
/// model.encoder.parameterCount                                   // 104,608
/// ```
///
/// The encoder and decoder are ordinary `Sequential` stacks of chapter 2 layers; their weights are
/// `Variable`s, so a copy of an autoencoder shares its weights with the original.
public struct Autoencoder: Tensors.Layer {
    /// f_enc: input → code.
    public let encoder: Sequential
    /// f_dec: code → reconstruction.
    public let decoder: Sequential
    /// The width of the input, d.
    public let inputWidth: Int
    /// The width of the code z, k.
    public let bottleneckWidth: Int

    /// An autoencoder from any encoder and decoder; the widths are only used for reporting.
    public init(encoder: Sequential, decoder: Sequential, inputWidth: Int, bottleneckWidth: Int) {
        require(inputWidth > 0 && bottleneckWidth > 0,
                     "Autoencoder: inputWidth and bottleneckWidth must be positive, got \(inputWidth) and \(bottleneckWidth)")
        self.encoder = encoder
        self.decoder = decoder
        self.inputWidth = inputWidth
        self.bottleneckWidth = bottleneckWidth
    }

    /// z = f_enc(x): a batch of inputs [batch, d] to codes [batch, k].
    public func encode(_ x: Variable) -> Variable {
        require(x.shape.last == inputWidth,
                     "Autoencoder.encode: input shape \(x.shape) does not end in the input width \(inputWidth)")
        return encoder(x)
    }

    /// x̂ = f_dec(z): codes [batch, k] to reconstructions [batch, d].
    public func decode(_ z: Variable) -> Variable {
        require(z.shape.last == bottleneckWidth,
                     "Autoencoder.decode: code shape \(z.shape) does not end in the bottleneck width \(bottleneckWidth)")
        return decoder(z)
    }

    /// x̂ = f_dec(f_enc(x)).
    public func callAsFunction(_ x: Variable) -> Variable { decode(encode(x)) }

    /// The reconstruction of a batch of plain numbers, with no graph kept.
    public func reconstruct(_ x: Tensor) -> Tensor { self(.constant(x)).value }

    /// The codes of a batch of plain numbers, with no graph kept.
    public func codes(_ x: Tensor) -> Tensor { encode(.constant(x)).value }

    /// The encoder's parameters, then the decoder's.
    public var parameters: [Variable] { encoder.parameters + decoder.parameters }

    /// The parameters by name, as PyTorch names an `nn.Module` with `encoder` and `decoder`
    /// `nn.Sequential` fields. For the seeds' model:
    ///
    ///     encoder.0.weight [784, 128]   encoder.0.bias [128]   encoder.2.weight [128, 32]   encoder.2.bias [32]
    ///     decoder.0.weight [32, 128]    decoder.0.bias [128]   decoder.2.weight [128, 784]  decoder.2.bias [784]
    ///
    /// (Positions 1 are the ReLUs, which have no parameters; weights are [in, out], the transpose
    /// of PyTorch's.) `stateDict` and `loadStateDict(_:)` save and restore the weights by these names.
    public var namedParameters: [String: Variable] {
        namespaced(["encoder": encoder.namedParameters, "decoder": decoder.namedParameters])
    }

    /// The naive compression ratio d / k: numbers in per number in the code.
    /// 784 / 32 = 24.5 for the seeds' model. (Naive, because a Float of z carries more than a
    /// pixel's worth of bits, and the decoder's weights are part of the message too.)
    public var compressionRatio: Double { Double(inputWidth) / Double(bottleneckWidth) }

    /// Undercomplete when the code is narrower than the input (k < d), so the model must compress.
    /// An overcomplete autoencoder (k ≥ d) can learn the identity and needs another constraint
    /// (noise on the input, sparsity, a prior) before it learns anything useful.
    public var isUndercomplete: Bool { bottleneckWidth < inputWidth }
}

/// What the last layer of a decoder does to its output.
public enum OutputActivation: Sendable {
    /// No activation: x̂ is any real number (the linear autoencoder, the seeds' model).
    case identity
    /// The logistic sigmoid: x̂ in (0, 1), the range of the digits' pixels.
    case sigmoid
}

extension Autoencoder {
    /// A multilayer perceptron autoencoder whose decoder mirrors its encoder.
    ///
    /// `widths` lists the encoder's widths from input to code, for example [784, 128, 32]; the
    /// decoder runs them backwards, [32, 128, 784]. Hidden layers use `activation` (ReLU by
    /// default); the code layer has none, and the output has `output`.
    ///
    /// With widths [d, k] and `activation: nil` the model is the *linear autoencoder*
    /// z = x·W_enc + b_enc, x̂ = z·W_dec + b_dec, whose best weights span the PCA subspace.
    ///
    /// ```swift
    /// let small = Autoencoder.mlp(widths: [64, 32, 8], output: .sigmoid, rng: &rng)   // the digits
    /// let linear = Autoencoder.mlp(widths: [64, 8], activation: nil, rng: &rng)
    /// ```
    public static func mlp(widths: [Int], activation: (any Tensors.Layer)? = ReLU(), output: OutputActivation = .identity,
                           rng: inout SeededRandom) -> Autoencoder {
        require(widths.count >= 2, "Autoencoder.mlp: widths needs at least an input and a code width, got \(widths)")
        require(widths.allSatisfy { $0 > 0 }, "Autoencoder.mlp: every width must be positive, got \(widths)")
        let encoder = mlpLayers(widths, activation: activation, finalActivation: nil, rng: &rng)
        let decoder = mlpLayers(widths.reversed(), activation: activation,
                                finalActivation: output == .sigmoid ? Sigmoid() : nil, rng: &rng)
        return Autoencoder(encoder: encoder, decoder: decoder, inputWidth: widths[0], bottleneckWidth: widths.last!)
    }

    /// The seeds' model: 784 → 128 → 32 → 128 → 784 with ReLU after each hidden layer.
    ///
    ///     encoder  Linear(784, 128) + ReLU + Linear(128, 32)    100,480 + 4,128  = 104,608
    ///     decoder  Linear(32, 128) + ReLU + Linear(128, 784)      4,224 + 101,136 = 105,360
    ///
    /// 209,968 parameters in all; a batch [16, 784] becomes codes [16, 32] and reconstructions
    /// [16, 784].
    public static func seeds(rng: inout SeededRandom) -> Autoencoder {
        mlp(widths: [784, 128, 32], rng: &rng)
    }
}

/// A stack of `Linear` layers through the given widths, with `activation` after every layer
/// but the last and `finalActivation` (if any) after the last:
///
///     mlpLayers([64, 32, 8]) = Linear(64, 32), ReLU, Linear(32, 8)
///
/// A layer followed by ReLU starts from He initialisation, any other from Xavier/Glorot. The
/// encoders and decoders of chapters 3 and 4 are all built this way.
public func mlpLayers(_ widths: [Int], activation: (any Tensors.Layer)? = ReLU(),
                      finalActivation: (any Tensors.Layer)?, rng: inout SeededRandom) -> Sequential {
    var layers: [any Tensors.Layer] = []
    for i in 0..<max(widths.count - 1, 0) {
        let isLast = i == widths.count - 2
        let next: (any Tensors.Layer)? = isLast ? finalActivation : activation
        let initialisation: Initialisation = next is ReLU ? .heNormal : .xavierUniform
        layers.append(Linear(widths[i], widths[i + 1], initialisation: initialisation, rng: &rng))
        if let next { layers.append(next) }
    }
    return Sequential(layers)
}
