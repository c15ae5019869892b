#!/usr/bin/python3
"""PyTorch peer of TrainerBenchmark (issue 2): the same network, data, preprocessing and training.

784-256-256-10, Linear without bias -> BatchNorm1d (eps 1e-5, momentum 0.1 = our EWA beta 0.9)
-> ReLU, affine output, softmax cross-entropy; Adam lr 1e-3 (0.9, 0.999, 1e-8), batch 128,
shuffled each epoch; pixels scaled to [0, 1] then standardised per pixel with training statistics;
one thread. Prints key=value lines prefixed "torch." for jobs/bench-trainer.

Run with /usr/bin/python3 (Debian python3-torch); usage: bench_torch.py [speed|accuracy|all]
[--data DIR] [--repeats N] [--epochs N]
"""
import argparse
import gzip
import time

import numpy as np
import torch
from torch import nn


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(d):
    xtr = idx(f"{d}/train-images-idx3-ubyte.gz").reshape(60000, -1).astype(np.float32) / 255
    xte = idx(f"{d}/t10k-images-idx3-ubyte.gz").reshape(10000, -1).astype(np.float32) / 255
    ytr = idx(f"{d}/train-labels-idx1-ubyte.gz").astype(np.int64)
    yte = idx(f"{d}/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    mean = xtr.astype(np.float64).mean(axis=0)
    std = xtr.astype(np.float64).std(axis=0)
    inv = np.where(std > 1e-8, 1 / np.maximum(std, 1e-300), 1.0)
    xtr = ((xtr - mean) * inv).astype(np.float32)
    xte = ((xte - mean) * inv).astype(np.float32)
    return (torch.from_numpy(xtr), torch.from_numpy(ytr), torch.from_numpy(xte),
            torch.from_numpy(yte))


def network():
    return nn.Sequential(
        nn.Linear(784, 256, bias=False), nn.BatchNorm1d(256, eps=1e-5, momentum=0.1), nn.ReLU(),
        nn.Linear(256, 256, bias=False), nn.BatchNorm1d(256, eps=1e-5, momentum=0.1), nn.ReLU(),
        nn.Linear(256, 10))


def epoch(model, opt, loss_fn, x, y, gen, batch=128):
    model.train()
    order = torch.randperm(x.shape[0], generator=gen)
    n = 0
    for start in range(0, x.shape[0], batch):
        idx_b = order[start:start + batch]
        xb, yb = x[idx_b], y[idx_b]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        n += xb.shape[0]
    return n


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x)
        return (logits.argmax(1) == y).float().mean().item()


def setup(seed):
    torch.manual_seed(seed)
    model = network()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator().manual_seed(seed)
    return model, opt, gen


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", nargs="?", default="speed", choices=["speed", "accuracy", "all"])
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--epochs", type=int, default=10)
    a = p.parse_args()
    torch.set_num_threads(1)
    xtr, ytr, xte, yte = load(a.data)
    loss_fn = nn.CrossEntropyLoss()
    print(f"torch.version={torch.__version__} threads={torch.get_num_threads()}")
    if a.mode in ("speed", "all"):
        model, opt, gen = setup(1)
        epoch(model, opt, loss_fn, xtr, ytr, gen)  # warm-up, as the Java side
        rates = []
        for r in range(a.repeats):
            t = time.perf_counter()
            n = epoch(model, opt, loss_fn, xtr, ytr, gen)
            rates.append(n / (time.perf_counter() - t))
            print(f"torch.epoch_{r}_samples_per_s={rates[-1]:.0f}")
        rates.sort()
        print(f"torch.samples_per_s={rates[len(rates) // 2]:.0f}")
    if a.mode in ("accuracy", "all"):
        model, opt, gen = setup(1)
        t = time.perf_counter()
        for e in range(a.epochs):
            epoch(model, opt, loss_fn, xtr, ytr, gen)
            print(f"epoch {e}: test acc {evaluate(model, xte, yte):.4f}")
        print(f"torch.train_seconds={time.perf_counter() - t:.1f}")
        print(f"torch.test_accuracy={evaluate(model, xte, yte):.4f}")


if __name__ == "__main__":
    main()
