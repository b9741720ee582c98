import Datasets
import ScalarAutodiff
import Tensors

/// The chapter's worked trace: a tiny GRU encoder-decoder trained on the sentences
/// "pronoun be determiner noun" of the toy language (I am a student → je suis un etudiant),
/// then asked to translate "I am a student" greedily.
public struct WorkedTrace {
    public let model: Seq2Seq
    public let pairs: [SequencePair]
    public let data: EncodedPairs
    public let losses: [Float]

    /// The 48 training sentences: 4 subjects × 2 determiners × 6 nouns, no adjectives.
    public static func sentences() -> [SequencePair] {
        var pairs: [SequencePair] = []
        for subject in ToyTranslation.subjects.keys.sorted() {
            for determiner in ["a", "the"] {
                for noun in ToyTranslation.nouns.keys.sorted() {
                    let english = subject.split(separator: " ").map(String.init) + [determiner, noun]
                    pairs.append(SequencePair(source: english, target: ToyTranslation.translate(english)!))
                }
            }
        }
        return pairs
    }

    /// Trains the model: E = 8, H = 16, Adam(lr 0.02), batches of 16, `steps` steps, from `seed`.
    public init(steps: Int = 300, seed: UInt64 = 5, log: (String) -> Void = { _ in }) {
        pairs = Self.sentences()
        data = EncodedPairs(pairs, sourceVocabulary: Vocabulary(collecting: pairs.map(\.source)),
                            targetVocabulary: Vocabulary(collecting: pairs.map(\.target)))
        var rng = SeededRandom(seed: seed)
        model = Seq2Seq(sourceVocabularySize: data.sourceVocabulary.count, targetVocabularySize: data.targetVocabulary.count,
                        embeddingSize: 8, hiddenSize: 16, rng: &rng)
        losses = trainSeq2Seq(model, on: data, steps: steps, batchSize: 16, learningRate: 0.02, rng: &rng,
                              logEvery: 50, log: log)
    }

    /// Greedy decoding of an English sentence, step by step, as (input, output, probability) tokens.
    public func translate(_ english: [String]) -> [(input: String, output: String, probability: Float)] {
        let (_, steps) = greedyDecode(model, source: data.sourceVocabulary.encode(english), maxLength: 10)
        return steps.map { (data.targetVocabulary.token($0.input), data.targetVocabulary.token($0.output), $0.probability) }
    }
}
