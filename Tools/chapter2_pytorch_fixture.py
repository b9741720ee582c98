"""Reference numbers for chapter 2's engine, computed with PyTorch (not run by CI).

Writes Tests/Chapter2Tests/PyTorchFixture.swift: PyTorch's float32 results (and float64 references)
for the places where the book matches PyTorch deliberately:

- sums and means of many elements (PyTorch in float32, and the exact float64 value);
- MSE and BCE-with-logits over a [64, 784] batch made by a formula, against float64;
- Adam, AdamW, SGD with momentum, Nesterov and weight decay, including a parameter whose first
  gradient arrives at step 5;
- clip_grad_norm_ at a NaN, an infinite and a tiny total norm, and clip_grad_value_;
- the gradient of x**0 at 0, log_softmax at [1000, 1001, 1002], BCE on probabilities at 0 and 1;
- GELU (exact and tanh), softplus, LeakyReLU and SiLU with their gradients;
- the schedulers LinearLR, CosineAnnealingLR and the Transformer's LambdaLR.

    /work/venv/bin/pip install torch
    /work/venv/bin/python Tools/chapter2_pytorch_fixture.py
"""
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float32)


def swift(x):
    x = float(x)
    if math.isnan(x):
        return ".nan"
    if math.isinf(x):
        return ".infinity" if x > 0 else "-.infinity"
    return repr(x)


def array(t):
    return "[" + ", ".join(swift(v) for v in torch.as_tensor(t).flatten().tolist()) + "]"


def formula(count, offset, scale=0.5, shift=0.0):
    """shift + scale * sin(1.3 k + offset) for k = 0, 1, ..., in float64 (the tests compute the same)."""
    return torch.tensor([shift + scale * math.sin(1.3 * k + offset) for k in range(count)], dtype=torch.float64)


lines = []


def emit(name, value, kind="[Float]"):
    if kind == "[Float]":
        lines.append(f"    static let {name}: [Float] = {array(value)}")
    elif kind == "Float":
        lines.append(f"    static let {name}: Float = {swift(value)}")
    elif kind == "Double":
        lines.append(f"    static let {name}: Double = {repr(float(value))}")


# Sums: a million copies of 0.1.
tenths = torch.full((1000, 1000), 0.1, dtype=torch.float32)
emit("millionTenthsSumPyTorch", tenths.sum().item(), "Float")
emit("millionTenthsSumExact", tenths.double().sum().item(), "Double")
emit("columnOfTenthsSumExact", tenths.double().sum(0)[0].item(), "Double")

# MSE and BCE with logits over a [64, 784] batch made by formula, against float64.
n = 64 * 784
prediction = formula(n, 0.1, 0.5, 0.5).float()
target = formula(n, 0.4, 0.5, 0.5).float()
logits = formula(n, 0.2, 4.0).float()
emit("mseBatchPyTorch", F.mse_loss(prediction, target).item(), "Float")
emit("mseBatchExact", F.mse_loss(prediction.double(), target.double()).item(), "Double")
emit("bceBatchPyTorch", F.binary_cross_entropy_with_logits(logits, target).item(), "Float")
emit("bceBatchExact", F.binary_cross_entropy_with_logits(logits.double(), target.double()).item(), "Double")


# Optimizers with fixed gradient sequences: a gets [0.3 t, -0.7] at every step t = 1...10; late gets
# 2 * that from step 5 on, and no gradient (None) before.
def run_late(make):
    a = torch.tensor([1.0, 1.0], requires_grad=True)
    late = torch.tensor([1.0, -1.0], requires_grad=True)
    optimizer = make([a, late])
    for t in range(1, 11):
        g = torch.tensor([0.3 * t, -0.7])
        a.grad = g.clone()
        late.grad = (2 * g) if t >= 5 else None
        optimizer.step()
    return a.detach(), late.detach()


for name, make in [
    ("adamLate", lambda p: torch.optim.Adam(p, lr=0.01)),
    ("adamDecayLate", lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1)),
    ("adamWLate", lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1)),
    ("momentumLate", lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9)),
    ("nesterovDecayLate", lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9, nesterov=True, weight_decay=0.01)),
]:
    a, late = run_late(make)
    emit(name + "A", a)
    emit(name + "Late", late)


