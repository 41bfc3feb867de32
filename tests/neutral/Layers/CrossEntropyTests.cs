using Grad.Layers;
using static Grad.Ops;

namespace Grad.Tests.Layers;

/// <summary>CrossEntropy and SoftmaxCrossEntropy take (B,) int32 class indices as well as one-hot
/// rows (B, K), with the same loss and gradient, as PyTorch's cross_entropy does.</summary>
public class CrossEntropyTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private const int Batch = 6, Classes = 5;
    private static readonly int[] Labels = [4, 0, 2, 2, 1, 4];

    [Fact]
    public void Class_indices_give_the_loss_and_gradient_of_their_one_hot_rows()
    {
        using var logits = backend.Normal([Batch, Classes], 0, 2, seed: 3, dtype: DType.Float64);
        using var labels = backend.FromArray(Labels, Batch);
        using var oneHot = OneHot(labels, Classes, DType.Float64);
        using var g = backend.Scalar(0.7, DType.Float64);
        var loss = new CrossEntropy();

        var (yIndices, dIndices) = TrainAndBackward(loss, logits, labels, g);
        var (yOneHot, dOneHot) = TrainAndBackward(loss, logits, oneHot, g);
        using (yIndices) using (dIndices) using (yOneHot) using (dOneHot)
        {
            Assert.Equal(yOneHot.ToArray<double>(), yIndices.ToArray<double>());
            Assert.Equal(dOneHot.ToArray<double>(), dIndices.ToArray<double>());

            // −(1/B) Σᵢ log softmax(xᵢ)[yᵢ], and g·(softmax(x) − onehot)/B, written out here.
            var x = logits.ToArray<double>();
            double expectedLoss = 0;
            var expectedGradient = new double[Batch * Classes];
            for (int i = 0; i < Batch; i++)
            {
                var row = x[(i * Classes)..((i + 1) * Classes)];
                double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
                expectedLoss -= (row[Labels[i]] - max - Math.Log(sum)) / Batch;
                for (int k = 0; k < Classes; k++)
                    expectedGradient[i * Classes + k] = 0.7 * (Math.Exp(row[k] - max) / sum - (k == Labels[i] ? 1 : 0)) / Batch;
            }
            Assert.Equal(expectedLoss, yIndices.Item(), 1e-12);
            TestTensors.AssertClose(expectedGradient, dIndices.ToArray<double>(), 1e-12);

            using var yEval = loss.Eval(logits, labels);
            using var yOp = SoftmaxCrossEntropy(logits, labels);
            Assert.Equal(yOneHot.Item(), yEval.Item());
            Assert.Equal(yOneHot.Item(), yOp.Item());
        }
        // The targets passed in are still the caller's after the tape and the backward are done.
        Assert.Equal(Labels, labels.ToArray<int>());
        Assert.Equal(Batch, oneHot.ToArray<double>().Sum());
    }

    [Fact]
    public void Class_indices_work_with_float32_logits()
    {
        using var logits = backend.Normal([Batch, Classes], 0, 2, seed: 4);
        using var labels = backend.FromArray(Labels, Batch);
        using var oneHot = OneHot(labels, Classes);
        using var fromIndices = SoftmaxCrossEntropy(logits, labels);
        using var fromRows = SoftmaxCrossEntropy(logits, oneHot);
        Assert.Equal(DType.Float32, fromIndices.DType);
        Assert.Equal(fromRows.ToArray<float>(), fromIndices.ToArray<float>());
    }

    [Theory]
    [InlineData(Classes)]
    [InlineData(-1)]
    public void An_index_outside_the_classes_is_an_error_naming_the_op_and_shapes(int label)
    {
        using var logits = backend.Zeros([Batch, Classes], DType.Float64);
        using var labels = backend.FromArray(new[] { 0, 1, label, 2, 3, 4 }, Batch);
        var direct = Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxCrossEntropy(logits, labels));
        var layer = Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropy().Train(logits, labels));
        foreach (var e in new[] { direct, layer })
        {
            Assert.Contains("SoftmaxCrossEntropy", e.Message);
            Assert.Contains($"class index {label} is outside [0, {Classes})", e.Message);
            Assert.Contains($"({Batch},)", e.Message);
            Assert.Contains($"({Batch}, {Classes})", e.Message);
        }
    }

    [Fact]
    public void Targets_of_the_wrong_shape_or_dtype_are_errors_naming_the_op_and_shapes()
    {
        using var logits = backend.Zeros([Batch, Classes], DType.Float64);
        using var tooFew = backend.FromArray(new[] { 0, 1, 2, 3 }, 4);
        using var intRows = backend.Zeros([Batch, Classes], DType.Int32);
        using var narrowRows = backend.Zeros([Batch, Classes - 1], DType.Float64);
        using var float32Rows = backend.Zeros([Batch, Classes], DType.Float32);

        var e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy(logits, tooFew));
        Assert.Contains("SoftmaxCrossEntropy", e.Message);
        Assert.Contains("(4,)", e.Message);
        Assert.Contains($"({Batch}, {Classes})", e.Message);

        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy(logits, intRows));
        Assert.Contains("class indices of shape (B,)", e.Message);

        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy(logits, narrowRows));
        Assert.Contains($"targets ({Batch}, {Classes - 1}) must have the logits' shape ({Batch}, {Classes})", e.Message);

        e = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy(logits, float32Rows));
        Assert.Contains("different dtypes", e.Message);
    }

    private static (Tensor Loss, Tensor Gradient) TrainAndBackward(CrossEntropy loss, Tensor logits, Tensor targets, Tensor g)
    {
        var (y, tape, _) = loss.Train(logits, targets);
        using (tape) return (y, loss.Backward(tape, g).dlogits);
    }
}
