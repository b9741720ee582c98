import ScalarAutodiff
import Tensors

// Chapter 7's layers from PyTorch weights, by PyTorch's names (a state dict, for example read
// from a safetensors file with `Safetensors.read`):
//
//     nn.MultiheadAttention        in_proj_weight [3d, d], in_proj_bias, out_proj.weight, out_proj.bias
//     nn.TransformerEncoderLayer   self_attn.*, linear1.*, linear2.*, norm1.*, norm2.*
//     nn.TransformerDecoderLayer   self_attn.*, multihead_attn.*, linear1.*, linear2.*, norm1.*, norm2.*, norm3.*
//
// PyTorch's `norm_first` is the book's `normFirst` (PyTorch's default is false, post-norm), and
// its `activation` "relu" or "gelu" the feed-forward network's. Its masks take true = blocked,
// the book's convention, so a `key_padding_mask` of shape [batch, t_k] is the book's padding
// mask reshaped to [batch, 1, 1, t_k].

/// A weight PyTorch's layer has and the state dict lacks, or has with the wrong shape.
public struct PyTorchWeightsError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// The tensor `prefix + name` of a state dict, with the expected shape.
func pytorchTensor(_ state: [String: Tensor], _ prefix: String, _ name: String, shape: [Int]) throws -> Tensor {
    let key = prefix + name
    guard let tensor = state[key] else {
        let near = state.keys.filter { $0.hasPrefix(prefix) }.sorted().prefix(8)
        throw PyTorchWeightsError(description: "no tensor \"\(key)\" in the weights (those under \"\(prefix)\": \(near.isEmpty ? "none" : near.joined(separator: ", ")))")
    }
    guard tensor.shape == shape else {
        throw PyTorchWeightsError(description: "\"\(key)\" has shape \(tensor.shape), expected \(shape)")
    }
    return tensor
}

extension MultiHeadAttention {
    /// An `nn.MultiheadAttention` of width `dimension` with `heads` heads, its tensors named under
    /// `prefix` (for example `"self_attn."`).
    public init(pytorch state: [String: Tensor], prefix: String = "", dimension d: Int, heads: Int) throws {
        self.init(heads: heads,
                  inProjWeight: try pytorchTensor(state, prefix, "in_proj_weight", shape: [3 * d, d]),
                  inProjBias: try pytorchTensor(state, prefix, "in_proj_bias", shape: [3 * d]),
                  outProjWeight: try pytorchTensor(state, prefix, "out_proj.weight", shape: [d, d]),
                  outProjBias: try pytorchTensor(state, prefix, "out_proj.bias", shape: [d]))
    }
}

extension FeedForward {
    /// PyTorch's `linear1` [d_ff, d] and `linear2` [d, d_ff], under `prefix`.
    init(pytorch state: [String: Tensor], prefix: String, dimension d: Int, hidden: Int, activation: Activation) throws {
        self.init(first: Linear(pytorchWeight: try pytorchTensor(state, prefix, "linear1.weight", shape: [hidden, d]),
                                bias: try pytorchTensor(state, prefix, "linear1.bias", shape: [hidden])),
                  second: Linear(pytorchWeight: try pytorchTensor(state, prefix, "linear2.weight", shape: [d, hidden]),
                                 bias: try pytorchTensor(state, prefix, "linear2.bias", shape: [d])),
                  activation: activation)
    }
}

extension LayerNorm {
    /// PyTorch's `nn.LayerNorm` weight (γ) and bias (β) named `name` under `prefix`.
    init(pytorch state: [String: Tensor], prefix: String, name: String, dimension d: Int, epsilon: Float) throws {
        self.init(gamma: try pytorchTensor(state, prefix, name + ".weight", shape: [d]),
                  beta: try pytorchTensor(state, prefix, name + ".bias", shape: [d]), epsilon: epsilon)
    }
}

extension EncoderBlock {
    /// An `nn.TransformerEncoderLayer(d, heads, d_ff, norm_first: normFirst, activation: …)` from
    /// its state dict, tensors named under `prefix`. Dropout is off.
    public init(pytorch state: [String: Tensor], prefix: String = "", dimension d: Int, heads: Int, hidden: Int,
                normFirst: Bool, activation: FeedForward.Activation = .relu, epsilon: Float = 1e-5) throws {
        self.init(selfAttention: try MultiHeadAttention(pytorch: state, prefix: prefix + "self_attn.", dimension: d, heads: heads),
                  feedForward: try FeedForward(pytorch: state, prefix: prefix, dimension: d, hidden: hidden, activation: activation),
                  norm1: try LayerNorm(pytorch: state, prefix: prefix, name: "norm1", dimension: d, epsilon: epsilon),
                  norm2: try LayerNorm(pytorch: state, prefix: prefix, name: "norm2", dimension: d, epsilon: epsilon),
                  normFirst: normFirst)
    }
}

extension DecoderBlock {
    /// An `nn.TransformerDecoderLayer(d, heads, d_ff, norm_first: normFirst, activation: …)` from
    /// its state dict, tensors named under `prefix`. Dropout is off.
    public init(pytorch state: [String: Tensor], prefix: String = "", dimension d: Int, heads: Int, hidden: Int,
                normFirst: Bool, activation: FeedForward.Activation = .relu, epsilon: Float = 1e-5) throws {
        self.init(selfAttention: try MultiHeadAttention(pytorch: state, prefix: prefix + "self_attn.", dimension: d, heads: heads),
                  crossAttention: try MultiHeadAttention(pytorch: state, prefix: prefix + "multihead_attn.", dimension: d, heads: heads),
                  feedForward: try FeedForward(pytorch: state, prefix: prefix, dimension: d, hidden: hidden, activation: activation),
                  norms: (try LayerNorm(pytorch: state, prefix: prefix, name: "norm1", dimension: d, epsilon: epsilon),
                          try LayerNorm(pytorch: state, prefix: prefix, name: "norm2", dimension: d, epsilon: epsilon),
                          try LayerNorm(pytorch: state, prefix: prefix, name: "norm3", dimension: d, epsilon: epsilon)),
                  normFirst: normFirst)
    }
}
