using Grad.Layers;
using Grad.Training;

namespace Grad.Tests.Oracle;

/// <summary>
/// An independent oracle: Grad's built-in layers against PyTorch's own modules on fixed float64
/// inputs, parameters and a random upstream gradient. The reference values are in
/// pytorch_reference.json beside this file, written by tests/oracle/make_reference.py (see
/// tests/oracle/README.md). Every forward output, input gradient, parameter gradient, updated
/// running statistic and eval output in the file is compared, to 1e-10 relative. The training
/// cases run a few whole steps of the library's <see cref="TrainingStep"/> (see <see cref="OracleTraining"/>).
/// </summary>
public class PyTorchOracleTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    /// <summary>Each case in the reference file, with the Grad layer that runs it.</summary>
    public static TheoryData<string, string> Cases => new()
    {
        { "linear", nameof(Linear) },
        { "relu", nameof(ReLU) },
        { "softmax", nameof(Softmax) },
        { "cross_entropy", nameof(CrossEntropy) },
        { "cross_entropy", nameof(CrossEntropy) + ".ClassIndices" },
        { "batchnorm1d", nameof(BatchNorm) },
        { "batchnorm1d", nameof(BatchNormManual) },
        { "batchnorm1d", nameof(BatchNormManual) + ".DerivedBackward" },
        { "batchnorm2d", nameof(BatchNorm2d) },
        { "conv2d_k3_s1_p1", nameof(Conv2d) },
        { "conv2d_k2_s2_p0", nameof(Conv2d) },
        { "conv2d_k3_s2_p1", nameof(Conv2d) },
        { "maxpool2d_k3_s2_p1", nameof(MaxPool2d) },
        { "maxpool2d_k2_s2_p0", nameof(MaxPool2d) },
        { "flatten", nameof(Flatten) },
        { "sequential_linear_relu_linear", nameof(Sequential) },
        { "train_mlp_sgd", OracleTraining.Kind },
        { "train_mlp_adam", OracleTraining.Kind },
        { "train_bn_sgd_momentum", OracleTraining.Kind },
    };

    [Fact]
    public void The_reference_file_was_written_by_pytorch_in_float64_and_every_case_is_run()
    {
        var reference = OracleReference.Value;
        Assert.False(string.IsNullOrEmpty(reference.TorchVersion));
        Assert.Equal("float64", reference.DType);
        var run = Cases.Select(row => (string)row[0]).ToHashSet();
        Assert.Equal(reference.Cases.Select(c => c.Name).Order(), run.Order());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Grad_matches_pytorch(string caseName, string layer)
    {
        var c = OracleReference.Find(caseName);
        var check = new OracleChecker(c, layer, backend);
        switch (layer)
        {
            case nameof(Linear): RunLinear(check); break;
            case nameof(ReLU): RunLayer(check, new ReLU()); break;
            case nameof(Softmax): RunLayer(check, new global::Grad.Layers.Softmax()); break;
            case nameof(Flatten): RunLayer(check, new Flatten()); break;
            case nameof(MaxPool2d): RunMaxPool(check); break;
            case nameof(Conv2d): RunConv(check); break;
            case nameof(CrossEntropy): RunCrossEntropy(check, indices: false); break;
            case nameof(CrossEntropy) + ".ClassIndices": RunCrossEntropy(check, indices: true); break;
            case nameof(BatchNorm): RunBatchNorm(check); break;
            case nameof(BatchNormManual): RunBatchNormManual(check, derived: false); break;
            case nameof(BatchNormManual) + ".DerivedBackward": RunBatchNormManual(check, derived: true); break;
            case nameof(BatchNorm2d): RunBatchNorm2d(check); break;
            case nameof(Sequential): RunSequential(check); break;
            case OracleTraining.Kind: OracleTraining.Run(check, backend); break;
            default: throw new InvalidOperationException($"no runner for layer {layer}");
        }
        check.Finish();
    }

    private static void RunLinear(OracleChecker check) =>
        RunLayer(check, new Linear(check.Input("W"), check.Input("B")), "W", "B");

    /// <summary>Output, input gradient, the gradient of each named parameter (as "d" + name), and
    /// the eval output; the layer's parameters must be exactly <paramref name="parameters"/>.</summary>
    private static void RunLayer<TLayer>(OracleChecker check, TLayer layer, params string[] parameters) where TLayer : ILayer
    {
        Assert.Equal(typeof(TLayer).Name, check.Case.Layer);
        using var x = check.Input("x");
        using var g = check.Input("g");
        var (y, tape, _) = layer.TrainUntyped(x);
        using (tape)
        {
            var (dx, grads) = layer.BackwardUntyped(tape, g);
            Assert.Equal(parameters, grads.Parameters().Select(p => p.Name));
            check.Compare("y", y);
            check.Compare("dx", dx);
            foreach (var p in grads.Parameters()) check.Compare("d" + p.Name, p.Value);
        }
        using var yEval = layer.Eval(x);
        check.Compare("y", yEval, "Eval");
    }

    private static void RunMaxPool(OracleChecker check)
    {
        var pool = new MaxPool2d(check.Config("kernel"), check.Config("stride"), check.Config("padding"));
        RunLayer(check, pool);
    }

    private static void RunConv(OracleChecker check)
    {
        var w = check.Input("W");
        Assert.Equal(check.Config("kernel"), w.Shape[2]);
        Assert.Equal(check.Config("kernel"), w.Shape[3]);
        RunLayer(check, new Conv2d(w, check.Input("B"), Stride: check.Config("stride"), Padding: check.Config("padding")), "W", "B");
    }

    /// <summary>PyTorch's reference takes the labels as class indices; Grad runs them as one-hot
    /// rows and as indices.</summary>
    private void RunCrossEntropy(OracleChecker check, bool indices)
    {
        Assert.Equal(nameof(CrossEntropy), check.Case.Layer);
        var labels = check.Case.Labels ?? throw new InvalidOperationException("cross_entropy: no labels");
        using var labelTensor = backend.FromArray(labels, labels.Length);
        using var targets = indices ? labelTensor.Alias() : Ops.OneHot(labelTensor, check.Config("classes"), DType.Float64);
        using var logits = check.Input("x");
        using var g = check.Input("g");
        var loss = new CrossEntropy();
        var (y, tape, _) = loss.Train(logits, targets);
        using (tape)
        {
            var (dlogits, _) = loss.Backward(tape, g);
            check.Compare("y", y);
            check.Compare("dx", dlogits);
        }
        using var yEval = loss.Eval(logits, targets);
        check.Compare("y", yEval, "Eval");
    }

    private static void RunBatchNorm(OracleChecker check)
    {
        Assert.Equal(nameof(BatchNorm), check.Case.Layer);
        RunNormalization(check, (gamma, beta, mean, variance, eps, momentum) => new BatchNorm(gamma, beta, mean, variance, eps, momentum));
    }

    private static void RunBatchNormManual(OracleChecker check, bool derived)
    {
        Assert.Equal(nameof(BatchNorm), check.Case.Layer); // the same forward as BatchNorm
        RunNormalization(check, (gamma, beta, mean, variance, eps, momentum) => new BatchNormManual(gamma, beta, mean, variance, eps, momentum),
            derived ? (layer, tape, g) => ((BatchNormManual)layer).DerivedBackward((BatchNormManual.Tape)tape, g) : null);
    }

    private static void RunBatchNorm2d(OracleChecker check)
    {
        Assert.Equal(nameof(BatchNorm2d), check.Case.Layer);
        RunNormalization(check, (gamma, beta, mean, variance, eps, momentum) => new BatchNorm2d(gamma, beta, mean, variance, eps, momentum));
    }

    /// <summary>One batch-norm case: training output and gradients, updated running statistics,
    /// and the eval output with them; <paramref name="backward"/> replaces the layer's own.</summary>
    private static void RunNormalization(OracleChecker check, Func<Tensor, Tensor, Tensor, Tensor, double, double, ILayer> create,
        Func<ILayer, ITape, Tensor, (Tensor, ILayer)>? backward = null)
    {
        var layer = create(check.Input("Gamma"), check.Input("Beta"), check.Input("RunningMean"), check.Input("RunningVar"),
            check.ConfigDouble("eps"), check.ConfigDouble("momentum"));
        using var x = check.Input("x");
        using var g = check.Input("g");
        var (y, tape, updated) = layer.TrainUntyped(x);
        using (tape)
        {
            var (dx, grads) = backward is null ? layer.BackwardUntyped(tape, g) : backward(layer, tape, g);
            var gradients = grads.Parameters().ToDictionary(p => p.Name, p => p.Value);
            check.Compare("y", y);
            check.Compare("dx", dx);
            check.Compare("dGamma", gradients["Gamma"]);
            check.Compare("dBeta", gradients["Beta"]);
        }
        var states = updated.States().ToDictionary(p => p.Name, p => p.Value);
        check.Compare("RunningMeanAfter", states["RunningMean"]);
        check.Compare("RunningVarAfter", states["RunningVar"]);
        using var yEval = updated.Eval(x);
        check.Compare("yEval", yEval);
    }

    private static void RunSequential(OracleChecker check)
    {
        Assert.Equal(nameof(Sequential), check.Case.Layer);
        var model = new Sequential(
            new Linear(check.Input("0.W"), check.Input("0.B")),
            new ReLU(),
            new Linear(check.Input("2.W"), check.Input("2.B")));
        using var x = check.Input("x");
        using var g = check.Input("g");
        var (y, tape, _) = model.Train(x);
        using (tape)
        {
            var (dx, grads) = model.Backward(tape, g);
            check.Compare("y", y);
            check.Compare("dx", dx);
            var first = Assert.IsType<Linear>(grads.Layers[0]);
            var last = Assert.IsType<Linear>(grads.Layers[2]);
            check.Compare("d0.W", first.W);
            check.Compare("d0.B", first.B);
            check.Compare("d2.W", last.W);
            check.Compare("d2.B", last.B);
            // The dotted names the traversal gives match PyTorch's state_dict positions.
            Assert.Equal(["0.W", "0.B", "2.W", "2.B"], grads.Parameters().Select(p => p.Name));
        }
        using var yEval = model.Eval(x);
        check.Compare("y", yEval, "Eval");
    }
}
