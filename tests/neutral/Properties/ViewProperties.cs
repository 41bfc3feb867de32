using CsCheck;

namespace Grad.Tests.Property;

public class ViewProperties(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private static readonly Gen<(int[] Shape, double[] Values, int[] Permutation)> Permuted =
        from t in Generators.Tensor
        from keys in Gen.Double.Array[t.Shape.Length]
        select (t.Shape, t.Values, Enumerable.Range(0, t.Shape.Length).OrderBy(i => keys[i]).ToArray());

    [Fact]
    public void Permuting_back_restores_the_tensor() =>
        Permuted.Sample((shape, values, permutation) =>
        {
            using var x = backend.FromArray(values, shape);
            var inverse = new int[permutation.Length];
            for (int i = 0; i < permutation.Length; i++) inverse[permutation[i]] = i;
            using var p = x.Permute(permutation);
            using var dense = p.Contiguous();
            using var back = dense.Permute(inverse);
            Assert.Equal(values, back.ToArray<double>());
        });

    [Fact]
    public void Element_wise_results_do_not_depend_on_the_layout() =>
        Permuted.Sample((shape, values, permutation) =>
        {
            using var x = backend.FromArray(values, shape);
            using var p = x.Permute(permutation);
            using var dense = p.Contiguous();
            using var fromView = Ops.Tanh(p) * p;
            using var fromDense = Ops.Tanh(dense) * dense;
            Assert.Equal(fromDense.ToArray<double>(), fromView.ToArray<double>());
        });
}
