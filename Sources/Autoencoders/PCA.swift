/// Principal component analysis: the best k-dimensional linear code for a data set.
///
/// Centre the data (subtract the mean x̄), form the d×d covariance matrix
///
///     Σ = (1/N) Σₙ (xₙ − x̄)(xₙ − x̄)ᵀ
///
/// and take its eigenvectors u₁ … u_k of the k largest eigenvalues λ₁ ≥ … ≥ λ_k. The code of x is
/// z = Uᵀ(x − x̄) (k numbers) and the reconstruction x̂ = x̄ + U z. Among all rank-k linear
/// encoders and decoders this has the smallest squared error on the data, and that error is the
/// sum of the eigenvalues left out:
///
///     (1/N) Σₙ ‖xₙ − x̂ₙ‖² = λ_{k+1} + … + λ_d
///
/// A linear autoencoder trained to its minimum finds the same subspace (Baldi and Hornik, 1989),
/// though not necessarily the same basis of it.
///
/// ```swift
/// let pca = PCA(train.images, components: 8)
/// pca.reconstructionMSE(test.images)     // compare with a linear autoencoder of width 8
/// ```

import ScalarAutodiff

public struct PCA: Sendable {
    /// The mean image x̄.
    public let mean: [Double]
    /// The principal directions u₁ … u_k, as unit rows (k × d), largest variance first.
    public let components: Matrix
    /// Every eigenvalue of the covariance, largest first (all d of them): the variance along each
    /// principal direction.
    public let variances: [Double]

    /// Fits PCA with `components` directions to the rows of `data`.
    public init(_ data: [[Float]], components k: Int) {
        require(!data.isEmpty, "PCA: no data")
        let d = data[0].count
        require(k > 0 && k <= d, "PCA: components must be in 1...\(d), got \(k)")
        let covariance = covarianceMatrix(data)
        let (values, vectors) = symmetricEigen(covariance.matrix)
        mean = covariance.mean
        components = Array(vectors.prefix(k))
        variances = values
    }

    /// z = Uᵀ(x − x̄): the k coordinates of x along the principal directions.
    public func encode(_ x: [Float]) -> [Double] {
        require(x.count == mean.count, "PCA.encode: the input has \(x.count) values, the data had \(mean.count)")
        let centred = x.indices.map { Double(x[$0]) - mean[$0] }
        return components.map { dot($0, centred) }
    }

    /// x̂ = x̄ + U z.
    public func decode(_ z: [Double]) -> [Double] {
        require(z.count == components.count, "PCA.decode: the code has \(z.count) values, expected \(components.count)")
        var x = mean
        for (coefficient, u) in zip(z, components) {
            for i in x.indices { x[i] += coefficient * u[i] }
        }
        return x
    }

    /// The per-pixel mean squared error of x̂ = decode(encode(x)) over `data`:
    /// (1/(N·d)) Σₙ ‖xₙ − x̂ₙ‖².
    public func reconstructionMSE(_ data: [[Float]]) -> Double {
        require(!data.isEmpty, "PCA.reconstructionMSE: no data")
        var total = 0.0
        for x in data {
            let xHat = decode(encode(x))
            for i in x.indices { total += (Double(x[i]) - xHat[i]) * (Double(x[i]) - xHat[i]) }
        }
        return total / Double(data.count * mean.count)
    }
}

/// The mean x̄ and covariance Σ = (1/N) Σₙ (xₙ − x̄)(xₙ − x̄)ᵀ of the rows of `data`, in Double.
public func covarianceMatrix(_ data: [[Float]]) -> (mean: [Double], matrix: Matrix) {
    require(!data.isEmpty, "covarianceMatrix: no data")
    let d = data[0].count
    require(data.allSatisfy { $0.count == d }, "covarianceMatrix: rows have different lengths")
    var mean = [Double](repeating: 0, count: d)
    for x in data { for i in 0..<d { mean[i] += Double(x[i]) } }
    mean = mean.map { $0 / Double(data.count) }
    var sigma = [Double](repeating: 0, count: d * d)
    var centred = [Double](repeating: 0, count: d)
    for x in data {
        for i in 0..<d { centred[i] = Double(x[i]) - mean[i] }
        for i in 0..<d where centred[i] != 0 {
            for j in i..<d { sigma[i * d + j] += centred[i] * centred[j] }
        }
    }
    var matrix = Matrix(repeating: [Double](repeating: 0, count: d), count: d)
    for i in 0..<d {
        for j in i..<d {
            let value = sigma[i * d + j] / Double(data.count)
            matrix[i][j] = value
            matrix[j][i] = value
        }
    }
    return (mean, matrix)
}
