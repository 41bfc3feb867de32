namespace Grad.Cpu;

/// <summary>Copies one row of a strided view into a dense row.</summary>
internal static class RowCopy
{
    /// <summary><c>y[i] = x[i·stride]</c> for i &lt; y.Length: a plain copy for stride 1, a fill for 0.</summary>
    public static void Strided<T>(ReadOnlySpan<T> x, int stride, Span<T> y) where T : unmanaged
    {
        if (stride == 1) { x[..y.Length].CopyTo(y); return; }
        if (stride == 0) { y.Fill(x[0]); return; }
        for (int i = 0; i < y.Length; i++) y[i] = x[i * stride];
    }
}
