import Foundation
import ScalarAutodiff

/// The training step currently running inside ``trainingLoop(steps:logEvery:log:_:)``, if any.
/// Losses read it to say at which step a NaN appeared.
public enum TrainingContext {
    @TaskLocal public static var step: Int?

    /// " at training step N" inside a training loop, "" outside one.
    static var stepDescription: String { step.map { " at training step \($0)" } ?? "" }
}

/// Runs `body(step)` for step = 1 … `steps`, printing progress, and returns the losses.
///
/// `body` does one step of training (forward, loss, backward, optimizer update) and returns the
/// loss. Every `logEvery` steps, and at the last step, a line like
///
///     step  200/1000  loss 0.031245  1843.2 steps/s
///
/// goes to `log` (standard output by default). If a loss is NaN or infinite the loop stops the
/// program with a message naming the step, because every later step would be NaN too.
///
/// ```swift
/// var optimizer = Adam(model.parameters, learningRate: 1e-2)
/// let losses = trainingLoop(steps: 200) { step in
///     let loss = meanSquaredError(model(x), x.value)
///     optimizer.zeroGradients()
///     loss.backward()
///     optimizer.step()
///     return loss.value.scalar
/// }
/// ```
@discardableResult
public func trainingLoop(steps: Int, logEvery: Int = 100, log: (String) -> Void = { print($0) },
                         _ body: (Int) throws -> Float) rethrows -> [Float] {
    require(steps >= 0, "trainingLoop: steps must be non-negative, got \(steps)")
    require(logEvery > 0, "trainingLoop: logEvery must be positive, got \(logEvery)")
    var losses: [Float] = []
    losses.reserveCapacity(steps)
    let start = Date()
    let width = String(steps).count
    for step in 1...Swift.max(steps, 1) where steps > 0 {
        let loss = try TrainingContext.$step.withValue(step) { try body(step) }
        require(loss.isFinite,
                     "trainingLoop: the loss is \(loss) at training step \(step); lower the learning rate, clip gradients, or check the data")
        losses.append(loss)
        if step % logEvery == 0 || step == steps {
            let elapsed = Date().timeIntervalSince(start)
            let rate = elapsed > 0 ? Double(step) / elapsed : 0
            let padded = String(repeating: " ", count: width - String(step).count) + String(step)
            log("step \(padded)/\(steps)  loss \(String(format: "%.6f", loss))  \(String(format: "%.1f", rate)) steps/s")
        }
    }
    return losses
}
