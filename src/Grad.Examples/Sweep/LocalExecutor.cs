using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Grad.Examples.Sweep;

/// <summary>
/// Runs trials on this machine, <paramref name="parallel"/> at once, each a child
/// <c>grad sweep task</c> process with <paramref name="threads"/> threads; its output goes to the
/// trial's log.txt, and its evaluations move the progress view. SIGTERM is passed on to the
/// children, which save their checkpoints; SIGINT from a terminal reaches them by itself.
/// </summary>
public sealed partial class LocalExecutor(int parallel, int threads, IReadOnlyList<string> grad, SweepProgress view, Asha? asha = null)
{
    private readonly ConcurrentDictionary<int, Process> _running = new();
    private volatile bool _stopping;

    /// <summary>Runs the trials; how each ended is in its folder.</summary>
    public void Execute(SweepFolder sweep, IReadOnlyList<Trial> trials)
    {
        var pending = new ConcurrentQueue<Trial>(trials);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        view.Run(() =>
        {
            var workers = Enumerable.Range(0, Math.Min(parallel, trials.Count)).Select(_ => Task.Run(() =>
            {
                while (!_stopping && pending.TryDequeue(out var trial)) RunTrial(sweep, trial);
            })).ToArray();
            Task.WaitAll(workers);
        });
    }

    private void RunTrial(SweepFolder sweep, Trial trial)
    {
        var folder = sweep.Trial(trial.Id);
        Directory.CreateDirectory(folder.Path);
        var start = new ProcessStartInfo(grad[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in grad.Skip(1).Concat(["sweep", "task", sweep.Path, $"{trial.Id}", "--threads", threads.ToString(CultureInfo.InvariantCulture), .. asha?.Arguments() ?? []]))
            start.ArgumentList.Add(a);
        using var log = new StreamWriter(folder.Log, append: true) { AutoFlush = true };
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.WriteLine(e.Data);
            if (Step(e.Data) is { } step) view.Step(trial.Id, step);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.WriteLine(e.Data);
        };
        view.Started(trial.Id);
        process.Start();
        _running[trial.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        _running.TryRemove(trial.Id, out _);
        view.Ended(trial.Id, process.ExitCode);
    }

    /// <summary>The step of an evaluation line the trainer prints when its output is a log.</summary>
    private static int? Step(string line)
    {
        if (!line.StartsWith('{')) return null;
        try
        {
            return JsonNode.Parse(line)?["step"]?.GetValue<int>();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        _stopping = true;
        view.Note($"{context.Signal}: no new trials start; the running ones save their checkpoints and stop (run the same `grad sweep` again to continue).");
        if (context.Signal != PosixSignal.SIGTERM) return;
        foreach (var p in _running.Values) _ = Kill(p.Id, 15);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
