extension Catalogue {
    /// Chapter 1: scalar reverse-mode autodiff.
    static let chapter1: [Exercise] = [
        Exercise("1.1", "The product node", stars: 1, api: ["product"],
                 hints: [
                    "Section 1.1: a node keeps its inputs and, for each, the local derivative ∂out/∂input.",
                    "For out = a·b, how much does out move when a moves by a little, with b held still? And the other way round?",
                    "Value(a.data * b.data, op: \"*\", lhs: a, ∂out/∂a, rhs: b, ∂out/∂b), where ∂out/∂a = b.data and ∂out/∂b = a.data.",
                 ]),
        Exercise("1.2", "The sigmoid node", stars: 1, api: ["sigmoidNode"], forbidden: ["sigmoid"],
                 hints: [
                    "Section 1.1's one-input nodes: Value(_:op:input:derivative:) takes the value and one local derivative.",
                    "σ'(x) can be written with σ(x) itself: σ'(x) = σ(x)(1 − σ(x)). Compute σ(x) once and reuse it.",
                    "For x ≥ 0 use 1 / (1 + e⁻ˣ); for x < 0 use eˣ / (1 + eˣ), so the exponent is never large and positive.",
                 ]),
        Exercise("1.3", "Central differences", stars: 2, api: ["centralDifferences"], forbidden: ["numericalGradient"],
                 hints: [
                    "Section 1.5: a derivative is a slope, and a slope can be measured with two nearby points.",
                    "Move one coordinate at a time, by +h and by −h, keeping the others where they are; the two points are 2h apart.",
                    "Entry i is (f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h). A one-sided (f(x + h) − f(x)) / h has an O(h) error instead of O(h²).",
                 ]),
        Exercise("1.4", "Topological order", stars: 2, api: ["topologicalSort"], forbidden: ["topologicalOrder"],
                 hints: [
                    "Section 1.2: backward() needs every node after all of its inputs, each node once. That is a depth-first search.",
                    "Recursion uses the call stack, which a graph 200,000 nodes deep overflows. Keep your own stack in an array, and a set of nodes already seen (ObjectIdentifier).",
                    "Push (node, inputsDone: false). When you pop one with inputsDone false and unseen: mark it seen, push it back with inputsDone true, then push its unseen inputs. Pop with inputsDone true: append it to the order.",
                 ]),
        Exercise("1.5", "The backward pass", stars: 2, api: ["backpropagate"], forbidden: ["backward"],
                 hints: [
                    "Section 1.2: the chain rule, applied node by node from the root back to the leaves.",
                    "∂root/∂root = 1. Walk the topological order backwards; a node's grad is complete when you reach it, so pass it on to its inputs.",
                    "root.grad = 1; for node in root.topologicalOrder().reversed(): lhs.grad += node.lhsDerivative * node.grad, and the same for rhs. It must be +=: a node used twice collects from both uses.",
                 ]),
        Exercise("1.6", "A tanh neuron", stars: 2, api: ["neuron"], forbidden: ["Neuron", "Layer", "MLP"],
                 hints: [
                    "Section 1.3 and worked example B: a neuron is a weighted sum, a bias and a squashing function.",
                    "Build the sum with the Value operators (+ and *), so that every weight, input and the bias become nodes of the graph.",
                    "Start from the bias, add each wᵢ * xᵢ, then call .tanh() on the total.",
                 ]),
        Exercise("1.7", "Train an MLP on XOR", stars: 3, api: ["trainXOR"],
                 hints: [
                    "Section 1.4: training is a loop of forward pass, loss, backward pass and a small step against the gradient.",
                    "Each step: predictions for all four points, meanSquaredError, then zero the gradients before backward() (they add up otherwise), then gradientDescentStep.",
                    "MLP(inputs: 2, layerSizes: [8, 1], rng: &rng); a learning rate of 0.05 and a few hundred steps reach MSE < 0.01. The step is θ ← θ − lr·∂L/∂θ.",
                 ]),
    ]
}
