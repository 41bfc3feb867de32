namespace Grad.Cpu;

/// <summary>Splits [0, count) into at most <see cref="CpuBackend.Threads"/> contiguous ranges run
/// in parallel on <see cref="CpuWorkers"/>; one range per thread keeps scheduling cost
/// independent of the item count.</summary>
internal static class ParallelRanges
{
    /// <summary>How many ranges <see cref="For"/> uses: each holds at least
    /// <paramref name="minimumPerRange"/> items.</summary>
    public static int Count(int count, int minimumPerRange) =>
        Math.Max(1, Math.Min(CpuBackend.Threads, count / Math.Max(1, minimumPerRange)));

    /// <summary>Runs <paramref name="body"/>(range, start, end) over <see cref="Count"/> ranges;
    /// inline when there is one.</summary>
    public static void For(int count, int minimumPerRange, Action<int, int, int> body) =>
        ForRanges(Count(count, minimumPerRange), count, body);

    /// <summary>Runs <paramref name="body"/>(range, start, end) over exactly <paramref name="ranges"/>
    /// ranges of [0, count), for callers that keep per-range state.</summary>
    public static void ForRanges(int ranges, int count, Action<int, int, int> body)
    {
        if (ranges == 1)
        {
            body(0, 0, count);
            return;
        }
        CpuWorkers.Run(new RangeJob(body, count, ranges), ranges);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(item) for every item of [0, count), each thread taking the
    /// next item when it finishes one. For a few items of similar, large cost (a GEMM each) this
    /// keeps every thread busy to the end when the machine slows one core for a while, where
    /// fixed ranges would leave the others waiting for it.
    /// </summary>
    public static void ForEachDynamic(int count, Action<int> body)
    {
        int threads = Count(count, 1);
        if (threads == 1)
        {
            for (int item = 0; item < count; item++) body(item);
            return;
        }
        CpuWorkers.Run(new DynamicJob(body, count), threads);
    }

    private sealed class DynamicJob(Action<int> body, int count) : ParallelJob
    {
        private int _taken;

        public override void Execute(int part)
        {
            for (int item = Interlocked.Increment(ref _taken) - 1; item < count; item = Interlocked.Increment(ref _taken) - 1)
                body(item);
        }
    }

    private sealed class RangeJob(Action<int, int, int> body, int count, int ranges) : ParallelJob
    {
        public override void Execute(int range) =>
            body(range, (int)((long)count * range / ranges), (int)((long)count * (range + 1) / ranges));
    }
}
