using System.Globalization;
using Grad.Serialization;

namespace Grad.Tests.Unit.Cli;

/// <summary>
/// The <c>grad</c> program as a user meets it, run as a child process on a tiny synthetic CIFAR-10
/// (issue 13, items 8, 11 and 12): signals save the work and a resumed run continues bit for bit;
/// bad flags and damaged run folders are one clear line naming the cause, never a stack trace.
/// </summary>
public sealed class GradProgramTests : IDisposable
{
    private const int Records = 40; // per batch file: 200 training images, 20 steps of 10 per epoch
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public GradProgramTests() => _data = GradProcess.WriteData(_temp.Combine("data"), Records);

    public void Dispose() => _temp.Dispose();

    private string[] Args(string output, params string[] more) =>
    [
        "mlp-numpy", "--data", _data, "--records_per_file", Records.ToString(CultureInfo.InvariantCulture), "--batch_size", "10",
        "--optimizer", "adam", "--learning_rate", "1e-3", "--threads", "1", "--out", output, .. more,
    ];

    private static string[] Resume(string run, params string[] more) => ["mlp-numpy", "--resume", run, "--threads", "1", .. more];

    private static void NoStackTrace(string stderr) => Assert.DoesNotContain("\n   at ", stderr);

    private static long StepOf(string checkpoint) => long.Parse(SafeTensors.Load(checkpoint).Metadata["step"], CultureInfo.InvariantCulture);

    private static void Succeeds((int Code, string Stdout, string Stderr) run)
    {
        Assert.True(run.Code == 0, $"exit {run.Code}: {run.Stderr}");
    }

    private static string Fails((int Code, string Stdout, string Stderr) run, string expected)
    {
        Assert.True(run.Code == 2, $"exit {run.Code}: {run.Stderr}");
        NoStackTrace(run.Stderr);
        Assert.Contains(expected, run.Stderr);
        return run.Stderr;
    }

