namespace Grad.Cpu;

/// <summary>Splits [0, count) into at most <see cref="CpuBackend.Threads"/> contiguous ranges run
/// in parallel; one range per thread keeps scheduling cost independent of the item count.</summary>
internal static class ParallelRanges
{
    /// <summary>Runs <paramref name="body"/>(start, end) over ranges of at least
    /// <paramref name="minimumPerRange"/> items; inline when a single range suffices.</summary>
    public static void For(int count, int minimumPerRange, Action<int, int> body)
    {
        int ranges = Math.Min(CpuBackend.Threads, count / Math.Max(1, minimumPerRange));
        if (ranges <= 1)
        {
            body(0, count);
            return;
        }
        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = ranges }, r =>
            body((int)((long)count * r / ranges), (int)((long)count * (r + 1) / ranges)));
    }
}
