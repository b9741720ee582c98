import ScalarAutodiff

/// A histogram as SVG: one bar per bin, from `binEdges[i]` to `binEdges[i + 1]`, as high as
/// `counts[i]`, on ticked axes. Each bar is a `<rect class="bar">` whose tooltip gives its
/// range and count.
///
/// ```swift
/// // Scores of a class in bins of 10 points, from 0 to 100.
/// let svg = histogram(counts: [1, 0, 2, 3, 5, 8, 6, 3, 1, 1], binEdges: Array(stride(from: 0.0, through: 100, by: 10)),
///                     title: "Scores", xLabel: "points", yLabel: "students")
/// ```
///
/// - Precondition: one more edge than counts, edges increasing, no negative count.
public func histogram(counts: [Int], binEdges: [Double], title: String = "", xLabel: String = "", yLabel: String = "",
                      width: Int = 640, height: Int = 400) -> String {
    require(!counts.isEmpty, "histogram needs at least one bin")
    require(binEdges.count == counts.count + 1,
            "histogram: \(counts.count) counts need \(counts.count + 1) bin edges, got \(binEdges.count)")
    require(zip(binEdges, binEdges.dropFirst()).allSatisfy { $0 < $1 }, "histogram: bin edges must increase, got \(binEdges)")
    require(counts.allSatisfy { $0 >= 0 }, "histogram: counts must not be negative, got \(counts)")
    var canvas = SVGCanvas(width: Double(width), height: Double(height))
    let frame = PlotFrame(width: Double(width), height: Double(height))
    let xAxis = Axis.linear(covering: [binEdges.first!, binEdges.last!], pixels: (frame.left, frame.right))
    let yAxis = Axis.linear(covering: [0, Double(max(1, counts.max()!))], pixels: (frame.bottom, frame.top))
    drawAxes(on: &canvas, frame: frame, x: xAxis, y: yAxis, title: title, xLabel: xLabel, yLabel: yLabel)
    for (index, count) in counts.enumerated() {
        let left = xAxis.position(binEdges[index]), right = xAxis.position(binEdges[index + 1])
        let top = yAxis.position(Double(count)), base = yAxis.position(0)
        canvas.rect(x: left + 1, y: top, width: max(0, right - left - 2), height: max(0, base - top),
                    fill: categoricalColours[0], className: "bar",
                    tooltip: "\(tickLabel(binEdges[index]))–\(tickLabel(binEdges[index + 1])): \(count)")
    }
    return canvas.document
}
