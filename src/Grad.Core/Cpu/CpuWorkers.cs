using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Grad.Cpu;

/// <summary>Work split into independent parts, run at once by <see cref="CpuWorkers"/>.</summary>
internal abstract class ParallelJob
{
    private long _claimed;

    public abstract void Execute(int part);

    /// <summary>Frees every part for a new run; some jobs are reused, one per calling thread.</summary>
    public void ReleaseClaims() => Volatile.Write(ref _claimed, 0);

    /// <summary>Takes part <paramref name="part"/> for the calling thread; false when another
    /// thread took it first. Parts from 64 on can only be taken by their worker.</summary>
    public bool TryClaim(int part) =>
        part >= 64 || (Interlocked.Or(ref _claimed, 1L << part) & (1L << part)) == 0;
}

/// <summary>
/// Persistent background threads for the CPU kernels (GEMM, convolution, pooling, reductions,
/// large element-wise passes). Part 0 runs on the caller and parts 1.. on the workers; posting a
/// job is a semaphore release, so a call allocates nothing once the workers exist (unlike
/// Parallel.For, which allocates tasks and closures per call). One caller uses the workers at a
/// time; a job started from inside a running job, or while another thread's job holds the
/// workers, runs its parts on its own thread, so the threads never multiply. When the caller
/// finishes its part before a worker has started its own, the caller runs that part too: on a
/// shared machine a worker may wait a whole scheduler slice for its core, and without this the
/// caller would wait with it, at every one of a step's hundreds of jobs.
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
        job.ReleaseClaims();
        for (int part = 1; part < parts; part++) Workers[part - 1].Post(job);
        try
        {
            job.Execute(0);
            for (int part = Math.Min(parts, 64) - 1; part >= 1; part--)
            {
                if (job.TryClaim(part)) RunPart(job, part);
            }
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

    /// <summary>Runs a part the calling thread has claimed, keeping its exception for the caller.</summary>
    private static void RunPart(ParallelJob job, int part)
    {
        try
        {
            job.Execute(part);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref failure, e, null);
        }
        finally
        {
            if (Interlocked.Decrement(ref pending) == 0) Done.Set();
        }
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim start = new(0);
        private readonly int part;
        private ParallelJob? job;

        public Worker(int part)
        {
            this.part = part;
            new Thread(Loop) { IsBackground = true, Name = $"Grad CPU worker {part}" }.Start();
        }

        public void Post(ParallelJob job)
        {
            Volatile.Write(ref this.job, job);
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
                // Null, or a job whose part the caller ran itself, when this wake-up was for a
                // job the caller finished alone: the next post has not come yet, or came before
                // this thread did and is taken here.
                var posted = Interlocked.Exchange(ref job, null);
                if (posted is not null && posted.TryClaim(part)) RunPart(posted, part);
            }
        }
    }
}
