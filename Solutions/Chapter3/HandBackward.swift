// Chapter 3 reference answer: exercise 3.9.

import ExerciseSupport
import Tensors

/// Exercise 3.9 ★★★ — Backpropagation through an autoencoder, by hand.
public func autoencoderGradients(x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) throws
    -> (loss: Float, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) {
    let batch = Float(x.shape[0])
    // Forward, keeping what the backward pass needs.
    let a1 = x.matmul(w1) + b1
    let h = a1.relu()
    let xHat = (h.matmul(w2) + b2).sigmoid()
    let error = xHat - x
    let loss = (error * error).sum().scalar / batch
    // Backward, from the loss to the weights.
    let gradXHat = error * (2 / batch)
    let gradA2 = gradXHat * xHat * (1 - xHat)
    let gradH = gradA2.matmul(w2.transposed())
    let gradA1 = gradH * a1.map { $0 > 0 ? 1 : 0 }
    return (loss, x.transposed().matmul(gradA1), gradA1.sum(axis: 0), h.transposed().matmul(gradA2), gradA2.sum(axis: 0))
}
