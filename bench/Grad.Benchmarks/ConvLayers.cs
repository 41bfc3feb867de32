using Grad.Backends;

namespace Grad.Benchmarks;

/// <summary>One convolution layer of the CIFAR-10 CNN: 3×3 kernels, stride 1, padding 1.</summary>
public sealed record ConvLayer(int InChannels, int OutChannels, int Size)
{
    public static readonly Conv2dGeometry Geometry = new(stride: 1, padding: 1);

    /// <summary>The CNN's conv layers in order; each pooling halves the size.</summary>
    public static IReadOnlyList<ConvLayer> Cnn { get; } =
    [
        new(3, 64, 32), new(64, 128, 16), new(128, 256, 8), new(256, 256, 8),
        new(256, 512, 4), new(512, 512, 4), new(512, 512, 2), new(512, 512, 2),
    ];

    public Shape Input(int batch) => new(batch, InChannels, Size, Size);
    public Shape Weight => new(OutChannels, InChannels, 3, 3);
    public Shape Output(int batch) => new(batch, OutChannels, Size, Size);

    /// <summary>Multiply-adds count twice; each of the three passes does the same number.</summary>
    public double Flops(int batch) => 2.0 * batch * OutChannels * Size * Size * InChannels * 9;

    public override string ToString() => $"{InChannels}->{OutChannels}@{Size}x{Size}";
}
