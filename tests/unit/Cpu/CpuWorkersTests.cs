using System.Collections.Concurrent;
using Grad.Cpu;

namespace Grad.Tests.Unit.Cpu;

/// <summary>The worker pool: each part of a job runs once, whether its worker or the caller
/// takes it, also when one job object is run again and again (as each thread's GEMM job is).</summary>
public class CpuWorkersTests
{
    private sealed class CountingJob(int parts) : ParallelJob
    {
        public readonly int[] Runs = new int[parts];
        public int? Throwing { get; set; }

        public override void Execute(int part)
        {
            Interlocked.Increment(ref Runs[part]);
            if (part == Throwing) throw new InvalidOperationException($"part {part} failed");
        }
    }

    [Fact]
    public async Task Every_part_of_a_reused_job_runs_once_per_run()
    {
        const int parts = 3, runs = 2000;
        var job = new CountingJob(parts);
        // A part nobody takes would leave the caller waiting for ever: fail instead.
        var runAll = Task.Run(() =>
        {
            for (int run = 0; run < runs; run++) CpuWorkers.Run(job, parts);
        });
        bool finished = await Task.WhenAny(runAll, Task.Delay(TimeSpan.FromSeconds(60))) == runAll;
        Assert.True(finished, "a run never ended: one of its parts was not taken");
        Assert.All(job.Runs, count => Assert.Equal(runs, count));
    }

    [Fact]
    public void A_part_that_throws_reaches_the_caller_and_the_pool_keeps_working()
    {
        var failing = new CountingJob(2) { Throwing = 1 };
        var e = Assert.Throws<InvalidOperationException>(() => CpuWorkers.Run(failing, 2));
        Assert.Equal("part 1 failed", e.Message);
        var next = new CountingJob(2);
        CpuWorkers.Run(next, 2);
        Assert.Equal([1, 1], next.Runs);
    }

    [Fact]
    public void Dynamic_items_each_run_once()
    {
        var seen = new ConcurrentBag<int>();
        for (int run = 0; run < 200; run++) ParallelRanges.ForEachDynamic(37, seen.Add);
        Assert.Equal(200 * 37, seen.Count);
        Assert.All(seen.GroupBy(item => item), group => Assert.Equal(200, group.Count()));
    }
}
