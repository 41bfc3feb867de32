#!/usr/bin/env python3
"""Puts Grad's OpenCL figures next to PyTorch CUDA's, with their ratios and the OpenCL issue's GPU
targets: reads the stage outputs bench/gpu/measure.sh left in its work folder (the JSON lines of
Grad.Benchmarks --json and pytorch_cuda.py, the stage table, the convnet run's metrics) and writes
summary.md and summary.json to the results folder. Standard library only.

usage: summarize.py WORK OUT [--quick 0|1]
"""
import argparse
import json
import os
import re

GEMM_TARGET_GFLOPS = 40_000      # SGEMM 4096³ on an H200
GEMM_TARGET_OF_CUBLAS = 0.8
BANDWIDTH_SHARE = 0.70           # of the memory bandwidth, for element-wise kernels
STEP_TARGET = 1.5                # train step time, at most this many times PyTorch CUDA's
CONVNET_ACCURACY, CONVNET_SECONDS = 0.75, 60


def json_lines(path):
    """The JSON objects a stage printed, one a line, among its other output; [] if it never ran."""
    if not os.path.exists(path):
        return []
    records = []
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.strip()
            if line.startswith('{'):
                try:
                    records.append(json.loads(line))
                except ValueError:
                    pass
    return records


def stages(work):
    """The latest exit code and seconds of every stage that has run, in order of first run."""
    table = {}
    path = os.path.join(work, 'stages.tsv')
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.rstrip('\n').split('\t')
                if len(parts) == 3:
                    table[parts[0]] = {'exit': parts[1], 'seconds': parts[2]}
    return table


def convnet_result(work):
    path = os.path.join(work, 'runs', 'convnet', 'metrics.json')
    if not os.path.exists(path):
        return None
    with open(path) as f:
        points = json.load(f).get('points', [])
    if not points:
        return None
    last = points[-1]
    result = {'steps': last['step'], 'test_accuracy': last['test_accuracy'], 'wall_seconds': last['wall_seconds'],
              'best_test_accuracy': max(p['test_accuracy'] for p in points), 'training_seconds': None}
    # The trainer's closing line has the mean step time with the evaluations left out.
    output = os.path.join(work, 'convnet.out')
    if os.path.exists(output):
        with open(output, encoding='utf-8', errors='replace') as f:
            done = re.search(r'done: (\d+) steps .*?([\d.]+) ms per training step', f.read())
        if done:
            result['training_seconds'] = int(done.group(1)) * float(done.group(2)) / 1e3
    return result


def verdict(met, quick):
    if met is None:
        return 'not measured'
    if quick:
        return '(quick run)'
    return 'met' if met else 'NOT met'