    [Theory]
    [InlineData(GradProcess.SIGINT, 130)]
    [InlineData(GradProcess.SIGTERM, 143)]
    public void A_signal_saves_the_checkpoint_and_metrics_and_the_resumed_run_ends_bit_for_bit(int signal, int exitCode)
    {
        if (!OperatingSystem.IsLinux()) return;
        string stopped = _temp.Combine("stopped");
        using (var grad = GradProcess.Start(Args(stopped, "--max_steps", "100000000", "--eval_freq", "50")))
        {
            grad.WaitUntil(() => File.Exists(Path.Combine(stopped, "metrics.json")), TimeSpan.FromSeconds(60), "the first evaluation");
            grad.Signal(signal);
            Assert.Equal(exitCode, grad.WaitForExit(TimeSpan.FromSeconds(30)));
            NoStackTrace(grad.Stderr);
            Assert.Contains("stopped at step", grad.Stderr);
        }
        long step = StepOf(Path.Combine(stopped, "checkpoint.safetensors"));
        Assert.True(step >= 50, $"stopped at step {step}");
        Assert.Contains("\"step\": 50", File.ReadAllText(Path.Combine(stopped, "metrics.json")));

        string end = (step + 23).ToString(CultureInfo.InvariantCulture);
        Succeeds(GradProcess.Run(Resume(stopped, "--max_steps", end)));
        string whole = _temp.Combine("whole");
        Succeeds(GradProcess.Run(Args(whole, "--max_steps", end, "--eval_freq", "50")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "checkpoint.safetensors")), File.ReadAllBytes(Path.Combine(stopped, "checkpoint.safetensors")));
    }

    [Fact]
    public void Checkpoint_every_saves_between_evaluations_so_a_kill_loses_at_most_that_many_steps()
    {
        string run = _temp.Combine("killed");
        using (var grad = GradProcess.Start(Args(run, "--max_steps", "100000000", "--eval_freq", "100000000", "--checkpoint_every", "7")))
        {
            grad.WaitUntil(() => File.Exists(Path.Combine(run, "checkpoint.safetensors")), TimeSpan.FromSeconds(60), "the first checkpoint");
            grad.KillHard();
            grad.WaitForExit(TimeSpan.FromSeconds(30));
        }
        long step = StepOf(Path.Combine(run, "checkpoint.safetensors"));
        Assert.True(step > 0 && step % 7 == 0, $"checkpoint at step {step}");
        Assert.False(File.Exists(Path.Combine(run, "metrics.json")), "no evaluation ran");
    }

    [Fact]
    public void Checkpoint_minutes_saves_on_a_time_interval_between_evaluations()
    {
        string run = _temp.Combine("timed");
        using (var grad = GradProcess.Start(Args(run, "--max_steps", "100000000", "--eval_freq", "100000000", "--checkpoint_minutes", "0.001")))
        {
            grad.WaitUntil(() => File.Exists(Path.Combine(run, "checkpoint.safetensors")), TimeSpan.FromSeconds(60), "the first checkpoint");
            long first = StepOf(Path.Combine(run, "checkpoint.safetensors"));
            grad.WaitUntil(() => StepOf(Path.Combine(run, "checkpoint.safetensors")) > first, TimeSpan.FromSeconds(30), "a second checkpoint");
            grad.KillHard();
            grad.WaitForExit(TimeSpan.FromSeconds(30));
        }
        Assert.False(File.Exists(Path.Combine(run, "metrics.json")), "no evaluation ran");
    }

    [Theory]
    [InlineData("--checkpoint_minutes", "-1")]
    [InlineData("--eval_freq", "0")]
    [InlineData("--eval_freq", "-1")]
    [InlineData("--max_steps", "0")]
    [InlineData("--max_steps", "-1")]
    [InlineData("--regularizer", "nan")]
    [InlineData("--checkpoint_every", "-5")]
    [InlineData("--momentum", "1")]
    public void A_bad_value_is_an_error_naming_its_flag_and_writes_nothing(string flag, string value)
    {
        string run = _temp.Combine("bad");
        Fails(GradProcess.Run(Args(run, flag, value)), flag);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void An_out_that_is_a_file_or_cannot_be_written_is_an_error_naming_out()
    {
        string file = _temp.Combine("a-file");
        File.WriteAllText(file, "x");
        Fails(GradProcess.Run(Args(file, "--max_steps", "5")), "--out: " + file + " is a file");
        Fails(GradProcess.Run(Args("/proc/grad-cannot-write-here", "--max_steps", "5")), "--out: cannot write in /proc/grad-cannot-write-here");
    }

    [Fact]
    public void A_new_run_refuses_an_existing_run_folder_unless_told_to_overwrite()
    {
        string run = _temp.Combine("taken");
        Succeeds(GradProcess.Run(Args(run, "--max_steps", "10", "--eval_freq", "5")));
        var before = File.ReadAllBytes(Path.Combine(run, "checkpoint.safetensors"));
        Fails(GradProcess.Run(Args(run, "--max_steps", "3", "--eval_freq", "3")), "already holds a run");
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(run, "checkpoint.safetensors")));
        Succeeds(GradProcess.Run(Args(run, "--max_steps", "3", "--eval_freq", "3", "--overwrite")));
        Assert.Equal(3, StepOf(Path.Combine(run, "checkpoint.safetensors")));
    }

    [Fact]
    public void A_run_that_diverges_before_a_healthy_evaluation_keeps_no_checkpoint_and_says_so()
    {
        string run = _temp.Combine("diverged");
        var args = Args(run, "--max_steps", "40", "--eval_freq", "5", "--checkpoint_every", "2");
        args[Array.IndexOf(args, "--learning_rate") + 1] = "1e6";
        var result = GradProcess.Run(args);
        Assert.True(result.Code == 3, $"exit {result.Code}: {result.Stderr}");
        NoStackTrace(result.Stderr);
        Assert.Contains("No checkpoint was kept", result.Stderr);
        Assert.False(File.Exists(Path.Combine(run, "checkpoint.safetensors")));
    }

    [Fact]
    public void A_healthy_run_keeps_every_checkpoint_and_a_diverged_resume_names_the_one_kept()
    {
        string run = TenSteps("kept");
        Assert.Equal(10, StepOf(Path.Combine(run, "checkpoint.safetensors")));
        // Blow the weights up in the checkpoint: the resumed run's first evaluation explodes, and
        // the message names the checkpoint it resumed from, which stays as it was.
        string checkpoint = Path.Combine(run, "checkpoint.safetensors");
        var file = SafeTensors.Load(checkpoint);
        var scaled = file.Tensors.Select(t => t.Name == "0.W"
            ? new NamedTensor(t.Name, Tensor.FromArray(t.Value.ToArray<float>().Select(v => v * 1e8f).ToArray(), [.. t.Value.Shape.Dims.ToArray()]))
            : t).ToList();
        SafeTensors.Save(checkpoint, scaled, new Dictionary<string, string>(file.Metadata));
        var before = File.ReadAllBytes(checkpoint);
        var result = GradProcess.Run(Resume(run, "--max_steps", "20"));
        Assert.True(result.Code == 3, $"exit {result.Code}: {result.Stderr}");
        Assert.Contains("The checkpoint kept is from step 10", result.Stderr);
        Assert.Equal(before, File.ReadAllBytes(checkpoint));
    }

    [Fact]
    public void A_run_that_fails_before_training_leaves_no_folder_and_a_retry_may_use_it()
    {
        string run = _temp.Combine("failed", "run");
        var args = Args(run, "--max_steps", "5");
        args[Array.IndexOf(args, "--records_per_file") + 1] = "41"; // the data has 40: a clear data error
        Fails(GradProcess.Run(args), "41 records");
        Assert.False(Directory.Exists(_temp.Combine("failed")));
        Succeeds(GradProcess.Run(Args(run, "--max_steps", "5")));
    }

    [Fact]
    public void Resume_removes_the_temporary_files_that_killed_writes_left()
    {
        string run = TenSteps("strays");
        string stray = Path.Combine(run, $"checkpoint.safetensors.tmp-{Guid.NewGuid():N}");
        string other = Path.Combine(run, "notes.tmp-mine");
        File.WriteAllText(stray, "half a file");
        File.WriteAllText(other, "a user's file");
        Succeeds(GradProcess.Run(Resume(run, "--max_steps", "12")));
        Assert.False(File.Exists(stray));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void A_folder_that_becomes_unwritable_mid_run_is_an_error_line_not_a_stack_trace()
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, Grad.Examples.Training.Runner.Guard(() => throw new UnauthorizedAccessException("Access to the path '/run/metrics.json' is denied.")));
            Assert.Equal(2, Grad.Examples.Training.Runner.Guard(() => throw new IOException("No space left on device")));
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Equal("error: Access to the path '/run/metrics.json' is denied.\nerror: No space left on device\n", error.ToString().ReplaceLineEndings("\n"));
    }

    private string TenSteps(string name)
    {
        string run = _temp.Combine(name);
        Succeeds(GradProcess.Run(Args(run, "--max_steps", "10", "--eval_freq", "5")));
        return run;
    }

    [Fact]
    public void Resume_refuses_changed_flags_by_name_and_honours_max_steps()
    {
        string run = TenSteps("flags");
        var stderr = Fails(GradProcess.Run(Resume(run, "--max_steps", "20", "--learning_rate", "0.5", "--seed", "3")), "--learning_rate");
        Assert.Contains("--seed", stderr);
        Fails(GradProcess.Run(Resume(run, "--out", _temp.Combine("elsewhere"), "--max_steps", "20")), "--out");
        Fails(GradProcess.Run(Resume(run)), "give a larger --max_steps");
        // Repeating a saved value is not a change.
        Succeeds(GradProcess.Run(Resume(run, "--max_steps", "20", "--learning_rate", "1e-3")));
        Assert.Equal(20, StepOf(Path.Combine(run, "checkpoint.safetensors")));
    }

    [Fact]
    public void Resume_from_a_named_checkpoint_file_uses_that_file()
    {
        string run = TenSteps("named");
        File.Copy(Path.Combine(run, "checkpoint.safetensors"), Path.Combine(run, "other.safetensors"));
        Succeeds(GradProcess.Run(Resume(run, "--max_steps", "20")));
        var resumed = GradProcess.Run(Resume(Path.Combine(run, "other.safetensors"), "--max_steps", "25"));
        Succeeds(resumed);
        Assert.Contains("at step 10", resumed.Stderr);
        Fails(GradProcess.Run(Resume(Path.Combine(run, "missing.safetensors"), "--max_steps", "30")), "missing.safetensors");
    }

    [Theory]
    [InlineData("{ not json", "config.json is not a valid run configuration")]
    [InlineData("{}", "config.json")]
    [InlineData("EVAL0", "'eval_frequency' must be at least 1")]
    public void Resume_with_a_damaged_config_is_a_clear_error(string content, string expected)
    {
        string run = TenSteps("config");
        string path = Path.Combine(run, "config.json");
        File.WriteAllText(path, content == "EVAL0" ? File.ReadAllText(path).Replace("\"eval_frequency\": 5", "\"eval_frequency\": 0") : content);
        Fails(GradProcess.Run(Resume(run, "--max_steps", "20")), expected);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"points\": [{\"step\": \"x\"}]}")]
    [InlineData("[]")]
    public void Resume_with_damaged_metrics_is_a_clear_error(string content)
    {
        string run = TenSteps("metrics");
        File.WriteAllText(Path.Combine(run, "metrics.json"), content);
        Fails(GradProcess.Run(Resume(run, "--max_steps", "20")), "metrics.json is not a metrics file grad wrote");
    }

    private static void Rewrite(string checkpoint, Func<NamedTensor, bool> keep, Action<Dictionary<string, string>> edit)
    {
        var file = SafeTensors.Load(checkpoint);
        var metadata = new Dictionary<string, string>(file.Metadata);
        edit(metadata);
        SafeTensors.Save(checkpoint, file.Tensors.Where(keep).ToList(), metadata);
    }

    [Theory]
    [InlineData("99999999999", "more steps than a run can take")]
    [InlineData("-1", "which is not a step count")]
    [InlineData("ten", "which is not a step count")]
    public void Resume_with_a_bad_step_count_is_a_clear_error(string step, string expected)
    {
        string run = TenSteps("step");
        Rewrite(Path.Combine(run, "checkpoint.safetensors"), _ => true, m => m[Checkpoint.StepKey] = step);
        Fails(GradProcess.Run(Resume(run, "--max_steps", "20")), expected);
    }

    [Theory]
    [InlineData("optimizer.m.")]
    [InlineData("optimizer.")]
    public void Resume_with_missing_optimizer_moments_is_a_clear_error(string dropped)
    {
        string run = TenSteps("moments");
        Rewrite(Path.Combine(run, "checkpoint.safetensors"), t => !t.Name.StartsWith(dropped, StringComparison.Ordinal), _ => { });
        Fails(GradProcess.Run(Resume(run, "--max_steps", "20")), "lacks the optimizer's state at step 10");
    }
}
