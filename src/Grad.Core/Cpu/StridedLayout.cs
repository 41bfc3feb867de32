namespace Grad.Cpu;

/// <summary>
/// Walks an output shape row by row while reading up to three operands through their own strides
/// (stride 0 for broadcast axes). Axes that are laid out contiguously for every operand are merged
/// first, so the common cases (same shapes, a scalar, a broadcast row) become one long inner row
/// that the kernels hand to <c>TensorPrimitives</c>. Works in caller-provided buffers: no allocation.
/// </summary>
internal ref struct StridedLayout
{
    public const int MaxRank = 16;

    private readonly Span<int> _dims;
    private readonly Span<int> _strides; // operand-major: operand k's strides at [k*MaxRank ..]
    private readonly int _operands;
    private int _rank;

    public StridedLayout(ReadOnlySpan<int> dims, int operands, Span<int> dimsBuffer, Span<int> stridesBuffer)
    {
        if (dims.Length > MaxRank) throw new NotSupportedException($"Tensors of rank above {MaxRank} are not supported (got {dims.Length}).");
        _dims = dimsBuffer;
        _strides = stridesBuffer;
        _operands = operands;
        _rank = dims.Length;
        dims.CopyTo(_dims);
    }

    public Span<int> StridesOf(int operand) => _strides.Slice(operand * MaxRank, MaxRank);

    /// <summary>Drops size-1 axes and merges neighbours that are contiguous for every operand.</summary>
    public void Collapse()
    {
        int rank = 0;
        for (int i = 0; i < _rank; i++)
        {
            if (_dims[i] == 1) continue;
            bool merge = rank > 0;
            for (int k = 0; k < _operands && merge; k++)
            {
                var s = StridesOf(k);
                merge = s[rank - 1] == s[i] * _dims[i];
            }
            if (merge)
            {
                _dims[rank - 1] *= _dims[i];
                for (int k = 0; k < _operands; k++) StridesOf(k)[rank - 1] = StridesOf(k)[i];
                continue;
            }
            _dims[rank] = _dims[i];
            for (int k = 0; k < _operands; k++) StridesOf(k)[rank] = StridesOf(k)[i];
            rank++;
        }
        if (rank == 0)
        {
            _dims[0] = 1;
            for (int k = 0; k < _operands; k++) StridesOf(k)[0] = 0;
            rank = 1;
        }
        _rank = rank;
    }

    /// <summary>The number of axes left after <see cref="Collapse"/>; the dims buffer holds them.</summary>
    public readonly int Rank => _rank;

    public readonly int InnerLength => _dims[_rank - 1];
    public readonly int InnerStride(int operand) => _strides[operand * MaxRank + _rank - 1];

    public readonly int RowCount
    {
        get
        {
            int rows = 1;
            for (int i = 0; i < _rank - 1; i++) rows *= _dims[i];
            return rows;
        }
    }

    /// <summary>A heap copy of the collapsed layout, for work split across threads.</summary>
    public readonly RowPlan Freeze()
    {
        var strides = new int[_operands * _rank];
        for (int k = 0; k < _operands; k++) _strides.Slice(k * MaxRank, _rank).CopyTo(strides.AsSpan(k * _rank));
        return new RowPlan(_dims[.._rank].ToArray(), strides);
    }

    /// <summary>Positions <paramref name="index"/> and every operand's <paramref name="offsets"/>
    /// at the first row; <see cref="Advance"/> moves them on.</summary>
    public readonly void Start(Span<int> index, Span<int> offsets) =>
        RowOdometer.Start(_dims[.._rank], _strides, MaxRank, 0, index, offsets);

    public readonly void Advance(Span<int> index, Span<int> offsets) =>
        RowOdometer.Advance(_dims[.._rank], _strides, MaxRank, index, offsets);

    /// <summary>Moves on by a run of <paramref name="rows"/> rows (see <see cref="RowOdometer.AdvanceBy"/>).</summary>
    public readonly void AdvanceBy(Span<int> index, Span<int> offsets, int rows) =>
        RowOdometer.AdvanceBy(_dims[.._rank], _strides, MaxRank, index, offsets, rows);

    /// <summary>How many rows, from the one at <paramref name="index"/>, form a run.</summary>
    public readonly int RunLength(ReadOnlySpan<int> index) => RowOdometer.RunLength(_dims[.._rank], index);

    /// <summary>Operand k's step from one row of a run to the next.</summary>
    public readonly int RowStride(int operand) => RowOdometer.RowStride(_dims[.._rank], _strides, MaxRank, operand);
}
