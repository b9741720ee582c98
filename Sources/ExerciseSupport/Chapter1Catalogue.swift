extension Catalogue {
    /// Chapter 1: scalar reverse-mode autodiff.
    static let chapter1: [Exercise] = [
        Exercise("1.1", "The product node", stars: 1, points: 5,
                 hint: "A node stores its inputs and ∂out/∂input for each. For a·b those are b.data and a.data."),
        Exercise("1.2", "The sigmoid node", stars: 1, points: 5,
                 hint: "σ'(x) = σ(x)(1 − σ(x)). For x < 0 compute eˣ/(1 + eˣ) so that e⁻ˣ cannot overflow."),
        Exercise("1.3", "Central differences", stars: 2, points: 10,
                 hint: "Nudge one coordinate at a time by +h and −h, keep the others fixed, and divide the difference of f by 2h."),
        Exercise("1.4", "Topological order", stars: 2, points: 10,
                 hint: "Depth-first search with a stack of (node, inputsDone) pairs: push a node back with inputsDone = true before pushing its inputs, and append it to the order when it comes off the stack the second time."),
        Exercise("1.5", "The backward pass", stars: 2, points: 10,
                 hint: "Seed root.grad = 1, walk the topological order backwards, and for each input do input.grad += localDerivative * node.grad (+=, not =)."),
        Exercise("1.6", "A tanh neuron", stars: 2, points: 10,
                 hint: "Start from the bias, add each wᵢ * xᵢ with the Value operators, then call .tanh() on the sum."),
        Exercise("1.7", "Train an MLP on XOR", stars: 3, points: 15,
                 hint: "Repeat: forward all four points, meanSquaredError, zeroGradients, backward, gradientDescentStep. A learning rate around 0.05 and a few hundred steps are enough."),
    ]
}
