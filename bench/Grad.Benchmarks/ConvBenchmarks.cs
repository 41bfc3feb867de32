using BenchmarkDotNet.Attributes;
using static Grad.Ops;

namespace Grad.Benchmarks;

/// <summary>The CNN's conv layers at batch 32 in float32: forward and both gradients.
/// Run with <c>dotnet run -c Release --project bench/Grad.Benchmarks -- --filter '*ConvBenchmarks*'</c>.</summary>
[MemoryDiagnoser]
public class ConvBenchmarks
{
    private const int Batch = 32;
    private Tensor _x = null!, _w = null!, _g = null!;

    [ParamsSource(nameof(Layers))]
    public ConvLayer Layer { get; set; } = ConvLayer.Cnn[0];

    public static IEnumerable<ConvLayer> Layers => ConvLayer.Cnn;

    [GlobalSetup]
    public void Setup()
    {
        _x = Filled(Layer.Input(Batch), 1);
        _w = Filled(Layer.Weight, 2);
        _g = Filled(Layer.Output(Batch), 3);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _w.Dispose();
        _g.Dispose();
    }

    [Benchmark]
    public void Forward() => Conv2d(_x, _w, ConvLayer.Geometry).Dispose();

    [Benchmark]
    public void BackwardInput() => Conv2dBackwardInput(_g, _w, _x.Shape, ConvLayer.Geometry).Dispose();

    [Benchmark]
    public void BackwardWeight() => Conv2dBackwardWeight(_g, _x, _w.Shape, ConvLayer.Geometry).Dispose();

    internal static Tensor Filled(Shape shape, int seed)
    {
        var random = new Random(seed);
        var data = new float[shape.ElementCount];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return Tensor.FromSpan<float>(data, shape);
    }
}
