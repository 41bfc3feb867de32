using System.ComponentModel;
using System.Numerics;

namespace Grad.Fusion;

/// <summary>
/// A chain of element-wise primitives fused into one pass, as the generator emits it: each
/// element of the output is computed from the same element of up to <see cref="MaxInputs"/>
/// broadcast inputs and a few scalars, with no temporary tensor per operator. The CPU runs
/// <see cref="Row{T}"/>; the OpenCL backend compiles <see cref="OpenCLExpression"/>. A kernel may
/// write up to <see cref="MaxOutputs"/> outputs of the same shape in the one pass (an optimiser
/// updating a parameter and its moments together).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ElementwiseKernel
{
    public const int MaxInputs = 8;
    public const int MaxOutputs = 3;

    /// <summary>A name for messages and profiles.</summary>
    public abstract string Name { get; }

    public abstract int InputCount { get; }

    public abstract int ScalarCount { get; }

    /// <summary>How many outputs each element writes; see <see cref="ElementwiseRow{T}.OutputAt"/>.</summary>
    public virtual int OutputCount => 1;

    /// <summary>The element formula in OpenCL C, over inputs <c>x0…</c> and scalars <c>s0…</c>
    /// (of the first output, for a kernel with several).</summary>
    public abstract string OpenCLExpression { get; }

    /// <summary>The formula of every output, in order.</summary>
    public virtual IReadOnlyList<string> OpenCLOutputs => [OpenCLExpression];

    /// <summary>Computes one row of the output(s) from rows of the inputs.</summary>
    public abstract void Row<T>(in ElementwiseRow<T> row) where T : unmanaged, IFloatingPointIeee754<T>;
}
