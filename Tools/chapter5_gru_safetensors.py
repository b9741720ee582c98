"""A PyTorch nn.GRU with random weights, saved as safetensors with its outputs, for chapter 5 (not run by CI).

Writes Tests/Chapter5Tests/GRUSafetensorsFixture.swift: the bytes of one safetensors file, written
by safetensors.torch.save_file, that holds

    weight_ih_l0 [3H, E], weight_hh_l0 [3H, H], bias_ih_l0 [3H], bias_hh_l0 [3H]   (nn.GRU's state_dict)
    input [T, B, E], h0 [1, B, H]                                                  (fixed random inputs)
    output [T, B, H], h_n [1, B, H]                                                (what nn.GRU computes)

for nn.GRU(input_size=5, hidden_size=7) with PyTorch's default initialisation under
torch.manual_seed(2024), T = 4 steps and a batch of B = 3. The test loads the file with the book's
safetensors reader, builds a GRUCell from PyTorch's layout and must reproduce output and h_n to 1e-5.

    python3 -m venv /work/venv && /work/venv/bin/pip install torch safetensors
    /work/venv/bin/python Tools/chapter5_gru_safetensors.py
"""
import os
import tempfile

import torch
from safetensors.torch import save_file

torch.manual_seed(2024)
E, H, T, B = 5, 7, 4, 3
gru = torch.nn.GRU(input_size=E, hidden_size=H)
x = torch.randn(T, B, E)
h0 = torch.randn(1, B, H)
with torch.no_grad():
    output, h_n = gru(x, h0)

tensors = {name: value.detach().clone().contiguous() for name, value in gru.state_dict().items()}
tensors.update({"input": x, "h0": h0, "output": output.contiguous(), "h_n": h_n.contiguous()})
metadata = {"source": "Tools/chapter5_gru_safetensors.py", "module": "torch.nn.GRU(5, 7)", "torch": torch.__version__}

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "gru.safetensors")
    save_file(tensors, path, metadata=metadata)
    data = open(path, "rb").read()

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "Tests", "Chapter5Tests", "GRUSafetensorsFixture.swift")
with open(out, "w") as f:
    f.write("// Written by Tools/chapter5_gru_safetensors.py with torch %s: do not edit.\n\n" % torch.__version__)
    f.write("/// A safetensors file of a PyTorch `nn.GRU(5, 7)`: its weights (PyTorch's names and layout),\n")
    f.write("/// fixed inputs `input` [4, 3, 5] and `h0` [1, 3, 7], and PyTorch's `output` [4, 3, 7] and `h_n`.\n")
    f.write("enum GRUSafetensorsFixture {\n")
    f.write("    /// The file's %d bytes.\n" % len(data))
    f.write("    static let bytes: [UInt8] = [\n")
    for start in range(0, len(data), 24):
        f.write("        " + ", ".join("0x%02x" % b for b in data[start:start + 24]) + ",\n")
    f.write("    ]\n}\n")
print("wrote", out, len(data), "bytes")
