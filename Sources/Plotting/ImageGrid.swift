/// Grayscale images laid out in rows, as SVG: for example originals above reconstructions.
///
/// Pixel values are intensities, 0 white and 1 black (ink on paper), clamped to [0, 1]; a NaN
/// pixel is drawn red, so a diverged model shows up in the figure instead of stopping the demo.
/// Each image is a `<g class="image">` holding one `<rect>` per pixel, framed by a
/// `<rect class="image-border">`. Rows may hold different numbers of images.
///
/// ```swift
/// let svg = imageGrid(rows: [originals, reconstructions], side: 28,
///                     rowLabels: ["input", "output"], title: "Autoencoder, bottleneck 32")
/// try writeSVG(svg, to: "figures/chapter3-reconstructions.svg")
/// ```
///
/// - Parameters:
///   - rows: the rows of images; each image is `side · side` pixels, row-major.
///   - side: the width and height of every image, in pixels.
///   - rowLabels: empty, or one label per row, written to the left.
///   - pixelSize: the size of one image pixel in the figure.
///   - gap: the space between images.
/// - Precondition: at least one image, every image `side · side` pixels.

import ScalarAutodiff

public func imageGrid(rows: [[[Float]]], side: Int, rowLabels: [String] = [], title: String = "",
                      pixelSize: Int = 3, gap: Int = 6) -> String {
    require(side > 0, "imageGrid: side must be positive, got \(side)")
    require(pixelSize > 0 && gap >= 0, "imageGrid: pixelSize must be positive and gap non-negative")
    require(rows.contains { !$0.isEmpty }, "imageGrid needs at least one image")
    require(rowLabels.isEmpty || rowLabels.count == rows.count,
                 "imageGrid: \(rowLabels.count) row labels for \(rows.count) rows")
    for (r, row) in rows.enumerated() {
        for (c, image) in row.enumerated() {
            require(image.count == side * side,
                         "imageGrid: image \(c) of row \(r) has \(image.count) pixels, expected \(side)x\(side) = \(side * side)")
        }
    }
    let tile = Double(side * pixelSize)
    let step = tile + Double(gap)
    let left = Double(gap) + (rowLabels.isEmpty ? 0 : (rowLabels.map { estimatedWidth(of: $0) }.max() ?? 0) + 10)
    let top = Double(gap) + (title.isEmpty ? 0 : 30)
    let widest = Double(rows.map(\.count).max() ?? 0)
    let width = max(left + widest * step, Double(gap) + estimatedWidth(of: title, size: 15) + 10)
    var canvas = SVGCanvas(width: width, height: top + Double(rows.count) * step)
    canvas.text(title, x: Double(gap), y: 22, size: 15, className: "title")

    for (r, row) in rows.enumerated() {
        let y = top + Double(r) * step
        if r < rowLabels.count {
            canvas.text(rowLabels[r], x: left - 8, y: y + tile / 2 + 4, anchor: .end, size: 12, className: "row-label")
        }
        for (c, image) in row.enumerated() {
            let x = left + Double(c) * step
            canvas.raw(imageGroup(image, side: side, x: x, y: y, pixelSize: pixelSize))
            canvas.rect(x: x, y: y, width: tile, height: tile, fill: "none", stroke: "#999999",
                        className: "image-border")
        }
    }
    return canvas.document
}

/// A grid of images `columns` wide, filled row by row (the last row may be shorter).
///
/// ```swift
/// let samples: [[Float]] = ...   // 64 images sampled from a VAE's prior, 784 pixels each
/// try writeSVG(imageGrid(samples, side: 28, columns: 8, title: "Samples"), to: "figures/samples.svg")
/// ```
public func imageGrid(_ images: [[Float]], side: Int, columns: Int, title: String = "",
                      pixelSize: Int = 3, gap: Int = 6) -> String {
    require(columns > 0, "imageGrid: columns must be positive, got \(columns)")
    let rows = stride(from: 0, to: images.count, by: columns).map {
        Array(images[$0..<min($0 + columns, images.count)])
    }
    return imageGrid(rows: rows, side: side, title: title, pixelSize: pixelSize, gap: gap)
}

/// One image as a group scaled so that each pixel is a 1x1 rectangle at integer coordinates.
private func imageGroup(_ image: [Float], side: Int, x: Double, y: Double, pixelSize: Int) -> String {
    var group = "<g class=\"image\" transform=\"translate(\(svgNumber(x)) \(svgNumber(y))) scale(\(pixelSize))\" "
        + "shape-rendering=\"crispEdges\">"
    for row in 0..<side {
        for column in 0..<side {
            let value = image[row * side + column]
            let fill = value.isNaN ? "#ff0000" : grayColour(Double(value))
            group += "<rect x=\"\(column)\" y=\"\(row)\" width=\"1\" height=\"1\" fill=\"\(fill)\"/>"
        }
    }
    return group + "</g>"
}
