"""Build the PyTorch reference values that tests/neutral/Oracle/PyTorchOracleTests.cs checks
Grad's built-in layers against.

Every case builds fixed float64 inputs, parameters and a random upstream gradient from a
seeded numpy RandomState, runs PyTorch's own module in float64 (training mode where it
matters), and records the output, the input gradient, the parameter gradients and, for batch
norm, the updated running statistics and the eval-mode output after the update.

Regenerate (from the repository root, with Debian's Python and its torch package):

    /usr/bin/python3 tests/oracle/make_reference.py

It writes tests/neutral/Oracle/pytorch_reference.json. The output is deterministic for a given
torch/numpy build; commit it together with any change to this script.
"""

import json
import os
import sys

import numpy as np
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "neutral", "Oracle", "pytorch_reference.json")


def normal(rs, *shape, scale=1.0, shift=0.0):
    return rs.standard_normal(shape) * scale + shift


def t(array, grad=False):
    return torch.tensor(np.asarray(array, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


def entry(tensor):
    a = tensor.detach().cpu().numpy().astype(np.float64)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def set_params(module, params):
    with torch.no_grad():
        for name, value in params.items():
            getattr(module, name).copy_(t(value))


def run(module, x_np, g_np, grad_names):
    """Training forward and backward; returns (x, y, dx, {name: grad})."""
    x = t(x_np, grad=True)
    y = module(x)
    y.backward(t(g_np))
    grads = {name: getattr(module, name).grad for name in grad_names}
    return x, y, x.grad, grads


def linear_case():
    rs = np.random.RandomState(101)
    batch, fin, fout = 5, 4, 3
    x, w, b = normal(rs, batch, fin), normal(rs, fout, fin), normal(rs, fout)
    g = normal(rs, batch, fout)
    m = nn.Linear(fin, fout, bias=True).double()
    set_params(m, {"weight": w, "bias": b})
    _, y, dx, grads = run(m, x, g, ["weight", "bias"])
    return {"name": "linear", "layer": "Linear", "config": {},
            "tensors": {"x": entry(t(x)), "W": entry(t(w)), "B": entry(t(b)), "g": entry(t(g)),
                        "y": entry(y), "dx": entry(dx), "dW": entry(grads["weight"]), "dB": entry(grads["bias"])}}


def relu_case():
    rs = np.random.RandomState(102)
    x, g = normal(rs, 4, 6), normal(rs, 4, 6)
    _, y, dx, _ = run(nn.ReLU(), x, g, [])
    return {"name": "relu", "layer": "ReLU", "config": {},
            "tensors": {"x": entry(t(x)), "g": entry(t(g)), "y": entry(y), "dx": entry(dx)}}


def softmax_case():
    rs = np.random.RandomState(103)
    x, g = normal(rs, 3, 7, scale=2.0), normal(rs, 3, 7)
    _, y, dx, _ = run(nn.Softmax(dim=-1), x, g, [])
    return {"name": "softmax", "layer": "Softmax", "config": {},
            "tensors": {"x": entry(t(x)), "g": entry(t(g)), "y": entry(y), "dx": entry(dx)}}


def cross_entropy_case():
    rs = np.random.RandomState(104)
    batch, classes = 6, 5
    logits = normal(rs, batch, classes, scale=2.0)
    labels = rs.randint(0, classes, size=batch)
    g = float(rs.uniform(0.5, 1.5))
    x = t(logits, grad=True)
    loss = nn.CrossEntropyLoss(reduction="mean")(x, torch.tensor(labels, dtype=torch.long))
    loss.backward(torch.tensor(g, dtype=torch.float64))
    return {"name": "cross_entropy", "layer": "CrossEntropy", "config": {"classes": classes},
            "labels": [int(v) for v in labels],
            "tensors": {"x": entry(t(logits)), "g": entry(torch.tensor(g, dtype=torch.float64)),
                        "y": entry(loss), "dx": entry(x.grad)}}


def batchnorm_case(name, layer, module, x, rs):
    c = x.shape[1]
    gamma, beta = normal(rs, c, scale=0.5, shift=1.0), normal(rs, c)
    rmean, rvar = normal(rs, c), rs.uniform(0.5, 2.0, size=c)
    g = normal(rs, *x.shape)
    module = module.double()
    module.train()
    set_params(module, {"weight": gamma, "bias": beta})
    with torch.no_grad():
        module.running_mean.copy_(t(rmean))
        module.running_var.copy_(t(rvar))
    _, y, dx, grads = run(module, x, g, ["weight", "bias"])
    module.eval()
    with torch.no_grad():
        y_eval = module(t(x))
    return {"name": name, "layer": layer, "config": {"eps": module.eps, "momentum": module.momentum},
            "tensors": {"x": entry(t(x)), "Gamma": entry(t(gamma)), "Beta": entry(t(beta)),
                        "RunningMean": entry(t(rmean)), "RunningVar": entry(t(rvar)), "g": entry(t(g)),
                        "y": entry(y), "dx": entry(dx), "dGamma": entry(grads["weight"]), "dBeta": entry(grads["bias"]),
                        "RunningMeanAfter": entry(module.running_mean), "RunningVarAfter": entry(module.running_var),
                        "yEval": entry(y_eval)}}


def batchnorm1d_case():
    rs = np.random.RandomState(105)
    x = normal(rs, 8, 5, scale=3.0, shift=1.0)
    return batchnorm_case("batchnorm1d", "BatchNorm", nn.BatchNorm1d(5, eps=1e-5, momentum=0.1), x, rs)


def batchnorm2d_case():
    rs = np.random.RandomState(106)
    x = normal(rs, 3, 4, 5, 6, scale=2.0, shift=-0.5)
    return batchnorm_case("batchnorm2d", "BatchNorm2d", nn.BatchNorm2d(4, eps=1e-5, momentum=0.1), x, rs)


def conv_case(name, seed, n, c, h, w, o, k, stride, padding):
    rs = np.random.RandomState(seed)
    x, weight, bias = normal(rs, n, c, h, w), normal(rs, o, c, k, k, scale=0.5), normal(rs, o)
    m = nn.Conv2d(c, o, k, stride=stride, padding=padding, bias=True).double()
    set_params(m, {"weight": weight, "bias": bias})
    y_shape = m(t(x)).shape
    g = normal(rs, *y_shape)
    _, y, dx, grads = run(m, x, g, ["weight", "bias"])
    return {"name": name, "layer": "Conv2d", "config": {"kernel": k, "stride": stride, "padding": padding},
            "tensors": {"x": entry(t(x)), "W": entry(t(weight)), "B": entry(t(bias)), "g": entry(t(g)),
                        "y": entry(y), "dx": entry(dx), "dW": entry(grads["weight"]), "dB": entry(grads["bias"])}}


def maxpool_case(name, seed, shape, kernel, stride, padding):
    rs = np.random.RandomState(seed)
    x = normal(rs, *shape)
    m = nn.MaxPool2d(kernel, stride=stride, padding=padding)
    g = normal(rs, *m(t(x)).shape)
    _, y, dx, _ = run(m, x, g, [])
    return {"name": name, "layer": "MaxPool2d", "config": {"kernel": kernel, "stride": stride, "padding": padding},
            "tensors": {"x": entry(t(x)), "g": entry(t(g)), "y": entry(y), "dx": entry(dx)}}


def flatten_case():
    rs = np.random.RandomState(110)
    x = normal(rs, 2, 3, 4, 5)
    g = normal(rs, 2, 60)
    _, y, dx, _ = run(nn.Flatten(), x, g, [])
    return {"name": "flatten", "layer": "Flatten", "config": {},
            "tensors": {"x": entry(t(x)), "g": entry(t(g)), "y": entry(y), "dx": entry(dx)}}


def sequential_case():
    rs = np.random.RandomState(111)
    batch, fin, hidden, fout = 5, 4, 6, 3
    x = normal(rs, batch, fin)
    w0, b0 = normal(rs, hidden, fin), normal(rs, hidden)
    w2, b2 = normal(rs, fout, hidden), normal(rs, fout)
    g = normal(rs, batch, fout)
    m = nn.Sequential(nn.Linear(fin, hidden), nn.ReLU(), nn.Linear(hidden, fout)).double()
    set_params(m[0], {"weight": w0, "bias": b0})
    set_params(m[2], {"weight": w2, "bias": b2})
    xt = t(x, grad=True)
    y = m(xt)
    y.backward(t(g))
    return {"name": "sequential_linear_relu_linear", "layer": "Sequential", "config": {},
            "tensors": {"x": entry(t(x)), "0.W": entry(t(w0)), "0.B": entry(t(b0)),
                        "2.W": entry(t(w2)), "2.B": entry(t(b2)), "g": entry(t(g)),
                        "y": entry(y), "dx": entry(xt.grad),
                        "d0.W": entry(m[0].weight.grad), "d0.B": entry(m[0].bias.grad),
                        "d2.W": entry(m[2].weight.grad), "d2.B": entry(m[2].bias.grad)}}


def training_case(name, seed, model, grad_names, optimizer, config, steps=4, batch=6, features=12, classes=10):
    """A short training run: `steps` optimiser steps of `model` (float64, training mode) on
    random batches with softmax cross-entropy (mean over the batch), as Grad's TrainStep does.
    Records each step's batch, loss and number of correct predictions, the parameters (and
    running statistics) after every step, and the optimiser's state after the last."""
    rs = np.random.RandomState(seed)
    model = model.double()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(t(normal(rs, *p.shape, scale=0.5)))
    tensors = {f"{grad}@0": entry(value) for grad, value in named_values(model, grad_names).items()}
    opt = optimizer(model.parameters())
    labels = []
    for step in range(1, steps + 1):
        x = normal(rs, batch, features, scale=2.0)
        y = rs.randint(0, classes, size=batch)
        labels += [int(v) for v in y]
        opt.zero_grad()
        logits = model(t(x))
        loss = nn.CrossEntropyLoss(reduction="mean")(logits, torch.tensor(y, dtype=torch.long))
        loss.backward()
        opt.step()
        tensors[f"x@{step}"] = entry(t(x))
        tensors[f"loss@{step}"] = entry(loss)
        tensors[f"correct@{step}"] = entry(t(float((logits.argmax(1) == torch.tensor(y)).sum())))
        tensors.update({f"{grad}@{step}": entry(value) for grad, value in named_values(model, grad_names).items()})
    for torch_name, p in model.named_parameters():
        for slot, value in opt.state[p].items():
            if slot != "step" and value is not None:  # plain SGD keeps a None buffer
                tensors[f"{OPTIMIZER_SLOTS[slot]}.{grad_names[torch_name]}"] = entry(value)
    layers = [GRAD_LAYERS[type(m).__name__] for m in model]
    return {"name": name, "layer": "TrainStep", "config": dict(config, layers=layers, steps=steps, classes=classes),
            "labels": labels, "tensors": tensors}


# PyTorch's module names and Grad's layer names.
GRAD_LAYERS = {"Linear": "Linear", "ReLU": "ReLU", "BatchNorm1d": "BatchNorm"}

# PyTorch's optimiser state names and Grad's slot names.
OPTIMIZER_SLOTS = {"exp_avg": "m", "exp_avg_sq": "v", "momentum_buffer": "velocity"}


def named_values(model, grad_names):
    """Parameters and buffers under Grad's dotted names (`0.W`, `1.RunningVar`)."""
    values = dict(model.named_parameters())
    values.update(model.named_buffers())
    return {grad: values[torch_name].detach() for torch_name, grad in grad_names.items()}


def mlp_adam_training_case():
    model = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 10))
    names = {"0.weight": "0.W", "0.bias": "0.B", "2.weight": "2.W", "2.bias": "2.B", "4.weight": "4.W", "4.bias": "4.B"}
    lr, wd = 1e-2, 2e-3
    return training_case("train_mlp_adam", 114, model, names,
                         lambda ps: torch.optim.Adam(ps, lr=lr, weight_decay=wd),
                         {"optimizer": "adam", "learning_rate": lr, "weight_decay": wd})


