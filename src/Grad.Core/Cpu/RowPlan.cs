namespace Grad.Cpu;

/// <summary>
/// A collapsed <see cref="StridedLayout"/> on the heap, so that a large element-wise pass can be
/// split across the CPU threads: each thread takes an equal share of the output's elements,
/// whole rows or a piece of one long row.
/// </summary>
internal sealed class RowPlan(int[] dims, int[] strides)
{
    /// <summary>Below this many output elements a pass stays on the calling thread: the hand-off
    /// would cost more than it saves.</summary>
    public const int ParallelThreshold = 1 << 15;

    private readonly int[] _dims = dims;
    private readonly int[] _strides = strides;
    private readonly int _rank = dims.Length;
    private readonly int _operands = strides.Length / dims.Length;

    public int Inner => _dims[_rank - 1];

    public int Rows
    {
        get
        {
            int rows = 1;
            for (int i = 0; i < _rank - 1; i++) rows *= _dims[i];
            return rows;
        }
    }

    public int InnerStride(int operand) => _strides[operand * _rank + _rank - 1];

    /// <summary>Operand k's step from one row of a run to the next.</summary>
    public int RowStride(int operand) => RowOdometer.RowStride(_dims, _strides, _rank, operand);

    /// <summary>A share of a piece: <paramref name="rows"/> rows from <paramref name="row"/> on, or
    /// the elements [first, end) of one row where a piece starts or ends inside it, and every
    /// operand's offset to the first row's first element. Several rows always form a run (see
    /// <see cref="RowOdometer.RunLength"/>) and are whole.</summary>
    public delegate void PieceBody(int row, int rows, int first, int end, ReadOnlySpan<int> offsets);

    /// <summary>Runs <paramref name="body"/> over every row, in runs of whole rows where it can,
    /// split across <see cref="CpuBackend.Threads"/> threads.</summary>
    public void ForEachPiece(PieceBody body)
    {
        long total = (long)Rows * Inner;
        int parts = (int)Math.Min(CpuBackend.Threads, Math.Max(1, total / (ParallelThreshold / 2)));
        CpuWorkers.Run(new PieceJob(this, body, total, parts), parts);
    }

    private sealed class PieceJob(RowPlan plan, PieceBody body, long total, int parts) : ParallelJob
    {
        public override void Execute(int part)
        {
            long first = total * part / parts, end = total * (part + 1) / parts;
            int inner = plan.Inner, operands = plan._operands;
            Span<int> index = stackalloc int[StridedLayout.MaxRank];
            Span<int> offsets = stackalloc int[operands];
            long row = first / inner;
            RowOdometer.Start(plan._dims, plan._strides, plan._rank, (int)row, index, offsets);
            while (row * inner < end)
            {
                long rowStart = row * inner;
                int from = (int)Math.Max(first - rowStart, 0), to = (int)Math.Min(end - rowStart, inner);
                int rows = from == 0 && to == inner
                    ? (int)Math.Min(RowOdometer.RunLength(plan._dims, index), (end - rowStart) / inner)
                    : 1;
                body((int)row, rows, from, to, offsets);
                RowOdometer.AdvanceBy(plan._dims, plan._strides, plan._rank, index, offsets, rows);
                row += rows;
            }
        }
    }
}
