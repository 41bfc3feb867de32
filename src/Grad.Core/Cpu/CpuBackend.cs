using System.Numerics;
using Grad.Backends;

namespace Grad.Cpu;

/// <summary>The CPU backend: pooled managed buffers, SIMD kernels, a blocked multi-threaded GEMM.</summary>
public sealed partial class CpuBackend : IBackend
{
    public static CpuBackend Instance { get; } = new();

    private CpuBackend() { }

    public string Name => "cpu";

    /// <summary>Threads used by the GEMM and convolutions (default: every core).</summary>
    public static int Threads
    {
        get;
        set => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), $"Threads must be at least 1, got {value}.");
    } = Environment.ProcessorCount;

    public Tensor Allocate(Shape shape, DType dtype)
    {
        Storage storage = dtype switch
        {
            DType.Float32 => new CpuStorage<float>(this, shape.ElementCount),
            DType.Float64 => new CpuStorage<double>(this, shape.ElementCount),
            DType.Int32 => new CpuStorage<int>(this, shape.ElementCount),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
        };
        return Tensor.OverStorage(storage, shape);
    }

    /// <summary>The backing array of a CPU tensor (elements start at <see cref="Tensor.Offset"/>).</summary>
    internal static T[] Array<T>(Tensor t) where T : unmanaged => t.Storage is CpuStorage<T> s
        ? s.Array
        : throw new InvalidOperationException($"Expected a {DTypeExtensions.Of<T>().Name()} tensor on the CPU, got {t}.");

    /// <summary>The elements of a contiguous CPU tensor.</summary>
    internal static Span<T> Span<T>(Tensor t) where T : unmanaged => Array<T>(t).AsSpan(t.Offset, t.ElementCount);

    /// <summary>The elements of a contiguous CPU tensor, for kernels that hand them to other threads.</summary>
    internal static Memory<T> Memory<T>(Tensor t) where T : unmanaged => Array<T>(t).AsMemory(t.Offset, t.ElementCount);

    public Tensor FromHost<T>(ReadOnlySpan<T> data, Shape shape) where T : unmanaged
    {
        var t = Allocate(shape, DTypeExtensions.Of<T>());
        data.CopyTo(Span<T>(t));
        return t;
    }

    public void CopyToHost<T>(Tensor source, Span<T> destination) where T : unmanaged
    {
        using var dense = source.Contiguous();
        Span<T>(dense).CopyTo(destination);
    }

    public void Fill(Tensor destination, double value)
    {
        switch (destination.DType)
        {
            case DType.Float32: Span<float>(destination).Fill((float)value); break;
            case DType.Float64: Span<double>(destination).Fill(value); break;
            default: Span<int>(destination).Fill((int)value); break;
        }
    }

    public Tensor Contiguous(Tensor x) => x.DType switch
    {
        DType.Float32 => Copy<float>(x),
        DType.Float64 => Copy<double>(x),
        _ => Copy<int>(x),
    };

    private Tensor Copy<T>(Tensor x) where T : unmanaged
    {
        var y = Allocate(x.Shape, x.DType);
        PassCounter.Record("Copy", y.ElementCount);
        Span<int> dims = stackalloc int[StridedLayout.MaxRank];
        Span<int> strides = stackalloc int[StridedLayout.MaxRank];
        var layout = new StridedLayout(x.Shape.Dims, 1, dims, strides);
        x.Strides.CopyTo(layout.StridesOf(0));
        layout.Collapse();
        var source = Array<T>(x);
        var target = Span<T>(y);
        int inner = layout.InnerLength, stride = layout.InnerStride(0);
        Span<int> index = stackalloc int[StridedLayout.MaxRank];
        Span<int> offset = stackalloc int[1];
        layout.Start(index, offset);
        for (int row = 0, rows = layout.RowCount; row < rows; row++, layout.Advance(index, offset))
            RowCopy.Strided<T>(source.AsSpan(x.Offset + offset[0]), stride, target.Slice(row * inner, inner));
        return y;
    }

    public Tensor Cast(Tensor x, DType dtype)
    {
        if (x.DType == dtype) return Contiguous(x);
        using var dense = x.Contiguous();
        var y = Allocate(x.Shape, dtype);
        switch (x.DType, dtype)
        {
            case (DType.Float32, DType.Float64): Convert<float, double>(dense, y); break;
            case (DType.Float32, DType.Int32): Convert<float, int>(dense, y); break;
            case (DType.Float64, DType.Float32): Convert<double, float>(dense, y); break;
            case (DType.Float64, DType.Int32): Convert<double, int>(dense, y); break;
            case (DType.Int32, DType.Float32): Convert<int, float>(dense, y); break;
            case (DType.Int32, DType.Float64): Convert<int, double>(dense, y); break;
            default: throw new NotSupportedException($"Cast from {x.DType.Name()} to {dtype.Name()}.");
        }
        return y;
    }

    /// <summary>Element conversion; float to int truncates towards zero and saturates.</summary>
    private static void Convert<TFrom, TTo>(Tensor x, Tensor y)
        where TFrom : unmanaged, INumberBase<TFrom> where TTo : unmanaged, INumberBase<TTo>
    {
        var source = Span<TFrom>(x);
        var target = Span<TTo>(y);
        for (int i = 0; i < source.Length; i++) target[i] = TTo.CreateSaturating(source[i]);
    }
}
