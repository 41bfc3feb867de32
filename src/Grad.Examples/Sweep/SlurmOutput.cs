using System.Globalization;

namespace Grad.Examples.Sweep;

/// <summary>
/// Parses what <c>squeue</c> and <c>scontrol</c> print about a sweep's array jobs (no
/// <c>sacct</c>: clusters without an accounting database must work).
/// </summary>
public static class SlurmOutput
{
    /// <summary>The <c>squeue</c> format this parser reads: array job, task index, state, reason.</summary>
    public const string SqueueFormat = "%F|%K|%T|%r";

    /// <summary>Lines of <c>squeue -h -r -t all -o '%F|%K|%T|%r'</c>: one per array task (<c>-r</c>
    /// expands pending ones); lines of jobs that are not array tasks (<c>%K</c> is <c>N/A</c>) are skipped.</summary>
    public static List<QueueEntry> Squeue(string text)
    {
        var entries = new List<QueueEntry>();
        foreach (var line in Lines(text))
        {
            var fields = line.Split('|');
            if (fields.Length != 4 || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long job))
                throw new SlurmCommandException($"squeue printed a line grad cannot read: '{line}' (expected '{SqueueFormat}')");
            if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int task)) continue;
            entries.Add(new QueueEntry(job, task, fields[2], fields[3]));
        }
        return entries;
    }

    /// <summary>Each record of <c>scontrol -o show job ID</c> (one line per record, <c>Key=Value</c>
    /// fields) as (array job, task indices, restarts). A record of pending tasks names them as a
    /// range, <c>ArrayTaskId=2-5%2</c> or <c>1,3-4</c>. Fields are split at spaces: the values that
    /// may hold one (a command or folder path) are cut, but this parser reads none of them.</summary>
    public static List<(long ArrayJob, IReadOnlyList<int> Tasks, int Restarts)> ScontrolJobs(string text)
    {
        var records = new List<(long, IReadOnlyList<int>, int)>();
        foreach (var line in Lines(text))
        {
            var fields = Fields(line);
            if (!fields.TryGetValue("ArrayJobId", out var job) || !fields.TryGetValue("ArrayTaskId", out var tasks)) continue;
            int restarts = fields.TryGetValue("Restarts", out var r) && int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
            records.Add((long.Parse(job, CultureInfo.InvariantCulture), TaskRange(tasks), restarts));
        }
        return records;
    }

    /// <summary>"0-7" or "1,3-4" (a "%P" throttle is ignored) as the indices it names.</summary>
    public static List<int> TaskRange(string text)
    {
        var list = new List<int>();
        foreach (var part in text.Split('%')[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = part.Split('-');
            int first = int.Parse(ends[0], CultureInfo.InvariantCulture), last = int.Parse(ends[^1], CultureInfo.InvariantCulture);
            for (int i = first; i <= last; i++) list.Add(i);
        }
        return list;
    }

    /// <summary>Indices as Slurm's <c>--array</c> value: runs of consecutive ones as ranges, "0-7" or "0-2,5".</summary>
    public static string ArraySpec(IEnumerable<int> indices)
    {
        var sorted = indices.Distinct().Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(",", parts);
    }

    private static Dictionary<string, string> Fields(string line)
    {
        var fields = new Dictionary<string, string>();
        foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0) fields.TryAdd(token[..equals], token[(equals + 1)..]);
        }
        return fields;
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);
}
