import ScalarAutodiff
import Tensors

// The three recurrent cells, with PyTorch's gate equations and parameter layout.
//
// Every cell maps an input batch x [B, E] and a state h [B, H] to a new state. Its weights are
// stored the book's way round (x·W, like `Linear`), so W_ih here is PyTorch's `weight_ih_l0`
// transposed: shape [E, kH] with the k gates side by side in PyTorch's order (GRU: r, z, n;
// LSTM: i, f, g, o). Each cell has two biases, b_ih and b_hh, as PyTorch does; for most gates
// only their sum matters, but the GRU's candidate n uses b_hn inside r ∗ (…), so both are kept.
// Weights and biases start as U(−1/√H, 1/√H), PyTorch's default.

/// U(−1/√H, 1/√H) samples of `shape`: PyTorch's initialisation of every recurrent parameter.
func recurrentInitial(_ shape: [Int], hidden: Int, rng: inout SeededRandom) -> Variable {
    let bound = 1 / Float(hidden).squareRoot()
    return Variable(Tensor.randomUniform(shape, low: -bound, high: bound, rng: &rng))
}

/// The four parameters every cell here has, for k gates side by side: W_ih [E, kH],
/// W_hh [H, kH], b_ih [kH], b_hh [kH], drawn in PyTorch's order and layout (then transposed).
func recurrentParameters(gates k: Int, inputSize: Int, hiddenSize: Int, cell name: String,
                         rng: inout SeededRandom) -> (Variable, Variable, Variable, Variable) {
    require(inputSize > 0 && hiddenSize > 0,
                 "\(name): inputSize and hiddenSize must be positive, got \(inputSize) and \(hiddenSize)")
    let kH = k * hiddenSize
    return (recurrentInitial([kH, inputSize], hidden: hiddenSize, rng: &rng).transposedLeaf(),
            recurrentInitial([kH, hiddenSize], hidden: hiddenSize, rng: &rng).transposedLeaf(),
            recurrentInitial([kH], hidden: hiddenSize, rng: &rng),
            recurrentInitial([kH], hidden: hiddenSize, rng: &rng))
}

/// Given weights in the book's layout ([E, kH], [H, kH], [kH], [kH]) as parameters, after
/// checking their shapes fit together; also returns E and H.
func recurrentParameters(gates k: Int, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor,
                         cell name: String) -> (inputSize: Int, hiddenSize: Int, Variable, Variable, Variable, Variable) {
    let h = weightHH.shape[0]
    require(weightIH.rank == 2 && weightIH.shape[1] == k * h && weightHH.shape == [h, k * h]
                 && biasIH.shape == [k * h] && biasHH.shape == [k * h],
                 "\(name): weights of shapes \(weightIH.shape), \(weightHH.shape), \(biasIH.shape), \(biasHH.shape) do not fit [E, \(k)H], [H, \(k)H], [\(k)H], [\(k)H]")
    return (weightIH.shape[0], h, Variable(weightIH), Variable(weightHH), Variable(biasIH), Variable(biasHH))
}

/// PyTorch's layout (weight_ih [kH, E], weight_hh [kH, H], bias_ih [kH], bias_hh [kH], as in
/// `nn.GRU`'s `weight_ih_l0` … or `nn.GRUCell`'s `weight_ih` …) turned into the book's, after
/// checking the shapes.
func bookLayout(gates k: Int, pytorchWeightIH: Tensor, pytorchWeightHH: Tensor, cell name: String) -> (Tensor, Tensor) {
    require(pytorchWeightIH.rank == 2 && pytorchWeightHH.rank == 2 && pytorchWeightIH.shape[0] == pytorchWeightHH.shape[0]
                && pytorchWeightHH.shape[0] == k * pytorchWeightHH.shape[1],
            "\(name)(pytorchWeightIH:…): PyTorch's weight_ih and weight_hh are [\(k)H, E] and [\(k)H, H], got \(pytorchWeightIH.shape) and \(pytorchWeightHH.shape)")
    return (pytorchWeightIH.transposed(), pytorchWeightHH.transposed())
}

