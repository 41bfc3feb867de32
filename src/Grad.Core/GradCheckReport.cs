using System.Globalization;
using System.Text;

namespace Grad;

/// <summary>One compared gradient entry.</summary>
public sealed record GradCheckEntry(string Tensor, int Index, double Analytic, double Numeric)
{
    public double Error => Math.Abs(Analytic - Numeric);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Tensor}[{Index}]: analytic {Analytic:G10}, numeric {Numeric:G10} (|diff| {Error:G3})");
}

/// <summary>What <see cref="GradCheck"/> found: the worst entry, and every failed check.</summary>
public sealed class GradCheckReport(IReadOnlyList<string> failures, GradCheckEntry? worst, int entriesChecked)
{
    public bool Passed => failures.Count == 0;
    public IReadOnlyList<string> Failures => failures;

    /// <summary>The entry with the largest error relative to its tolerance.</summary>
    public GradCheckEntry? Worst => worst;
    public int EntriesChecked => entriesChecked;

    /// <summary>Throws <see cref="GradCheckException"/> with this report unless it passed; for tests.</summary>
    public GradCheckReport EnsurePassed() => Passed ? this : throw new GradCheckException(ToString());

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Passed ? "gradient check passed" : "gradient check FAILED");
        text.Append(CultureInfo.InvariantCulture, $" ({entriesChecked} entries)");
        if (worst is not null) text.Append("; worst ").Append(worst);
        foreach (var failure in failures) text.Append('\n').Append("  - ").Append(failure);
        return text.ToString();
    }
}

public sealed class GradCheckException(string message) : Exception(message);
