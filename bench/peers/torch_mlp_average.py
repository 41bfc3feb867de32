#!/usr/bin/env python3
"""PyTorch peer for `grad mlp`'s weight averaging: the practical's MLP (3072-600-600-200-10, Adam
3e-4, L2 2e-3, batch 400, 3000 steps) trained once, evaluated every 500 steps on its last weights
and on exponential moving averages of them with TensorFlow's warm-up bound, as Grad's
WeightAveraging computes them: a <- d*a + (1 - d)*p, d = min(decay, (1 + t)/(10 + t)), starting
from the weights after the first step. One line per evaluation:
step, then last weights' and each average's (validation and) test accuracy.

    mkdir -p /tmp/cifar && tar xzf ../shared/data/cifar-10-binary.tar.gz -C /tmp/cifar
    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/peers/torch_mlp_average.py \
        --data /tmp/cifar/cifar-10-batches-bin --seed 1 [--validation-size 5000] [--threads 1]

Preprocessing and batch order come from ../shared/peers/python/common.py (the practical's).
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'peers', 'python'))
from common import BatchSampler, load_cifar10  # noqa: E402

DECAYS = [0.99, 0.995, 0.998]


def accuracy(model, weights, x, y):
    with torch.no_grad():
        kept = [p.detach().clone() for p in model.parameters()]
        for p, w in zip(model.parameters(), weights):
            p.copy_(w)
        hits = sum(int((model(torch.from_numpy(x[i:i + 1000])).argmax(1).numpy() == y[i:i + 1000]).sum())
                   for i in range(0, len(x), 1000))
        for p, w in zip(model.parameters(), kept):
            p.copy_(w)
    return hits / len(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--validation-size', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    x_train, y_train, x_test, y_test = load_cifar10(args.data)
    x_train, x_test = x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)
    held = args.validation_size
    x_val, y_val, x_train, y_train = x_train[:held], y_train[:held], x_train[held:], y_train[held:]

    torch.manual_seed(args.seed)
    dims = [3072, 600, 600, 200, 10]
    layers = []
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4, weight_decay=2e-3)
    loss = nn.CrossEntropyLoss()
    sampler = BatchSampler(len(x_train), 400, np.random.default_rng(args.seed))
    averages = None

    for t in range(1, 3001):
        idx = sampler.next()
        optimizer.zero_grad()
        loss(model(torch.from_numpy(x_train[idx])), torch.from_numpy(y_train[idx])).backward()
        optimizer.step()
        with torch.no_grad():
            if averages is None:
                averages = [[p.detach().clone() for p in model.parameters()] for _ in DECAYS]
            else:
                for decay, average in zip(DECAYS, averages):
                    d = min(decay, (1 + t) / (10 + t))
                    for a, p in zip(average, model.parameters()):
                        a.mul_(d).add_(p, alpha=1 - d)
        if t % 500 == 0:
            columns = [f'step {t}']
            for name, weights in [('last', [p.detach() for p in model.parameters()])] + \
                                 [(f'ema {d}', a) for d, a in zip(DECAYS, averages)]:
                val = f' validation {accuracy(model, weights, x_val, y_val):.4f}' if held else ''
                columns.append(f'{name}:{val} test {accuracy(model, weights, x_test, y_test):.4f}')
            print(f'seed {args.seed}  ' + '  '.join(columns), flush=True)


if __name__ == '__main__':
    main()
