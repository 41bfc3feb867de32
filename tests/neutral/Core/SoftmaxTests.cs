using static Grad.Tests.TestTensors;

namespace Grad.Tests.Core;

public class SoftmaxTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private static double[] Reference(double[] x, int[] shape, int axis, bool log)
    {
        var result = new double[x.Length];
        int inner = shape[(axis + 1)..].Aggregate(1, (a, b) => a * b), n = shape[axis];
        for (int flat = 0; flat < x.Length; flat++)
        {
            int start = flat - Unravel(flat, shape)[axis] * inner;
            var column = Enumerable.Range(0, n).Select(j => x[start + j * inner]).ToArray();
            double max = column.Max(), sum = column.Sum(v => Math.Exp(v - max));
            result[flat] = log ? x[flat] - max - Math.Log(sum) : Math.Exp(x[flat] - max) / sum;
        }
        return result;
    }

    [Theory]
    [InlineData(DType.Float32, false)]
    [InlineData(DType.Float64, false)]
    [InlineData(DType.Float32, true)]
    [InlineData(DType.Float64, true)]
    public void Softmax_matches_the_formula_along_any_axis(DType dtype, bool log)
    {
        int[] shape = [2, 3, 4];
        using var x = backend.Make(dtype, Ramp(24, 5), shape);
        for (int axis = 0; axis < 3; axis++)
        {
            using var y = log ? Ops.LogSoftmax(x, axis) : Ops.Softmax(x, axis);
            AssertClose(Reference(Values(x), shape, axis, log), Values(y), dtype == DType.Float32 ? 2e-6 : 1e-14);
        }
    }

    [Theory]
    [MemberData(nameof(FloatTypes), MemberType = typeof(TestTensors))]
    public void Large_logits_do_not_overflow(DType dtype)
    {
        using var x = backend.Make(dtype, [1000, 1001, 1002, -1000, 0, 1000], 2, 3);
        using var p = Ops.Softmax(x);
        using var lp = Ops.LogSoftmax(x);
        var probabilities = Values(p);
        Assert.All(probabilities, v => Assert.True(double.IsFinite(v)));
        AssertClose(Reference(Values(x), [2, 3], 1, log: false), probabilities, 1e-6);
        AssertClose(Reference(Values(x), [2, 3], 1, log: true), Values(lp), 1e-6);
        Assert.Equal(-2000, Values(lp)[3], 3);
    }
}
