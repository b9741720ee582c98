/// One named line of a ``linePlot(_:title:xLabel:yLabel:logY:width:height:)``: y against x.
///
/// ```swift
/// let train = Series("train", y: [2.3, 1.2, 0.8, 0.6])          // x = 1, 2, 3, 4
/// let widths = Series("error", x: [2, 4, 8, 16, 32], y: [0.09, 0.07, 0.05, 0.03, 0.02])
/// ```

import ScalarAutodiff

public struct Series: Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]

    /// A series with explicit x values; `x` and `y` must have the same length.
    public init<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(_ name: String, x: [X], y: [Y]) {
        require(x.count == y.count,
                     "Series \"\(name)\": x has \(x.count) values but y has \(y.count)")
        self.name = name
        self.x = x.map { Double($0) }
        self.y = y.map { Double($0) }
    }

    /// A series whose x values are the step numbers 1, 2, …, n (epochs count from 1).
    public init<Y: BinaryFloatingPoint>(_ name: String, y: [Y]) {
        self.init(name, x: (0..<y.count).map { Double($0 + 1) }, y: y)
    }
}

/// A line plot of one or more series, with ticked axes, grid lines and a legend, as SVG.
///
/// Each series becomes one `<path class="series">`. Points that cannot be drawn, a NaN or
/// infinite x or y, or a y ≤ 0 on a logarithmic axis, are skipped, and the line breaks there
/// rather than joining across the gap, so a loss that blew up shows as a line that stops.
/// The axes cover the drawable points, rounded out to round numbers (powers of ten with `logY`).
///
/// ```swift
/// let svg = linePlot([Series("train", y: trainLosses), Series("test", y: testLosses)],
///                    title: "Autoencoder loss", xLabel: "epoch", yLabel: "MSE", logY: true)
/// try writeSVG(svg, to: "figures/chapter3-loss.svg")
/// ```
///
/// With `legendOutside` the legend sits to the right of the plot area, as in `scatterPlot`, so it
/// cannot hide lines that run along the top right (accuracies at 100 %, for example).
///
/// - Precondition: at least one series.
public func linePlot(_ series: [Series], title: String = "", xLabel: String = "", yLabel: String = "",
                     logY: Bool = false, width: Int = 640, height: Int = 400, legendOutside: Bool = false) -> String {
    require(!series.isEmpty, "linePlot needs at least one series")
    var canvas = SVGCanvas(width: Double(width), height: Double(height))
    let entries = series.enumerated().map { index, line in
        LegendEntry(name: line.name, colour: categoricalColours[index % categoricalColours.count], marker: .line)
    }
    let frame = legendOutside
        ? PlotFrame(width: Double(width), height: Double(height), rightMargin: 30 + legendWidth(entries))
        : PlotFrame(width: Double(width), height: Double(height))
    let xAxis = Axis.linear(covering: series.flatMap { $0.x }, pixels: (frame.left, frame.right))
    let yValues = zip(series.flatMap { $0.x }, series.flatMap { $0.y }).filter { $0.0.isFinite }.map { $0.1 }
    let yAxis = logY
        ? Axis.logarithmic(covering: yValues, pixels: (frame.bottom, frame.top))
        : Axis.linear(covering: yValues, pixels: (frame.bottom, frame.top))
    drawAxes(on: &canvas, frame: frame, x: xAxis, y: yAxis, title: title, xLabel: xLabel, yLabel: yLabel)

    for (index, line) in series.enumerated() {
        let colour = entries[index].colour
        var pieces: [[(x: Double, y: Double)]] = [[]]
        for (x, y) in zip(line.x, line.y) {
            if xAxis.canShow(x) && yAxis.canShow(y) {
                pieces[pieces.count - 1].append((xAxis.position(x), yAxis.position(y)))
            } else if !pieces[pieces.count - 1].isEmpty {
                pieces.append([])
            }
        }
        // A lone point would draw nothing; mark it with a dot so it is not lost.
        for piece in pieces where piece.count == 1 {
            canvas.circle(cx: piece[0].x, cy: piece[0].y, radius: 2.5, fill: colour, className: "lone-point")
        }
        canvas.polylines(pieces, stroke: colour, className: "series", name: line.name)
    }
    drawLegend(on: &canvas, entries: entries, frame: frame, outside: legendOutside)
    return canvas.document
}