/// Stops with a message naming the cell if x or h has the wrong shape.
func checkStepShapes(_ name: String, x: Variable, h: Variable, inputSize: Int, hiddenSize: Int) {
    require(x.shape.count == 2 && x.shape[1] == inputSize,
                 "\(name): input x has shape \(x.shape), expected [batch, \(inputSize)]")
    require(h.shape == [x.shape[0], hiddenSize],
                 "\(name): state h has shape \(h.shape), expected [\(x.shape[0]), \(hiddenSize)] for an input of shape \(x.shape)")
}

/// The vanilla (Elman) RNN cell: h' = tanh(x·W_ih + b_ih + h·W_hh + b_hh).
///
/// Parameters: H(E + H) + 2H.
public struct RNNCell {
    public let inputSize: Int, hiddenSize: Int
    /// [E, H] and [H, H].
    public let weightIH: Variable, weightHH: Variable
    /// [H] each.
    public let biasIH: Variable, biasHH: Variable

    public init(inputSize: Int, hiddenSize: Int, rng: inout SeededRandom) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        (weightIH, weightHH, biasIH, biasHH) = recurrentParameters(
            gates: 1, inputSize: inputSize, hiddenSize: hiddenSize, cell: "RNNCell", rng: &rng)
    }

    /// A cell with the given weights, in the book's layout ([E, H], [H, H], [H], [H]).
    public init(weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor) {
        (inputSize, hiddenSize, self.weightIH, self.weightHH, self.biasIH, self.biasHH) = recurrentParameters(
            gates: 1, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH, cell: "RNNCell")
    }

    /// A cell with weights in PyTorch's layout: `nn.RNN`'s `weight_ih_l0` [H, E], `weight_hh_l0`
    /// [H, H], `bias_ih_l0` and `bias_hh_l0` [H] (tanh nonlinearity, PyTorch's default).
    public init(pytorchWeightIH: Tensor, pytorchWeightHH: Tensor, biasIH: Tensor, biasHH: Tensor) {
        let (wi, wh) = bookLayout(gates: 1, pytorchWeightIH: pytorchWeightIH, pytorchWeightHH: pytorchWeightHH, cell: "RNNCell")
        self.init(weightIH: wi, weightHH: wh, biasIH: biasIH, biasHH: biasHH)
    }

    /// One step: x [B, E], h [B, H] → h' [B, H].
    public func callAsFunction(_ x: Variable, _ h: Variable) -> Variable {
        checkStepShapes("RNNCell", x: x, h: h, inputSize: inputSize, hiddenSize: hiddenSize)
        return (x.matmul(weightIH) + biasIH + h.matmul(weightHH) + biasHH).tanh()
    }

    /// W_ih, W_hh, b_ih, b_hh.
    public var parameters: [Variable] { [weightIH, weightHH, biasIH, biasHH] }

    /// PyTorch's names (`nn.RNNCell`, `nn.GRUCell`, `nn.LSTMCell`): weight_ih, weight_hh, bias_ih,
    /// bias_hh. The weights are stored the book's way round, [E, kH] and [H, kH], as chapter 2's
    /// `Linear` stores its weight.
    public var namedParameters: [String: Variable] {
        ["weight_ih": weightIH, "weight_hh": weightHH, "bias_ih": biasIH, "bias_hh": biasHH]
    }
}

/// The gated recurrent unit (Cho et al. 2014), with PyTorch's equations:
///
///     r  = σ(x·W_ir + b_ir + h·W_hr + b_hr)          reset gate
///     z  = σ(x·W_iz + b_iz + h·W_hz + b_hz)          update gate
///     n  = tanh(x·W_in + b_in + r ∗ (h·W_hn + b_hn))  candidate state
///     h' = (1 − z) ∗ n + z ∗ h
///
/// z near 1 keeps the old state (and lets gradients pass unchanged through time); r near 0
/// lets the candidate ignore the old state. Parameters: 3H(E + H) + 6H; GRU(32, 64) has 18,816.
///
/// ```swift
/// let cell = GRUCell(inputSize: 32, hiddenSize: 64, rng: &rng)
/// let h1 = cell(x, h0)          // x: [B, 32], h0: [B, 64] → h1: [B, 64]
/// ```
///
/// A decoder that also reads a context vector (chapter 6's attention) concatenates it to its
/// input, x = [embedding(y); c], and uses a cell whose `inputSize` is the sum.
public struct GRUCell {
    public let inputSize: Int, hiddenSize: Int
    /// [E, 3H]: W_ir, W_iz, W_in side by side (PyTorch's weight_ih_l0 transposed).
    public let weightIH: Variable
    /// [H, 3H]: W_hr, W_hz, W_hn side by side.
    public let weightHH: Variable
    /// [3H] each: b_ir, b_iz, b_in and b_hr, b_hz, b_hn.
    public let biasIH: Variable, biasHH: Variable

