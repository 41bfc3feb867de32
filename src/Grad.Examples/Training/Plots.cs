using ScottPlot;

namespace Grad.Examples.Training;

/// <summary>The practical's figures: train and test curves of accuracy and loss over steps, and
/// the validation curve when the run holds images out.</summary>
public static class Plots
{
    public static void Save(IReadOnlyList<EvalPoint> points, string directory, string title)
    {
        if (points.Count == 0) return;
        Save(points, Path.Combine(directory, "accuracy.png"), title + ": accuracy", "accuracy",
            p => p.TrainAccuracy, p => p.TestAccuracy, p => p.ValidationAccuracy);
        Save(points, Path.Combine(directory, "loss.png"), title + ": loss", "cross-entropy loss",
            p => p.TrainLoss, p => p.TestLoss, p => p.ValidationLoss);
    }

    private static void Save(IReadOnlyList<EvalPoint> points, string path, string title, string axis,
        Func<EvalPoint, double> train, Func<EvalPoint, double> test, Func<EvalPoint, double> validation)
    {
        var plot = new Plot();
        double[] steps = points.Select(p => (double)p.Step).ToArray();
        var trainLine = plot.Add.Scatter(steps, points.Select(train).ToArray());
        trainLine.LegendText = "train (batches since the last evaluation)";
        var testLine = plot.Add.Scatter(steps, points.Select(test).ToArray());
        testLine.LegendText = "test";
        if (points.Any(p => p.HasValidation))
            plot.Add.Scatter(steps, points.Select(validation).ToArray()).LegendText = "validation";
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(axis);
        plot.ShowLegend();
        var temporary = path + ".tmp.png";
        plot.SavePng(temporary, 900, 560);
        File.Move(temporary, path, overwrite: true);
    }
}
