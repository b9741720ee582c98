import Foundation
import ScalarAutodiff
import Tensors

/// The principal angles between two subspaces of ℝᵈ, smallest first, in radians.
///
/// Give each subspace as rows that span it (they need not be orthonormal). With Q₁ and Q₂
/// orthonormal bases (k₁ and k₂ rows), the cosines of the angles are the singular values of
/// M = Q₁Q₂ᵀ (Björck and Golub, 1973):
///
///     cos θᵢ = σᵢ(M),    θᵢ = arccos σᵢ,   i = 1 … min(k₁, k₂)
///
/// The σᵢ² are the eigenvalues of the small symmetric matrix M·Mᵀ (k₁×k₁), found with
/// ``symmetricEigen(_:tolerance:maximumSweeps:)``. All angles 0 means the subspaces are the
/// same; an angle of π/2 means some direction of one is orthogonal to all of the other. Unlike
/// comparing weights, this ignores which basis each model happened to pick.
///
/// ```swift
/// principalAngles([[1, 0, 0], [0, 1, 0]], [[1, 1, 0], [0, 0, 1]])   // [0, π/2]
/// ```
public func principalAngles(_ a: Matrix, _ b: Matrix) -> [Double] {
    require(!a.isEmpty && !b.isEmpty, "principalAngles: both subspaces need at least one spanning row")
    require(a[0].count == b[0].count,
                 "principalAngles: the subspaces live in spaces of different dimension, \(a[0].count) and \(b[0].count)")
    let q1 = orthonormalRows(a), q2 = orthonormalRows(b)
    let m = q1.map { u in q2.map { v in dot(u, v) } }                 // k₁ × k₂
    let mmT = m.map { u in m.map { v in dot(u, v) } }                 // k₁ × k₁
    let squaredCosines = symmetricEigen(mmT).values.prefix(min(q1.count, q2.count))
    return squaredCosines.map { acos(min(1, max(0, $0).squareRoot())) }.sorted()
}

/// The subspace a linear decoder writes into: the rows of its weight matrix W_dec (k × d), since
/// x̂ = z·W_dec + b lies in b + span(rows of W_dec). For a deeper decoder this is the last
/// Linear layer's weight.
public func decoderSubspace(_ model: Autoencoder) -> Matrix {
    guard let last = model.decoder.layers.last(where: { $0 is Linear }) as? Linear else {
        fatalError("decoderSubspace: the decoder has no Linear layer")
    }
    let w = last.weight.value
    return (0..<w.shape[0]).map { row in (0..<w.shape[1]).map { Double(w.scalars[row * w.shape[1] + $0]) } }
}

/// Degrees from radians, for printing angles.
public func degrees(_ radians: Double) -> Double { radians * 180 / Double.pi }
