using System.Numerics;

namespace Grad.Cpu;

/// <summary>
/// A multi-threaded GEMM call: C cut into equal bands of whole tiles, along its rows or its
/// columns, one band per part. Bands share nothing, so parts need no synchronisation; each packs
/// its own blocks (the one operand both bands need is packed twice, a few per cent of the work
/// at the sizes where threads pay). One instance per calling thread, reused.
/// </summary>
internal sealed class GemmJob<T> : ParallelJob where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic] private static GemmJob<T>? current;

    private GemmOperands<T> operands;
    private GemmKernel kernel;
    private bool splitRows;
    private int band;

    public static GemmJob<T> For(in GemmOperands<T> operands, GemmKernel kernel, bool splitRows, int band)
    {
        var job = current ??= new GemmJob<T>();
        (job.operands, job.kernel, job.splitRows, job.band) = (operands, kernel, splitRows, band);
        return job;
    }

    public override void Execute(int part)
    {
        int start = part * band;
        int total = splitRows ? operands.M : operands.N;
        int length = Math.Min(band, total - start);
        if (length <= 0) return;
        if (splitRows) Gemm.RunBlock(operands, kernel, start, length, 0, operands.N);
        else Gemm.RunBlock(operands, kernel, 0, operands.M, start, length);
    }
}
