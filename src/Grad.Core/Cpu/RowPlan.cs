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

    private readonly int _rank = dims.Length;

    public int Inner => dims[_rank - 1];

    public int Rows
    {
        get
        {
            int rows = 1;
            for (int i = 0; i < _rank - 1; i++) rows *= dims[i];
            return rows;
        }
    }

    public int InnerStride(int operand) => strides[operand * _rank + _rank - 1];

    public int RowOffset(int operand, int row)
    {
        int offset = 0;
        for (int i = _rank - 2; i >= 0; i--)
        {
            offset += row % dims[i] * strides[operand * _rank + i];
            row /= dims[i];
        }
        return offset;
    }

    /// <summary>Runs <paramref name="body"/>(row, first, end) over the elements [first, end) of every
    /// row, split across <see cref="CpuBackend.Threads"/> threads.</summary>
    public void ForEachPiece(Action<int, int, int> body)
    {
        long total = (long)Rows * Inner;
        int parts = (int)Math.Min(CpuBackend.Threads, Math.Max(1, total / (ParallelThreshold / 2)));
        CpuWorkers.Run(new PieceJob(this, body, total, parts), parts);
    }

    private sealed class PieceJob(RowPlan plan, Action<int, int, int> body, long total, int parts) : ParallelJob
    {
        public override void Execute(int part)
        {
            long first = total * part / parts, end = total * (part + 1) / parts;
            int inner = plan.Inner;
            for (long row = first / inner; row * inner < end; row++)
            {
                long rowStart = row * inner;
                body((int)row, (int)Math.Max(first - rowStart, 0), (int)Math.Min(end - rowStart, inner));
            }
        }
    }
}