def bn_sgd_momentum_training_case():
    model = nn.Sequential(nn.Linear(12, 16), nn.BatchNorm1d(16, eps=1e-5, momentum=0.1), nn.ReLU(), nn.Linear(16, 10))
    names = {"0.weight": "0.W", "0.bias": "0.B", "1.weight": "1.Gamma", "1.bias": "1.Beta",
             "1.running_mean": "1.RunningMean", "1.running_var": "1.RunningVar", "3.weight": "3.W", "3.bias": "3.B"}
    lr, momentum, wd = 5e-2, 0.9, 5e-3
    return training_case("train_bn_sgd_momentum", 115, model, names,
                         lambda ps: torch.optim.SGD(ps, lr=lr, momentum=momentum, weight_decay=wd),
                         {"optimizer": "sgd", "learning_rate": lr, "momentum": momentum, "weight_decay": wd,
                          "eps": 1e-5, "bn_momentum": 0.1})


def mlp_sgd_training_case():
    model = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 10))
    names = {"0.weight": "0.W", "0.bias": "0.B", "2.weight": "2.W", "2.bias": "2.B"}
    lr = 2e-2
    return training_case("train_mlp_sgd", 116, model, names,
                         lambda ps: torch.optim.SGD(ps, lr=lr),
                         {"optimizer": "sgd", "learning_rate": lr, "momentum": 0.0, "weight_decay": 0.0})


