using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Grad.Cpu;

/// <summary>
/// The AVX-512 micro-kernel: a 12 × (2 vectors) tile, i.e. 12×32 floats or 12×16 doubles. Its 24
/// accumulators plus two B vectors and one broadcast fill 27 of the 32 zmm registers, and each k
/// step issues 24 FMAs against 2 loads and 12 broadcasts, enough to keep both FMA pipes busy.
/// </summary>
internal readonly struct GemmMicroKernel512<T> : IGemmMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 12;
    public static int NR => 2 * Vector512<T>.Count;

    public static unsafe void Run(int kc, T* a, T* b, T* c, int ldc, bool accumulate)
    {
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<T> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default;
        Vector512<T> c80 = default, c81 = default, c90 = default, c91 = default;
        Vector512<T> ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        int w = Vector512<T>.Count;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + w);
            var x = Vector512.Create(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Fma(x, b0, c60); c61 = Fma(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Fma(x, b0, c70); c71 = Fma(x, b1, c71);
            x = Vector512.Create(a[8]); c80 = Fma(x, b0, c80); c81 = Fma(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = Fma(x, b0, c90); c91 = Fma(x, b1, c91);
            x = Vector512.Create(a[10]); ca0 = Fma(x, b0, ca0); ca1 = Fma(x, b1, ca1);
            x = Vector512.Create(a[11]); cb0 = Fma(x, b0, cb0); cb1 = Fma(x, b1, cb1);
            a += 12;
            b += 2 * w;
        }
        Store(c, w, c00, c01, accumulate); c += ldc;
        Store(c, w, c10, c11, accumulate); c += ldc;
        Store(c, w, c20, c21, accumulate); c += ldc;
        Store(c, w, c30, c31, accumulate); c += ldc;
        Store(c, w, c40, c41, accumulate); c += ldc;
        Store(c, w, c50, c51, accumulate); c += ldc;
        Store(c, w, c60, c61, accumulate); c += ldc;
        Store(c, w, c70, c71, accumulate); c += ldc;
        Store(c, w, c80, c81, accumulate); c += ldc;
        Store(c, w, c90, c91, accumulate); c += ldc;
        Store(c, w, ca0, ca1, accumulate); c += ldc;
        Store(c, w, cb0, cb1, accumulate);
    }

    public static unsafe void RunHalfWidth(int kc, T* a, T* b, T* c, int ldc, bool accumulate)
    {
        Vector512<T> c00 = default, c10 = default, c20 = default, c30 = default, c40 = default, c50 = default;
        Vector512<T> c60 = default, c70 = default, c80 = default, c90 = default, ca0 = default, cb0 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var x = Vector512.Create(a[0]); c00 = Fma(x, b0, c00);
            x = Vector512.Create(a[1]); c10 = Fma(x, b0, c10);
            x = Vector512.Create(a[2]); c20 = Fma(x, b0, c20);
            x = Vector512.Create(a[3]); c30 = Fma(x, b0, c30);
            x = Vector512.Create(a[4]); c40 = Fma(x, b0, c40);
            x = Vector512.Create(a[5]); c50 = Fma(x, b0, c50);
            x = Vector512.Create(a[6]); c60 = Fma(x, b0, c60);
            x = Vector512.Create(a[7]); c70 = Fma(x, b0, c70);
            x = Vector512.Create(a[8]); c80 = Fma(x, b0, c80);
            x = Vector512.Create(a[9]); c90 = Fma(x, b0, c90);
            x = Vector512.Create(a[10]); ca0 = Fma(x, b0, ca0);
            x = Vector512.Create(a[11]); cb0 = Fma(x, b0, cb0);
            a += 12;
            b += NR;
        }
        StoreOne(c, c00, accumulate); c += ldc;
        StoreOne(c, c10, accumulate); c += ldc;
        StoreOne(c, c20, accumulate); c += ldc;
        StoreOne(c, c30, accumulate); c += ldc;
        StoreOne(c, c40, accumulate); c += ldc;
        StoreOne(c, c50, accumulate); c += ldc;
        StoreOne(c, c60, accumulate); c += ldc;
        StoreOne(c, c70, accumulate); c += ldc;
        StoreOne(c, c80, accumulate); c += ldc;
        StoreOne(c, c90, accumulate); c += ldc;
        StoreOne(c, ca0, accumulate); c += ldc;
        StoreOne(c, cb0, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(T* c, int w, Vector512<T> v0, Vector512<T> v1, bool accumulate)
    {
        StoreOne(c, v0, accumulate);
        StoreOne(c + w, v1, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreOne(T* c, Vector512<T> v, bool accumulate)
    {
        if (accumulate) v += Vector512.Load(c);
        v.Store(c);
    }

    /// <summary>x·y + z in one rounding; the type test folds away when the JIT specialises T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> z) => typeof(T) == typeof(float)
        ? Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>()
        : Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
}
