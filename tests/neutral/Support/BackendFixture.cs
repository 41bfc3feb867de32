using Grad.Backends;

namespace Grad.Tests;

/// <summary>
/// The backend the neutral suite runs on, handed to each test class as an xunit class fixture:
/// <c>public class ElementwiseTests(BackendFixture backend) : IClassFixture&lt;BackendFixture&gt;</c>.
/// This part is shared; each backend's test project completes the class with the members declared
/// <c>partial</c> below (tests/unit/Cpu/CpuBackendFixture.cs is the CPU's), so that the same
/// sources compile and run once per backend. Neutral tests create every tensor and layer through
/// these methods, never through <see cref="Device.Default"/>; a tensor made elsewhere meets the
/// fixture's tensors on another backend and the op refuses the mix.
/// </summary>
public sealed partial class BackendFixture
{
    /// <summary>The backend under test.</summary>
    public partial IBackend Backend { get; }

    /// <summary>Whether the backend computes in float64; <see cref="TestTensors.FloatTypes"/>
    /// leaves float64 out where it does not. Static, because theory data is.</summary>
    public static partial bool RunsFloat64 { get; }

    /// <summary>The relative tolerance of results computed in another order than the reference.</summary>
    public partial double Tolerance(DType dtype);

    public override string ToString() => Backend.Name;

    public Tensor FromArray<T>(T[] data, params int[] shape) where T : unmanaged =>
        Tensor.FromSpan<T>(data, new Shape(shape), Backend);

    public Tensor FromSpan<T>(ReadOnlySpan<T> data, Shape shape) where T : unmanaged => Tensor.FromSpan(data, shape, Backend);

    /// <summary>A tensor of <paramref name="dtype"/> holding <paramref name="values"/>, rounded to float where asked.</summary>
    public Tensor Make(DType dtype, double[] values, params int[] shape) => Make(dtype, values, new Shape(shape));

    public Tensor Make(DType dtype, double[] values, Shape shape) => dtype == DType.Float64
        ? FromSpan<double>(values, shape)
        : FromSpan<float>(values.Select(v => (float)v).ToArray(), shape);

    public Tensor Zeros(Shape shape, DType dtype = DType.Float32) => Tensor.Zeros(shape, dtype, Backend);

    public Tensor Ones(Shape shape, DType dtype = DType.Float32) => Tensor.Ones(shape, dtype, Backend);

    public Tensor Full(Shape shape, double value, DType dtype = DType.Float32) => Tensor.Full(shape, value, dtype, Backend);

    public Tensor Scalar(double value, DType dtype = DType.Float32) => Tensor.Scalar(value, dtype, Backend);

    /// <summary><see cref="Init.Normal"/> on this backend.</summary>
    public Tensor Normal(Shape shape, double mean = 0, double std = 1, ulong seed = 0, DType dtype = DType.Float32) =>
        Init.Normal(shape, mean, std, seed, dtype, Backend);

    /// <summary>A float64 standard normal tensor: what the float64 layer and gradient tests draw.</summary>
    public Tensor Random(Shape shape, ulong seed, double scale = 1) => Normal(shape, 0, scale, seed, DType.Float64);

    /// <summary>The layer with its parameters and state moved to this backend (layer factories
    /// create them on <see cref="Device.Default"/>). It takes the layer over: each original tensor
    /// is disposed once moved, so the returned layer holds the only reference to its storage, as
    /// a layer fresh from its factory does (the training step's ownership tests count on it).</summary>
    public TLayer On<TLayer>(TLayer layer) where TLayer : ILayer<TLayer> =>
        layer.MapParameters((_, t) => Move(t)).MapStates((_, t) => Move(t));

    private Tensor Move(Tensor tensor)
    {
        using (tensor) return tensor.To(Backend);
    }
}
