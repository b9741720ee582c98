"""The book's benchmark workloads in PyTorch (CPU), for the side-by-side table of `swift run -c
release bench` (not run by CI).

Each workload is the same model, data shapes, loss and optimizer as in Sources/bench/main.swift,
run with one thread (torch.set_num_threads(1)) and with every thread PyTorch uses by default:

- matmul: C = A·B for n × n Float32 matrices, n = 128, 256, 512.
- autoencoder: 784-128-32-128-784 with ReLU, batch 64 of uniform [0, 1) data, MSE, Adam
  (lr 1e-2), 200 steps.
- seq2seq: the book's reference translation model (chapters 5 and 6): embeddings of 32, a
  bidirectional GRU encoder of hidden size 64, the bridge tanh(W_b c + b_b), additive attention
  v^T tanh(W1 h_j + W2 s) and a GRU decoder fed [embedding; context], vocabularies of 20:
  104,212 parameters. Batch 32 of 10 random tokens, targets the reversed source and <eos>,
  cross-entropy, Adam (lr 1e-3), 100 steps. As in the book, W1 h_j is computed at every decoder
  step (the book's AdditiveAttention does); nn.GRU and nn.GRUCell compute the same equations as
  the book's cells.
- transformer: the book's encoder-decoder of chapter 7 (d = 32, 4 heads, d_ff = 64, 2 + 2
  pre-norm blocks with ReLU, shared embeddings plus sinusoidal positions, final layer norms,
  no dropout), vocabulary 13, batch 32, sources of 8 tokens, targets of 9; one training step
  (forward, cross-entropy, backward, Adam at lr 2e-3), timed over 50 steps.
- rnn: h = tanh(x·W_x + h·W_h + b) over 50 steps of batch 32 (inputs 32, hidden 64), loss
  mean(h^2), backward, Adam; 20 such steps.

Times are the best of several runs: wall-clock seconds and the process's CPU seconds (which
do not count time spent waiting for a core on a busy machine).

    pip install torch --index-url https://download.pytorch.org/whl/cpu
    python3 Tools/pytorch_bench.py          # a table
    python3 Tools/pytorch_bench.py --json   # what the Swift benchmark reads
"""
import json
import math
import os
import sys
import time
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

ALL_THREADS = torch.get_num_threads()
# nn.Transformer with norm_first=True warns that it cannot use nested tensors; nothing here pads.
warnings.filterwarnings("ignore", message="enable_nested_tensor")


def measure(body, repeats):
    """(best wall seconds, best CPU seconds) of `body()` over `repeats` runs."""
    best_wall = best_cpu = math.inf
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        body()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_wall, best_cpu


def matmul(n):
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    repeats = 20 if n < 512 else 10
    return measure(lambda: torch.mm(a, b), repeats)


def autoencoder():
    def run():
        torch.manual_seed(7)
        model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 32), nn.ReLU(),
                              nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 784))
        x = torch.rand(64, 784)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        for _ in range(200):
            loss = F.mse_loss(model(x), x)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return measure(run, 3)


class AttentionSeq2Seq(nn.Module):
    """Bahdanau attention seq2seq with the book's sizes: 104,212 parameters."""

    def __init__(self, vocabulary=20, embedding=32, hidden=64):
        super().__init__()
        self.source_embedding = nn.Embedding(vocabulary, embedding)
        self.encoder = nn.GRU(embedding, hidden, bidirectional=True, batch_first=True)
        self.bridge = nn.Linear(2 * hidden, hidden)
        self.w1 = nn.Linear(2 * hidden, hidden, bias=False)
        self.w2 = nn.Linear(hidden, hidden, bias=False)
        self.v = nn.Linear(hidden, 1, bias=False)
        self.target_embedding = nn.Embedding(vocabulary, embedding)
        self.cell = nn.GRUCell(embedding + 2 * hidden, hidden)
        self.output = nn.Linear(hidden, vocabulary)

    def loss(self, source, target, start=1):
        states, last = self.encoder(self.source_embedding(source))      # [B, T, 2H], [2, B, H]
        s = torch.tanh(self.bridge(torch.cat([last[0], last[1]], dim=1)))
        previous = torch.full((source.shape[0],), start, dtype=torch.long)
        logits = []
        for t in range(target.shape[1]):
            keys = self.w1(states)                                        # W1 h_j, every step as in the book
            scores = self.v(torch.tanh(keys + self.w2(s).unsqueeze(1))).squeeze(-1)
            alpha = torch.softmax(scores, dim=-1)
            context = torch.bmm(alpha.unsqueeze(1), states).squeeze(1)
            s = self.cell(torch.cat([self.target_embedding(previous), context], dim=1), s)
            logits.append(self.output(s))
            previous = target[:, t]
        return F.cross_entropy(torch.cat(logits), target.t().reshape(-1))


