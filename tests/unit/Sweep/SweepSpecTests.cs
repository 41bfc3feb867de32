using System.Globalization;
using System.Text.Json.Nodes;
using Grad.Examples.Sweep;

namespace Grad.Tests.Unit.Sweep;

/// <summary>Sweep files: what they expand into (grid × draws × seeds, reproducibly), and the
/// errors that name the key at fault.</summary>
public sealed class SweepSpecTests
{
    private static SweepSpec Parse(string json) => SweepSpec.Parse(JsonNode.Parse(json), "sweep.json");

    private static string Error(string json) => Assert.Throws<InvalidDataException>(() => Parse(json)).Message;

    [Fact]
    public void A_grid_expands_into_every_combination_with_the_first_key_slowest_then_the_seeds()
    {
        var spec = Parse("""
            {"trainer": "mlp", "flags": {"max_steps": 100, "--augment": true},
             "grid": {"--learning_rate": [0.001, 0.01], "--dnn_hidden_units": ["100", "600,200"]}, "seeds": [1, 2]}
            """);
        var trials = spec.Expand();
        Assert.Equal(8, trials.Count);
        Assert.Equal(Enumerable.Range(0, 8), trials.Select(t => t.Id));
        Assert.Equal(["--learning_rate", "0.001", "--dnn_hidden_units", "100", "--seed", "1"], trials[0].Arguments());
        Assert.Equal(["--learning_rate", "0.001", "--dnn_hidden_units", "100", "--seed", "2"], trials[1].Arguments());
        Assert.Equal(["--learning_rate", "0.001", "--dnn_hidden_units", "600,200", "--seed", "1"], trials[2].Arguments());
        Assert.Equal(["--learning_rate", "0.01", "--dnn_hidden_units", "600,200", "--seed", "2"], trials[7].Arguments());
        Assert.Equal(["--learning_rate", "--dnn_hidden_units", "--seed"], spec.Swept);
        Assert.Equal(["--max_steps", "100", "--augment"], SweepSpec.Arguments(spec.Fixed));
    }

    [Fact]
    public void Random_draws_are_the_same_for_the_same_seed_inside_their_ranges_and_differ_for_another_seed()
    {
        string Spec(int seed) => $$"""
            {"trainer": "mlp", "grid": {"--batch_size": [200, 400]},
             "random": {"count": 12, "seed": {{seed}}, "space": {
                "--learning_rate": {"log_uniform": [1e-4, 1e-2]},
                "--momentum": {"uniform": [0, 0.9]},
                "--warmup_steps": {"uniform": [0, 100], "integer": true},
                "--dnn_hidden_units": {"choice": ["100", "300,300", "600,600,200"]} } } }
            """;
        var trials = Parse(Spec(7)).Expand();
        Assert.Equal(24, trials.Count);
        Assert.Equal(trials.Select(t => string.Join(" ", t.Arguments())), Parse(Spec(7)).Expand().Select(t => string.Join(" ", t.Arguments())));
        Assert.NotEqual(trials.Select(t => t.Flag("--learning_rate")), Parse(Spec(8)).Expand().Select(t => t.Flag("--learning_rate")));
        // Every grid point gets the same draws.
        Assert.Equal(trials.Take(12).Select(t => t.Flag("--learning_rate")), trials.Skip(12).Select(t => t.Flag("--learning_rate")));
        double Number(Trial t, string flag) => double.Parse(t.Flag(flag)!, CultureInfo.InvariantCulture);
        Assert.All(trials, t =>
        {
            Assert.InRange(Number(t, "--learning_rate"), 1e-4, 1e-2);
            Assert.InRange(Number(t, "--momentum"), 0, 0.9);
            Assert.Equal(Math.Round(Number(t, "--warmup_steps")), Number(t, "--warmup_steps"));
            Assert.Contains(t.Flag("--dnn_hidden_units"), new[] { "100", "300,300", "600,600,200" });
            double rate = Number(t, "--learning_rate");
            Assert.Equal(double.Parse(rate.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), rate); // four significant digits
        });
        // Log-uniform: both decades drawn from, not only the upper one.
        Assert.Contains(trials, t => Number(t, "--learning_rate") < 1e-3);
        Assert.Contains(trials, t => Number(t, "--learning_rate") > 1e-3);
        Assert.Equal(3, trials.Select(t => t.Flag("--dnn_hidden_units")).Distinct().Count());
    }

