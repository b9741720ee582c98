// The check of exercise 2.9: a digit classifier the student trains, measured on the 300 test
// digits it never sees, with a diagnosis of why a run missed the target.

import Datasets
import ExerciseTesting
import Foundation
import ScalarAutodiff
import Tensors

/// The accuracy 2.9 asks for on the 300 test digits.
public let digitAccuracyTarget = 0.9

/// The images of a digits set as one [count, 64] tensor.
func imageTensor(_ digits: Digits) -> Tensor {
    Tensor(shape: [digits.count, digits.side * digits.side], scalars: digits.images.flatMap { $0 })
}

/// The fraction of rows whose largest logit is at the label.
func accuracy(_ logits: Tensor, _ labels: [Int]) -> Double {
    Double(zip(logits.argmax(), labels).filter { $0 == $1 }.count) / Double(labels.count)
}

/// 2.9: a classifier trained on the 1,497 training digits reaches 90 % on the 300 test digits.
public func checkDigitClassifier(_ c: Checker, _ train: (Tensor, [Int], inout SeededRandom) throws -> Sequential) throws {
    let (trainSet, testSet) = try Digits.load().split()
    let trainImages = imageTensor(trainSet)
    var rng = SeededRandom(seed: 29)
    let model = try train(trainImages, trainSet.labels, &rng)
    let parameters = model.parameters
    guard !parameters.isEmpty else {
        c.fail("the model has no parameters to train: build it from Linear layers, e.g. Sequential([Linear(64, 64, …), ReLU(), Linear(64, 10, …)])")
        return
    }
    guard parameters.allSatisfy({ $0.value.isFinite }) else {
        c.fail("the trained model's parameters contain NaN or ∞. Likely mistake: training diverged; a smaller learning rate, and zeroGradients() before each backward()")
        return
    }
    let testLogits = model(.constant(imageTensor(testSet))).value
    guard testLogits.shape == [testSet.count, 10] else {
        c.fail("the model should map [\(testSet.count), 64] images to [\(testSet.count), 10] logits (one score per digit), got shape \(testLogits.shape)")
        return
    }
    let testAccuracy = accuracy(testLogits, testSet.labels)
    guard testAccuracy < digitAccuracyTarget else { return }

    // Why not: the training set's loss and accuracy, and the gradients left in the parameters.
    let trainLogits = model(.constant(trainImages))
    let trainAccuracy = accuracy(trainLogits.value, trainSet.labels)
    let trainLoss = crossEntropy(logits: trainLogits, targets: trainSet.labels)
    let percent = { (x: Double) in String(format: "%.1f %%", 100 * x) }
    var message = "the test accuracy should be at least \(percent(digitAccuracyTarget)), got \(percent(testAccuracy)) (training set: \(percent(trainAccuracy)), loss \(Checker.format(Double(trainLoss.value.scalar))))"
    let left = parameters.map { $0.grad }
    if left.allSatisfy({ $0 != nil }) {
        // After a step with zeroed gradients, what is left is one gradient: close to a fresh one in
        // size. Never-zeroed gradients are a sum over every step, many times larger.
        for p in parameters { p.grad = nil }
        trainLoss.backward()
        func norm(_ ts: [Tensor?]) -> Double { ts.reduce(0.0) { $0 + ($1?.scalars ?? []).reduce(0.0) { $0 + Double($1) * Double($1) } }.squareRoot() }
        let fresh = norm(parameters.map { $0.grad })
        if fresh > 0 && norm(left) > 20 * fresh {
            c.fail(message + ". Likely mistake: the gradients were never zeroed, so each backward() added to the last and the steps grew; call zeroGradients() before loss.backward()")
            return
        }
    }
    let uniform = Foundation.log(10.0)
    if Double(trainLoss.value.scalar) > uniform {
        message += ". Likely mistake: the loss is above log 10 = 2.30, what guessing uniformly costs, so training went the wrong way: a step uphill (θ ← θ − lr·∂L/∂θ), or a learning rate far too large"
    } else if trainAccuracy > 0.98 {
        message += ". The model fits the training set but not the test set: it overfits; use fewer steps or a smaller model"
    } else {
        message += ". It is learning (the loss is below log 10 = 2.30, what guessing costs) but not enough: train for more steps (a few hundred batches of 64), or raise the learning rate"
    }
    c.fail(message)
}

/// The data of exercise 2.9, for the chapter's own tests: the training images as a [1497, 64]
/// tensor with their labels, and the accuracy of a model on the 300 test digits.
public enum DigitExerciseData {
    public static func training() throws -> (images: Tensor, labels: [Int]) {
        let train = try Digits.load().split().train
        return (imageTensor(train), train.labels)
    }

    public static func testAccuracy(of model: Sequential) throws -> Double {
        let test = try Digits.load().split().test
        return accuracy(model(.constant(imageTensor(test))).value, test.labels)
    }
}
