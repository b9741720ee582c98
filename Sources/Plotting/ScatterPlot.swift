/// A scatter plot of points coloured by class, with a legend of the classes, as SVG.
///
/// Each drawable point becomes one `<circle class="point">`; class k is drawn in
/// `categoricalColours[k % 10]` and named `classNames[k]` (or "k" without names) in the legend
/// to the right of the plot. Points with a NaN or infinite coordinate are skipped. Chapter 4
/// uses it for the 2-D latent space of a VAE, coloured by digit.
///
/// ```swift
/// let svg = scatterPlot(x: latents.map { $0[0] }, y: latents.map { $0[1] }, classes: labels,
///                       title: "VAE latent space", xLabel: "z₁", yLabel: "z₂")
/// try writeSVG(svg, to: "figures/chapter4-latent.svg")
/// ```
///
/// - Precondition: `x`, `y` and `classes` have the same, non-zero length; classes are ≥ 0.

import ScalarAutodiff

public func scatterPlot<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(
    x: [X], y: [Y], classes: [Int], classNames: [String] = [], title: String = "",
    xLabel: String = "", yLabel: String = "", radius: Double = 3, width: Int = 640, height: Int = 480
) -> String {
    require(!x.isEmpty, "scatterPlot needs at least one point")
    require(x.count == y.count && y.count == classes.count,
                 "scatterPlot: x has \(x.count) values, y \(y.count) and classes \(classes.count); they must match")
    require(classes.allSatisfy { $0 >= 0 }, "scatterPlot: classes must be non-negative integers")
    require(radius > 0, "scatterPlot: radius must be positive, got \(radius)")
    let xs = x.map { Double($0) }
    let ys = y.map { Double($0) }
    let drawable = xs.indices.filter { xs[$0].isFinite && ys[$0].isFinite }

    let legend = Set(classes).sorted().map { k in
        LegendEntry(name: k < classNames.count ? classNames[k] : String(k),
                    colour: categoricalColours[k % categoricalColours.count], marker: .dot)
    }
    var canvas = SVGCanvas(width: Double(width), height: Double(height))
    let frame = PlotFrame(width: Double(width), height: Double(height), rightMargin: 30 + legendWidth(legend))
    let xAxis = Axis.linear(covering: drawable.map { xs[$0] }, pixels: (frame.left, frame.right))
    let yAxis = Axis.linear(covering: drawable.map { ys[$0] }, pixels: (frame.bottom, frame.top))
    drawAxes(on: &canvas, frame: frame, x: xAxis, y: yAxis, title: title, xLabel: xLabel, yLabel: yLabel)

    for index in drawable {
        canvas.circle(cx: xAxis.position(xs[index]), cy: yAxis.position(ys[index]), radius: radius,
                      fill: categoricalColours[classes[index] % categoricalColours.count], className: "point")
    }
    drawLegend(on: &canvas, entries: legend, frame: frame, outside: true)
    return canvas.document
}
