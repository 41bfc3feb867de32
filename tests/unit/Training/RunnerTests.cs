using Grad.Examples.Training;
using Grad.Tests.Unit.Datasets;

namespace Grad.Tests.Unit.Training;

/// <summary>Short real-data runs of the <c>grad</c> trainers (<see cref="Runner"/>): the loss falls, seeded runs repeat exactly,
/// a resumed run continues bit for bit (its weights' average too), and a diverging run stops
/// and keeps its checkpoint.</summary>
public sealed class RunnerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "grad-trainer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private TrainConfig Config(string name, int steps, int evalEvery = 20, double lr = 2e-3) => new()
    {
        Model = "mlp-numpy",
        Optimizer = "sgd",
        LearningRate = lr,
        BatchSize = 100,
        MaxSteps = steps,
        EvalFrequency = evalEvery,
        Seed = 7,
        Data = RealCifar10.Path,
        Output = Path.Combine(_root, name),
    };

    [Fact]
    public void A_short_run_lowers_the_loss_and_leaves_its_files()
    {
        var config = Config("smoke", steps: 60);
        Assert.Equal(0, Runner.Train(config, CancellationToken.None));
        var points = MetricsLog.Read(config.Output);
        Assert.Equal([20, 40, 60], points.Select(p => p.Step));
        Assert.True(points[^1].TestLoss < points[0].TestLoss, $"test loss went {points[0].TestLoss} → {points[^1].TestLoss}");
        Assert.True(points[^1].TestAccuracy > 0.2, $"test accuracy {points[^1].TestAccuracy}");
        foreach (var file in new[] { "config.json", "metrics.csv", "metrics.json", "accuracy.png", "loss.png", "model.safetensors", "checkpoint.safetensors" })
            Assert.True(File.Exists(Path.Combine(config.Output, file)), $"{file} is missing");
        string json = File.ReadAllText(Path.Combine(config.Output, "metrics.json"));
        Assert.Matches("\"final_test_accuracy\": [0-9.]+\\s*}\\s*$", json);
        Assert.DoesNotContain("final_last_weights_test_accuracy", json);
    }

    [Fact]
    public void Two_runs_with_one_seed_are_identical_and_a_resumed_run_continues_bit_for_bit()
    {
        var whole = Config("whole", steps: 40);
        var again = Config("again", steps: 40);
        Assert.Equal(0, Runner.Train(whole, CancellationToken.None));
        Assert.Equal(0, Runner.Train(again, CancellationToken.None));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole.Output, "model.safetensors")), File.ReadAllBytes(Path.Combine(again.Output, "model.safetensors")));

        var half = Config("half", steps: 20);
        Assert.Equal(0, Runner.Train(half, CancellationToken.None));
        var config = File.ReadAllText(Path.Combine(half.Output, "config.json")).Replace("\"max_steps\": 20", "\"max_steps\": 40");
        File.WriteAllText(Path.Combine(half.Output, "config.json"), config);
        Assert.Equal(0, Runner.Train(half with { Resume = half.Output }, CancellationToken.None));

        Assert.Equal(File.ReadAllBytes(Path.Combine(whole.Output, "checkpoint.safetensors")), File.ReadAllBytes(Path.Combine(half.Output, "checkpoint.safetensors")));
        Assert.Equal(MetricsLog.Read(whole.Output).Select(p => p.TestLoss), MetricsLog.Read(half.Output).Select(p => p.TestLoss));
    }

    [Fact]
    public void A_diverging_run_stops_with_its_step_and_keeps_the_last_good_checkpoint()
    {
        var config = Config("diverge", steps: 200, evalEvery: 1, lr: 1e30);
        int exit = Runner.Train(config, CancellationToken.None);
        Assert.Equal(3, exit);
        var points = MetricsLog.Read(config.Output);
        Assert.NotEmpty(points);
        Assert.True(points.Count < 200);
        // What is kept is a checkpoint whose losses were finite and not exploding, or nothing.
        var path = Path.Combine(config.Output, "checkpoint.safetensors");
        if (File.Exists(path))
        {
            int step = int.Parse(Grad.Serialization.SafeTensors.Load(path).Metadata["step"], System.Globalization.CultureInfo.InvariantCulture);
            var kept = points.Single(p => p.Step == step);
            Assert.InRange(kept.TestLoss, 0, TrainingLoop.ExplodingFactor * Math.Log(10));
        }
    }

    [Fact]
    public void An_averaged_run_saves_its_average_reports_its_validation_split_and_resumes_bit_for_bit()
    {
        var whole = Config("averaged", steps: 40) with { Ema = 0.9, ValidationSize = 1000 };
        Assert.Equal(0, Runner.Train(whole, CancellationToken.None));
        var half = whole with { MaxSteps = 20, Output = Path.Combine(_root, "averaged-half") };
        Assert.Equal(0, Runner.Train(half, CancellationToken.None));
        var config = File.ReadAllText(Path.Combine(half.Output, "config.json")).Replace("\"max_steps\": 20", "\"max_steps\": 40");
        File.WriteAllText(Path.Combine(half.Output, "config.json"), config);
        Assert.Equal(0, Runner.Train(half with { Resume = half.Output }, CancellationToken.None));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole.Output, "checkpoint.safetensors")), File.ReadAllBytes(Path.Combine(half.Output, "checkpoint.safetensors")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole.Output, "model.safetensors")), File.ReadAllBytes(Path.Combine(half.Output, "model.safetensors")));

        // The model file holds the averages; the checkpoint holds the trained weights beside them.
        var checkpoint = Grad.Serialization.SafeTensors.Load(Path.Combine(whole.Output, "checkpoint.safetensors")).ByName;
        var model = Grad.Serialization.SafeTensors.Load(Path.Combine(whole.Output, "model.safetensors")).ByName;
        foreach (var (name, tensor) in model)
        {
            Assert.Equal(checkpoint["optimizer.average." + name].ToArray<float>(), tensor.ToArray<float>());
            Assert.NotEqual(checkpoint[name].ToArray<float>(), tensor.ToArray<float>());
        }

        var points = MetricsLog.Read(whole.Output);
        Assert.All(points, p => Assert.InRange(p.ValidationAccuracy, 0.15, 1));
        // The last weights' figure comes just before the average's, which ends the file.
        Assert.Matches("\"final_last_weights_test_accuracy\": 0\\.[0-9]+,\\s*\"final_test_accuracy\": 0\\.[0-9]+\\s*}\\s*$",
            File.ReadAllText(Path.Combine(whole.Output, "metrics.json")));
        Assert.StartsWith("step,train_loss,train_accuracy,test_loss,test_accuracy,wall_seconds,validation_loss,validation_accuracy\n",
            File.ReadAllText(Path.Combine(whole.Output, "metrics.csv")));
    }
}
