"""A small safetensors file written by Python's safetensors package, for chapter 2's reader (not run by CI).

Writes Tests/Chapter2Tests/SafetensorsFixture.swift: the bytes of a file saved with
safetensors.torch.save_file, holding tensors of the element types the book reads (F32, F64, F16,
BF16, I64, I32, BOOL), a scalar, an empty tensor and metadata, together with every tensor's shape
and values as PyTorch holds them (converted to float32, as the book converts them).

    python3 -m venv /work/venv && /work/venv/bin/pip install torch safetensors
    /work/venv/bin/python Tools/safetensors_fixture.py
"""
import os
import tempfile

import torch
from safetensors.torch import save_file

tensors = {
    "encoder.0.weight": torch.arange(6, dtype=torch.float32).reshape(2, 3) * 0.5 - 1,
    "encoder.0.bias": torch.tensor([0.1, -0.2, 0.3], dtype=torch.float32),
    "double": torch.tensor([[1 / 3, -2.5], [1e-3, 7.0]], dtype=torch.float64),
    "half": torch.tensor([1.5, -0.0001, 65504.0, 6e-8], dtype=torch.float16),
    "bfloat": torch.tensor([1.0, -3.140625, 1e30], dtype=torch.bfloat16),
    "ids": torch.tensor([0, 5, -3, 1_000_000], dtype=torch.int64),
    "counts": torch.tensor([[7], [-8]], dtype=torch.int32),
    "mask": torch.tensor([True, False, True]),
    "scalar": torch.tensor(42.5, dtype=torch.float32),
    "empty": torch.zeros((0, 4), dtype=torch.float32),
}
metadata = {"format": "pt", "source": "Tools/safetensors_fixture.py"}

# A second file of float32 tensors only and no metadata: the book's writer must produce exactly
# these bytes (same header text, same order of tensors, same padding).
float32_only = {
    "layer.weight": torch.tensor([[0.25, -1.0], [3.0, 1e-7]], dtype=torch.float32),
    "layer.bias": torch.tensor([-0.5, 2.0], dtype=torch.float32),
    "a": torch.tensor(1.0, dtype=torch.float32),
}

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "fixture.safetensors")
    save_file(tensors, path, metadata=metadata)
    data = open(path, "rb").read()
    save_file(float32_only, path)
    float32_data = open(path, "rb").read()


def swift_float(x):
    return repr(float(x)).replace("inf", "Float.infinity")


here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "Tests", "Chapter2Tests", "SafetensorsFixture.swift")
with open(out, "w") as f:
    f.write("// Written by Tools/safetensors_fixture.py with torch %s and Python's safetensors package: do not edit.\n\n" % torch.__version__)
    f.write("/// A safetensors file saved by `safetensors.torch.save_file`, and what it holds.\n")
    f.write("enum SafetensorsFixture {\n")
    f.write("    /// The file's %d bytes.\n" % len(data))
    f.write("    static let bytes: [UInt8] = [\n")
    for start in range(0, len(data), 24):
        f.write("        " + ", ".join("0x%02x" % b for b in data[start:start + 24]) + ",\n")
    f.write("    ]\n\n")
    f.write("    /// Every tensor's PyTorch element type, shape and values (as float32).\n")
    f.write("    static let tensors: [String: (dtype: String, shape: [Int], values: [Float])] = [\n")
    for name, t in tensors.items():
        values = t.to(torch.float32).flatten().tolist()
        dtype = str(t.dtype).replace("torch.", "")
        shape = ", ".join(str(d) for d in t.shape)
        f.write('        "%s": ("%s", [%s], [%s]),\n' % (name, dtype, shape, ", ".join(swift_float(v) for v in values)))
    f.write("    ]\n\n")
    f.write("    /// A file of float32 tensors only (%s), saved with no metadata.\n" % ", ".join(float32_only))
    f.write("    static let float32Bytes: [UInt8] = [\n")
    for start in range(0, len(float32_data), 24):
        f.write("        " + ", ".join("0x%02x" % b for b in float32_data[start:start + 24]) + ",\n")
    f.write("    ]\n\n")
    f.write("    static let float32Tensors: [String: (shape: [Int], values: [Float])] = [\n")
    for name, t in float32_only.items():
        shape = ", ".join(str(d) for d in t.shape)
        f.write('        "%s": ([%s], [%s]),\n' % (name, shape, ", ".join(swift_float(v) for v in t.flatten().tolist())))
    f.write("    ]\n\n")
    f.write("    static let metadata: [String: String] = [%s]\n" % ", ".join('"%s": "%s"' % kv for kv in sorted(metadata.items())))
    f.write("}\n")
print("wrote", out, len(data), "bytes")
