import ScalarAutodiff
import Tensors

/// Cuts images into square patches, the tokens of a vision Transformer (Dosovitskiy et al.,
/// 2021, "an image is worth 16×16 words"):
///
///     images [batch, H, W]  →  patches [batch, (H/p)·(W/p), p·p]
///
/// Patches are numbered row by row over the grid, left to right then top to bottom: patch
/// r·(W/p) + c covers rows r·p ..< (r+1)·p and columns c·p ..< (c+1)·p, and its p·p pixels are
/// listed row by row. H and W must be multiples of p.
///
/// ```swift
/// patchify(images, size: 7)   // [32, 28, 84] → [32, 48, 49]: a 4 × 12 grid of 7 × 7 patches
/// ```
public func patchify(_ images: Tensor, size p: Int) -> Tensor {
    require(images.rank == 3, "patchify: expected images [batch, height, width], got shape \(images.shape)")
    let (b, h, w) = (images.shape[0], images.shape[1], images.shape[2])
    require(p > 0 && h % p == 0 && w % p == 0,
            "patchify: a \(h) × \(w) image does not cut into \(p) × \(p) patches (both sides must be multiples of \(p))")
    // [b, h/p, p, w/p, p] → [b, h/p, w/p, p, p]: the grid first, then each patch's own rows.
    return images.reshaped([b, h / p, p, w / p, p]).permuted([0, 1, 3, 2, 4]).reshaped([b, (h / p) * (w / p), p * p])
}

/// A vision Transformer in miniature: each patch is embedded linearly and given a learned
/// position, and a stack of encoder blocks (bidirectional self-attention) reads them.
///
///     xᵢ = patchᵢ · E + b + P[rᵢ, cᵢ],   tokens = LN(EncoderBlocks(x))
///
/// Positions are learned, one vector per place on a grid of up to `rows` × `columns` patches,
/// so images of different widths (2 or 3 digits side by side) share the positions they have in
/// common. The output is one vector per patch [batch, patches, d]: the "visual tokens" a text
/// decoder cross-attends to.
public struct VisionEncoder {
    public let patchSize: Int
    public let rows: Int, columns: Int
    public let embedding: Linear
    /// P, [rows · columns, d]: the learned position of every place on the grid.
    public let positions: Variable
    public let blocks: [EncoderBlock]
    public let norm: LayerNorm

    public init(patchSize: Int, rows: Int, columns: Int, dimension: Int, heads: Int, hidden: Int, layers: Int,
                dropout: Dropout, rng: inout SeededRandom) {
        require(patchSize > 0 && rows > 0 && columns > 0 && layers >= 0,
                "VisionEncoder: patchSize, rows and columns must be positive and layers non-negative, got \(patchSize), \(rows), \(columns), \(layers)")
        self.patchSize = patchSize
        self.rows = rows
        self.columns = columns
        embedding = Linear(patchSize * patchSize, dimension, rng: &rng)
        positions = Variable(Tensor.randomNormal([rows * columns, dimension], standardDeviation: 0.1, rng: &rng))
        blocks = (0..<layers).map { _ in
            EncoderBlock(dimension: dimension, heads: heads, hidden: hidden, dropout: dropout, rng: &rng)
        }
        norm = LayerNorm(dimension)
    }

    /// The grid places of an image's patches, in patchify's order: row r, column c is place
    /// r · columns + c of the position table.
    public func places(height: Int, width: Int) -> [Int] {
        let (r, c) = (height / patchSize, width / patchSize)
        require(r <= rows && c <= columns,
                "VisionEncoder: a \(height) × \(width) image has a \(r) × \(c) grid of patches, more than the \(rows) × \(columns) positions")
        return (0..<r).flatMap { i in (0..<c).map { j in i * columns + j } }
    }

    /// The embedded patches with their positions, before the encoder blocks: [batch, patches, d].
    public func embed(_ images: Tensor) -> Variable {
        let patches = patchify(images, size: patchSize)
        let place = places(height: images.shape[1], width: images.shape[2])
        return embedding(.constant(patches)) + positions.gatherRows(place)
    }

    /// The visual tokens of images [batch, H, W]: [batch, patches, d].
    public func callAsFunction(_ images: Tensor) -> Variable {
        norm(blocks.reduce(embed(images)) { h, block in block(h) })
    }

    public var parameters: [Variable] {
        embedding.parameters + [positions] + blocks.flatMap(\.parameters) + norm.parameters
    }
}
