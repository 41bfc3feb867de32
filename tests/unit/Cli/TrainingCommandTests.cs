using System.CommandLine;
using Grad.Examples.Cli;

namespace Grad.Tests.Unit.Cli;

/// <summary>The trainers' flags as a user meets them: the defaults, and what a wrong flag gets.</summary>
public class TrainingCommandTests
{
    public static TheoryData<string, double> AveragingDefaults => new()
    {
        // Only the MLP averages by default: its decay was chosen on a validation split (docs/training.md).
        { "mlp", 0.998 },
        { "mlp-numpy", 0 },
        { "convnet", 0 },
    };

    private static Command Trainer(string name) => name switch
    {
        "mlp" => TrainingCommands.Mlp(),
        "mlp-numpy" => TrainingCommands.MlpNumpy(),
        _ => TrainingCommands.ConvNet(),
    };

    [Theory]
    [MemberData(nameof(AveragingDefaults))]
    public void Each_trainer_has_its_averaging_default_and_holds_nothing_out(string name, double ema)
    {
        var parse = Trainer(name).Parse([]);
        Assert.Empty(parse.Errors);
        Assert.Equal(ema, parse.GetValue<double>("--ema"));
        Assert.Equal(0, parse.GetValue<int>("--validation_size"));
    }

    [Fact]
    public void The_flags_are_read_as_given()
    {
        var parse = TrainingCommands.Mlp().Parse(["--ema", "0", "--validation_size", "5000"]);
        Assert.Empty(parse.Errors);
        Assert.Equal(0, parse.GetValue<double>("--ema"));
        Assert.Equal(5000, parse.GetValue<int>("--validation_size"));
    }

    [Fact]
    public void An_unknown_flag_is_an_error_that_names_it()
    {
        var parse = TrainingCommands.Mlp().Parse(["--emma", "0.9"]);
        Assert.Contains(parse.Errors, e => e.Message.Contains("--emma"));
    }
}
