import Foundation
import ScalarAutodiff

/// Tick positions at multiples of a round step, covering `low...high`.
///
/// The step is the round number (1, 2 or 5 × 10ᵏ) closest to (high − low) / approximateCount
/// from above, and the ticks run from the largest multiple of it at or below `low` to the smallest
/// at or above `high`. An empty span (`low == high`) is widened around the value first.
///
/// ```swift
/// niceTicks(from: 0, to: 0.93)     // [0, 0.2, 0.4, 0.6, 0.8, 1]
/// niceTicks(from: 3, to: 97)       // [0, 20, 40, 60, 80, 100]
/// ```
public func niceTicks(from low: Double, to high: Double, approximateCount: Int = 5) -> [Double] {
    require(low.isFinite && high.isFinite, "niceTicks: bounds must be finite, got \(low) and \(high)")
    require(low <= high, "niceTicks: low (\(low)) must not exceed high (\(high))")
    require(approximateCount > 0, "niceTicks: approximateCount must be positive, got \(approximateCount)")
    var (low, high) = (low, high)
    if low == high {
        let widening = low == 0 ? 1 : abs(low) * 0.1
        (low, high) = (low - widening, high + widening)
    }
    let rawStep = (high - low) / Double(approximateCount)
    let magnitude = pow(10, (log10(rawStep)).rounded(.down))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rawStep * 0.999_999 } ?? 10 * magnitude
    let first = (low / step).rounded(.down)
    let last = (high / step).rounded(.up)
    return stride(from: first, through: last, by: 1).map { $0 * step }
}

/// Powers of ten covering `low...high` (both positive), thinned to about eight ticks.
func logTicks(from low: Double, to high: Double) -> [Double] {
    let first = log10(low).rounded(.down)
    var last = log10(high).rounded(.up)
    if last == first { last += 1 }
    let every = max(1, Int(((last - first) / 8).rounded(.up)))
    return stride(from: first, through: last, by: Double(every)).map { pow(10, $0) }
}

/// A tick label: `%g` gives short forms such as 0.2, 1000 and 1e-05.
func tickLabel(_ value: Double) -> String {
    abs(value) < 1e-12 ? "0" : String(format: "%g", value)
}

/// One axis: its data range, the pixels it maps onto, and its ticks.
struct Axis {
    let low: Double
    let high: Double
    let pixelStart: Double
    let pixelEnd: Double
    let isLogarithmic: Bool
    let ticks: [Double]

    /// A linear axis around the data values (non-finite ones are ignored; [0, 1] if none are
    /// left). Ticks cover the data; the axis reaches 3% of their span beyond the outer ticks,
    /// so points on a round number do not sit on the frame.
    static func linear(covering values: [Double], pixels: (start: Double, end: Double)) -> Axis {
        let finite = values.filter(\.isFinite)
        let ticks = niceTicks(from: finite.min() ?? 0, to: finite.max() ?? 1)
        let padding = 0.03 * (ticks.last! - ticks.first!)
        return Axis(low: ticks.first! - padding, high: ticks.last! + padding,
                    pixelStart: pixels.start, pixelEnd: pixels.end, isLogarithmic: false, ticks: ticks)
    }

    /// A base-10 logarithmic axis around the positive, finite data values; [1, 10] if none.
    static func logarithmic(covering values: [Double], pixels: (start: Double, end: Double)) -> Axis {
        let positive = values.filter { $0.isFinite && $0 > 0 }
        let ticks = logTicks(from: positive.min() ?? 1, to: positive.max() ?? 10)
        return Axis(low: ticks.first!, high: ticks.last!, pixelStart: pixels.start, pixelEnd: pixels.end,
                    isLogarithmic: true, ticks: ticks)
    }

    /// Whether a value can be drawn on this axis (finite, and positive on a log axis).
    func canShow(_ value: Double) -> Bool {
        value.isFinite && (!isLogarithmic || value > 0)
    }

    /// The pixel position of a value:  start + (v − low) / (high − low) · (end − start),
    /// with log₁₀ of everything on a logarithmic axis.
    func position(_ value: Double) -> Double {
        let (v, a, b) = isLogarithmic ? (log10(value), log10(low), log10(high)) : (value, low, high)
        return pixelStart + (v - a) / (b - a) * (pixelEnd - pixelStart)
    }
}

/// The rectangle data is drawn in, inside the margins of the figure.
struct PlotFrame {
    let left: Double
    let top: Double
    let right: Double
    let bottom: Double

    /// The frame of a `width` x `height` figure that leaves room for a title, tick labels and
    /// axis labels.
    init(width: Double, height: Double, rightMargin: Double = 20) {
        left = 70
        top = 40
        right = width - rightMargin
        bottom = height - 50
        require(right - left >= 50 && bottom - top >= 50,
                     "Plotting: a \(width)x\(height) figure is too small to draw in")
    }
}

/// Draws the frame, grid lines, tick labels, axis labels and title.
func drawAxes(on canvas: inout SVGCanvas, frame: PlotFrame, x: Axis, y: Axis,
              title: String, xLabel: String, yLabel: String) {
    for tick in x.ticks {
        let px = x.position(tick)
        canvas.line(x1: px, y1: frame.top, x2: px, y2: frame.bottom, stroke: "#e5e5e5", className: "grid")
        canvas.line(x1: px, y1: frame.bottom, x2: px, y2: frame.bottom + 5, className: "tick")
        canvas.text(tickLabel(tick), x: px, y: frame.bottom + 18, anchor: .middle, size: 11, className: "tick-label")
    }
    for tick in y.ticks {
        let py = y.position(tick)
        canvas.line(x1: frame.left, y1: py, x2: frame.right, y2: py, stroke: "#e5e5e5", className: "grid")
        canvas.line(x1: frame.left - 5, y1: py, x2: frame.left, y2: py, className: "tick")
        canvas.text(tickLabel(tick), x: frame.left - 8, y: py + 4, anchor: .end, size: 11, className: "tick-label")
    }
    canvas.rect(x: frame.left, y: frame.top, width: frame.right - frame.left, height: frame.bottom - frame.top,
                fill: "none", stroke: "#333333", className: "frame")
    let middleX = (frame.left + frame.right) / 2
    canvas.text(title, x: middleX, y: 24, anchor: .middle, size: 15, className: "title")
    canvas.text(xLabel, x: middleX, y: frame.bottom + 40, anchor: .middle, size: 12, className: "axis-label")
    let middleY = (frame.top + frame.bottom) / 2
    canvas.text(yLabel, x: 18, y: middleY, anchor: .middle, size: 12, rotation: -90, className: "axis-label")
}
