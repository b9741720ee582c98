"""PyTorch's Transformer layers with random weights, and their outputs on fixed inputs, for
chapter 7's tests (not run by CI).

Writes Tests/Chapter7Tests/PyTorchFixture.swift: one safetensors file, as base64 text, holding
  - a post-norm nn.TransformerEncoderLayer with ReLU (PyTorch's default, norm_first=False),
  - a pre-norm nn.TransformerEncoderLayer with GELU (norm_first=True, activation="gelu"),
  - a post-norm nn.TransformerDecoderLayer with ReLU,
  - an nn.MultiheadAttention (packed in_proj_weight),
each under its own prefix with PyTorch's parameter names, the inputs (x [2, 5, 8], memory
[2, 4, 8], padding masks as 0/1 with 1 = padding) and every output the tests compare with.
Biases and LayerNorm weights are random too, so that every one of them shows in the outputs.
The layers run in training mode with dropout 0, which keeps PyTorch off its fused inference path.

    /work/venv/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu
    /work/venv/bin/pip install safetensors
    /work/venv/bin/python Tools/transformer_pytorch_fixture.py
"""
import base64
import os
import tempfile

import torch
from torch import nn
from safetensors.torch import save_file

torch.manual_seed(2024)
d, heads, hidden = 8, 2, 16


def randomise(module):
    with torch.no_grad():
        for name, p in module.named_parameters():
            if "norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.3 * torch.randn_like(p))
            elif name.endswith("bias"):
                p.copy_(0.3 * torch.randn_like(p))
    return module.train()


post = randomise(nn.TransformerEncoderLayer(d, heads, hidden, dropout=0.0, batch_first=True))
pre = randomise(nn.TransformerEncoderLayer(d, heads, hidden, dropout=0.0, activation="gelu", batch_first=True, norm_first=True))
dec = randomise(nn.TransformerDecoderLayer(d, heads, hidden, dropout=0.0, batch_first=True))
mha = randomise(nn.MultiheadAttention(d, heads, batch_first=True))

x = torch.randn(2, 5, d)
memory = torch.randn(2, 4, d)
x_padding = torch.tensor([[False] * 5, [False] * 3 + [True] * 2])
memory_padding = torch.tensor([[False] * 4, [False] * 3 + [True]])
causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)

with torch.no_grad():
    outputs = {
        "output.post": post(x, src_key_padding_mask=x_padding),
        "output.pre": pre(x),
        "output.pre_causal": pre(x, src_mask=causal),
        "output.decoder": dec(x, memory, tgt_mask=causal, memory_key_padding_mask=memory_padding),
    }
    attended, averaged = mha(x, memory, memory, key_padding_mask=memory_padding)
    _, per_head = mha(x, memory, memory, key_padding_mask=memory_padding, average_attn_weights=False)
    outputs.update({"output.mha": attended, "output.mha_weights": averaged, "output.mha_weights_per_head": per_head})

tensors = {"input.x": x, "input.memory": memory,
           "input.x_padding": x_padding.float(), "input.memory_padding": memory_padding.float()}
for prefix, module in [("post", post), ("pre", pre), ("decoder", dec), ("mha", mha)]:
    for name, p in module.state_dict().items():
        tensors[prefix + "." + name] = p.detach().clone()
tensors.update({k: v.contiguous() for k, v in outputs.items()})

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "fixture.safetensors")
    save_file(tensors, path, metadata={"source": "Tools/transformer_pytorch_fixture.py", "torch": torch.__version__})
    data = open(path, "rb").read()

text = base64.b64encode(data).decode()
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "Tests", "Chapter7Tests", "PyTorchFixture.swift")
with open(out, "w") as f:
    f.write("// Written by Tools/transformer_pytorch_fixture.py with torch %s: do not edit.\n\n" % torch.__version__)
    f.write("import Foundation\n\n")
    f.write("/// PyTorch's TransformerEncoderLayer (post-norm ReLU, pre-norm GELU), TransformerDecoderLayer and\n")
    f.write("/// MultiheadAttention with random weights, their inputs and outputs: one safetensors file of %d bytes.\n" % len(data))
    f.write("enum PyTorchFixture {\n")
    f.write("    static let base64 = \"\"\"\n")
    for start in range(0, len(text), 100):
        f.write("        " + text[start:start + 100] + "\n")
    f.write("        \"\"\"\n\n")
    f.write("    static var bytes: [UInt8] {\n")
    f.write("        [UInt8](Data(base64Encoded: base64.filter { !$0.isWhitespace })!)\n")
    f.write("    }\n")
    f.write("}\n")
print("wrote", out, len(data), "bytes,", len(tensors), "tensors")
