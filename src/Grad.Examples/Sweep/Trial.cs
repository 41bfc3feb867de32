namespace Grad.Examples.Sweep;

/// <summary>One training of a sweep: its number (also its Slurm array index and its folder's
/// name) and the trainer flags that set it apart, in the sweep file's order.</summary>
public sealed record Trial(int Id, IReadOnlyList<KeyValuePair<string, string>> Flags)
{
    /// <summary>The flags as command-line arguments; a flag whose value is "true" is a switch.</summary>
    public IEnumerable<string> Arguments() => SweepSpec.Arguments(Flags);

    public string? Flag(string name) => Flags.FirstOrDefault(f => f.Key == name).Value;
}
