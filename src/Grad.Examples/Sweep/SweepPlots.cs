using System.Globalization;
using ScottPlot;

namespace Grad.Examples.Sweep;

/// <summary>
/// A sweep's figures in <c>plots/</c>: the final test accuracy of the finished trials against
/// each swept flag (<c>accuracy-vs-FLAG.png</c>; a log axis for a flag whose values span more
/// than a factor of 10, category ticks for words), and every trial's test-accuracy curve over
/// steps in one figure (<c>test-curves.png</c>).
/// </summary>
public static class SweepPlots
{
    public static IReadOnlyList<string> Save(SweepFolder sweep, Manifest manifest, IReadOnlyList<TrialStatus> trials)
    {
        Directory.CreateDirectory(sweep.Plots);
        var written = new List<string>();
        var finished = trials.Where(t => t.Result is not null).ToList();
        foreach (var flag in finished.Count > 0 ? manifest.Swept : [])
            written.Add(AgainstFlag(Path.Combine(sweep.Plots, $"accuracy-vs-{flag.TrimStart('-')}.png"), flag, finished));
        if (trials.Any(t => t.Points.Count > 0)) written.Add(Curves(Path.Combine(sweep.Plots, "test-curves.png"), trials));
        return written;
    }

    private static string AgainstFlag(string path, string flag, IReadOnlyList<TrialStatus> finished)
    {
        var plot = new Plot();
        var values = finished.Select(t => t.Trial.Flag(flag) ?? "").ToList();
        double[] accuracy = finished.Select(t => t.Result!.FinalTestAccuracy).ToArray();
        var numbers = values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.NaN).ToList();
        double[] x;
        string label = flag;
        if (numbers.All(double.IsFinite))
        {
            bool log = numbers.Min() > 0 && numbers.Max() / numbers.Min() > 10;
            x = numbers.Select(n => log ? Math.Log10(n) : n).ToArray();
            if (log) label = $"log10({flag})";
        }
        else
        {
            var categories = values.Distinct().Order(StringComparer.Ordinal).ToList();
            x = values.Select(v => (double)categories.IndexOf(v)).ToArray();
            plot.Axes.Bottom.SetTicks(categories.Select((_, i) => (double)i).ToArray(), categories.ToArray());
        }
        var points = plot.Add.Scatter(x, accuracy);
        points.LineWidth = 0;
        points.MarkerSize = 9;
        plot.Title($"final test accuracy against {flag}");
        plot.XLabel(label);
        plot.YLabel("final test accuracy");
        return SaveAtomically(plot, path);
    }

    private static string Curves(string path, IReadOnlyList<TrialStatus> trials)
    {
        var plot = new Plot();
        var curves = trials.Where(t => t.Points.Count > 0).ToList();
        foreach (var t in curves)
        {
            var line = plot.Add.Scatter(t.Points.Select(p => (double)p.Step).ToArray(), t.Points.Select(p => p.TestAccuracy).ToArray());
            line.MarkerSize = 3;
            if (curves.Count <= 12) line.LegendText = $"trial {t.Trial.Id}"; // more would hide the curves
        }
        plot.Title("test accuracy of every trial");
        plot.XLabel("step");
        plot.YLabel("test accuracy");
        return SaveAtomically(plot, path);
    }

    private static string SaveAtomically(Plot plot, string path)
    {
        string temporary = path + ".tmp.png";
        plot.SavePng(temporary, 900, 560);
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
