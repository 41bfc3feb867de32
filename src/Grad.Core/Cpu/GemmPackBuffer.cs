using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Grad.Cpu;

/// <summary>
/// Per-thread pack buffers: pinned, 64-byte aligned, grown on demand and then reused, so a
/// steady stream of GEMM calls allocates nothing.
/// </summary>
internal static unsafe class GemmPackBuffer<T> where T : unmanaged
{
    private const int Alignment = 64;

    [ThreadStatic] private static T[]? buffer;

    /// <summary>At least <paramref name="elements"/> elements, aligned to a cache line.</summary>
    public static T* Get(int elements)
    {
        int slack = Alignment / sizeof(T);
        if (buffer is null || buffer.Length < elements + slack)
            buffer = GC.AllocateUninitializedArray<T>(elements + slack, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (T*)((address + Alignment - 1) & ~(nint)(Alignment - 1));
    }
}