    public init(inputSize: Int, hiddenSize: Int, rng: inout SeededRandom) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        (weightIH, weightHH, biasIH, biasHH) = recurrentParameters(
            gates: 3, inputSize: inputSize, hiddenSize: hiddenSize, cell: "GRUCell", rng: &rng)
    }

    /// A cell with the given weights, in the book's layout ([E, 3H], [H, 3H], [3H], [3H]).
    public init(weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor) {
        (inputSize, hiddenSize, self.weightIH, self.weightHH, self.biasIH, self.biasHH) = recurrentParameters(
            gates: 3, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH, cell: "GRUCell")
    }

    /// A cell with weights in PyTorch's layout: `nn.GRU`'s `weight_ih_l0` [3H, E] and
    /// `weight_hh_l0` [3H, H] (rows r, z, n), `bias_ih_l0` and `bias_hh_l0` [3H]; the same for
    /// `nn.GRUCell`'s `weight_ih` … Loading a state dict read from a safetensors file:
    ///
    /// ```swift
    /// let w = try Safetensors.read(from: url)
    /// let cell = GRUCell(pytorchWeightIH: w["weight_ih_l0"]!, pytorchWeightHH: w["weight_hh_l0"]!,
    ///                    biasIH: w["bias_ih_l0"]!, biasHH: w["bias_hh_l0"]!)
    /// ```
    public init(pytorchWeightIH: Tensor, pytorchWeightHH: Tensor, biasIH: Tensor, biasHH: Tensor) {
        let (wi, wh) = bookLayout(gates: 3, pytorchWeightIH: pytorchWeightIH, pytorchWeightHH: pytorchWeightHH, cell: "GRUCell")
        self.init(weightIH: wi, weightHH: wh, biasIH: biasIH, biasHH: biasHH)
    }

    /// The three gates of one step, for reading and plotting: r, z, n and h', each [B, H].
    public func gates(_ x: Variable, _ h: Variable) -> (r: Variable, z: Variable, n: Variable, h: Variable) {
        checkStepShapes("GRUCell", x: x, h: h, inputSize: inputSize, hiddenSize: hiddenSize)
        let H = hiddenSize
        let gi = x.matmul(weightIH) + biasIH          // [B, 3H]: input parts of r, z, n
        let gh = h.matmul(weightHH) + biasHH          // [B, 3H]: state parts of r, z, n
        let r = (gi.slice(axis: 1, 0..<H) + gh.slice(axis: 1, 0..<H)).sigmoid()
        let z = (gi.slice(axis: 1, H..<2 * H) + gh.slice(axis: 1, H..<2 * H)).sigmoid()
        let n = (gi.slice(axis: 1, 2 * H..<3 * H) + r * gh.slice(axis: 1, 2 * H..<3 * H)).tanh()
        let hNew = (1 - z) * n + z * h
        return (r, z, n, hNew)
    }

    /// One step: x [B, E], h [B, H] → h' [B, H].
    public func callAsFunction(_ x: Variable, _ h: Variable) -> Variable { gates(x, h).h }

    /// W_ih, W_hh, b_ih, b_hh.
    public var parameters: [Variable] { [weightIH, weightHH, biasIH, biasHH] }

    /// PyTorch's names (`nn.RNNCell`, `nn.GRUCell`, `nn.LSTMCell`): weight_ih, weight_hh, bias_ih,
    /// bias_hh. The weights are stored the book's way round, [E, kH] and [H, kH], as chapter 2's
    /// `Linear` stores its weight.
    public var namedParameters: [String: Variable] {
        ["weight_ih": weightIH, "weight_hh": weightHH, "bias_ih": biasIH, "bias_hh": biasHH]
    }
}

