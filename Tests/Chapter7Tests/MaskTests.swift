import Tensors
import Testing
import Transformers

/// Which positions can see which, under the three masks and padding.
@Suite("Chapter 7: masks")
struct Chapter7MaskTests {
    @Test("Causal: position i sees 0…i")
    func causal() {
        let m = Tensor.causalMask(4)
        #expect(visiblePositions(m, query: 0) == [0])
        #expect(visiblePositions(m, query: 2) == [0, 1, 2])
        #expect(visiblePositions(m, query: 3) == [0, 1, 2, 3])
    }

    @Test("Prefix-LM with prefix 2: positions 0 and 1 see each other; later positions see the prefix and their past")
    func prefixLM() {
        let m = prefixLMMask(length: 5, prefix: 2)
        #expect(visiblePositions(m, query: 0) == [0, 1], "the prefix is bidirectional: position 0 sees position 1")
        #expect(visiblePositions(m, query: 1) == [0, 1])
        #expect(visiblePositions(m, query: 2) == [0, 1, 2])
        #expect(visiblePositions(m, query: 4) == [0, 1, 2, 3, 4])
        #expect(prefixLMMask(length: 4, prefix: 0) == Tensor.causalMask(4), "prefix 0 is the causal mask")
        #expect(prefixLMMask(length: 4, prefix: 4) == Tensor.zeros([4, 4]), "a prefix of everything is bidirectional")
    }

    @Test("Padding: no query looks at a padding key; combined with causal per batch row")
    func padding() {
        let tokens = [[5, 6, 7, 0], [5, 0, 0, 0]]
        let pad = paddingMask(tokens, padding: 0)
        #expect(pad.shape == [2, 1, 1, 4])
        #expect(pad.scalars == [0, 0, 0, 1, 0, 1, 1, 1])
        let both = combineMasks(Tensor.causalMask(4), pad)!
        #expect(both.shape == [2, 1, 4, 4])
        let row1 = both.slice(axis: 0, 1..<2).reshaped([4, 4])
        #expect(visiblePositions(row1, query: 3) == [0], "sequence 2 has one real token, so position 3 sees only position 0")
        let row0 = both.slice(axis: 0, 0..<1).reshaped([4, 4])
        #expect(visiblePositions(row0, query: 3) == [0, 1, 2])
    }

    @Test("A padded key changes nothing: outputs with and without extra padding agree")
    func paddingIsInvisible() {
        let configuration = TransformerConfiguration(vocabularySize: 9, dimension: 8, heads: 2, hidden: 16, layers: 1, padding: 0)
        let model = EncoderOnlyModel(configuration, seed: 3)
        let short = model([[4, 5, 6]]).value
        let long = model([[4, 5, 6, 0, 0]]).value.slice(axis: 1, 0..<3)
        #expect(short.isClose(to: long, tolerance: 1e-5), "padding keys must get weight 0")
    }

    @Test("Encoder-only is bidirectional, decoder-only causal: changing a late token moves early outputs only in the encoder")
    func bidirectionalVersusCausal() {
        let configuration = TransformerConfiguration(vocabularySize: 9, dimension: 8, heads: 2, hidden: 16, layers: 2)
        let encoder = EncoderOnlyModel(configuration, seed: 4), decoder = DecoderOnlyModel(configuration, seed: 4)
        let a = [[1, 2, 3, 4]], b = [[1, 2, 3, 8]]
        let firstThree = { (t: Tensor) in t.slice(axis: 1, 0..<3) }
        #expect(firstThree(decoder(a).value).isClose(to: firstThree(decoder(b).value), tolerance: 1e-6),
                "under the causal mask positions 0…2 cannot see position 3")
        #expect(!firstThree(encoder(a).value).isClose(to: firstThree(encoder(b).value), tolerance: 1e-3),
                "without a mask every position sees position 3")
        #expect(!firstThree(decoder(a, prefix: 4).value).isClose(to: firstThree(decoder(b, prefix: 4).value), tolerance: 1e-3),
                "as a prefix LM with the whole sequence as prefix, position 0 sees position 3")
        #expect(decoder(a, prefix: 2).value.slice(axis: 1, 0..<2).isClose(to: decoder(b, prefix: 2).value.slice(axis: 1, 0..<2), tolerance: 1e-6),
                "with prefix 2, the prefix does not see position 3")
    }
}
