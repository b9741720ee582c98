import Foundation
import ScalarAutodiff
import Tensors

/// Trains a model of demos 5 and 6, or, with `--load`, reads its weights from the file a
/// previous run saved; either way the weights end up in book-output/chapterN/NAME.safetensors.
///
/// The file name carries the seed and the number of steps, so a run with other settings does
/// not pick up the wrong weights. `parameters` are the model's PyTorch-style named parameters;
/// `train` trains it in place.
func trainedOrLoaded(_ name: String, chapter: Int, options: DemoOptions, steps: Int,
                     parameters: [String: Variable], train: () -> Void) throws {
    let url = URL(fileURLWithPath: "book-output/chapter\(chapter)")
        .appendingPathComponent("\(name)-seed\(options.seed)-steps\(steps).safetensors")
    if options.load, FileManager.default.fileExists(atPath: url.path) {
        try loadStateDict(Safetensors.read(from: url), into: parameters)
        print("   loaded \(url.path) instead of training")
        return
    }
    train()
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Safetensors.write(stateDict(of: parameters), to: url,
                          metadata: ["model": name, "seed": String(options.seed), "steps": String(steps), "chapter": String(chapter)])
    print("   saved the trained weights to \(url.path)")
}
