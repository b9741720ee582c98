import Foundation
import ScalarAutodiff

/// A heatmap of a matrix, with row and column labels and a colour scale, as SVG.
///
/// Each cell becomes one `<rect class="cell">` coloured by ``sequentialColour(_:)`` of
/// (value − low) / (high − low), with a tooltip giving its row, column and value. The colour
/// range is `range` if given (use `0...1` for attention weights), otherwise the smallest to the
/// largest finite value. NaN and infinite cells are drawn grey, not skipped, so the grid stays
/// whole. Column labels are written at the top, slanted; row labels on the left.
///
/// Chapter 6 draws attention alignments with it: one row per output token, one column per
/// source token, cell (t, j) = αₜ,ⱼ.
///
/// ```swift
/// let svg = heatmap(alphas, rowLabels: ["je", "suis", "<eos>"],
///                   columnLabels: ["I", "am", "<eos>"], title: "Luong dot attention",
///                   range: 0...1, showValues: true)
/// try writeSVG(svg, to: "figures/chapter6-alignment.svg")
/// ```
///
/// - Precondition: a non-empty rectangular matrix; label arrays empty or one label per
///   row/column; a non-empty `range`.
public func heatmap<T: BinaryFloatingPoint>(
    _ values: [[T]], rowLabels: [String] = [], columnLabels: [String] = [], title: String = "",
    range: ClosedRange<Double>? = nil, showValues: Bool = false, cellSize: Double = 32
) -> String {
    require(!values.isEmpty && !values[0].isEmpty, "heatmap needs a non-empty matrix")
    let rows = values.count
    let columns = values[0].count
    for (index, row) in values.enumerated() {
        require(row.count == columns,
                     "heatmap: row \(index) has \(row.count) values but row 0 has \(columns); the matrix must be rectangular")
    }
    require(rowLabels.isEmpty || rowLabels.count == rows,
                 "heatmap: \(rowLabels.count) row labels for \(rows) rows")
    require(columnLabels.isEmpty || columnLabels.count == columns,
                 "heatmap: \(columnLabels.count) column labels for \(columns) columns")
    require(cellSize > 0, "heatmap: cellSize must be positive, got \(cellSize)")
    let matrix = values.map { $0.map { Double($0) } }
    let finite = matrix.joined().filter(\.isFinite)
    let low = range?.lowerBound ?? finite.min() ?? 0
    var high = range?.upperBound ?? finite.max() ?? 1
    require(low.isFinite && high.isFinite, "heatmap: range must be finite, got \(low)...\(high)")
    if high <= low { high = low + 1 }

    // Layout: title, slanted column labels, grid, colour bar and its labels.
    let rowLabelWidth = (rowLabels.map { estimatedWidth(of: $0) }.max() ?? 0) + 10
    let columnLabelHeight = (columnLabels.map { estimatedWidth(of: $0) }.max() ?? 0) * 0.71 + 12
    let left = 10 + rowLabelWidth
    let top = (title.isEmpty ? 10 : 40) + columnLabelHeight
    let gridWidth = Double(columns) * cellSize
    let gridHeight = Double(rows) * cellSize
    let barLeft = left + gridWidth + 20
    let barHeight = max(gridHeight, 60)
    let width = max(barLeft + 14 + 60, left + estimatedWidth(of: title, size: 15) + 10)
    var canvas = SVGCanvas(width: width, height: top + barHeight + 12)
    canvas.text(title, x: 10, y: 24, size: 15, className: "title")

    for (r, row) in matrix.enumerated() {
        for (c, value) in row.enumerated() {
            let t = (value - low) / (high - low)
            let rowName = r < rowLabels.count ? rowLabels[r] : String(r)
            let columnName = c < columnLabels.count ? columnLabels[c] : String(c)
            let x = left + Double(c) * cellSize
            let y = top + Double(r) * cellSize
            canvas.rect(x: x, y: y, width: cellSize, height: cellSize,
                        fill: value.isFinite ? sequentialColour(t) : "#9e9e9e", stroke: "white",
                        className: "cell", tooltip: "\(rowName), \(columnName): \(String(format: "%.4g", value))")
            if showValues {
                canvas.text(value.isFinite ? String(format: "%.2f", value) : "NaN",
                            x: x + cellSize / 2, y: y + cellSize / 2 + 4, anchor: .middle,
                            size: min(11, cellSize / 3), fill: t > 0.55 ? "white" : "black", className: "value")
            }
        }
    }
    for (r, label) in rowLabels.enumerated() {
        canvas.text(label, x: left - 6, y: top + (Double(r) + 0.5) * cellSize + 4, anchor: .end,
                    size: 12, className: "row-label")
    }
    for (c, label) in columnLabels.enumerated() {
        let x = left + (Double(c) + 0.5) * cellSize
        canvas.text(label, x: x, y: top - 6, size: 12, rotation: -45, className: "column-label")
    }

    // The colour scale: a gradient bar from low (bottom) to high (top).
    canvas.verticalGradient(id: "colour-scale",
                            stops: stride(from: 0.0, through: 1.0, by: 0.25).map { ($0, sequentialColour($0)) })
    canvas.rect(x: barLeft, y: top, width: 14, height: barHeight, fill: "url(#colour-scale)", stroke: "#333333",
                className: "colour-scale")
    for (fraction, value) in [(0.0, low), (0.5, (low + high) / 2), (1.0, high)] {
        canvas.text(String(format: "%.3g", value), x: barLeft + 20, y: top + barHeight * (1 - fraction) + 4,
                    size: 11, className: "scale-label")
    }
    return canvas.document
}
