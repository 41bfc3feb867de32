using System.Numerics;
using System.Runtime.CompilerServices;

namespace Grad.Cpu;

/// <summary>
/// Copies a block of an operand into the layout the micro-kernel reads: consecutive panels of
/// <c>width</c> rows (MR rows of A, or NR columns of B), each stored k-major, so that one k step of
/// a panel is <c>width</c> contiguous elements. Transposed operands are handled only here, by the
/// two strides, so the kernel always sees the same layout. Short last panels are zero-padded,
/// which lets the kernel run full tiles and keeps the padding out of C.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs elements src[i·panelStride + p·kStride] for i in [0, count), p in [0, kc) into
    /// ⌈count/width⌉ panels of kc×width elements at dst.
    /// </summary>
    public static void Pack<T>(T* src, nint panelStride, nint kStride, int count, int kc, int width, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (panelStride == 1)
        {
            PackContiguous(src, kStride, count, kc, width, dst);
            return;
        }
        for (int i0 = 0; i0 < count; i0 += width, dst += (nint)kc * width)
            PackStrided(src + i0 * panelStride, panelStride, kStride, Math.Min(width, count - i0), kc, width, dst);
    }

    /// <summary>
    /// Each k step is a contiguous run in the source (A transposed, or B as stored). The source
    /// is read one k step at a time across every panel, each step's run cut into the panels' rows,
    /// so it streams in order. Panel by panel, the reads would stride by a whole source row (12 KB
    /// for a 3072-wide activation) and land in the same few L1 sets.
    /// </summary>
    private static void PackContiguous<T>(T* src, nint kStride, int count, int kc, int width, T* dst)
        where T : unmanaged
    {
        int full = count / width, valid = count - full * width;
        nint panelSize = (nint)kc * width;
        uint bytes = (uint)(width * sizeof(T)), tailBytes = (uint)(valid * sizeof(T));
        for (int p = 0; p < kc; p++, src += kStride)
        {
            T* d = dst + (nint)p * width;
            for (int panel = 0; panel < full; panel++, d += panelSize) ShortCopy.Copy(d, src + panel * width, bytes);
            if (valid == 0) continue;
            ShortCopy.Copy(d, src + full * width, tailBytes);
            Unsafe.InitBlockUnaligned(d + valid, 0, bytes - tailBytes);
        }
    }

    /// <summary>
    /// Each panel row is contiguous along k in the source (A as stored, or B transposed): read
    /// four rows at a time, each sequentially, and interleave them into the panel.
    /// </summary>
    private static void PackStrided<T>(T* src, nint panelStride, nint kStride, int valid, int kc, int width, T* dst)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float) && kStride == 1 && GemmTransposedPacking.Supported)
        {
            GemmTransposedPacking.Pack((float*)src, panelStride, valid, kc, width, (float*)dst);
            ClearPadding(valid, kc, width, dst);
            return;
        }
        int r = 0;
        for (; r + 4 <= valid; r += 4)
        {
            T* s0 = src + r * panelStride, s1 = s0 + panelStride, s2 = s1 + panelStride, s3 = s2 + panelStride;
            T* d = dst + r;
            for (nint p = 0, q = 0; p < kc; p++, q += kStride, d += width)
            {
                d[0] = s0[q];
                d[1] = s1[q];
                d[2] = s2[q];
                d[3] = s3[q];
            }
        }
        for (; r < valid; r++)
        {
            T* s = src + r * panelStride;
            T* d = dst + r;
            for (nint p = 0, q = 0; p < kc; p++, q += kStride, d += width) *d = s[q];
        }
        ClearPadding(valid, kc, width, dst);
    }

    /// <summary>Zeroes rows [valid, width) of every k step of a short last panel.</summary>
    private static void ClearPadding<T>(int valid, int kc, int width, T* dst) where T : unmanaged
    {
        if (valid == width) return;
        for (int p = 0; p < kc; p++)
            new Span<T>(dst + (nint)p * width + valid, width - valid).Clear();
    }
}
