import Datasets
import Testing

@Suite("Sequence tasks: vocabulary, synthetic tasks and the toy English → French language")
struct SequenceTaskTests {
    @Test("The vocabulary reserves <pad>, <sos>, <eos>, <unk> as ids 0 to 3 and round-trips tokens")
    func vocabulary() {
        let v = Vocabulary(["je", "suis", "je", "<eos>", "un"])
        #expect(v.tokens == ["<pad>", "<sos>", "<eos>", "<unk>", "je", "suis", "un"])
        #expect(v.encode(["je", "suis", "chat"], addStart: true, addEnd: true) == [1, 4, 5, 3, 2])
        #expect(v.decode([1, 4, 6, 2, 0], stripSpecial: true) == ["je", "un"])
        let (ids, lengths) = padBatch([[5, 6, 7], [8]])
        #expect(ids == [[5, 6, 7], [8, 0, 0]] && lengths == [3, 1])
    }

    @Test("Copy, reverse and sort are deterministic and do what they say")
    func tasks() {
        let a = SequenceTasks.reverse(count: 50, lengths: 2...6, seed: 3)
        #expect(a == SequenceTasks.reverse(count: 50, lengths: 2...6, seed: 3))
        #expect(a != SequenceTasks.reverse(count: 50, lengths: 2...6, seed: 4))
        #expect(a.allSatisfy { $0.target == $0.source.reversed() && (2...6).contains($0.source.count) })
        #expect(Set(a.map(\.source.count)) == Set(2...6), "every length in the range appears in 50 draws")
        #expect(SequenceTasks.copy(count: 20, lengths: 1...3, seed: 1).allSatisfy { $0.source == $0.target })
        let sorted = SequenceTasks.sort(count: 20, lengths: 4...4, seed: 1)
        #expect(sorted.allSatisfy { $0.target == $0.source.sorted() && $0.source.count == 4 })
    }

    @Test("Dates: 25 March 2019 → 2019-03-25, and every generated date is valid")
    func dates() {
        let example = SequenceTasks.dateExample(day: 25, month: 3, year: 2019)
        #expect(example.source == ["25", "March", "2019"])
        #expect(example.target.joined() == "2019-03-25")
        #expect(SequenceTasks.dateExample(day: 7, month: 11, year: 1999).target.joined() == "1999-11-07")
        for pair in SequenceTasks.dates(count: 200, seed: 5) {
            let iso = pair.target.joined()
            #expect(iso.count == 10)
            let month = SequenceTasks.months.firstIndex(of: pair.source[1])! + 1
            #expect(iso == SequenceTasks.dateExample(day: Int(pair.source[0])!, month: month, year: Int(pair.source[2])!).target.joined())
        }
    }

    @Test("The toy language reorders adjectives, agrees in gender and elides the before a vowel")
    func toyTranslation() {
        #expect(ToyTranslation.translate(["I", "am", "a", "student"]) == ["je", "suis", "un", "etudiant"])
        #expect(ToyTranslation.translate(["the", "black", "cat", "sees", "a", "car"]) == ["le", "chat", "noir", "voit", "une", "voiture"])
        #expect(ToyTranslation.translate(["a", "green", "house", "likes", "the", "student"]) == ["une", "maison", "verte", "aime", "l'", "etudiant"])
        #expect(ToyTranslation.translate(["she", "is", "the", "blue", "table"]) == ["elle", "est", "la", "table", "bleue"])
        #expect(ToyTranslation.translate(["cat", "the"]) == nil, "not a sentence of the language")
        let pairs = ToyTranslation.pairs(count: 300, seed: 2)
        #expect(pairs.allSatisfy { (4...7).contains($0.source.count) && $0.source.count == $0.target.count })
        #expect(pairs.contains { $0.source.first == "I" } && pairs.contains { $0.source.contains("likes") })
        let (train, test) = SequenceTasks.splitByLength(pairs, trainLengths: 4...5, testLengths: 6...7)
        #expect(train.allSatisfy { $0.source.count <= 5 } && test.allSatisfy { $0.source.count >= 6 })
        #expect(train.count + test.count == 300)
    }
}