def seq2seq():
    def run():
        torch.manual_seed(11)
        model = AttentionSeq2Seq()
        assert sum(p.numel() for p in model.parameters()) == 104_212
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        for _ in range(100):
            source = torch.randint(3, 20, (32, 10))
            target = torch.cat([source.flip(1), torch.full((32, 1), 2)], dim=1)
            loss = model.loss(source, target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return measure(run, 3)


def positional_encoding(length, d):
    position = torch.arange(length).unsqueeze(1)
    rate = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
    table = torch.zeros(length, d)
    table[:, 0::2] = torch.sin(position * rate)
    table[:, 1::2] = torch.cos(position * rate)
    return table


class EncoderDecoder(nn.Module):
    """Chapter 7's encoder-decoder Transformer: pre-norm, ReLU, no dropout, shared embeddings."""

    def __init__(self, vocabulary=13, d=32, heads=4, hidden=64, layers=2, max_length=16):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, d)
        self.register_buffer("positions", positional_encoding(max_length, d))
        self.transformer = nn.Transformer(d, heads, layers, layers, hidden, dropout=0.0, batch_first=True,
                                          norm_first=True)
        self.output = nn.Linear(d, vocabulary)

    def forward(self, source, target):
        x = self.embedding(source) + self.positions[:source.shape[1]]
        y = self.embedding(target) + self.positions[:target.shape[1]]
        mask = nn.Transformer.generate_square_subsequent_mask(target.shape[1])
        return self.output(self.transformer(x, y, tgt_mask=mask, tgt_is_causal=True))


def transformer(steps=50):
    def run():
        torch.manual_seed(13)
        model = EncoderDecoder()
        optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
        for _ in range(steps):
            source = torch.randint(3, 13, (32, 8))
            target = torch.cat([torch.full((32, 1), 1), source.flip(1)], dim=1)       # <sos> y1 … y8
            output = torch.cat([source.flip(1), torch.full((32, 1), 2)], dim=1)       # y1 … y8 <eos>
            loss = F.cross_entropy(model(source, target).reshape(-1, 13), output.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    wall, cpu = measure(run, 3)
    return wall / steps, cpu / steps


def rnn():
    def run():
        torch.manual_seed(5)
        wx = nn.Parameter(torch.randn(32, 64) * 0.2)
        wh = nn.Parameter(torch.randn(64, 64) * 0.2)
        b = nn.Parameter(torch.zeros(64))
        xs = [torch.randn(32, 32) for _ in range(50)]
        optimizer = torch.optim.Adam([wx, wh, b], lr=1e-3)
        for _ in range(20):
            h = torch.zeros(32, 64)
            for x in xs:
                h = torch.tanh(x @ wx + h @ wh + b)
            loss = h.pow(2).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    wall, cpu = measure(run, 3)
    return wall / 20, cpu / 20


def main():
    workloads = [("matmul 128", lambda: matmul(128)), ("matmul 256", lambda: matmul(256)),
                 ("matmul 512", lambda: matmul(512)), ("autoencoder", autoencoder), ("seq2seq", seq2seq),
                 ("transformer step", transformer), ("rnn step", rnn)]
    results = {"torch": torch.__version__, "threads": ALL_THREADS, "rows": {}}
    for threads in sorted({1, ALL_THREADS}):
        torch.set_num_threads(threads)
        for name, workload in workloads:
            wall, cpu = workload()
            results["rows"][f"{name}/{threads}"] = {"wall": wall, "cpu": cpu}
    if "--json" in sys.argv:
        print(json.dumps(results))
        return
    print(f"PyTorch {torch.__version__}, {ALL_THREADS} threads by default")
    for key, row in results["rows"].items():
        name, threads = key.split("/")
        if name.startswith("matmul"):
            n = int(name.split()[1])
            print(f"{name:>18} {threads} thread(s): {2 * n ** 3 / row['wall'] / 1e9:7.1f} GFLOP/s "
                  f"(CPU {2 * n ** 3 / row['cpu'] / 1e9:.1f})")
        else:
            print(f"{name:>18} {threads} thread(s): {row['wall']:8.4f} s (CPU {row['cpu']:.4f} s)")


if __name__ == "__main__":
    main()
