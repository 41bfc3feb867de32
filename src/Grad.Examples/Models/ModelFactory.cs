using Grad.Layers;

namespace Grad.Examples.Models;

/// <summary>The practical's three networks, as Grad layers.</summary>
public static class ModelFactory
{
    public const int Inputs = 3 * 32 * 32;
    public const int Classes = 10;

    /// <summary>The NumPy practical's MLP: 3072-100-10 with ReLU, weights N(0, 10⁻⁴), zero biases.</summary>
    public static Sequential NumpyMlp(ulong seed) => new(
        new Linear(Init.Normal([100, Inputs], 0, 1e-4, seed), Tensor.Zeros([100])),
        new ReLU(),
        new Linear(Init.Normal([Classes, 100], 0, 1e-4, seed + 1), Tensor.Zeros([Classes])));

    /// <summary>An MLP with the given hidden widths, ReLU between layers, PyTorch's default
    /// initialisation (the PyTorch practical's network).</summary>
    public static Sequential Mlp(IReadOnlyList<int> hidden, ulong seed)
    {
        var layers = new List<ILayer>();
        int width = Inputs;
        ulong s = seed;
        foreach (var units in hidden)
        {
            layers.Add(Linear.Create(width, units, s));
            layers.Add(new ReLU());
            width = units;
            s += 2;
        }
        layers.Add(Linear.Create(width, Classes, s));
        return new Sequential(layers.ToArray());
    }

    /// <summary>The VGG-style network: 3×3 convolutions (64, pool, 128, pool, 256, 256, pool, 512,
    /// 512, pool, 512, 512, pool), each followed by batch norm and ReLU, max-pools of kernel 3,
    /// stride 2, padding 1, then a linear layer from 512 to the 10 classes.</summary>
    public static Sequential ConvNet(ulong seed)
    {
        var plan = new object[] { 64, "pool", 128, "pool", 256, 256, "pool", 512, 512, "pool", 512, 512, "pool" };
        var layers = new List<ILayer>();
        int channels = 3;
        ulong s = seed;
        foreach (var step in plan)
        {
            if (step is int width)
            {
                layers.Add(Conv2d.Create(channels, width, kernel: 3, seed: s, stride: 1, padding: 1));
                layers.Add(BatchNorm2d.Create(width));
                layers.Add(new ReLU());
                channels = width;
                s += 2;
            }
            else
            {
                layers.Add(new MaxPool2d(Kernel: 3, Stride: 2, Padding: 1));
            }
        }
        layers.Add(new Layers.Flatten());
        layers.Add(Linear.Create(channels, Classes, s));
        return new Sequential(layers.ToArray());
    }
}
