using System.Globalization;
using Grad.Examples.Training;
using Grad.Serialization;

namespace Grad.Tests.Unit.Cli;

/// <summary>
/// A device lost mid-run, for real: <c>$GRAD_OPENCL_LOSE_AT_WAIT</c> makes the OpenCL backend
/// release its command queue at a chosen wait, so the driver (PoCL in CI) fails the next command
/// with CL_INVALID_COMMAND_QUEUE, as it does for a reset GPU. The run must end with code 4 and one
/// line naming the call and the checkpoint kept; that checkpoint is the last one completed, whole;
/// and <c>--resume</c> from it, on the CPU or on OpenCL, reaches the weights an uninterrupted run has.
/// </summary>
public sealed class DeviceLossTests : IDisposable
{
    private const int Records = 40, CheckpointEvery = 2, Steps = 6;

    /// <summary>The waits of a save at this model's size: the checkpoint's four tensors (SGD without
    /// momentum keeps no state) and the model file's four, each read back once.</summary>
    private const int WaitsPerSave = 8;

    private readonly TempDirectory _temp = new();
    private readonly string _data;

    public DeviceLossTests() => _data = GradProcess.WriteData(_temp.Combine("data"), Records);

    public void Dispose() => _temp.Dispose();

    private string[] Args(string output, string device) =>
    [
        "mlp", "--dnn_hidden_units", "8", "--optimizer", "sgd", "--ema", "0", "--learning_rate", "0.01", "--standardize", "--batch_size", "10", "--threads", "1",
        "--data", _data, "--records_per_file", Records.ToString(CultureInfo.InvariantCulture), "--max_steps", Steps.ToString(CultureInfo.InvariantCulture),
        "--eval_freq", Steps.ToString(CultureInfo.InvariantCulture), "--checkpoint_every", CheckpointEvery.ToString(CultureInfo.InvariantCulture),
        "--device", device, "--out", output,
    ];

    /// <summary>The waits for the device up to the end of <paramref name="step"/> and of its save,
    /// if it saves: each step waits once, for its loss (tests/opencl/HostWaitTests.cs).</summary>
    private static int WaitsThrough(int step) => step + step / CheckpointEvery * WaitsPerSave;

    public static TheoryData<int, int, string> Losses => new()
    {
        // At step 5's loss: the checkpoint of step 4 is the last completed.
        { WaitsThrough(4) + 1, 4, "cpu" },
        // While step 4's checkpoint reads its second tensor back: the checkpoint of step 2 stays.
        { WaitsThrough(3) + 1 + 2, 2, "opencl" },
    };

    [Theory]
    [MemberData(nameof(Losses))]
    public void A_lost_device_ends_the_run_keeping_the_last_checkpoint_and_resume_continues_from_it(int loseAtWait, int kept, string resumeOn)
    {
        string run = _temp.Combine("lost");
        var lost = GradProcess.RunWith(new Dictionary<string, string> { [SimulatedLossVariable] = loseAtWait.ToString(CultureInfo.InvariantCulture) },
            Args(run, "opencl"));

        Assert.True(lost.Code == 4, $"exit {lost.Code}; stderr:\n{lost.Stderr}");
        // The progress notes go to stderr too; the error is one line, with no stack trace.
        string line = Assert.Single(lost.Stderr.Split('\n', StringSplitOptions.TrimEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", lost.Stderr);
        Assert.StartsWith("error: clEnqueueReadBuffer failed: CL_INVALID_COMMAND_QUEUE (-36): the command queue is gone (a lost or reset device). ", line);
        Assert.Contains($"the checkpoint kept is from step {kept} ({Path.Combine(run, "checkpoint.safetensors")}): continue with --resume {run}", line);

        Assert.Equal(["checkpoint.safetensors", "config.json", "model.safetensors"], Directory.GetFiles(run).Select(Path.GetFileName).Order());
        Assert.Equal(kept, StepOf(Path.Combine(run, "checkpoint.safetensors")));
        Assert.Equal(kept, StepOf(Path.Combine(run, "model.safetensors")));

        var resumed = GradProcess.Run("mlp", "--resume", run, "--device", resumeOn, "--threads", "1");
        Assert.True(resumed.Code == 0, resumed.Stderr);
        Assert.Contains($"from {Path.Combine(run, "checkpoint.safetensors")} at step {kept}", resumed.Stderr);
        Assert.Equal(Steps, StepOf(Path.Combine(run, "checkpoint.safetensors")));

        string whole = _temp.Combine("whole");
        var uninterrupted = GradProcess.Run(Args(whole, "cpu"));
        Assert.True(uninterrupted.Code == 0, uninterrupted.Stderr);
        var (expected, actual) = (MetricsLog.Read(whole)[^1], MetricsLog.Read(run)[^1]);
        Assert.Equal(Steps, actual.Step);
        Assert.True(Math.Abs(expected.TestLoss - actual.TestLoss) < 1e-4, $"test loss after resuming {actual.TestLoss}, uninterrupted {expected.TestLoss}");
    }

    private const string SimulatedLossVariable = "GRAD_OPENCL_LOSE_AT_WAIT";

    /// <summary>The step a saved file records, once it is known whole: it reads in full, and a
    /// checkpoint loads into the run's model with its optimiser's step.</summary>
    private static long StepOf(string file)
    {
        var saved = SafeTensors.Load(file);
        foreach (var (_, t) in saved.Tensors) t.Dispose();
        long step = long.Parse(saved.Metadata["step"], CultureInfo.InvariantCulture);
        if (Path.GetFileName(file) == "checkpoint.safetensors")
        {
            var template = Runner.Build(new TrainConfig { Model = "mlp", HiddenUnits = [8], Output = Path.GetDirectoryName(file)! });
            var checkpoint = Checkpoint.Load(file, template);
            Assert.Equal(step, checkpoint.Optimizer.Step);
            foreach (var (_, t) in template.Parameters().Concat(checkpoint.Model.Parameters())) t.Dispose();
        }
        return step;
    }
}
