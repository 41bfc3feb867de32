using System.Text;

namespace Grad.Examples.Sweep;

/// <summary>
/// The batch script of a sweep's job array, <c>sweep.sbatch</c>: every setting as an
/// <c>#SBATCH</c> line, so the file alone says what was asked and <c>sbatch sweep.sbatch</c>
/// submits it again by hand. Each task <c>exec</c>s <c>grad sweep task</c> on its trial, so
/// Slurm's warning signal before the time limit reaches grad itself (a bash trap would run only
/// after its foreground command ends).
/// </summary>
public static class SbatchScript
{
    public static string Write(SweepFolder sweep, Manifest manifest, IEnumerable<int> trials, SlurmOptions options, IReadOnlyList<string> grad, Asha? asha = null)
    {
        CheckLine("--partition", options.Partition);
        CheckLine("--time", options.Time);
        CheckLine("--mem", options.Memory);
        CheckLine("--gres", options.Gres);
        foreach (var extra in options.Extra ?? []) CheckLine("--sbatch-arg", extra);
        string array = SlurmOutput.ArraySpec(trials) + (options.Parallel is { } p ? $"%{p}" : "");
        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        text.Append($"# A Grad sweep of {manifest.Trials.Count} {manifest.Trainer} trials, one array task each, written by `grad sweep`\n");
        text.Append("# (docs/cluster.md). Submitting it again (sbatch on this file) is safe: a task whose trial\n");
        text.Append("# has finished exits at once, an unfinished one continues from its checkpoint.\n");
        text.Append($"#SBATCH --job-name=grad-sweep-{Path.GetFileName(sweep.Path)}\n");
        text.Append($"#SBATCH --array={array}\n");
        text.Append($"#SBATCH --output={Path.Combine(sweep.Trials, "%a", "log.txt")}\n");
        text.Append("#SBATCH --open-mode=append\n");
        text.Append("#SBATCH --requeue\n");
        text.Append($"#SBATCH --signal=B:USR1@{options.WarningSeconds}\n");
        text.Append($"#SBATCH --cpus-per-task={options.CpusPerTask}\n");
        if (options.Partition is { } partition) text.Append($"#SBATCH --partition={partition}\n");
        if (options.Time is { } time) text.Append($"#SBATCH --time={time}\n");
        if (options.Memory is { } memory) text.Append($"#SBATCH --mem={memory}\n");
        if (options.Gres is { } gres) text.Append($"#SBATCH --gres={gres}\n");
        foreach (var extra in options.Extra ?? []) text.Append($"#SBATCH {extra}\n");
        text.Append('\n');
        text.Append($"# On SIGUSR1, {options.WarningSeconds} s before the time limit, grad saves the trial's checkpoint and\n");
        text.Append("# requeues this task (scontrol requeue); its next run continues from that checkpoint.\n");
        text.Append("exec ").Append(string.Join(" ", grad.Select(Quote)))
            .Append($" sweep task {Quote(sweep.Path)} \"$SLURM_ARRAY_TASK_ID\" --threads {options.CpusPerTask}")
            .Append(string.Concat(asha?.Arguments().Select(a => " " + a) ?? [])).Append('\n');
        return text.ToString();
    }

    /// <summary>sbatch splits an #SBATCH line at spaces, and a line break would start a command.</summary>
    private static void CheckLine(string flag, string? value)
    {
        if (value is not null && (value.Length == 0 || value.Any(char.IsWhiteSpace)))
            throw new ArgumentException($"{flag} '{value}': an #SBATCH line cannot carry an empty value, a space or a line break.");
    }

    /// <summary>A word for bash: single-quoted unless it is plainly safe.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ':' or '=' or ',')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
