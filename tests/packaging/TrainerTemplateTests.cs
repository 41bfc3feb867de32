using System.Text.Json.Nodes;
using Grad.Serialization;
using Grad.Tests.Packaging.Support;

namespace Grad.Tests.Packaging;

/// <summary><c>dotnet new grad-trainer</c>: built with warnings as errors, it trains a few steps on
/// the real CIFAR-10 and leaves its run folder.</summary>
public sealed class TrainerTemplateTests
{
    [Fact]
    public void The_trainer_template_trains_a_few_steps_and_writes_its_run_folder()
    {
        string project = PackagedGrad.Shared.TrainerProject;
        DotNet.Run(project, "build", "-warnaserror").EnsureSucceeded();
        string output = Path.Combine(project, "run");
        DotNet.Run(project, "run", "--no-build", "--", "--data", Repository.Cifar10, "--out", output,
            "--max_steps", "20", "--eval_freq", "10", "--eval_images", "1000").EnsureSucceeded();

        Assert.Equal(["checkpoint.safetensors", "config.json", "metrics.json", "model.safetensors"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "config.json")))!;
        Assert.Equal(20, (int)config["max_steps"]!);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")))!;
        Assert.Equal([10, 20], metrics["points"]!.AsArray().Select(p => (int)p!["step"]!));
        double accuracy = (double)metrics["final_test_accuracy"]!;
        Assert.True(accuracy > 0.15, $"after 20 steps the test accuracy is {accuracy}, no better than chance (0.1)");
        var checkpoint = SafeTensors.Load(Path.Combine(output, "checkpoint.safetensors"));
        try
        {
            Assert.Equal("20", checkpoint.Metadata["step"]);
            Assert.Equal([256, 3072], checkpoint["0.W"].Shape);          // the first Linear, hidden × pixels
            Assert.Equal([10, 256], checkpoint["optimizer.m.2.W"].Shape); // Adam's state came along
        }
        finally
        {
            foreach (var tensor in checkpoint.Tensors) tensor.Value.Dispose();
        }
    }

    [Fact]
    public void The_trainer_refuses_a_bad_option_with_one_line()
    {
        string project = PackagedGrad.Shared.TrainerProject;
        DotNet.Run(project, "build", "-warnaserror").EnsureSucceeded();
        var run = DotNet.Run(project, "run", "--no-build", "--", "--max_steps", "many");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --max_steps: 'many' is not a positive whole number.", run.Output.Trim());
    }
}
