#!/usr/bin/env python3
"""Builds data/fashion-mnist-sample/: a deterministic, class-balanced sample of Fashion-MNIST.

Source: the Debian package dataset-fashion-mnist (files in /usr/share/datasets/fashion-mnist).
Selection: for each class, the first N/10 images of that class in file order (600 per class from the
training set, 100 per class from the test set), written back in their original file order, as gzip IDX
files with a fixed gzip timestamp so reruns give byte-identical files.

Usage: python3 data/make-fashion-mnist-sample.py [source-folder]
"""
import gzip
import os
import struct
import sys

SOURCE = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
TARGET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fashion-mnist-sample")
PARTS = {"train": 600, "t10k": 100}  # images per class


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return shape, data[4 + 4 * dims:]


def write_idx(path, shape, payload):
    header = bytes([0, 0, 0x08, len(shape)]) + struct.pack(">" + "I" * len(shape), *shape)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(header + payload)


def main():
    os.makedirs(TARGET, exist_ok=True)
    for part, per_class in PARTS.items():
        (n, h, w), pixels = read_idx(os.path.join(SOURCE, f"{part}-images-idx3-ubyte.gz"))
        (nl,), labels = read_idx(os.path.join(SOURCE, f"{part}-labels-idx1-ubyte.gz"))
        assert n == nl, "images and labels disagree"
        taken = [0] * 10
        chosen = []
        for i, label in enumerate(labels):
            if taken[label] < per_class:
                taken[label] += 1
                chosen.append(i)
        assert all(t == per_class for t in taken), taken
        size = h * w
        write_idx(os.path.join(TARGET, f"{part}-images-idx3-ubyte.gz"), (len(chosen), h, w),
                  b"".join(pixels[i * size:(i + 1) * size] for i in chosen))
        write_idx(os.path.join(TARGET, f"{part}-labels-idx1-ubyte.gz"), (len(chosen),),
                  bytes(labels[i] for i in chosen))
        print(f"{part}: {len(chosen)} images ({per_class} per class)")


if __name__ == "__main__":
    main()
