using System.Numerics;

namespace Grad.Cpu;

/// <summary>One-hot encoding of int32 class indices, which the front end has range-checked.</summary>
internal static class OneHotKernel
{
    public static void Encode<T>(ReadOnlySpan<int> indices, int classes, Span<T> result) where T : unmanaged, INumberBase<T>
    {
        result.Clear();
        for (int i = 0; i < indices.Length; i++) result[i * classes + indices[i]] = T.One;
    }
}