def main():
    torch.set_num_threads(1)
    cases = [
        linear_case(),
        relu_case(),
        softmax_case(),
        cross_entropy_case(),
        batchnorm1d_case(),
        batchnorm2d_case(),
        conv_case("conv2d_k3_s1_p1", 107, 2, 3, 7, 6, 4, 3, 1, 1),
        conv_case("conv2d_k2_s2_p0", 108, 2, 3, 7, 6, 5, 2, 2, 0),
        conv_case("conv2d_k3_s2_p1", 112, 2, 2, 6, 7, 3, 3, 2, 1),
        maxpool_case("maxpool2d_k3_s2_p1", 109, (2, 3, 7, 8), 3, 2, 1),
        maxpool_case("maxpool2d_k2_s2_p0", 113, (2, 3, 6, 5), 2, 2, 0),
        flatten_case(),
        sequential_case(),
        mlp_sgd_training_case(),
        mlp_adam_training_case(),
        bn_sgd_momentum_training_case(),
    ]
    doc = {
        "generator": "tests/oracle/make_reference.py",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "python_version": sys.version.split()[0],
        "dtype": "float64",
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)  # json writes floats with repr: shortest round-trip form
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes, {len(cases)} cases, torch {torch.__version__})")


if __name__ == "__main__":
    main()
