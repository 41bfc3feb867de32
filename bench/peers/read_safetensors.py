#!/usr/bin/env python3
"""Reads a safetensors file (a Grad checkpoint or weights file) with the standard library only,
independently of Grad's C# reader, and prints its metadata and tensors.

    python3 bench/peers/read_safetensors.py run.ckpt

It checks what the format requires: the header length fits the file, the header is a JSON
object, each tensor's byte range matches its dtype and shape, and ranges lie inside the data
section without overlapping. Useful to inspect a checkpoint, or to check that Grad's files
read back in another implementation.
"""
import array
import json
import math
import struct
import sys

ITEM = {"F32": ("f", 4), "F64": ("d", 8), "I32": ("i", 4)}


def read(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    if n > len(raw) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the {len(raw) - 8} bytes that follow")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors, ranges = {}, []
    for name, entry in header.items():
        code, size = ITEM[entry["dtype"]]
        begin, end = entry["data_offsets"]
        count = math.prod(entry["shape"])
        if end - begin != count * size or end > len(data):
            raise ValueError(f"{path}: tensor {name!r} has a bad byte range [{begin}, {end})")
        values = array.array(code)
        values.frombytes(data[begin:end])
        if sys.byteorder != "little":
            values.byteswap()
        tensors[name] = (entry["dtype"], entry["shape"], values.tolist())
        ranges.append((begin, end, name))
    ranges.sort()
    for (b0, e0, a), (b1, e1, b) in zip(ranges, ranges[1:]):
        if b1 < e0 and b1 < e1:
            raise ValueError(f"{path}: tensors {a!r} and {b!r} overlap")
    return metadata, tensors, n


def main():
    for path in sys.argv[1:]:
        metadata, tensors, n = read(path)
        print(f"{path}: header {n} bytes (multiple of 8: {n % 8 == 0}), metadata {metadata}")
        for name, (dtype, shape, values) in tensors.items():
            print(f"  {name} {dtype} {shape} {values[:3]}")


if __name__ == "__main__":
    main()
