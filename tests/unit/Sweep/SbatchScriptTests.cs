using System.Text.Json.Nodes;
using Grad.Examples.Sweep;

namespace Grad.Tests.Unit.Sweep;

/// <summary>The job array's batch script, against a golden copy (golden/sweep.sbatch): a change to
/// the script must show up as a change to that file in review.</summary>
public sealed class SbatchScriptTests
{
    /// <summary>The golden copy as the build copies it beside the tests (a CI build maps source
    /// paths, so the test's own path cannot lead to it).</summary>
    private static string Golden() => Path.Combine(AppContext.BaseDirectory, "Sweep", "golden", "sweep.sbatch");

    [Fact]
    public void The_script_matches_its_golden_copy()
    {
        var manifest = Manifest.Of(SweepSpec.Parse(JsonNode.Parse("""{"trainer": "mlp", "grid": {"--learning_rate": [1e-4, 3e-4, 1e-3]}, "seeds": [1, 2]}"""), "lr.json"));
        var options = new SlurmOptions(CpusPerTask: 4, Partition: "gpu", Time: "02:00:00", Memory: "8G", Gres: "gpu:1",
            Extra: ["--qos=long", "--account=ml-lab"], Parallel: 3);
        string script = SbatchScript.Write(new SweepFolder("/scratch/sweeps/lr"), manifest, [0, 1, 2, 4, 5], options, ["/opt/grad/grad"]);
        Assert.Equal(File.ReadAllText(Golden()), script);
    }

    [Theory]
    [InlineData("--partition", "gpu debug")]
    [InlineData("--sbatch-arg", "--qos=long\nrm -rf /")]
    public void A_setting_with_a_space_or_line_break_is_refused_since_an_sbatch_line_cannot_carry_it(string flag, string value)
    {
        var manifest = Manifest.Of(SweepSpec.Parse(JsonNode.Parse("""{"trainer": "mlp"}"""), "one.json"));
        var options = flag == "--partition" ? new SlurmOptions(1, Partition: value) : new SlurmOptions(1, Extra: [value]);
        var e = Assert.Throws<ArgumentException>(() => SbatchScript.Write(new SweepFolder("/s"), manifest, [0], options, ["/g"]));
        Assert.Contains(flag, e.Message);
    }

    [Theory]
    [InlineData("/opt/grad/grad", "/opt/grad/grad")]
    [InlineData("/home/a user/grad", "'/home/a user/grad'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("", "''")]
    public void Words_are_quoted_for_bash_only_when_they_need_it(string word, string quoted) => Assert.Equal(quoted, SbatchScript.Quote(word));
}
