using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Grad.Cpu;

/// <summary>Work split into independent parts, run at once by <see cref="CpuWorkers"/>.</summary>
internal abstract class ParallelJob
{
    public abstract void Execute(int part);
}

/// <summary>
/// Persistent background threads for the CPU kernels (GEMM, convolution, pooling, reductions,
/// large element-wise passes). Part 0 runs on the caller and parts 1.. on the workers; posting a
/// job is a semaphore release, so a call allocates nothing once the workers exist (unlike
/// Parallel.For, which allocates tasks and closures per call). One caller uses the workers at a
/// time; a job started from inside a running job, or while another thread's job holds the
/// workers, runs its parts on its own thread, so the threads never multiply.
/// </summary>
internal static class CpuWorkers
{
    private static readonly Lock Gate = new();
    private static readonly List<Worker> Workers = [];
    private static readonly ManualResetEventSlim Done = new(false);

    /// <summary>How long a thread polls before it sleeps, when it waits for the next job or for
    /// the other parts of its own: a training step runs hundreds of jobs a few hundred
    /// microseconds apart, and waking a sleeping thread costs tens of microseconds each time.
    /// (OpenMP runtimes spin-wait the same way.)</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 2000;
    private static int pending;
    private static Exception? failure;

    public static void Run(ParallelJob job, int parts)
    {
        if (parts <= 1 || Gate.IsHeldByCurrentThread || !Gate.TryEnter())
        {
            for (int part = 0; part < parts; part++) job.Execute(part);
            return;
        }
        try
        {
            RunShared(job, parts);
        }
        finally
        {
            Gate.Exit();
        }
    }

    private static void RunShared(ParallelJob job, int parts)
    {
        while (Workers.Count < parts - 1) Workers.Add(new Worker(Workers.Count + 1));
        failure = null;
        pending = parts - 1;
        Done.Reset();
        for (int part = 1; part < parts; part++) Workers[part - 1].Post(job, part);
        try
        {
            job.Execute(0);
        }
        finally
        {
            // The job reads memory the caller has pinned only until it returns: always wait.
            long until = Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref pending) != 0 && Stopwatch.GetTimestamp() < until) Thread.SpinWait(20);
            Done.Wait();
        }
        if (failure is { } e) ExceptionDispatchInfo.Throw(e);
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim start = new(0);
        private ParallelJob? job;
        private int part;

        public Worker(int index) =>
            new Thread(Loop) { IsBackground = true, Name = $"Grad CPU worker {index}" }.Start();

        public void Post(ParallelJob job, int part)
        {
            (this.job, this.part) = (job, part);
            start.Release();
        }

        private void WaitForJob()
        {
            long until = Stopwatch.GetTimestamp() + SpinTicks;
            while (!start.Wait(0))
            {
                if (Stopwatch.GetTimestamp() >= until)
                {
                    start.Wait();
                    return;
                }
                Thread.SpinWait(20);
            }
        }

        private void Loop()
        {
            while (true)
            {
                WaitForJob();
                try
                {
                    job!.Execute(part);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
                finally
                {
                    job = null;
                    if (Interlocked.Decrement(ref pending) == 0) Done.Set();
                }
            }
        }
    }
}
