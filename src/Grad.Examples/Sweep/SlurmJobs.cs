using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grad.Examples.Training;

namespace Grad.Examples.Sweep;

/// <summary>One <c>sbatch</c> of a sweep: the array job's id and the trials (array indices) it runs.</summary>
public sealed record Submission(long Job, IReadOnlyList<int> Trials, DateTimeOffset Submitted);

/// <summary>
/// <c>jobs.json</c>: the array jobs a sweep submitted, and what Slurm's queue says about their
/// tasks now, from <c>squeue</c> (states) and <c>scontrol</c> (requeue counts).
/// </summary>
public sealed class SlurmJobs(string path)
{
    public IReadOnlyList<Submission> Read()
    {
        if (!File.Exists(path)) return [];
        try
        {
            static JsonNode Field(JsonNode? job, string key) => job?[key] ?? throw new InvalidDataException($"a job has no \"{key}\"");
            return (JsonNode.Parse(File.ReadAllText(path)) as JsonArray ?? throw new InvalidDataException("not a list"))
                .Select(j => new Submission(Field(j, "job").GetValue<long>(),
                    Field(j, "trials").AsArray().Select(t => t?.GetValue<int>() ?? throw new InvalidDataException("a trial is null")).ToList(),
                    DateTimeOffset.Parse(Field(j, "submitted").GetValue<string>(), CultureInfo.InvariantCulture)))
                .ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"{path} is damaged ({e.Message}); it lists the Slurm jobs this sweep submitted. Check squeue, then delete it.");
        }
    }

    public void Add(Submission submission)
    {
        var all = Read().Append(submission).Select(s => (JsonNode?)new JsonObject
        {
            ["job"] = s.Job,
            ["trials"] = new JsonArray(s.Trials.Select(t => (JsonNode?)t).ToArray()),
            ["submitted"] = s.Submitted.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        });
        MetricsLog.WriteText(path, new JsonArray(all.ToArray()).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Each trial's task in the queue, from the latest submission that ran it; trials whose
    /// jobs the controller has forgotten (<c>MinJobAge</c> after they ended) are absent.</summary>
    public Dictionary<int, QueueEntry> Queue()
    {
        var submissions = Read();
        if (submissions.Count == 0) return [];
        string ids = string.Join(",", submissions.Select(s => s.Job).Distinct());
        var entries = SlurmOutput.Squeue(SlurmCommand.Run("squeue", ["-h", "-r", "-t", "all", "-j", ids, "-o", SlurmOutput.SqueueFormat], Forgotten));
        var restarts = submissions.Select(s => s.Job).Distinct()
            .SelectMany(job => SlurmOutput.ScontrolJobs(SlurmCommand.Run("scontrol", ["-o", "show", "job", job.ToString(CultureInfo.InvariantCulture)], Forgotten)))
            .SelectMany(r => r.Tasks.Select(t => ((r.ArrayJob, t), r.Restarts)))
            .ToDictionary(r => r.Item1, r => r.Restarts);
        var latest = new Dictionary<int, long>();
        foreach (var s in submissions)
            foreach (var t in s.Trials) latest[t] = s.Job;
        return entries.Where(e => latest.TryGetValue(e.Task, out long job) && job == e.ArrayJob)
            .ToDictionary(e => e.Task, e => e with { Restarts = restarts.GetValueOrDefault((e.ArrayJob, e.Task)) });
    }

    /// <summary>squeue and scontrol exit 1 for jobs the controller no longer knows: not a failure here.</summary>
    private static bool Forgotten(string stderr) => stderr.Contains("Invalid job id", StringComparison.Ordinal);
}
