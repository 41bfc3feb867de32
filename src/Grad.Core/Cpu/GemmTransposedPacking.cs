using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Grad.Cpu;

/// <summary>
/// The float packing of panels whose rows are contiguous along k (A as stored, or B
/// transposed): a transpose. Eight rows by eight k steps are loaded as eight vectors,
/// transposed in registers, and stored as eight k steps of eight rows; four leftover rows go
/// through 4×4 transposes. What the blocks do not cover (k tails) is copied element by element.
/// </summary>
internal static unsafe class GemmTransposedPacking
{
    public static bool Supported => Avx.IsSupported;

    /// <summary>dst[p·width + r] = src[r·rowStride + p] for r in [0, rows), p in [0, kc).</summary>
    public static void Pack(float* src, nint rowStride, int rows, int kc, int width, float* dst)
    {
        int r = 0;
        for (; r + 8 <= rows; r += 8) Rows8(src + r * rowStride, rowStride, kc, width, dst + r);
        for (; r + 4 <= rows; r += 4) Rows4(src + r * rowStride, rowStride, kc, width, dst + r);
        for (; r < rows; r++)
        {
            float* s = src + r * rowStride, d = dst + r;
            for (int p = 0; p < kc; p++, d += width) *d = s[p];
        }
    }

    private static void Rows8(float* src, nint rowStride, int kc, int width, float* dst)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            float* s = src + p;
            var r0 = Avx.LoadVector256(s);
            var r1 = Avx.LoadVector256(s + rowStride);
            var r2 = Avx.LoadVector256(s + 2 * rowStride);
            var r3 = Avx.LoadVector256(s + 3 * rowStride);
            var r4 = Avx.LoadVector256(s + 4 * rowStride);
            var r5 = Avx.LoadVector256(s + 5 * rowStride);
            var r6 = Avx.LoadVector256(s + 6 * rowStride);
            var r7 = Avx.LoadVector256(s + 7 * rowStride);
            // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
            var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
            var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
            var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
            float* d = dst + (nint)p * width;
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + width, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + 2 * width, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + 3 * width, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + 4 * width, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + 5 * width, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + 6 * width, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(d + 7 * width, Avx.Permute2x128(u3, u7, 0x31));
        }
        Tail(src, rowStride, 8, p, kc, width, dst);
    }

    private static void Rows4(float* src, nint rowStride, int kc, int width, float* dst)
    {
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            float* s = src + p;
            var r0 = Sse.LoadVector128(s);
            var r1 = Sse.LoadVector128(s + rowStride);
            var r2 = Sse.LoadVector128(s + 2 * rowStride);
            var r3 = Sse.LoadVector128(s + 3 * rowStride);
            var t0 = Sse.UnpackLow(r0, r1); var t1 = Sse.UnpackHigh(r0, r1);
            var t2 = Sse.UnpackLow(r2, r3); var t3 = Sse.UnpackHigh(r2, r3);
            float* d = dst + (nint)p * width;
            Sse.Store(d, Sse.MoveLowToHigh(t0, t2));
            Sse.Store(d + width, Sse.MoveHighToLow(t2, t0));
            Sse.Store(d + 2 * width, Sse.MoveLowToHigh(t1, t3));
            Sse.Store(d + 3 * width, Sse.MoveHighToLow(t3, t1));
        }
        Tail(src, rowStride, 4, p, kc, width, dst);
    }

    /// <summary>k steps [first, kc) of <paramref name="rows"/> rows, element by element.</summary>
    private static void Tail(float* src, nint rowStride, int rows, int first, int kc, int width, float* dst)
    {
        for (int p = first; p < kc; p++)
        {
            float* d = dst + (nint)p * width;
            for (int r = 0; r < rows; r++) d[r] = src[r * rowStride + p];
        }
    }
}
