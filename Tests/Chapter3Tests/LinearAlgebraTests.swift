import Autoencoders
import Datasets
import Foundation
import ScalarAutodiff
import Testing

/// The chapter's small linear algebra: Jacobi eigendecomposition, PCA and principal angles.
@Suite("Chapter 3: PCA and principal angles")
struct Chapter3LinearAlgebraTests {
    @Test("Jacobi: [[2, 1], [1, 2]] has eigenvalues 3 and 1 with eigenvectors (1, 1)/√2 and (1, −1)/√2")
    func twoByTwo() {
        let (values, vectors) = symmetricEigen([[2, 1], [1, 2]])
        #expect(abs(values[0] - 3) < 1e-12 && abs(values[1] - 1) < 1e-12)
        #expect(abs(abs(vectors[0][0]) - 0.5.squareRoot()) < 1e-12 && abs(vectors[0][0] - vectors[0][1]) < 1e-12)
        #expect(abs(vectors[1][0] + vectors[1][1]) < 1e-12)
    }

    @Test("Jacobi on a random symmetric 12×12: A = V diag(λ) Vᵀ with orthonormal V, λ sorted")
    func randomSymmetric() {
        var rng = SeededRandom(seed: 21)
        let n = 12
        var a = Matrix(repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n { for j in 0...i { a[i][j] = rng.normal(); a[j][i] = a[i][j] } }
        let (values, vectors) = symmetricEigen(a)
        #expect(values == values.sorted(by: >))
        for i in 0..<n {
            for j in 0..<n {
                let rebuilt = (0..<n).reduce(0.0) { $0 + vectors[$1][i] * values[$1] * vectors[$1][j] }
                #expect(abs(rebuilt - a[i][j]) < 1e-9)
                #expect(abs(dot(vectors[i], vectors[j]) - (i == j ? 1 : 0)) < 1e-9)
            }
        }
    }

    @Test("Gram-Schmidt keeps the span and drops a dependent row")
    func orthonormalisation() {
        let q = orthonormalRows([[3, 0, 4], [6, 0, 8], [1, 1, 0]])
        #expect(q.count == 2)
        #expect(abs(dot(q[0], q[0]) - 1) < 1e-12 && abs(dot(q[1], q[1]) - 1) < 1e-12 && abs(dot(q[0], q[1])) < 1e-12)
    }

    @Test("Principal angles: the xy-plane vs span{(1, 1, 0), (0, 0, 1)} is [0, 90°]; a plane tilted by 30° is [0, 30°]")
    func principalAngleExamples() {
        let angles = principalAngles([[1, 0, 0], [0, 1, 0]], [[1, 1, 0], [0, 0, 1]])
        #expect(abs(angles[0]) < 1e-7 && abs(degrees(angles[1]) - 90) < 1e-7, "\(angles)")
        let tilt = 30 * Double.pi / 180
        let tilted = principalAngles([[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0, cos(tilt), sin(tilt)]])
        #expect(abs(tilted[0]) < 1e-7 && abs(degrees(tilted[1]) - 30) < 1e-7, "\(tilted)")
        // The basis does not matter, only the subspace.
        let same = principalAngles([[1, 0, 0], [0, 1, 0]], [[2, 3, 0], [-1, 5, 0]])
        #expect(same.allSatisfy { abs($0) < 1e-7 }, "\(same)")
    }

    @Test("PCA's training error is the sum of the eigenvalues it leaves out, divided by d")
    func pcaErrorIsDiscardedVariance() throws {
        let images = Array(try Digits.load().images.prefix(400))
        for k in [1, 5, 20] {
            let pca = PCA(images, components: k)
            let discarded = pca.variances.dropFirst(k).reduce(0, +) / 64
            #expect(abs(pca.reconstructionMSE(images) - discarded) < 1e-9, "k = \(k)")
            #expect(abs(dot(pca.components[0], pca.components[k - 1]) - (k == 1 ? 1 : 0)) < 1e-9)
        }
    }

    /// The same numbers come out of NumPy's eigh in Tools/chapter3_pca_oracle.py, an independent
    /// check of the Jacobi code.
    @Test("The chapter's PCA numbers on the test digits: 0.05356, 0.03809, 0.02394, 0.01098, 0.00254; mean image 0.07435")
    func digitsPCANumbers() throws {
        let (train, test) = try Digits.load().split()
        let expected: [Int: Double] = [2: 0.05356, 4: 0.03809, 8: 0.02394, 16: 0.01098, 32: 0.00254]
        for (k, mse) in expected {
            let got = PCA(train.images, components: k).reconstructionMSE(test.images)
            #expect(abs(got - mse) < 5e-6, "PCA with \(k) components: \(got)")
        }
        #expect(abs(meanImageMSE(test.images, reference: train.images) - 0.07435) < 5e-6)
        let variances = PCA(train.images, components: 1).variances
        #expect(abs(variances[0] - 0.7045) < 1e-4 && abs(variances[1] - 0.6315) < 1e-4,
                "the two largest variances of the training digits: \(variances.prefix(2))")
    }
}
