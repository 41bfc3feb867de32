using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Grad.Cpu;

/// <summary>
/// The AVX2 + FMA micro-kernel: a 6 × (2 vectors) tile, i.e. 6×16 floats or 6×8 doubles. Twelve
/// accumulators, two B vectors and one broadcast fit the 16 ymm registers without spilling.
/// </summary>
internal readonly struct GemmMicroKernel256<T> : IGemmMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 6;
    public static int NR => 2 * Vector256<T>.Count;

    public static unsafe void Run(int kc, T* a, T* b, T* c, int ldc, bool accumulate)
    {
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<T> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<T> c40 = default, c41 = default, c50 = default, c51 = default;
        int w = Vector256<T>.Count;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + w);
            var x = Vector256.Create(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
            a += 6;
            b += 2 * w;
        }
        Store(c, w, c00, c01, accumulate); c += ldc;
        Store(c, w, c10, c11, accumulate); c += ldc;
        Store(c, w, c20, c21, accumulate); c += ldc;
        Store(c, w, c30, c31, accumulate); c += ldc;
        Store(c, w, c40, c41, accumulate); c += ldc;
        Store(c, w, c50, c51, accumulate);
    }

    public static unsafe void RunHalfWidth(int kc, T* a, T* b, T* c, int ldc, bool accumulate)
    {
        Vector256<T> c00 = default, c10 = default, c20 = default, c30 = default, c40 = default, c50 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var x = Vector256.Create(a[0]); c00 = Fma(x, b0, c00);
            x = Vector256.Create(a[1]); c10 = Fma(x, b0, c10);
            x = Vector256.Create(a[2]); c20 = Fma(x, b0, c20);
            x = Vector256.Create(a[3]); c30 = Fma(x, b0, c30);
            x = Vector256.Create(a[4]); c40 = Fma(x, b0, c40);
            x = Vector256.Create(a[5]); c50 = Fma(x, b0, c50);
            a += 6;
            b += NR;
        }
        StoreOne(c, c00, accumulate); c += ldc;
        StoreOne(c, c10, accumulate); c += ldc;
        StoreOne(c, c20, accumulate); c += ldc;
        StoreOne(c, c30, accumulate); c += ldc;
        StoreOne(c, c40, accumulate); c += ldc;
        StoreOne(c, c50, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(T* c, int w, Vector256<T> v0, Vector256<T> v1, bool accumulate)
    {
        StoreOne(c, v0, accumulate);
        StoreOne(c + w, v1, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreOne(T* c, Vector256<T> v, bool accumulate)
    {
        if (accumulate) v += Vector256.Load(c);
        v.Store(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> z) => typeof(T) == typeof(float)
        ? Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>()
        : Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
}