    [Fact]
    public void The_generator_is_splitmix64_as_defined()
    {
        // The reference sequence of SplitMix64 from seed 0 (Vigna's splitmix64.c).
        var generator = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, generator.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, generator.Next());
    }

    [Fact]
    public void A_false_switch_is_left_out_and_a_sweep_without_a_space_is_one_trial()
    {
        var trials = Parse("""{"trainer": "convnet", "flags": {"--augment": false, "--max_steps": 10}}""").Expand();
        Assert.Single(trials);
        Assert.Empty(trials[0].Flags);
        Assert.Equal(["--max_steps", "10"], SweepSpec.Arguments(Parse("""{"trainer": "convnet", "flags": {"--augment": false, "--max_steps": 10}}""").Fixed));
    }

    [Theory]
    [InlineData("""{"trainer": "resnet"}""", "'trainer' 'resnet' is not a trainer")]
    [InlineData("""{"flags": {}}""", "'trainer' must name the trainer")]
    [InlineData("""{"trainer": "mlp", "gird": {}}""", "'gird' is not a sweep setting")]
    [InlineData("""{"trainer": "mlp", "flags": {"--out": "x"}}""", "--out is set by `grad sweep` for each trial")]
    [InlineData("""{"trainer": "mlp", "flags": {"--threads": 4}}""", "--threads is set by `grad sweep`")]
    [InlineData("""{"trainer": "mlp", "flags": {"lr": 1}, "grid": {"--lr": [1, 2]}}""", "--lr is set in more than one place")]
    [InlineData("""{"trainer": "mlp", "flags": {"--seed": 1}, "seeds": [1, 2]}""", "--seed is set in more than one place")]
    [InlineData("""{"trainer": "mlp", "grid": {"--lr": []}}""", "'grid.--lr' must be a non-empty list")]
    [InlineData("""{"trainer": "mlp", "grid": {"--lr": [[1]]}}""", "'grid.--lr[0]' must be a string, a number or true/false")]
    [InlineData("""{"trainer": "mlp", "seeds": [-1]}""", "'seeds' '-1' is not a whole number")]
    [InlineData("""{"trainer": "mlp", "random": {"count": 0, "space": {"--lr": {"choice": [1]}}}}""", "'random.count' must be a whole number ≥ 1")]
    [InlineData("""{"trainer": "mlp", "random": {"count": 2, "space": {}}}""", "'random.space' must name at least one flag")]
    [InlineData("""{"trainer": "mlp", "random": {"count": 2, "space": {"--lr": {"log_uniform": [0, 1]}}}}""", "'random.space.--lr.log_uniform' must have low < high, both positive")]
    [InlineData("""{"trainer": "mlp", "random": {"count": 2, "space": {"--lr": {"uniform": [2, 1]}}}}""", "'random.space.--lr.uniform' must have low < high")]
    [InlineData("""{"trainer": "mlp", "random": {"count": 2, "space": {"--lr": {"normal": [0, 1]}}}}""", "'random.space.--lr.normal' is not a sweep setting")]
    [InlineData("""{"trainer": "mlp", "flags": {"--a b": 1}}""", "'flags.--a b' is not a flag name")]
    public void A_bad_sweep_file_is_one_error_naming_the_key(string json, string expected)
    {
        string message = Error(json);
        Assert.StartsWith("sweep.json: ", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void A_sweep_file_that_is_not_json_or_missing_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("broken.json");
        File.WriteAllText(path, "{\"trainer\": ");
        Assert.Contains("is not valid JSON", Assert.Throws<InvalidDataException>(() => SweepSpec.Load(path)).Message);
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => SweepSpec.Load(temp.Combine("none.json"))).Message);
    }
}
