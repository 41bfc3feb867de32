using Grad.Tests.Packaging.Support;

namespace Grad.Tests.Packaging;

/// <summary>A bare <c>dotnet new console</c> with one PackageReference to Grad, outside the
/// repository, restored offline from the packed folder and built with warnings as errors.</summary>
public sealed class ConsoleConsumerTests
{
    [Fact]
    public void A_console_with_a_package_reference_declares_a_layer_whose_generated_backward_passes_GradCheck()
    {
        string project = ConsumerProject.Create(PackagedGrad.Shared.Work, "Console");
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
}
