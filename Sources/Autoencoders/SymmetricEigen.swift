import Foundation
import ScalarAutodiff

/// A square matrix of Doubles, row-major: the small linear algebra of this chapter (covariances,
/// PCA, principal angles) works in Double precision, where a 64×64 problem is instant and exact
/// enough to compare subspaces.
public typealias Matrix = [[Double]]

/// The eigenvalues and eigenvectors of a symmetric matrix A, by the cyclic Jacobi method:
///
///     A = V · diag(λ) · Vᵀ,    λ₁ ≥ λ₂ ≥ … ≥ λₙ
///
/// Jacobi repeatedly picks an off-diagonal entry a_pq and rotates rows and columns p and q by the
/// angle θ that zeroes it,
///
///     tan 2θ = 2·a_pq / (a_qq − a_pp)
///
/// Each rotation is orthogonal, so the eigenvalues never change, and the sum of squares off the
/// diagonal strictly falls; after a handful of sweeps over all pairs the matrix is diagonal to
/// rounding error. The product of the rotations is V. It is slower than the QR algorithm on big
/// matrices and simpler than it on small ones, which is all this chapter needs.
///
/// - Returns: the eigenvalues in decreasing order, and the matching unit eigenvectors as the
///   *rows* of `vectors` (vectors[i] belongs to values[i]).
///
/// ```swift
/// let (values, vectors) = symmetricEigen([[2, 1], [1, 2]])
/// // values ≈ [3, 1], vectors ≈ [[0.707, 0.707], [-0.707, 0.707]] (up to sign)
/// ```
public func symmetricEigen(_ matrix: Matrix, tolerance: Double = 1e-12, maximumSweeps: Int = 100)
    -> (values: [Double], vectors: Matrix) {
    let n = matrix.count
    require(matrix.allSatisfy { $0.count == n }, "symmetricEigen: the matrix is not square (\(n) rows, row lengths \(Set(matrix.map(\.count)).sorted()))")
    for i in 0..<n {
        for j in 0..<i where abs(matrix[i][j] - matrix[j][i]) > 1e-9 * max(1, abs(matrix[i][j])) {
            fatalError("symmetricEigen: the matrix is not symmetric: a[\(i)][\(j)] = \(matrix[i][j]) but a[\(j)][\(i)] = \(matrix[j][i])")
        }
    }
    var a = matrix.flatMap { $0 }
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    let scale = max(a.reduce(0) { $0 + $1 * $1 }, .leastNormalMagnitude)

    for _ in 0..<maximumSweeps {
        var offDiagonal = 0.0
        for p in 0..<n { for q in 0..<n where p != q { offDiagonal += a[p * n + q] * a[p * n + q] } }
        if offDiagonal <= tolerance * tolerance * scale { break }
        for p in 0..<(n - 1) {
            for q in (p + 1)..<n where a[p * n + q] != 0 {
                // The rotation (c, s) that zeroes a_pq, using the smaller root for stability.
                let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<n {  // columns p and q: A ← A·J
                    let akp = a[k * n + p], akq = a[k * n + q]
                    a[k * n + p] = c * akp - s * akq
                    a[k * n + q] = s * akp + c * akq
                }
                for k in 0..<n {  // rows p and q: A ← Jᵀ·A
                    let apk = a[p * n + k], aqk = a[q * n + k]
                    a[p * n + k] = c * apk - s * aqk
                    a[q * n + k] = s * apk + c * aqk
                }
                for k in 0..<n {  // V ← V·J
                    let vkp = v[k * n + p], vkq = v[k * n + q]
                    v[k * n + p] = c * vkp - s * vkq
                    v[k * n + q] = s * vkp + c * vkq
                }
            }
        }
    }
    let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] }
    let values = order.map { a[$0 * n + $0] }
    let vectors = order.map { column in (0..<n).map { v[$0 * n + column] } }
    return (values, vectors)
}

/// Orthonormal rows spanning the same space as the rows of `basis`, by modified Gram-Schmidt (the
/// Q of a QR factorisation of basisᵀ). Rows that are (numerically) combinations of earlier rows
/// are dropped.
public func orthonormalRows(_ basis: Matrix) -> Matrix {
    var result: Matrix = []
    for row in basis {
        var r = row
        for q in result {
            let projection = dot(r, q)
            for i in r.indices { r[i] -= projection * q[i] }
        }
        let norm = dot(r, r).squareRoot()
        let scale = dot(row, row).squareRoot()
        if norm > 1e-10 * max(scale, 1e-300) { result.append(r.map { $0 / norm }) }
    }
    return result
}

/// u · v = Σᵢ uᵢvᵢ.
public func dot(_ u: [Double], _ v: [Double]) -> Double {
    require(u.count == v.count, "dot: vectors of lengths \(u.count) and \(v.count)")
    var total = 0.0
    for i in u.indices { total += u[i] * v[i] }
    return total
}
