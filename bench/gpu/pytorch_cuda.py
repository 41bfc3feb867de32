#!/usr/bin/env python3
"""PyTorch's figures beside Grad's OpenCL ones, on the same GPU in the same run (bench/gpu/measure.sh).

The same measurements as `Grad.Benchmarks device-ops` and `train-step`, with the same networks,
optimisers, batch sizes and protocol, so the two can be divided:
  SGEMM n^3 in float32 with TF32 off (cuBLAS's true fp32 speed; TF32 would round the inputs),
  an element-wise add of two float32 vectors (GB/s moved: two reads and a write) and a sum (GB/s read),
  train steps (a) MLP 3072-100-10, SGD lr 2e-3, batch 200; (b) MLP 3072-600-600-200-10, Adam lr 3e-4,
  weight decay 2e-3, batch 400; (c) the VGG-style CNN, Adam lr 1e-4, batch 32 (c:N: batch N).
A train step is forward, loss, backward and the optimiser's update, then the count of correct
predictions read back to the host (as Grad's step reads its loss and count), timed one step at a
time; the figure is the median after a warm-up, on random inputs of the pixels' scale.

Prints one JSON object per figure (the schema of Grad.Benchmarks --json) and a line of text for
each; exits 3 with a message when PyTorch or a CUDA device is missing.
"""
import argparse
import json
import statistics
import sys
import time

INPUTS, CLASSES = 3 * 32 * 32, 10


def emit(record, text):
    print(json.dumps(record), flush=True)
    print('  ' + text, flush=True)


def mlp(nn, widths):
    """Linear layers with ReLU between them, PyTorch's default initialisation (Grad's Linear.Create)."""
    layers = [nn.Flatten()]
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def convnet(nn):
    """Grad's ModelFactory.ConvNet: 3x3 convolutions (64, pool, 128, pool, 256, 256, pool, 512, 512,
    pool, 512, 512, pool), each with batch norm and ReLU, max-pools k3 s2 p1, linear 512 -> 10."""
    plan = [64, 'pool', 128, 'pool', 256, 256, 'pool', 512, 512, 'pool', 512, 512, 'pool']
    layers, channels = [], 3
    for step in plan:
        if step == 'pool':
            layers.append(nn.MaxPool2d(3, 2, 1))
        else:
            layers += [nn.Conv2d(channels, step, 3, 1, 1), nn.BatchNorm2d(step), nn.ReLU()]
            channels = step
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(channels, CLASSES))


def workload(torch, spec):
    """(name, model, optimiser, batch, flat input, default timed steps) of a workload id, as Grad's TrainStepRun."""
    nn = torch.nn
    wid, _, batch_text = spec.partition(':')
    if wid == 'a':
        model = mlp(nn, [INPUTS, 100, CLASSES])
        # Grad's NumpyMlp starts from N(0, 1e-4) weights and zero biases.
        for layer in model:
            if isinstance(layer, nn.Linear):
                nn.init.normal_(layer.weight, 0.0, 1e-4)
                nn.init.zeros_(layer.bias)
        make_opt, batch, flat, steps, name = (lambda p: torch.optim.SGD(p, lr=2e-3)), 200, True, 100, 'MLP 3072-100-10, SGD'
    elif wid == 'b':
        model = mlp(nn, [INPUTS, 600, 600, 200, CLASSES])
        make_opt, batch, flat, steps, name = (lambda p: torch.optim.Adam(p, lr=3e-4, weight_decay=2e-3)), 400, True, 30, \
            'MLP 3072-600-600-200-10, Adam + wd'
    elif wid == 'c':
        model = convnet(nn)
        make_opt, batch, flat, steps, name = (lambda p: torch.optim.Adam(p, lr=1e-4)), 32, False, 12, 'VGG-style CNN, Adam'
    else:
        raise ValueError(f"unknown workload '{spec}' (a, b or c; a batch size after a colon, as c:128)")
    if batch_text:
        batch = int(batch_text)
    return f'{name}, batch {batch}', model, make_opt, batch, flat, steps


def median_seconds(torch, op, min_runs=6, min_seconds=1.0, max_runs=200):
    """Median of synchronised runs after one that warms up: at least min_runs, more while under min_seconds in all."""
    times, start, run = [], time.perf_counter(), 0
    while run < min_runs or (time.perf_counter() - start < min_seconds and run < max_runs):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        op()
        torch.cuda.synchronize()
        if run > 0:
            times.append(time.perf_counter() - t0)
        run += 1
    return statistics.median(times)


