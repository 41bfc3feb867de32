using Grad.Optim;

namespace Grad.Tests.Core;

/// <summary><see cref="Ops.FusedInto"/>: a fused kernel written into given tensors, including
/// over its own inputs (an in-place update), with the same numbers as into new tensors.</summary>
public class FusedIntoTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    // SGD with momentum: p' = p − lr·v', v' = μ·v + g + wd·p; two outputs, three inputs.
    private static readonly double[] Scalars = [0.1, 0.9, 0.01];

    [Theory]
    [InlineData(7)]        // one short row, on the calling thread
    [InlineData(100_003)]  // split across the threads, with a scalar tail
    public void Writing_over_the_inputs_gives_what_new_tensors_get(int length)
    {
        var (p, g, v) = (Ramp(length, 1), Ramp(length, 2), Ramp(length, 3));
        var expected = Ops.FusedOutputs(SgdMomentumStep.Instance, [p, g, v], Scalars);

        Ops.FusedInto(SgdMomentumStep.Instance, [p, g, v], Scalars, [p, v]);

        Assert.Equal(expected[0].ToArray<float>(), p.ToArray<float>());
        Assert.Equal(expected[1].ToArray<float>(), v.ToArray<float>());
    }

    [Fact]
    public void An_output_may_start_inside_its_storage()
    {
        using var p = Ramp(8, 1);
        using var g = Ramp(8, 2);
        using var both = backend.Zeros([2, 8]);
        using var secondRow = both.Slice(0, 1, 2).Reshape(8);
        Ops.FusedInto(SgdStep.Instance, [p, g], [0.1, 0.01], [secondRow]);
        using var expected = Ops.Fused(SgdStep.Instance, [p, g], [0.1, 0.01]);
        Assert.Equal(expected.ToArray<float>(), secondRow.ToArray<float>());
        Assert.All(both.ToArray<float>()[..8], x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Outputs_that_cannot_hold_the_result_are_refused()
    {
        using var p = Ramp(6, 1);
        using var g = Ramp(6, 2);
        using var shorter = backend.Zeros([5]);
        using var doubles = backend.Zeros([6], DType.Float64);
        using var matrix = p.Reshape(2, 3);
        using var gradients = g.Reshape(2, 3);
        using var stored = backend.Zeros([3, 2]);
        using var transposed = stored.T; // (2, 3), strided

        Assert.Contains("is float32 (5,); the kernel writes float32 (6,)", Refusal([p, g], [shorter]));
        Assert.Contains("is float64 (6,)", Refusal([p, g], [doubles]));
        Assert.Contains("strided view", Refusal([matrix, gradients], [transposed]));
        Assert.Contains("writes 1 outputs, got 2", Refusal([p, g], [p, g]));
    }

    [Fact]
    public void Overlap_other_than_an_element_over_itself_is_refused()
    {
        using var pair = Ramp(12, 1);
        using var first = pair.Slice(0, 0, 6);
        using var second = pair.Slice(0, 6, 12);
        using var g = Ramp(6, 2);
        using var v = Ramp(6, 3);
        // Writing p's update over the other half of p's storage would read values already written.
        Assert.Contains("overlaps an input without being that input", Refusal([first, g], [second]));
        Assert.Contains("shares its storage with output 0",
            Assert.Throws<ArgumentException>(() => Ops.FusedInto(SgdMomentumStep.Instance, [g, g, v], Scalars, [first, second])).Message);
    }

    private static string Refusal(Tensor[] inputs, Tensor[] outputs) =>
        Assert.Throws<ArgumentException>(() => Ops.FusedInto(SgdStep.Instance, inputs, [0.1, 0.01], outputs)).Message;

    private Tensor Ramp(int length, int seed) => backend.Make(DType.Float32, TestTensors.Ramp(length, seed), length);
}
