using System.ComponentModel;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Grad.Fusion;

/// <summary>
/// A run of rows of a fused element-wise pass, each of <see cref="Length"/> elements: the output
/// rows (consecutive) and, per input, its elements with a stride along the row (0 where the input
/// is broadcast along it, 1 where it is dense) and a stride from one row to the next. Generated
/// kernels take a whole run at once, so the cost of a call is paid once per run and not once per
/// short row (a channel bias over 32×32 planes is 64 rows of 1024 per image). They read one row
/// through <see cref="Row"/>, with <see cref="At"/> and, when <see cref="IsVectorizable"/>, with
/// <see cref="Load"/>; whole dense rows through <see cref="Dense"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly ref struct ElementwiseRow<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ReadOnlySpan<T> _x0, _x1, _x2, _x3, _x4, _x5, _x6, _x7;
    private readonly int _s0, _s1, _s2, _s3, _s4, _s5, _s6, _s7;
    private readonly int _r0, _r1, _r2, _r3, _r4, _r5, _r6, _r7;
    private readonly ReadOnlySpan<double> _scalars;
    private readonly Span<T> _y0, _y1, _y2;

    // rowStrides: each input's step from one row to the next; output…output2: each output's
    // rows, one after another (rows × length elements).
    internal ElementwiseRow(int inputs, in InputArrays<T> arrays, ReadOnlySpan<int> offsets, ReadOnlySpan<int> strides,
        ReadOnlySpan<int> rowStrides, int rows, int length, ReadOnlySpan<double> scalars,
        Span<T> output, Span<T> output1 = default, Span<T> output2 = default)
    {
        (Rows, Length) = (rows, length);
        _y0 = output;
        _y1 = output1;
        _y2 = output2;
        _scalars = scalars;
        // Unrolled, with no loop or switch: on short rows, building a row cost as much as computing it.
        if (inputs > 0) { _x0 = arrays[0].AsSpan(offsets[0]); _s0 = strides[0]; _r0 = rowStrides[0]; }
        if (inputs > 1) { _x1 = arrays[1].AsSpan(offsets[1]); _s1 = strides[1]; _r1 = rowStrides[1]; }
        if (inputs > 2) { _x2 = arrays[2].AsSpan(offsets[2]); _s2 = strides[2]; _r2 = rowStrides[2]; }
        if (inputs > 3) { _x3 = arrays[3].AsSpan(offsets[3]); _s3 = strides[3]; _r3 = rowStrides[3]; }
        if (inputs > 4) { _x4 = arrays[4].AsSpan(offsets[4]); _s4 = strides[4]; _r4 = rowStrides[4]; }
        if (inputs > 5) { _x5 = arrays[5].AsSpan(offsets[5]); _s5 = strides[5]; _r5 = rowStrides[5]; }
        if (inputs > 6) { _x6 = arrays[6].AsSpan(offsets[6]); _s6 = strides[6]; _r6 = rowStrides[6]; }
        if (inputs > 7) { _x7 = arrays[7].AsSpan(offsets[7]); _s7 = strides[7]; _r7 = rowStrides[7]; }
        // Strides are never negative: every one is 0 or 1 exactly when all of them OR to at most 1.
        IsVectorizable = Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported
            && (uint)(_s0 | _s1 | _s2 | _s3 | _s4 | _s5 | _s6 | _s7) <= 1;
    }

    /// <summary>Row <paramref name="r"/> of <paramref name="run"/> on its own.</summary>
    private ElementwiseRow(scoped in ElementwiseRow<T> run, int r)
    {
        (Rows, Length, IsVectorizable) = (1, run.Length, run.IsVectorizable);
        _scalars = run._scalars;
        (_s0, _s1, _s2, _s3, _s4, _s5, _s6, _s7) = (run._s0, run._s1, run._s2, run._s3, run._s4, run._s5, run._s6, run._s7);
        _x0 = run._x0[(r * run._r0)..];
        _x1 = run._x1[(r * run._r1)..];
        _x2 = run._x2[(r * run._r2)..];
        _x3 = run._x3[(r * run._r3)..];
        _x4 = run._x4[(r * run._r4)..];
        _x5 = run._x5[(r * run._r5)..];
        _x6 = run._x6[(r * run._r6)..];
        _x7 = run._x7[(r * run._r7)..];
        _y0 = run.RowOf(run._y0, r);
        _y1 = run.RowOf(run._y1, r);
        _y2 = run.RowOf(run._y2, r);
    }

    /// <summary>How many rows the run holds.</summary>
    public int Rows { get; }

    /// <summary>The length of each row.</summary>
    public int Length { get; }

    /// <summary>Every input is dense or broadcast along the row and the CPU has 256-bit SIMD.</summary>
    public bool IsVectorizable { get; }

    /// <summary>Row <paramref name="r"/> of the run, as a run of one row.</summary>
    public ElementwiseRow<T> Row(int r) => new(this, r);

    /// <summary>The (first) row of the first output.</summary>
    public Span<T> Output => _y0[..Length];

    /// <summary>The (first) row of output <paramref name="k"/> of a kernel with several.</summary>
    public Span<T> OutputAt(int k) => (k switch { 0 => _y0, 1 => _y1, _ => _y2 })[..Length];

    /// <summary>Row <paramref name="r"/> of the first output.</summary>
    public Span<T> OutputRow(int r) => _y0.Slice(r * Length, Length);

    /// <summary>Input <paramref name="input"/> is dense along its rows (stride 1).</summary>
    public bool IsDense(int input) => Stride(input) == 1;

    /// <summary>Input <paramref name="input"/> is one value repeated along each row (stride 0).</summary>
    public bool IsBroadcast(int input) => Stride(input) == 0;

    /// <summary>Row <paramref name="r"/> of a dense input (see <see cref="IsDense"/>).</summary>
    public ReadOnlySpan<T> Dense(int input, int r) => Data(input).Slice(r * RowStride(input), Length);

    /// <summary>The first element of row <paramref name="r"/> of an input: its one value where it
    /// is broadcast along the row.</summary>
    public T First(int input, int r) => Data(input)[r * RowStride(input)];

    /// <summary>Element <paramref name="i"/> of the (first) row of input <paramref name="input"/>.</summary>
    public T At(int input, int i) => Data(input)[i * Stride(input)];

    /// <summary>Elements i … i + Count − 1 of an input's (first) row (its one value repeated where broadcast).</summary>
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

    private int RowStride(int input) => input switch
    {
        0 => _r0, 1 => _r1, 2 => _r2, 3 => _r3, 4 => _r4, 5 => _r5, 6 => _r6, _ => _r7,
    };

    /// <summary>Row r of an output's rows; nothing for an output the kernel does not have.</summary>
    private Span<T> RowOf(Span<T> output, int r) => output.IsEmpty ? default : output.Slice(r * Length, Length);

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
