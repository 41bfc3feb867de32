using Grad.Tests.Packaging.Support;

namespace Grad.Tests.Packaging;

/// <summary>The <c>grad</c> program as a .NET tool, installed from the packed folder alone.</summary>
public sealed class ToolTests
{
    [Fact]
    public void The_grad_tool_installs_from_the_folder_and_runs()
    {
        var packages = PackagedGrad.Shared;
        string tools = Path.Combine(packages.Work, "tools");
        DotNet.Run(packages.Work, "tool", "install", "Grad.Tool", "--version", Repository.PackageVersion, "--tool-path", tools).EnsureSucceeded();
        var info = DotNet.Exec(packages.Work, Path.Combine(tools, "grad"), "info").EnsureSucceeded();
        Assert.Contains("default device : cpu", info.Output);
    }
}
