using Grad.Backends;

namespace Grad;

/// <summary>
/// An n-dimensional array on a device: a view (shape, element strides, offset) over a shared,
/// reference-counted <see cref="Backends.Storage"/>. Tensors are immutable values; every operation
/// returns a new tensor. Disposing a tensor hands its buffer back to the pool once no other view
/// uses it; a tensor that is never disposed is simply collected.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private readonly Storage _storage;
    private readonly int[] _strides;
    private bool _disposed;

    internal Tensor(Storage storage, Shape shape, int[] strides, int offset)
    {
        _storage = storage;
        Shape = shape;
        _strides = strides;
        Offset = offset;
        IsContiguous = ComputeIsContiguous(shape, strides);
        TensorScope.Register(this);
    }

    /// <summary>The scope that will dispose this tensor, if any.</summary>
    internal TensorScope? Scope { get; set; }

    /// <summary>Wraps a freshly allocated buffer as a contiguous tensor (takes its reference).</summary>
    public static Tensor OverStorage(Storage storage, Shape shape) => new(storage, shape, shape.ContiguousStrides(), 0);

    public Storage Storage
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _storage;
        }
    }

    public Shape Shape { get; }
    public ReadOnlySpan<int> Strides => _strides;
    public int Offset { get; }
    public DType DType => Storage.DType;
    public IBackend Backend => Storage.Backend;
    public int Rank => Shape.Rank;
    public int ElementCount => Shape.ElementCount;

    /// <summary>True when the elements lie in row-major order from <see cref="Offset"/> with no gaps.</summary>
    public bool IsContiguous { get; }

    /// <summary>A view sharing this tensor's storage.</summary>
    internal Tensor View(Shape shape, int[] strides, int offset)
    {
        Storage.AddReference();
        return new Tensor(Storage, shape, strides, offset);
    }

    /// <summary>Copies the elements, in row-major order, to a new host array.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var wanted = DTypeExtensions.Of<T>();
        if (wanted != DType)
            throw new InvalidOperationException($"ToArray<{typeof(T).Name}>: the tensor holds {DType.Name()}; convert it first with .To(DType.{wanted}).");
        var result = new T[ElementCount];
        Backend.CopyToHost<T>(this, result);
        return result;
    }

    /// <summary>The value of a one-element tensor, widened to double.</summary>
    public double Item()
    {
        if (ElementCount != 1)
            throw new InvalidOperationException($"Item: the tensor has shape {Shape}; only a one-element tensor has a single value.");
        return DType switch
        {
            DType.Float32 => ToArray<float>()[0],
            DType.Float64 => ToArray<double>()[0],
            _ => ToArray<int>()[0],
        };
    }

    /// <summary>This tensor converted to another dtype. The caller owns the result and disposes
    /// it independently of this tensor: when the dtype already matches it is an
    /// <see cref="Alias"/> (a new reference to the same storage), never this tensor itself.</summary>
    public Tensor To(DType dtype) => dtype == DType ? Alias() : Backend.Cast(this, dtype);

    /// <summary>This tensor copied to another backend; like <see cref="To(DType)"/>, an
    /// <see cref="Alias"/> the caller owns when it already lives there.</summary>
    public Tensor To(IBackend backend)
    {
        if (ReferenceEquals(backend, Backend)) return Alias();
        return DType switch
        {
            DType.Float32 => backend.FromHost<float>(ToArray<float>(), Shape),
            DType.Float64 => backend.FromHost<double>(ToArray<double>(), Shape),
            _ => backend.FromHost<int>(ToArray<int>(), Shape),
        };
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _storage.Release();
    }

    public override string ToString() => $"Tensor({DType.Name()}, {Shape}, {Backend.Name})";

    private static bool ComputeIsContiguous(Shape shape, int[] strides)
    {
        int expected = 1;
        for (int i = shape.Rank - 1; i >= 0; i--)
        {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }
}
