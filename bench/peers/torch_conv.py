#!/usr/bin/env python3
"""PyTorch peer for ConvRun: the CNN's conv layers at batch 32 (float32, 3x3, stride 1, padding 1),
median ms and GFLOP/s of the forward pass and of both gradients, printed like ConvRun
(one JSON object per line with --json).

    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/peers/torch_conv.py [--json] [--iterations 5]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F

LAYERS = [(3, 64, 32), (64, 128, 16), (128, 256, 8), (256, 256, 8),
          (256, 512, 4), (512, 512, 4), (512, 512, 2), (512, 512, 2)]


def median_ms(call, iterations):
    call()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if not args.json:
        print(f"torch {torch.__version__} conv layers, batch {args.batch}, float32, "
              f"{args.threads} threads, median of {args.iterations}")
        print(f"{'layer':<18} {'pass':<15} {'ms':>10} {'GFLOP/s':>9}")
    for cin, cout, size in LAYERS:
        x = torch.rand(args.batch, cin, size, size) * 2 - 1
        w = torch.rand(cout, cin, 3, 3) * 2 - 1
        g = torch.rand(args.batch, cout, size, size) * 2 - 1
        passes = [
            ("forward", lambda: F.conv2d(x, w, stride=1, padding=1)),
            ("backward_input", lambda: torch.nn.grad.conv2d_input(x.shape, w, g, stride=1, padding=1)),
            ("backward_weight", lambda: torch.nn.grad.conv2d_weight(x, w.shape, g, stride=1, padding=1)),
        ]
        flops = 2.0 * args.batch * cout * size * size * cin * 9
        layer = f"{cin}->{cout}@{size}x{size}"
        with torch.no_grad():
            for name, call in passes:
                ms = median_ms(call, args.iterations)
                gflops = flops / (ms * 1e6)
                if args.json:
                    print(json.dumps({"bench": "conv", "peer": "torch", "layer": layer, "pass": name,
                                      "batch": args.batch, "threads": args.threads,
                                      "median_ms": round(ms, 3), "gflops": round(gflops, 2)}))
                else:
                    print(f"{layer:<18} {name:<15} {ms:>10.2f} {gflops:>9.1f}")


if __name__ == "__main__":
    main()
