using System.ComponentModel;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Grad.Fusion;

/// <summary>
/// One row of a fused element-wise pass: the output row and, per input, its elements with a
/// stride (0 where the input is broadcast along the row, 1 where it is dense). Generated kernels
/// read it with <see cref="At"/> and, when <see cref="IsVectorizable"/>, with <see cref="Load"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly ref struct ElementwiseRow<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ReadOnlySpan<T> _x0, _x1, _x2, _x3, _x4, _x5, _x6, _x7;
    private readonly int _s0, _s1, _s2, _s3, _s4, _s5, _s6, _s7;
    private readonly ReadOnlySpan<double> _scalars;
    private readonly Span<T> _y1, _y2;

    internal ElementwiseRow(int inputs, in InputArrays<T> arrays, ReadOnlySpan<int> offsets, ReadOnlySpan<int> strides,
        ReadOnlySpan<double> scalars, Span<T> output, Span<T> output1 = default, Span<T> output2 = default)
    {
        Output = output;
        _y1 = output1;
        _y2 = output2;
        _scalars = scalars;
        // Unrolled, with no loop or switch: a row is built for every row of a pass, and on short
        // rows (a channel bias over 32×32 planes) building it costs as much as computing it.
        if (inputs > 0) { _x0 = arrays[0].AsSpan(offsets[0]); _s0 = strides[0]; }
        if (inputs > 1) { _x1 = arrays[1].AsSpan(offsets[1]); _s1 = strides[1]; }
        if (inputs > 2) { _x2 = arrays[2].AsSpan(offsets[2]); _s2 = strides[2]; }
        if (inputs > 3) { _x3 = arrays[3].AsSpan(offsets[3]); _s3 = strides[3]; }
        if (inputs > 4) { _x4 = arrays[4].AsSpan(offsets[4]); _s4 = strides[4]; }
        if (inputs > 5) { _x5 = arrays[5].AsSpan(offsets[5]); _s5 = strides[5]; }
        if (inputs > 6) { _x6 = arrays[6].AsSpan(offsets[6]); _s6 = strides[6]; }
        if (inputs > 7) { _x7 = arrays[7].AsSpan(offsets[7]); _s7 = strides[7]; }
        // Strides are never negative: every one is 0 or 1 exactly when all of them OR to at most 1.
        IsVectorizable = Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported
            && (uint)(_s0 | _s1 | _s2 | _s3 | _s4 | _s5 | _s6 | _s7) <= 1;
    }

    /// <summary>The row of the (first) output.</summary>
    public Span<T> Output { get; }

    /// <summary>The row of output <paramref name="k"/> of a kernel with several.</summary>
    public Span<T> OutputAt(int k) => k switch { 0 => Output, 1 => _y1, _ => _y2 };
    public int Length => Output.Length;

    /// <summary>Every input is dense or broadcast along the row and the CPU has 256-bit SIMD.</summary>
    public bool IsVectorizable { get; }

    /// <summary>Input <paramref name="input"/> is a dense row (stride 1).</summary>
    public bool IsDense(int input) => Stride(input) == 1;

    /// <summary>Input <paramref name="input"/> is one value repeated along the row (stride 0).</summary>
    public bool IsBroadcast(int input) => Stride(input) == 0;

    /// <summary>The row of a dense input (see <see cref="IsDense"/>).</summary>
    public ReadOnlySpan<T> Dense(int input) => Data(input)[..Length];

    /// <summary>Element <paramref name="i"/> of input <paramref name="input"/>.</summary>
    public T At(int input, int i) => Data(input)[i * Stride(input)];

    /// <summary>Elements i … i + Count − 1 of an input (its one value repeated where broadcast).</summary>
    public Vector256<T> Load(int input, int i)
    {
        var x = Data(input);
        return Stride(input) == 0 ? Vector256.Create(x[0]) : Vector256.Create(x.Slice(i, Vector256<T>.Count));
    }

    private ReadOnlySpan<T> Data(int input) => input switch
    {
        0 => _x0, 1 => _x1, 2 => _x2, 3 => _x3, 4 => _x4, 5 => _x5, 6 => _x6, _ => _x7,
    };

    private int Stride(int input) => input switch
    {
        0 => _s0, 1 => _s1, 2 => _s2, 3 => _s3, 4 => _s4, 5 => _s5, 6 => _s6, _ => _s7,
    };

    public T Scalar(int k) => T.CreateSaturating(_scalars[k]);

    public void Store(int i, Vector256<T> value) => value.CopyTo(Output.Slice(i, Vector256<T>.Count));

    /// <summary>Stores elements i … i + Count − 1 of output <paramref name="k"/>.</summary>
    public void Store(int k, int i, Vector256<T> value) => value.CopyTo(OutputAt(k).Slice(i, Vector256<T>.Count));
}

/// <summary>The input buffers of one fused call, held without allocating.</summary>
[System.Runtime.CompilerServices.InlineArray(ElementwiseKernel.MaxInputs)]
internal struct InputArrays<T>
{
    private T[] _first;
}