# Optimizers on a quadratic L = Σ c θ² / 2 + d·θ, whose gradient c θ + d depends on θ: 8 steps.
c = torch.tensor([1.0, 4.0, 0.25, 2.0])
d = torch.tensor([0.5, -1.0, 0.1, 0.0])
emit("quadraticC", c)
emit("quadraticD", d)
for name, make in [
    ("quadraticSGD", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.5, weight_decay=0.01)),
    ("quadraticAdam", lambda p: torch.optim.Adam(p, lr=0.1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05)),
    ("quadraticAdamW", lambda p: torch.optim.AdamW(p, lr=0.1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
]:
    theta = torch.tensor([1.0, -2.0, 3.0, 0.5], requires_grad=True)
    optimizer = make([theta])
    for _ in range(8):
        optimizer.zero_grad()
        loss = (c * theta * theta).sum() / 2 + (d * theta).sum()
        loss.backward()
        optimizer.step()
    emit(name, theta.detach())


# Clipping.
def clip(grads, max_norm):
    params = [torch.zeros(len(g), requires_grad=True) for g in grads]
    for p, g in zip(params, grads):
        p.grad = torch.tensor(g)
    norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
    return norm.item(), torch.cat([p.grad for p in params])


for name, grads, max_norm in [
    ("clipNaN", [[1.0, float("nan")], [2.0]], 1.0),
    ("clipInfinity", [[float("inf"), 1.0], [2.0]], 1.0),
    ("clipTiny", [[3e-8], [0.0, 4e-8]], 1e-8),
    ("clipAtLimit", [[3.0], [0.0, 4.0]], 5.0),
    ("clipLarge", [[3.0], [0.0, 4.0]], 1.0),
]:
    norm, clipped = clip(grads, max_norm)
    emit(name + "Norm", norm, "Float")
    emit(name + "Gradients", clipped)
p = torch.zeros(4, requires_grad=True)
p.grad = torch.tensor([-3.0, 0.5, float("nan"), 2.0])
torch.nn.utils.clip_grad_value_([p], 1.0)
emit("clipValueGradients", p.grad)

# x**0 at 0, and x**3.
x = torch.tensor([0.0, 2.0, -1.5], requires_grad=True)
(x ** 0).sum().backward()
emit("powZeroGradient", x.grad)

# log_softmax at large logits, and cross-entropy there.
big = torch.tensor([[1000.0, 1001.0, 1002.0]], requires_grad=True)
emit("logSoftmaxLarge", F.log_softmax(big, dim=-1).detach())
emit("crossEntropyLarge", F.cross_entropy(big, torch.tensor([0])).item(), "Float")

# BCE on probabilities at 0 and 1 (each log clamped at -100).
probabilities = torch.tensor([0.0, 1.0, 0.3, 1.0, 0.0, 0.999], requires_grad=True)
targets = torch.tensor([0.0, 1.0, 0.2, 0.0, 1.0, 0.5])
loss = F.binary_cross_entropy(probabilities, targets)
loss.backward()
emit("bceProbabilities", probabilities.detach())
emit("bceTargets", targets)
emit("bceProbabilityLoss", loss.item(), "Float")
emit("bceProbabilityGradient", probabilities.grad)

# Activations and their gradients (of the sum).
grid = torch.tensor([-25.0, -3.0, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.0, 3.0, 25.0])
emit("activationInputs", grid)
for name, f in [
    ("gelu", lambda t: F.gelu(t)),
    ("geluTanh", lambda t: F.gelu(t, approximate="tanh")),
    ("softplus", lambda t: F.softplus(t)),
    ("softplusBeta2", lambda t: F.softplus(t, beta=2.0, threshold=20.0)),
    ("leakyRelu", lambda t: F.leaky_relu(t)),
    ("leakyRelu02", lambda t: F.leaky_relu(t, negative_slope=0.2)),
    ("silu", lambda t: F.silu(t)),
]:
    t = grid.clone().requires_grad_(True)
    y = f(t)
    y.sum().backward()
    emit(name + "Values", y.detach())
    emit(name + "Gradients", t.grad)


# Schedulers: the learning rate used at optimizer steps 1, 2, 3, ...
def rates(make_scheduler, steps, lr=1.0):
    p = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=lr)
    scheduler = make_scheduler(optimizer)
    result = []
    for _ in range(steps):
        result.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return result


emit("warmupRates", rates(lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=1 / 4, total_iters=3), 8))
emit("cosineRates", rates(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.1), 5))


def noam(step, d=512, warmup=4000):
    step = step + 1   # LambdaLR counts from 0; the paper's step_num from 1
    return d ** -0.5 * min(step ** -0.5, step * warmup ** -1.5)


noam_all = rates(lambda o: torch.optim.lr_scheduler.LambdaLR(o, noam), 16000)
emit("inverseSquareRootSteps", [1, 2, 100, 3999, 4000, 4001, 16000])
emit("inverseSquareRootRates", [noam_all[s - 1] for s in [1, 2, 100, 3999, 4000, 4001, 16000]])

# Cross-entropy when every target is ignored: PyTorch's mean is 0/0.
all_padding = F.cross_entropy(torch.zeros(2, 3, requires_grad=True), torch.tensor([-100, -100]))
emit("crossEntropyAllPaddingPyTorch", all_padding.item(), "Float")

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "Tests", "Chapter2Tests", "PyTorchFixture.swift")
with open(out, "w") as f:
    f.write(f"// Generated by Tools/chapter2_pytorch_fixture.py with PyTorch {torch.__version__} (float32, and float64 where the name says Exact). Do not edit.\n\n")
    f.write("enum Chapter2PyTorchFixture {\n")
    f.write("\n".join(lines) + "\n}\n")
print("wrote", out)
