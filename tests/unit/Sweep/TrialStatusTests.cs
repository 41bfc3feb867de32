using System.Text.Json.Nodes;
using Grad.Examples.Sweep;
using Grad.Examples.Training;

namespace Grad.Tests.Unit.Sweep;

/// <summary>The resume decisions: which trials a later <c>grad sweep</c> trains again, from the
/// trial's files and Slurm's queue; and the files those decisions rest on (result written once,
/// attempts, manifest), damaged copies of which are reported, not trusted.</summary>
public sealed class TrialStatusTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrialResult Result = new(0, 100, 0.4, 0.45, 80, 12.5, Now);

    public void Dispose() => _temp.Dispose();

    private static Attempt Ended(int code, string outcome) => new(Now, "node1", null, code, outcome);

    private static readonly Attempt Vanished = new(Now, "node1", "12_0 (job 13, restart 0)", null, null);

    private static QueueEntry Queue(string state, string reason = "None") => new(12, 0, state, reason);

    [Fact]
    public void Files_decide_and_the_queue_says_what_is_pending_or_running()
    {
        Assert.Equal(TrialState.Finished, TrialStatus.Classify(Result, [Vanished], Queue("RUNNING"), locked: true).Item1);
        Assert.Equal(TrialState.New, TrialStatus.Classify(null, [], null, locked: false).Item1);
        Assert.Equal(TrialState.Running, TrialStatus.Classify(null, [Vanished], null, locked: true).Item1);
        Assert.Equal(TrialState.Running, TrialStatus.Classify(null, [], Queue("RUNNING"), locked: false).Item1);
        Assert.Equal(TrialState.Queued, TrialStatus.Classify(null, [Ended(138, Attempt.Requeued)], Queue("PENDING", "BeginTime"), locked: false).Item1);
        Assert.Equal(TrialState.Stopped, TrialStatus.Classify(null, [Ended(143, Attempt.Stopped)], Queue("TIMEOUT"), locked: false).Item1);
        Assert.Equal(TrialState.New, TrialStatus.Classify(null, [], Queue("COMPLETED"), locked: false).Item1);
        Assert.Equal(TrialState.New, TrialStatus.Classify(null, [], Queue("CANCELLED"), locked: false).Item1); // cancelled before it started
    }

    [Fact]
    public void A_failure_is_reported_with_its_cause()
    {
        var (state, problem) = TrialStatus.Classify(null, [Ended(3, Attempt.Failed)], null, locked: false);
        Assert.Equal((TrialState.Failed, "exit code 3"), (state, problem));
        (state, problem) = TrialStatus.Classify(null, [Vanished], Queue("TIMEOUT", "TimeLimit"), locked: false);
        Assert.Equal(TrialState.Failed, state);
        Assert.Contains("ended without a word", problem);
        Assert.Contains("12_0: TIMEOUT", problem);
        (state, problem) = TrialStatus.Classify(null, [], Queue("FAILED", "NonZeroExitCode"), locked: false);
        Assert.Equal(TrialState.Failed, state);
        Assert.Contains("Slurm task 12_0 ended FAILED (NonZeroExitCode) before grad started it", problem);
    }

    [Fact]
    public void New_and_stopped_trials_run_again_and_failed_ones_until_they_are_out_of_retries()
    {
        var trial = new Trial(0, []);
        var folder = new TrialFolder(_temp.Combine("t"));
        Directory.CreateDirectory(folder.Path);
        var log = new AttemptLog(folder.Attempts);
        TrialStatus Status() => TrialStatus.Read(trial, folder, null);

        Assert.True(Status().NeedsRun(retries: 0));
        log.Start(null);
        log.End(143, Attempt.Stopped);
        Assert.Equal((TrialState.Stopped, 0), (Status().State, Status().Failures));
        Assert.True(Status().NeedsRun(retries: 0));
        log.Start(null);
        log.End(3, Attempt.Failed);
        Assert.Equal((TrialState.Failed, 1), (Status().State, Status().Failures));
        Assert.False(Status().NeedsRun(retries: 0));
        Assert.True(Status().NeedsRun(retries: 1));
        log.Start(null); // killed: never ended
        Assert.Equal((TrialState.Failed, 2), (Status().State, Status().Failures));
        Assert.False(Status().NeedsRun(retries: 1));
        Assert.True(Status().NeedsRun(retries: 2));
        using (FolderLock.TryTake(folder.Lock))
        {
            Assert.Equal((TrialState.Running, 1), (Status().State, Status().Failures)); // the open attempt is the running one
            Assert.False(Status().NeedsRun(retries: 5));
        }
        Assert.True(Result.WriteOnce(folder.Result));
        Assert.Equal(TrialState.Finished, Status().State);
        Assert.False(Status().NeedsRun(retries: 5));
    }

    [Fact]
    public void A_result_is_written_once_and_read_back()
    {
        string path = _temp.Combine("result.json");
        Assert.True(Result.WriteOnce(path));
        Assert.False((Result with { FinalTestAccuracy = 0.9 }).WriteOnce(path));
        Assert.Equal(Result, TrialResult.Read(path));
        Assert.Equal(["result.json"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
        Assert.Null(TrialResult.Read(_temp.Combine("none.json")));
    }

    [Theory]
    [InlineData("{\"id\": 0, \"state\": \"finished\", \"steps\": 1")]
    [InlineData("{\"id\": 0, \"state\": \"running\"}")]
    [InlineData("{\"id\": 0, \"state\": \"finished\"}")]
    public void A_damaged_result_makes_the_trial_damaged_with_the_file_named(string text)
    {
        var folder = new TrialFolder(_temp.Combine("t"));
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(folder.Result, text);
        var status = TrialStatus.Read(new Trial(0, []), folder, null);
        Assert.Equal(TrialState.Damaged, status.State);
        Assert.Contains(folder.Result, status.Problem);
        Assert.False(status.NeedsRun(retries: 5));
    }

    [Theory]
    [InlineData("{\"event\":\"end\",\"time\":\"2026-12-01T12:00:00Z\",\"exit_code\":0,\"outcome\":\"finished\"}", "an end without a start")]
    [InlineData("{\"event\":\"start\"", "line 1")]
    public void A_damaged_attempt_log_is_reported_with_its_line(string line, string expected)
    {
        var folder = new TrialFolder(_temp.Combine("t"));
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(folder.Attempts, line + "\n");
        var status = TrialStatus.Read(new Trial(0, []), folder, null);
        Assert.Equal(TrialState.Damaged, status.State);
        Assert.Contains(expected, status.Problem);
    }

    [Fact]
    public void The_manifest_round_trips_and_tells_another_sweep_apart()
    {
        var spec = SweepSpec.Parse(JsonNode.Parse("""{"trainer": "mlp", "flags": {"--max_steps": 10}, "grid": {"--learning_rate": [0.1, 0.2]}, "seeds": [3]}"""), "s.json");
        var manifest = Manifest.Of(spec);
        string path = _temp.Combine("manifest.json");
        manifest.Write(path);
        var back = Manifest.Read(path);
        Assert.True(back.SameSweep(manifest));
        Assert.Equal(["--max_steps", "10", "--learning_rate", "0.2", "--seed", "3"], back.Arguments(back.Trials[1]));
        Assert.Equal(["--learning_rate"], back.Swept);
        var other = Manifest.Of(SweepSpec.Parse(JsonNode.Parse("""{"trainer": "mlp", "flags": {"--max_steps": 20}, "grid": {"--learning_rate": [0.1, 0.2]}, "seeds": [3]}"""), "s.json"));
        Assert.False(other.SameSweep(manifest));
        File.WriteAllText(path, "{\"trainer\": \"mlp\", \"fixed\": {}, \"trials\": [{\"id\": 5, \"flags\": {}}]}");
        Assert.Contains("trial 0 has the wrong id", Assert.Throws<InvalidDataException>(() => Manifest.Read(path)).Message);
    }
}
