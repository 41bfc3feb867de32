using System.Globalization;
using Spectre.Console;

namespace Grad.Examples.Training;

/// <summary>
/// What a run shows while it works: on a terminal, a live progress bar with step, loss, accuracy,
/// images/s and ETA; when stdout is redirected, one JSON object per evaluation and nothing else,
/// so logs stay machine-readable.
/// </summary>
public sealed class ProgressView
{
    private readonly bool _interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
    private ProgressTask? _task;

    /// <summary>Runs <paramref name="work"/> inside the live display (or plainly).</summary>
    public void Run(string title, int firstStep, int maxSteps, Action<ProgressView> work)
    {
        if (!_interactive)
        {
            work(this);
            return;
        }
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                _task = context.AddTask(Markup.Escape(title), maxValue: maxSteps);
                _task.Value = firstStep;
                work(this);
                _task.StopTask();
            });
    }

    public void Step(int step, int maxSteps, double loss, double imagesPerSecond)
    {
        if (_task is null) return;
        _task.Value = step;
        _task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"step {step}/{maxSteps}  loss {loss:F4}  {imagesPerSecond:F0} img/s"));
    }

    public void Evaluated(EvalPoint point)
    {
        if (_interactive)
        {
            string validation = point.HasValidation
                ? string.Create(CultureInfo.InvariantCulture, $"validation loss {point.ValidationLoss:F4} acc {point.ValidationAccuracy:P2}  ")
                : "";
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"[grey]step {point.Step,6}[/]  train loss {point.TrainLoss:F4} acc {point.TrainAccuracy:P1}  {validation}[bold]test loss {point.TestLoss:F4} acc {point.TestAccuracy:P2}[/]"));
            return;
        }
        Console.WriteLine(MetricsLog.ToJson(point).ToJsonString());
    }

    /// <summary>A message for people (stderr when stdout is a log, so the log stays parseable).</summary>
    public void Note(string message)
    {
        if (_interactive) AnsiConsole.MarkupLine(Markup.Escape(message));
        else Console.Error.WriteLine(message);
    }
}
