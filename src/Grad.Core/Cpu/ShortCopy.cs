using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Grad.Cpu;

/// <summary>
/// Copies of a few dozen bytes, done inline with vector moves. A copy whose size the JIT cannot
/// see (<c>Unsafe.CopyBlockUnaligned</c> with a variable length) is a call into the runtime's
/// memmove, and when it is repeated for every k step of a GEMM panel (48 bytes) or every row of
/// an im2col segment (60–128 bytes), the call costs more than the bytes it moves.
/// </summary>
internal static unsafe class ShortCopy
{
    /// <summary>Longer copies go to memmove, which is faster there.</summary>
    private const uint InlineLimit = 256;

    /// <summary>Copies <paramref name="bytes"/> bytes from <paramref name="src"/> to a
    /// non-overlapping <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(void* dst, void* src, uint bytes)
    {
        if (bytes > InlineLimit)
        {
            Unsafe.CopyBlockUnaligned(dst, src, bytes);
            return;
        }
        byte* d = (byte*)dst, s = (byte*)src;
        uint i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 32 <= bytes; i += 32) Vector256.Store(Vector256.Load(s + i), d + i);
        for (; i + 16 <= bytes; i += 16) Vector128.Store(Vector128.Load(s + i), d + i);
        if (i + 8 <= bytes)
        {
            Unsafe.WriteUnaligned(d + i, Unsafe.ReadUnaligned<ulong>(s + i));
            i += 8;
        }
        if (i + 4 <= bytes)
        {
            Unsafe.WriteUnaligned(d + i, Unsafe.ReadUnaligned<uint>(s + i));
            i += 4;
        }
        for (; i < bytes; i++) d[i] = s[i];
    }
}
