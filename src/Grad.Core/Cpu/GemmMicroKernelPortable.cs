using System.Numerics;
using System.Runtime.CompilerServices;

namespace Grad.Cpu;

/// <summary>
/// The portable micro-kernel for CPUs without AVX2 + FMA (Arm, older x86, or no SIMD at all):
/// a 4 × (2 <see cref="Vector{T}"/>) tile. <see cref="Vector{T}"/> maps to whatever SIMD the
/// machine has and is emulated where it has none, so this kernel is correct everywhere.
/// </summary>
internal readonly struct GemmMicroKernelPortable<T> : IGemmMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 4;
    public static int NR => 2 * Vector<T>.Count;

    public static unsafe void Run(int kc, T* a, T* b, T* c, int ldc, bool accumulate)
    {
        Vector<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector<T> c20 = default, c21 = default, c30 = default, c31 = default;
        int w = Vector<T>.Count;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector.Load(b);
            var b1 = Vector.Load(b + w);
            var x = new Vector<T>(a[0]); c00 += x * b0; c01 += x * b1;
            x = new Vector<T>(a[1]); c10 += x * b0; c11 += x * b1;
            x = new Vector<T>(a[2]); c20 += x * b0; c21 += x * b1;
            x = new Vector<T>(a[3]); c30 += x * b0; c31 += x * b1;
            a += 4;
            b += 2 * w;
        }
        Store(c, w, c00, c01, accumulate); c += ldc;
        Store(c, w, c10, c11, accumulate); c += ldc;
        Store(c, w, c20, c21, accumulate); c += ldc;
        Store(c, w, c30, c31, accumulate);
    }

    public static unsafe void RunHalfWidth(int kc, T* a, T* b, T* c, int ldc, bool accumulate)
    {
        Vector<T> c00 = default, c10 = default, c20 = default, c30 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector.Load(b);
            var x = new Vector<T>(a[0]); c00 += x * b0;
            x = new Vector<T>(a[1]); c10 += x * b0;
            x = new Vector<T>(a[2]); c20 += x * b0;
            x = new Vector<T>(a[3]); c30 += x * b0;
            a += 4;
            b += NR;
        }
        StoreOne(c, c00, accumulate); c += ldc;
        StoreOne(c, c10, accumulate); c += ldc;
        StoreOne(c, c20, accumulate); c += ldc;
        StoreOne(c, c30, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(T* c, int w, Vector<T> v0, Vector<T> v1, bool accumulate)
    {
        StoreOne(c, v0, accumulate);
        StoreOne(c + w, v1, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreOne(T* c, Vector<T> v, bool accumulate)
    {
        if (accumulate) v += Vector.Load(c);
        v.Store(c);
    }
}
