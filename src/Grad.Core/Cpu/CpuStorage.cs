using System.Buffers;
using Grad.Backends;

namespace Grad.Cpu;

/// <summary>A CPU buffer rented from a pool. The rented array may be longer than
/// <see cref="Storage.Length"/>; only the first Length elements belong to the tensor.</summary>
internal sealed class CpuStorage<T> : Storage where T : unmanaged
{
    /// <summary>One pool per element type, shared by every CPU tensor. Buffers up to 1 Gi
    /// elements are pooled; larger ones are plain allocations.</summary>
    private static readonly ArrayPool<T> Pool = ArrayPool<T>.Create(maxArrayLength: 1 << 30, maxArraysPerBucket: 64);

    public CpuStorage(IBackend backend, int length) : base(backend, DTypeExtensions.Of<T>(), length)
    {
        Array = Pool.Rent(length);
    }

    public T[] Array { get; }

    protected override void Free() => Pool.Return(Array);
}
