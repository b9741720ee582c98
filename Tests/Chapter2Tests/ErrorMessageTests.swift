import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// Bad input stops the program with a message that says what went wrong: the operation, the
/// shapes involved, the training step. Each check runs the bad code in a child process.
@Suite("Chapter 2: bad input gets a clear message")
struct Chapter2ErrorMessageTests {
    /// The child's standard error as text.
    func standardError(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test("Adding tensors of shapes [4, 3] and [4] names the op and both shapes")
    func broadcastMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([4, 3]) + Tensor.zeros([4])
        }
        let message = standardError(result)
        #expect(message.contains("+: shapes [4, 3] and [4] cannot be broadcast together (axis -1 has sizes 3 and 4)"),
                "the message should name the op and both shapes; got: \(message)")
    }

    @Test("matmul of [2, 3] and [4, 5] names the op and both shapes")
    func matmulMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Variable(Tensor.zeros([2, 3])).matmul(Variable(Tensor.zeros([4, 5])))
        }
        let message = standardError(result)
        #expect(message.contains("matmul: shapes [2, 3] and [4, 5] do not match"),
                "the message should name matmul and both shapes; got: \(message)")
    }

    @Test("Reshaping 6 elements to [4, 2] says the sizes differ")
    func badReshape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).reshaped([4, 2])
        }
        let message = standardError(result)
        #expect(message.contains("reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)"),
                "the message should give both shapes and both sizes; got: \(message)")
    }

    @Test("A loss that turns NaN inside the training loop is reported with its step number")
    func nanLossInTrainingLoop() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let w = Variable(Tensor([1]))
            trainingLoop(steps: 10, log: { _ in }) { step in
                // A corrupt target at step 4 makes the loss NaN.
                let target = Tensor([step == 4 ? .nan : 0])
                return meanSquaredError(w * 2, target).value.scalar
            }
        }
        let message = standardError(result)
        #expect(message.contains("meanSquaredError: the loss is nan at training step 4"),
                "the message should name the loss and the step; got: \(message)")
    }

    @Test("A non-finite loss returned to the training loop is reported with its step number")
    func infiniteLossReturned() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            trainingLoop(steps: 10, log: { _ in }) { step in step == 3 ? .infinity : 1 }
        }
        let message = standardError(result)
        #expect(message.contains("the loss is inf at training step 3"),
                "the message should give the loss and the step; got: \(message)")
    }

    @Test("A cross-entropy target outside the classes is named")
    func badTarget() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = crossEntropy(logits: Variable(Tensor.zeros([2, 3])), targets: [0, 3])
        }
        let message = standardError(result)
        #expect(message.contains("target 3 at row 1 is not a class in 0..<3"), "got: \(message)")
    }

    @Test("An invalid hyperparameter says which one and why")
    func badHyperparameter() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Adam([Variable(Tensor([1]))], learningRate: -0.01)
        }
        let message = standardError(result)
        #expect(message.contains("Adam: learningRate must be positive, got -0.01"), "got: \(message)")
    }

    @Test("A Linear layer given the wrong number of features names both shapes")
    func linearMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededRandom(seed: 1)
            _ = Linear(784, 128, rng: &rng)(.constant(Tensor.zeros([64, 100])))
        }
        let message = standardError(result)
        #expect(message.contains("Linear: input shape [64, 100] does not end in 784 (weight shape [784, 128])"), "got: \(message)")
    }
}
