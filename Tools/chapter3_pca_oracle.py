# Independent check (NumPy's eigh, not the book's Jacobi) of the PCA numbers pinned in
# Tests/Chapter3Tests/LinearAlgebraTests.swift and quoted in Chapters/03-autoencoders.md:
# test-set reconstruction MSE per pixel of PCA with k = 2, 4, 8, 16, 32 components fitted on the
# training digits, the mean-image baseline, and the two largest variances.
# The train/test split is Digits.split() re-implemented as in Tools/digits_split_oracle.py.
# Run from the repository root: python3 Tools/chapter3_pca_oracle.py  (not run by CI)
import numpy as np

M = (1 << 64) - 1

def generator(seed):
    sm = seed
    state = []
    for _ in range(4):
        sm = (sm + 0x9E3779B97F4A7C15) & M
        z = sm
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        state.append(z ^ (z >> 31))
    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & M
    def next_bits():
        result = (rotl((state[1] * 5) & M, 7) * 9) & M
        t = (state[1] << 17) & M
        state[2] ^= state[0]; state[3] ^= state[1]; state[1] ^= state[2]; state[0] ^= state[3]
        state[2] ^= t; state[3] = rotl(state[3], 45)
        return result
    return next_bits

def integer_below(next_bits, bound):
    product = next_bits() * bound
    if product & M < bound:
        threshold = ((1 << 64) - bound) % bound
        while product & M < threshold:
            product = next_bits() * bound
    return product >> 64

rows = np.loadtxt('Sources/Datasets/Resources/digits.csv', delimiter=',')
images = rows[:, :64] / 16.0
next_bits = generator(1797)
order = list(range(len(images)))
for i in range(len(order) - 1, 0, -1):
    j = integer_below(next_bits, i + 1)
    order[i], order[j] = order[j], order[i]
test = images[sorted(order[:300])]
train = images[sorted(order[300:])]

mean = train.mean(axis=0)
covariance = (train - mean).T @ (train - mean) / len(train)
values, vectors = np.linalg.eigh(covariance)
values, vectors = values[::-1], vectors[:, ::-1]
print("largest variances", np.round(values[:2], 4))
print("mean image test MSE %.5f" % ((test - mean) ** 2).mean())
for k in [2, 4, 8, 16, 32]:
    u = vectors[:, :k]
    reconstruction = mean + (test - mean) @ u @ u.T
    print("k = %2d  PCA test MSE %.5f" % (k, ((test - reconstruction) ** 2).mean()))
