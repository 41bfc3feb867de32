namespace Grad.Tests.Packaging.Support;

/// <summary>A user's own project: <c>dotnet new console</c>, then one PackageReference to Grad.</summary>
public static class ConsumerProject
{
    /// <summary>Makes <paramref name="name"/>/ in <paramref name="parent"/>; returns its folder.</summary>
    public static string Create(string parent, string name)
    {
        string project = Path.Combine(parent, name);
        DotNet.Run(parent, "new", "console", "-n", name, "-o", project).EnsureSucceeded();
        string csproj = Path.Combine(project, name + ".csproj");
        File.WriteAllText(csproj, File.ReadAllText(csproj).Replace("</Project>",
            $"""
              <ItemGroup>
                <PackageReference Include="Grad" Version="{Repository.PackageVersion}" />
              </ItemGroup>
            </Project>
            """));
        return project;
    }
}
