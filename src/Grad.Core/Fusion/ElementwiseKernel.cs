using System.Numerics;

namespace Grad.Fusion;

/// <summary>
/// A chain of element-wise primitives fused into one pass, as the generator emits it: each
/// element of the output is computed from the same element of up to <see cref="MaxInputs"/>
/// broadcast inputs and a few scalars, with no temporary tensor per operator. The CPU runs
/// <see cref="Row{T}"/>; the OpenCL backend compiles <see cref="OpenCLExpression"/>.
/// </summary>
public abstract class ElementwiseKernel
{
    public const int MaxInputs = 8;

    /// <summary>A name for messages and profiles.</summary>
    public abstract string Name { get; }

    public abstract int InputCount { get; }

    public abstract int ScalarCount { get; }

    /// <summary>The element formula in OpenCL C, over inputs <c>x0…</c> and scalars <c>s0…</c>.</summary>
    public abstract string OpenCLExpression { get; }

    /// <summary>Computes one row of the output from rows of the inputs.</summary>
    public abstract void Row<T>(in ElementwiseRow<T> row) where T : unmanaged, IFloatingPointIeee754<T>;
}
