using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grad.Serialization;
using Grad.Tests.Packaging.Support;

namespace Grad.Tests.Packaging;

/// <summary>
/// The packages as a user gets them: projects made outside the repository from the templates and
/// from a bare console, restored offline from the packed folder, built with warnings as errors, run.
/// </summary>
[Collection(PackagedGradCollection.Name)]
public sealed partial class ConsumerTests(PackagedGrad packages)
{
    [Fact]
    public void A_console_with_a_package_reference_declares_a_layer_whose_generated_backward_passes_GradCheck()
    {
        string project = Path.Combine(packages.Work, "Console");
        DotNet.Run(packages.Work, "new", "console", "-n", "Console", "-o", project).EnsureSucceeded();
        string csproj = Path.Combine(project, "Console.csproj");
        File.WriteAllText(csproj, File.ReadAllText(csproj).Replace("</Project>",
            $"""
              <ItemGroup>
                <PackageReference Include="Grad" Version="{Repository.PackageVersion}" />
              </ItemGroup>
            </Project>
            """));
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using Grad;
            using static Grad.Ops;

            var layer = new Swish(Init.Normal([8], seed: 1, dtype: DType.Float64));
            using var x = Init.Normal([5, 8], seed: 2, dtype: DType.Float64);
            var report = GradCheck.CheckLayer(layer, x).EnsurePassed();
            Console.WriteLine($"GradCheck passed on {report.EntriesChecked} entries");

            [Layer]
            public sealed partial record Swish([Param] Tensor Beta)
            {
                [Forward]
                public Tensor Forward(Tensor x) => x * Sigmoid(Beta * x);
            }
            """);
        DotNet.Run(project, "build", "-warnaserror").EnsureSucceeded();
        var run = DotNet.Run(project, "run", "--no-build").EnsureSucceeded();
        // x (5×8) and Beta (8) are checked entry by entry: 48 entries.
        Assert.Contains("GradCheck passed on 48 entries", run.Output);
    }

    [Fact]
    public void The_layer_template_builds_and_its_GradCheck_test_passes()
    {
        string solution = packages.NewProject("grad-layer", "MyLayers");
        var test = DotNet.Run(solution, "test", "MyLayers.Tests", "-warnaserror").EnsureSucceeded();
        var summary = TestSummary().Match(test.Output);
        Assert.True(summary.Success, $"no test summary in:\n{test.Output}");
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.Equal("2", summary.Groups["passed"].Value);
    }

    [Fact]
    public void The_trainer_template_trains_a_few_steps_and_writes_its_run_folder()
    {
        string project = packages.NewProject("grad-trainer", "MyTrainer");
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
            Assert.Equal([256, 3072], checkpoint["0.W"].Shape);      // the first Linear, hidden × pixels
            Assert.Equal([10, 256], checkpoint["optimizer.m.2.W"].Shape); // Adam's state came along
        }
        finally
        {
            foreach (var tensor in checkpoint.Tensors) tensor.Value.Dispose();
        }
    }

    [Fact]
    public void The_grad_tool_installs_from_the_folder_and_runs()
    {
        string tools = Path.Combine(packages.Work, "tools");
        DotNet.Run(packages.Work, "tool", "install", "Grad.Tool", "--version", Repository.PackageVersion, "--tool-path", tools).EnsureSucceeded();
        var info = DotNet.Exec(packages.Work, Path.Combine(tools, "grad"), "info").EnsureSucceeded();
        Assert.Contains("default device : cpu", info.Output);
    }

    [GeneratedRegex(@"Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+)")]
    private static partial Regex TestSummary();
}
