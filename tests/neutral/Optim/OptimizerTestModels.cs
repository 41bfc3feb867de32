using Grad.Layers;

namespace Grad.Tests.Optim;

/// <summary>A Linear layer with W = [[1, −2, 3]] and b = [0.5], and two gradients of its shape, made
/// on the backend under test, which the optimiser tests step through by hand: W and b read as one
/// vector [1, −2, 3, 0.5].</summary>
internal static class OptimizerTestModels
{
    public static Linear Model(this BackendFixture backend, DType dtype) => backend.Layer(dtype, [1, -2, 3], [0.5]);

    public static Linear FirstGradient(this BackendFixture backend, DType dtype) => backend.Layer(dtype, [0.1, -0.2, 0.3], [0.4]);

    public static Linear SecondGradient(this BackendFixture backend, DType dtype) => backend.Layer(dtype, [-0.3, 0.1, 0.2], [0.05]);

    public static Linear Layer(this BackendFixture backend, DType dtype, double[] w, double[] b) =>
        new(backend.Make(dtype, w, 1, w.Length), backend.Make(dtype, b, b.Length));

    /// <summary>W then b, flattened, as doubles.</summary>
    public static double[] Flat(Linear layer) => [.. TestTensors.Values(layer.W), .. TestTensors.Values(layer.B)];

    /// <summary>The state's slot for W then for b, flattened.</summary>
    public static double[] Slot(Grad.Optim.OptimizerState state, string slot) =>
        [.. TestTensors.Values(state.Tensors[$"{slot}.W"]), .. TestTensors.Values(state.Tensors[$"{slot}.B"])];

    /// <summary>Float32 arithmetic loses about 1e-7 relative per operation.</summary>
    public static double Tolerance(DType dtype) => dtype == DType.Float32 ? 2e-6 : 1e-13;
}