def device_ops(torch, n, elements):
    a = torch.randn(n, n, device='cuda')
    b = torch.randn(n, n, device='cuda')
    seconds = median_seconds(torch, lambda: torch.mm(a, b))
    emit({'op': 'sgemm', 'what': f'SGEMM {n}³', 'rate': 2.0 * n ** 3 / seconds / 1e9, 'unit': 'GFLOP/s', 'ms': seconds * 1e3},
         f'SGEMM {n}³ (cuBLAS, TF32 off)  {2.0 * n ** 3 / seconds / 1e9:10.1f} GFLOP/s ({seconds * 1e3:.3f} ms)')
    del a, b
    x = torch.randn(elements, device='cuda')
    y = torch.randn(elements, device='cuda')
    add = median_seconds(torch, lambda: x + y)
    emit({'op': 'add', 'what': f'add of {elements:,} floats', 'rate': 3.0 * elements * 4 / add / 1e9, 'unit': 'GB/s', 'ms': add * 1e3},
         f'add of {elements:,} floats  {3.0 * elements * 4 / add / 1e9:10.1f} GB/s ({add * 1e3:.3f} ms)')
    total = median_seconds(torch, lambda: torch.sum(x))
    emit({'op': 'sum', 'what': f'sum of {elements:,} floats', 'rate': elements * 4 / total / 1e9, 'unit': 'GB/s', 'ms': total * 1e3},
         f'sum of {elements:,} floats  {elements * 4 / total / 1e9:10.1f} GB/s ({total * 1e3:.3f} ms)')


def train_step_ms(torch, spec, steps_override, device):
    name, model, make_opt, batch, flat, steps = workload(torch, spec)
    steps = steps_override or steps
    model = model.to(device)
    optimizer = make_opt(model.parameters())
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator(device='cpu').manual_seed(7)
    shape = (batch, INPUTS) if flat else (batch, 3, 32, 32)
    images = (torch.randn(shape, generator=generator) * 60).to(device)
    labels = (torch.arange(batch) % CLASSES).to(device)

    def step():
        optimizer.zero_grad(set_to_none=True)
        output = model(images)
        loss = loss_fn(output, labels)
        loss.backward()
        optimizer.step()
        return float(loss), int((output.argmax(1) == labels).sum())

    times = []
    warmup = max(3, steps // 5)
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        step()
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    median = statistics.median(times) * 1e3
    emit({'workload': spec, 'name': name, 'median_ms': median}, f'({spec}) {name:<48} median {median:9.2f} ms')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--gemm', type=int, default=4096)
    ap.add_argument('--elements', type=int, default=1 << 26)
    ap.add_argument('--workloads', default='a,b,c,c:128')
    ap.add_argument('--steps', type=int, default=0, help='timed train steps; 0: each workload\'s own (a 100, b 30, c 12)')
    ap.add_argument('--cpu', action='store_true', help='time the train steps on the CPU (a check of this script where no GPU is)')
    args = ap.parse_args()
    try:
        import torch
    except ImportError as e:
        print(f'no PyTorch here ({e}): the PyTorch CUDA figures are left out', flush=True)
        return 3
    if not args.cpu and not torch.cuda.is_available():
        print(f'no CUDA device (torch {torch.__version__}, built for CUDA {torch.version.cuda}): '
              'the PyTorch CUDA figures are left out', flush=True)
        return 3
    # Grad computes in true float32: TF32 (10-bit mantissas) off for cuBLAS and cuDNN alike.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    # cuDNN's fastest convolution algorithms for these shapes: PyTorch at its best.
    torch.backends.cudnn.benchmark = True
    torch.manual_seed(0)
    device = 'cpu' if args.cpu else 'cuda'
    description = 'CPU' if args.cpu else torch.cuda.get_device_name(0)
    print(json.dumps({'device': description, 'torch': torch.__version__, 'cuda': torch.version.cuda,
                      'cudnn': torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None,
                      'tf32': False, 'cudnn_benchmark': True}), flush=True)
    print(f'PyTorch {torch.__version__} on {description}, CUDA {torch.version.cuda}, TF32 off', flush=True)
    failed = 0
    if not args.cpu:
        try:
            device_ops(torch, args.gemm, args.elements)
        except Exception as e:  # a failed figure leaves the others to run
            print(f'device ops failed: {e}', flush=True)
            failed = 1
    for spec in filter(None, args.workloads.split(',')):
        try:
            train_step_ms(torch, spec.strip(), args.steps, device)
        except Exception as e:
            print(f'train step ({spec}) failed: {e}', flush=True)
            failed = 1
        if not args.cpu:
            torch.cuda.empty_cache()
    return failed


if __name__ == '__main__':
    sys.exit(main())