/// Long short-term memory (Hochreiter & Schmidhuber 1997), with PyTorch's equations:
///
///     i  = σ(x·W_ii + b_ii + h·W_hi + b_hi)      input gate
///     f  = σ(x·W_if + b_if + h·W_hf + b_hf)      forget gate
///     g  = tanh(x·W_ig + b_ig + h·W_hg + b_hg)   candidate cell
///     o  = σ(x·W_io + b_io + h·W_ho + b_ho)      output gate
///     c' = f ∗ c + i ∗ g,    h' = o ∗ tanh(c')
///
/// The state is the pair (h, c). Parameters: 4H(E + H) + 8H.
public struct LSTMCell {
    public let inputSize: Int, hiddenSize: Int
    /// [E, 4H] and [H, 4H], gates i, f, g, o side by side.
    public let weightIH: Variable, weightHH: Variable
    /// [4H] each.
    public let biasIH: Variable, biasHH: Variable

    public init(inputSize: Int, hiddenSize: Int, rng: inout SeededRandom) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        (weightIH, weightHH, biasIH, biasHH) = recurrentParameters(
            gates: 4, inputSize: inputSize, hiddenSize: hiddenSize, cell: "LSTMCell", rng: &rng)
    }

    /// A cell with the given weights, in the book's layout ([E, 4H], [H, 4H], [4H], [4H]).
    public init(weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor) {
        (inputSize, hiddenSize, self.weightIH, self.weightHH, self.biasIH, self.biasHH) = recurrentParameters(
            gates: 4, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH, cell: "LSTMCell")
    }

    /// A cell with weights in PyTorch's layout: `nn.LSTM`'s `weight_ih_l0` [4H, E] and
    /// `weight_hh_l0` [4H, H] (rows i, f, g, o), `bias_ih_l0` and `bias_hh_l0` [4H].
    public init(pytorchWeightIH: Tensor, pytorchWeightHH: Tensor, biasIH: Tensor, biasHH: Tensor) {
        let (wi, wh) = bookLayout(gates: 4, pytorchWeightIH: pytorchWeightIH, pytorchWeightHH: pytorchWeightHH, cell: "LSTMCell")
        self.init(weightIH: wi, weightHH: wh, biasIH: biasIH, biasHH: biasHH)
    }

    /// One step: x [B, E] and the state (h, c), each [B, H] → (h', c').
    public func callAsFunction(_ x: Variable, _ state: (h: Variable, c: Variable)) -> (h: Variable, c: Variable) {
        checkStepShapes("LSTMCell", x: x, h: state.h, inputSize: inputSize, hiddenSize: hiddenSize)
        require(state.c.shape == state.h.shape,
                     "LSTMCell: cell state c has shape \(state.c.shape), expected \(state.h.shape) like h")
        let H = hiddenSize
        let gates = x.matmul(weightIH) + biasIH + state.h.matmul(weightHH) + biasHH   // [B, 4H]
        let i = gates.slice(axis: 1, 0..<H).sigmoid()
        let f = gates.slice(axis: 1, H..<2 * H).sigmoid()
        let g = gates.slice(axis: 1, 2 * H..<3 * H).tanh()
        let o = gates.slice(axis: 1, 3 * H..<4 * H).sigmoid()
        let c = f * state.c + i * g
        return (o * c.tanh(), c)
    }

    /// W_ih, W_hh, b_ih, b_hh.
    public var parameters: [Variable] { [weightIH, weightHH, biasIH, biasHH] }

    /// PyTorch's names (`nn.RNNCell`, `nn.GRUCell`, `nn.LSTMCell`): weight_ih, weight_hh, bias_ih,
    /// bias_hh. The weights are stored the book's way round, [E, kH] and [H, kH], as chapter 2's
    /// `Linear` stores its weight.
    public var namedParameters: [String: Variable] {
        ["weight_ih": weightIH, "weight_hh": weightHH, "bias_ih": biasIH, "bias_hh": biasHH]
    }
}

extension Variable {
    /// A new parameter holding this variable's value transposed: PyTorch's [kH, E] draw turned
    /// into the book's [E, kH] layout, so the same seed fills the same weights either way.
    func transposedLeaf() -> Variable { Variable(value.transposed()) }
}

/// A cell's names as one layer of PyTorch's `nn.GRU` (or `nn.LSTM`, `nn.RNN`) calls them:
/// `weight_ih_l0` …, and `weight_ih_l0_reverse` … for the right-to-left direction.
func layerNames(_ names: [String: Variable], reverse: Bool = false) -> [String: Variable] {
    Dictionary(uniqueKeysWithValues: names.map { ($0.key + "_l0" + (reverse ? "_reverse" : ""), $0.value) })
}
