using Grad.Layers;

namespace Grad.Tests.Core;

public class TensorScopeTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    [Fact]
    public void A_scope_disposes_what_it_created_except_what_it_keeps_or_detaches()
    {
        Tensor temporary, kept, detached;
        using (var outer = TensorScope.Begin())
        {
            using (var inner = TensorScope.Begin())
            {
                temporary = backend.Ones([3]);
                kept = inner.Keep(backend.Ones([3]));
                detached = inner.Detach(backend.Ones([3]));
            }
            Assert.Throws<ObjectDisposedException>(() => temporary.ToArray<float>());
            Assert.Equal(3, kept.ToArray<float>().Length);          // now the outer scope's
        }
        Assert.Throws<ObjectDisposedException>(() => kept.ToArray<float>());
        Assert.Equal(3, detached.ToArray<float>().Length);          // nobody's: its owner disposes it
        detached.Dispose();
    }

    [Fact]
    public void Generated_methods_return_their_results_and_release_their_intermediates()
    {
        var layer = new BatchNorm(backend.Ones([4]), backend.Zeros([4]), backend.Zeros([4]), backend.Ones([4]));
        using var x = backend.Normal([8, 4], seed: 1);
        using var g = backend.Normal([8, 4], seed: 2);
        using var scope = TensorScope.Begin();
        var (y, tape, next) = layer.Train(x);
        var (dx, gradient) = layer.Backward(tape, g);
        tape.Dispose();
        // The results outlive the methods; the updated statistics belong to the new layer.
        Assert.Equal(32, y.ToArray<float>().Length);
        Assert.Equal(32, dx.ToArray<float>().Length);
        Assert.Equal(4, gradient.Gamma.ToArray<float>().Length);
        scope.Dispose();
        Assert.Throws<ObjectDisposedException>(() => dx.ToArray<float>());
        Assert.Equal(4, next.RunningMean.ToArray<float>().Length);
    }
}
