using Spectre.Console;

namespace Grad.Examples.Sweep;

/// <summary>
/// What a local sweep shows while it runs: on a terminal, a progress bar per trial (its flags, its
/// step out of its last); otherwise a line on stderr when a trial starts and when it ends.
/// </summary>
public sealed class SweepProgress(IReadOnlyDictionary<int, (string Label, int MaxSteps)> trials)
{
    private readonly bool _interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
    private readonly Dictionary<int, ProgressTask> _bars = [];

    public void Run(Action work)
    {
        if (!_interactive)
        {
            work();
            return;
        }
        AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                foreach (var (id, (label, max)) in trials)
                    _bars[id] = context.AddTask(Markup.Escape($"trial {id} {label}"), autoStart: false, maxValue: max);
                work();
            });
    }

    public void Started(int id)
    {
        if (_bars.TryGetValue(id, out var bar)) bar.StartTask();
        else Note($"trial {id} started: {trials[id].Label}");
    }

    public void Step(int id, int step)
    {
        if (_bars.TryGetValue(id, out var bar)) bar.Value = step;
    }

    public void Ended(int id, int exitCode)
    {
        string how = exitCode == 0 ? "finished" : $"ended with exit code {exitCode} (see its log.txt)";
        if (_bars.TryGetValue(id, out var bar))
        {
            if (exitCode == 0) bar.Value = bar.MaxValue;
            bar.Description = Markup.Escape($"trial {id} {trials[id].Label}: {how}");
            bar.StopTask();
        }
        else Note($"trial {id} {how}");
    }

    public void Note(string message) => Console.Error.WriteLine(message);
}
