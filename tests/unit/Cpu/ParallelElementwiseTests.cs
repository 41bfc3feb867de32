using Grad.Cpu;
using Grad.Layers;
using static Grad.Ops;

namespace Grad.Tests.Unit.Cpu;

/// <summary>Large element-wise passes split across threads (whole rows, or pieces of one long
/// row) give exactly the single-threaded result.</summary>
[Collection(nameof(CpuThreadsCollection))]
public class ParallelElementwiseTests
{
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Binary_unary_and_fused_passes_do_not_depend_on_the_thread_count(DType dtype)
    {
        using var x = Init.Normal([4, 8, 32, 33], seed: 1, dtype: dtype);          // 33 792 elements, over the threshold
        using var bias = Init.Normal([8, 1, 1], seed: 2, dtype: dtype);
        using var wide = Init.Normal([1, 40_000], seed: 3, dtype: dtype);           // one long row, split inside it
        using var transposed = Init.Normal([200, 190], seed: 4, dtype: dtype);
        // Runs of 7 rows of 1601: the split between the threads falls inside a run and inside a row.
        using var ragged = Init.Normal([3, 7, 1601], seed: 5, dtype: dtype);
        using var raggedBias = Init.Normal([7, 1], seed: 6, dtype: dtype);
        var cases = new Func<Tensor>[]
        {
            () => ragged + raggedBias,
            () => Exp(ragged) * raggedBias,
            () => x * bias - 1.0,
            () => Relu(x),
            () => Exp(wide) / (wide + 3.0),
            () => transposed.T * 2.0,
        };
        foreach (var compute in cases)
            Assert.Equal(CpuThreadsCollection.Compute(1, compute), CpuThreadsCollection.Compute(2, compute));

        var bn = BatchNorm2d.Create(8, dtype);
        Assert.Equal(
            CpuThreadsCollection.Compute(1, () => { var (y, tape, _) = bn.Train(x); using (tape) return bn.Backward(tape, y).dx; }),
            CpuThreadsCollection.Compute(2, () => { var (y, tape, _) = bn.Train(x); using (tape) return bn.Backward(tape, y).dx; }));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Optimiser_steps_write_every_output_the_same_on_any_thread_count(DType dtype)
    {
        // 60 000 parameters: over the threshold, so the pass is split and each thread writes its
        // share of the parameter and of every moment.
        var model = new Linear(Init.Normal([300, 200], seed: 5, dtype: dtype), Init.Normal([300], seed: 6, dtype: dtype));
        var gradient = new Linear(Init.Normal([300, 200], seed: 7, dtype: dtype), Init.Normal([300], seed: 8, dtype: dtype));
        foreach (var optimizer in new Grad.Optim.IOptimizer[] { new Grad.Optim.Adam(WeightDecay: 0.01), new Grad.Optim.Sgd(Momentum: 0.9, WeightDecay: 0.01) })
        {
            var (_, state) = optimizer.Step(model, gradient, Grad.Optim.OptimizerState.Initial, 0.01);
            foreach (var slot in state.Tensors.Keys)
            {
                Assert.Equal(
                    CpuThreadsCollection.Compute(1, () => optimizer.Step(model, gradient, state, 0.01).State.Tensors[slot].Alias()),
                    CpuThreadsCollection.Compute(2, () => optimizer.Step(model, gradient, state, 0.01).State.Tensors[slot].Alias()));
            }
            Assert.Equal(
                CpuThreadsCollection.Compute(1, () => optimizer.Step(model, gradient, state, 0.01).Model.W.Alias()),
                CpuThreadsCollection.Compute(2, () => optimizer.Step(model, gradient, state, 0.01).Model.W.Alias()));
        }
    }
}
