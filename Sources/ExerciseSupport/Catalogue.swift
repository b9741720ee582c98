/// The list of every exercise in the book: the one place the tests, the `book` tool and the
/// grader read numbers, titles, difficulty, points and hints from.
public enum Catalogue {
    /// Chapter titles, by chapter number.
    public static let chapterTitles: [Int: String] = [
        1: "Scalar reverse-mode autodiff",
        2: "Tensors, tensor autodiff, layers and optimizers",
        3: "The encoder-decoder pattern and autoencoders",
        4: "Variational autoencoders",
        5: "Recurrent networks and sequence-to-sequence",
        6: "Attention: Bahdanau and Luong",
        7: "Transformers",
        8: "Decoding: greedy, beam, sampling",
        9: "Training and evaluating sequence models",
    ]

    /// Every exercise, in book order.
    public static let all: [Exercise] = chapter1 + chapter2 + chapter3 + chapter4 + chapter5 + chapter6 + chapter7 + chapter8 + chapter9

    /// The exercise with this number, if there is one.
    public static func exercise(_ number: String) -> Exercise? {
        all.first { $0.number == number }
    }

    /// The exercises of one chapter, in order.
    public static func exercises(inChapter chapter: Int) -> [Exercise] {
        all.filter { $0.chapter == chapter }
    }

    /// The chapters that have exercises, in order.
    public static var chapters: [Int] {
        Array(Set(all.map(\.chapter))).sorted()
    }
}

extension Catalogue {
    /// The names a chapter's exercises may make public: every exercise's ``Exercise/api``.
    public static func api(ofChapter chapter: Int) -> Set<String> {
        Set(exercises(inChapter: chapter).flatMap(\.api))
    }
}
