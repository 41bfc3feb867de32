namespace Grad.Examples.Sweep;

/// <summary>What a sweep asks Slurm for, each array task alike: <c>--cpus-per-task</c> (also the
/// trainer's <c>--threads</c>), and where given a partition, time limit, memory, generic resources
/// and any other <c>sbatch</c> arguments; <see cref="Parallel"/> caps the tasks running at once.</summary>
public sealed record SlurmOptions(int CpusPerTask, string? Partition = null, string? Time = null, string? Memory = null, string? Gres = null,
    IReadOnlyList<string>? Extra = null, int? Parallel = null, int WarningSeconds = 120);