def fmt(value, digits=1):
    return '—' if value is None else f'{value:,.{digits}f}'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('work')
    ap.add_argument('out')
    ap.add_argument('--quick', default='0')
    args = ap.parse_args()
    quick = args.quick == '1'
    peak = float(os.environ.get('GRAD_GPU_PEAK_GBPS', 4800))

    def ops(stage):
        return {r['op']: r for r in json_lines(os.path.join(args.work, stage + '.out')) if 'op' in r}

    def steps(stage):
        return {r['workload']: r for r in json_lines(os.path.join(args.work, stage + '.out')) if 'workload' in r}

    grad_ops, shipped_ops, torch_ops = ops('ops'), ops('ops-shipped'), ops('pytorch')
    grad_steps, torch_steps = steps('train'), steps('pytorch')
    devices = [dict(side=side, **r) for side, stage in (('Grad OpenCL', 'ops'), ('PyTorch', 'pytorch'))
               for r in json_lines(os.path.join(args.work, stage + '.out')) if 'device' in r]
    rows = []

    def rate(source, op):
        return source.get(op, {}).get('rate')

    g, s, t = rate(grad_ops, 'sgemm'), rate(shipped_ops, 'sgemm'), rate(torch_ops, 'sgemm')
    what = (grad_ops.get('sgemm') or torch_ops.get('sgemm') or {}).get('what', 'SGEMM')
    rows.append({'figure': f'{what}, GFLOP/s (tuned)', 'grad': g, 'pytorch': t,
                 'ratio': None if g is None or t is None else g / t, 'ratio_of': 'cuBLAS',
                 'target': f'≥ {GEMM_TARGET_GFLOPS:,} GFLOP/s and ≥ {GEMM_TARGET_OF_CUBLAS}× cuBLAS',
                 'met': None if g is None else g >= GEMM_TARGET_GFLOPS and (t is None or g / t >= GEMM_TARGET_OF_CUBLAS)})
    rows.append({'figure': f'{what}, GFLOP/s (shipped defaults)', 'grad': s, 'pytorch': t,
                 'ratio': None if s is None or t is None else s / t, 'ratio_of': 'cuBLAS', 'target': '', 'met': None})
    for op, target in (('add', BANDWIDTH_SHARE), ('sum', None)):
        g, t = rate(grad_ops, op), rate(torch_ops, op)
        what = (grad_ops.get(op) or torch_ops.get(op) or {}).get('what', op)
        share = '' if g is None else f' ({g / peak:.0%} of {peak:,.0f})'
        rows.append({'figure': f'{what}, GB/s{share}', 'grad': g, 'pytorch': t,
                     'ratio': None if g is None or t is None else g / t, 'ratio_of': 'PyTorch',
                     'target': f'≥ {target:.0%} of {peak:,.0f} GB/s' if target else '',
                     'met': None if g is None or target is None else g >= target * peak})
    for workload in sorted(set(grad_steps) | set(torch_steps), key=lambda w: (w.split(':')[0], len(w), w)):
        g, t = grad_steps.get(workload, {}).get('median_ms'), torch_steps.get(workload, {}).get('median_ms')
        name = (grad_steps.get(workload) or torch_steps.get(workload))['name']
        ratio = None if g is None or t is None else g / t
        rows.append({'figure': f'train step ({workload}) {name}, ms', 'grad': g, 'pytorch': t,
                     'ratio': ratio, 'ratio_of': "PyTorch's time", 'target': f'≤ {STEP_TARGET}× PyTorch',
                     'met': None if ratio is None else ratio <= STEP_TARGET})
    convnet = convnet_result(args.work)
    if convnet:
        training = convnet['training_seconds']
        rows.append({'figure': f"grad convnet --device opencl, {convnet['steps']} steps: test accuracy % "
                               f"(best {convnet['best_test_accuracy']:.2%}); {fmt(training, 0)} s of training, "
                               f"{convnet['wall_seconds']:.0f} s with the evaluations",
                     'grad': 100 * convnet['test_accuracy'], 'pytorch': None, 'ratio': None, 'ratio_of': '',
                     'target': f'≥ {CONVNET_ACCURACY:.0%} in under {CONVNET_SECONDS} s of training',
                     'met': convnet['test_accuracy'] >= CONVNET_ACCURACY and training is not None and training < CONVNET_SECONDS})

    table = stages(args.work)
    lines = ['# Grad OpenCL next to PyTorch CUDA', '']
    if quick:
        lines += ['**Quick run** (GRAD_GPU_QUICK=1): small sizes and few steps, a check of the kit; the targets are '
                  'for the full sizes on an H200.', '']
    for d in devices:
        lines.append(f"- {d['side']}: " + ', '.join(f'{k} {v}' for k, v in d.items() if k != 'side'))
    lines += ['', '| figure | Grad OpenCL | PyTorch CUDA | ratio | target | |', '|---|---:|---:|---|---|---|']
    for r in rows:
        ratio = '' if r['ratio'] is None else f"{r['ratio']:.2f}× {r['ratio_of']}"
        lines.append(f"| {r['figure']} | {fmt(r['grad'], 2)} | {fmt(r['pytorch'], 2)} | {ratio} | {r['target']} | "
                     f"{verdict(r['met'], quick) if r['target'] else ''} |")
    lines += ['', '| stage | exit | seconds |', '|---|---|---|']
    lines += [f"| {name} | {v['exit']} | {v['seconds']} |" for name, v in table.items()]
    lines += ['', 'Exit 124 or 137: the stage reached its time limit; 3 from pytorch: no PyTorch or no CUDA device.']
    text = '\n'.join(lines) + '\n'
    with open(os.path.join(args.out, 'summary.md'), 'w', encoding='utf-8') as f:
        f.write(text)
    with open(os.path.join(args.out, 'summary.json'), 'w', encoding='utf-8') as f:
        json.dump({'quick': quick, 'peak_bandwidth_gbps': peak, 'devices': devices, 'rows': rows, 'stages': table,
                   'grad': {'ops': grad_ops, 'ops_shipped': shipped_ops, 'train': grad_steps, 'convnet': convnet},
                   'pytorch': {'ops': torch_ops, 'train': torch_steps}}, f, indent=1, ensure_ascii=False)
    print(text, end='')


if __name__ == '__main__':
    main()
