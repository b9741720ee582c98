/// Parameters by name: a model's *state*, as PyTorch's `state_dict` keeps it.
///
/// A model's parameters are a dictionary from a dotted path to a variable. A layer names its own
/// (`weight`, `bias`); a model puts each part's names under the part's field name, and a
/// `Sequential` under each layer's position:
///
///     Sequential([Linear(4, 3), ReLU(), Linear(3, 2)])
///         0.weight [4, 3]   0.bias [3]   2.weight [3, 2]   2.bias [2]
///
///     a model with fields `encoder` and `decoder`, each a Sequential
///         encoder.0.weight  encoder.0.bias  …  decoder.2.bias
///
/// The names are PyTorch's, so a reader can line the two up. The values are the book's: a
/// `Linear` weight is [inputs, outputs], the transpose of PyTorch's [outputs, inputs] (see
/// `Linear(pytorchWeight:bias:)`).
///
/// A model of a later chapter gives itself names in one line, from its parts:
///
/// ```swift
/// extension Autoencoder {
///     public var namedParameters: [String: Variable] {
///         namespaced(["encoder": encoder.namedParameters, "decoder": decoder.namedParameters])
///     }
/// }
/// ```
///
/// and then saves and loads its weights with ``Layer/stateDict`` and ``Layer/loadStateDict(_:)``
/// (a model that is not a `Layer` uses ``stateDict(of:)`` and ``loadStateDict(_:into:)``), for
/// example through a safetensors file.

import ScalarAutodiff

/// Each part's names under the part's name, joined by a dot: `["encoder": ["0.weight": w]]`
/// gives `["encoder.0.weight": w]`. Two parts may not produce the same name.
public func namespaced<T>(_ parts: KeyValuePairs<String, [String: T]>) -> [String: T] {
    namespaced(Array(parts))
}

/// ``namespaced(_:)-(KeyValuePairs<String,[String:T]>)`` for parts given as an array of
/// (name, names) pairs, such as a list of layers under their positions.
public func namespaced<T>(_ parts: [(String, [String: T])]) -> [String: T] {
    var result: [String: T] = [:]
    for (prefix, names) in parts {
        for (name, value) in names {
            let full = prefix.isEmpty ? name : prefix + "." + name
            require(result[full] == nil, "namespaced: two parts both define the parameter \"\(full)\"")
            result[full] = value
        }
    }
    return result
}

/// The entries of `state` under `prefix`, with the prefix and its dot removed: the inverse of
/// ``namespaced(_:)-(KeyValuePairs<String,[String:T]>)``. `entries(under: "encoder", in: state)`
/// turns `encoder.0.weight` into `0.weight` and leaves out every name outside `encoder.`.
public func entries<T>(under prefix: String, in state: [String: T]) -> [String: T] {
    let head = prefix + "."
    var result: [String: T] = [:]
    for (name, value) in state where name.hasPrefix(head) { result[String(name.dropFirst(head.count))] = value }
    return result
}

extension Layer {
    /// Positional names `0`, `1`, … in `parameters` order, for a layer that gives no names of its own.
    public var namedParameters: [String: Variable] {
        Dictionary(uniqueKeysWithValues: parameters.enumerated().map { ("\($0.offset)", $0.element) })
    }

    /// A copy of every parameter's value, by name: what a weights file holds.
    public var stateDict: [String: Tensor] { Tensors.stateDict(of: namedParameters) }

    /// Sets every parameter from `state`, which must hold exactly this layer's names, each with
    /// its parameter's shape. Throws ``StateDictError``, changing nothing, if it does not.
    public func loadStateDict(_ state: [String: Tensor]) throws {
        try Tensors.loadStateDict(state, into: namedParameters)
    }
}

/// A copy of each variable's value, by name.
public func stateDict(of parameters: [String: Variable]) -> [String: Tensor] {
    parameters.mapValues(\.value)
}

/// Sets each named variable's value from the tensor of the same name.
///
/// Every name must be in both dictionaries, and every shape must agree; otherwise nothing changes
/// and the error lists what is missing, what is unexpected and which shapes differ. With
/// `strict: false`, names on only one side are skipped (loading part of a model, as PyTorch's
/// `strict=False`); shapes must still agree.
public func loadStateDict(_ state: [String: Tensor], into parameters: [String: Variable], strict: Bool = true) throws {
    let missing = parameters.keys.filter { state[$0] == nil }.sorted()
    let unexpected = state.keys.filter { parameters[$0] == nil }.sorted()
    let mismatched = parameters.keys.sorted().compactMap { name -> String? in
        guard let tensor = state[name], let variable = parameters[name], tensor.shape != variable.shape else { return nil }
        return "\(name) is \(tensor.shape) in the state but \(variable.shape) in the model"
    }
    if !mismatched.isEmpty || (strict && !(missing.isEmpty && unexpected.isEmpty)) {
        throw StateDictError(missing: strict ? missing : [], unexpected: strict ? unexpected : [], mismatched: mismatched)
    }
    for (name, variable) in parameters {
        if let tensor = state[name] { variable.value = tensor }
    }
}

/// Why a state could not be loaded into a model.
public struct StateDictError: Error, CustomStringConvertible, Equatable {
    /// Parameters of the model that the state does not have.
    public let missing: [String]
    /// Tensors of the state that the model has no parameter for.
    public let unexpected: [String]
    /// Parameters whose shapes differ, each described.
    public let mismatched: [String]

    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty { parts.append("unexpected \(unexpected.joined(separator: ", "))") }
        if !mismatched.isEmpty {
            parts.append("shapes differ: \(mismatched.joined(separator: "; ")) (a PyTorch Linear weight is [out, in], the book's is [in, out])")
        }
        return "loadStateDict: the state does not fit the model: " + parts.joined(separator: "; ")
    }
}
