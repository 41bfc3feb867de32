using System.Globalization;
using System.Text;
using Grad.Examples.Training;

namespace Grad.Examples.Sweep;

/// <summary>
/// A sweep's table, one row per trial: its state, swept flags, final and best test accuracy,
/// steps, wall time, attempts and requeues; then the best finished trial and each failure with the
/// last lines of its log. Written as <c>results.md</c> and <c>results.csv</c>.
/// </summary>
public sealed class SweepReport(SweepFolder sweep, Manifest manifest, IReadOnlyList<TrialStatus> trials)
{
    private const int LogLines = 5;

    private static readonly string[] Columns = ["final_test_accuracy", "best_test_accuracy", "best_step", "steps", "wall_seconds", "attempts", "requeues"];

    public TrialStatus? Best => trials.Where(t => t.Result is not null).MaxBy(t => t.Result!.FinalTestAccuracy);

    public string Csv()
    {
        var lines = new List<string> { string.Join(",", ["trial", "state", .. manifest.Swept.Select(s => s.TrimStart('-')), .. Columns]) };
        foreach (var t in trials)
        {
            var (final, best, bestStep, steps, wall) = Figures(t);
            lines.Add(string.Join(",", [$"{t.Trial.Id}", State(t), .. manifest.Swept.Select(s => CsvField(t.Trial.Flag(s) ?? "")),
                N(final), N(best), bestStep?.ToString(CultureInfo.InvariantCulture) ?? "", steps?.ToString(CultureInfo.InvariantCulture) ?? "", N(wall),
                $"{t.Attempts.Count}", $"{Requeues(t)}"]));
        }
        return string.Join("\n", lines) + "\n";
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Sweep {sweep.Path}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{manifest.Trials.Count} trials of `grad {manifest.Trainer}`");
        if (manifest.Fixed.Count > 0) text.Append($", each with `{string.Join(" ", SweepSpec.Arguments(manifest.Fixed))}`");
        text.Append(": ").Append(string.Join(", ", trials.GroupBy(t => State(t)).Select(g => $"{g.Count()} {g.Key}"))).Append(".\n\n");
        text.Append("| trial | state | ").Append(string.Join(" | ", manifest.Swept.Select(s => $"`{s}`")))
            .Append(manifest.Swept.Count > 0 ? " | " : "").Append("final test acc | best test acc (step) | steps | wall s | attempts | requeues |\n");
        text.Append(string.Concat(Enumerable.Repeat("|---", 2 + manifest.Swept.Count))).Append("|---:|---:|---:|---:|---:|---:|\n");
        foreach (var t in trials)
        {
            var (final, best, bestStep, steps, wall) = Figures(t);
            text.Append(CultureInfo.InvariantCulture, $"| {t.Trial.Id} | {State(t)} | ");
            foreach (var s in manifest.Swept) text.Append(t.Trial.Flag(s) ?? "").Append(" | ");
            text.Append(CultureInfo.InvariantCulture, $"{P(final)} | {P(best)}{(bestStep is { } b ? $" ({b})" : "")} | {steps} | {wall:F1} | {t.Attempts.Count} | {Requeues(t)} |\n");
        }
        if (Best is { } top)
            text.Append(CultureInfo.InvariantCulture, $"\nBest: trial {top.Trial.Id} (`{string.Join(" ", top.Trial.Arguments())}`), final test accuracy " +
                $"{P(top.Result!.FinalTestAccuracy)}; its model is {Path.Combine(sweep.Trial(top.Trial.Id).Path, "model.safetensors")}.\n");
        foreach (var t in trials.Where(t => t.State is TrialState.Failed or TrialState.Damaged))
        {
            text.Append(CultureInfo.InvariantCulture, $"\nTrial {t.Trial.Id} {State(t)}: {t.Problem}. ");
            var log = LastLines(sweep.Trial(t.Trial.Id).Log);
            text.Append(log.Count == 0 ? "Its log is empty.\n" : $"The last lines of {sweep.Trial(t.Trial.Id).Log}:\n\n```\n{string.Join("\n", log)}\n```\n");
        }
        return text.ToString();
    }

    public void Write()
    {
        MetricsLog.WriteText(sweep.ResultsCsv, Csv());
        MetricsLog.WriteText(sweep.ResultsMarkdown, Markdown());
    }

    /// <summary>A trial's state as the table shows it; a queued one with Slurm's reason.</summary>
    private static string State(TrialStatus t) => t.State switch
    {
        TrialState.Queued when t.Queue is { } q => $"queued ({q.Reason})",
        _ => t.State.ToString().ToLowerInvariant(),
    };

    /// <summary>Final and best test accuracy, best step, steps and wall time: a finished trial's
    /// result, or for an unfinished one its metrics so far (no final figure).</summary>
    private static (double? Final, double? Best, int? BestStep, int? Steps, double? Wall) Figures(TrialStatus t)
    {
        if (t.Result is { } r) return (r.FinalTestAccuracy, r.BestTestAccuracy, r.BestStep, r.Steps, r.WallSeconds);
        if (t.Points.Count == 0) return (null, null, null, null, null);
        var best = t.Points.MaxBy(p => p.TestAccuracy)!;
        return (null, best.TestAccuracy, best.Step, t.Points[^1].Step, t.Points[^1].WallSeconds);
    }

    /// <summary>Requeues: the attempts grad requeued, or Slurm's count while it remembers the job, if
    /// higher (it also counts requeues by an administrator or by preemption).</summary>
    private static int Requeues(TrialStatus t) => Math.Max(t.Attempts.Count(a => a.Outcome == Attempt.Requeued), t.Queue?.Restarts ?? 0);

    /// <summary>The last lines of a trial's log (its trainer's messages and Slurm's), for a failure's report.</summary>
    public static List<string> LastLines(string log, int count = LogLines) =>
        File.Exists(log) ? File.ReadLines(log).Where(l => l.Trim().Length > 0).TakeLast(count).ToList() : [];

    private static string N(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string P(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("P2", CultureInfo.InvariantCulture) : "";

    private static string CsvField(string value) => value.Contains(',', StringComparison.Ordinal) ? $"\"{value}\"" : value;
}
