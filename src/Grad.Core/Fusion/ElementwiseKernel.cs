using System.ComponentModel;
using System.Numerics;

namespace Grad.Fusion;

/// <summary>
/// A chain of element-wise primitives fused into one pass, as the generator emits it: each
/// element of the output is computed from the same element of up to <see cref="MaxInputs"/>
/// broadcast inputs and a few scalars, with no temporary tensor per operator. The CPU runs
/// <see cref="Row{T}"/>; the OpenCL backend compiles <see cref="OpenCLBody"/>. A kernel may
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

    /// <summary>The element program in OpenCL C: statements that read the current element of each
    /// input (<c>x0…</c>) and the scalars (<c>s0…</c>), all of type <c>real</c>, and assign every
    /// output (<c>y0…</c>).</summary>
    public abstract string OpenCLBody { get; }

    /// <summary>Definitions of the functions <see cref="OpenCLBody"/> calls beyond OpenCL C's own.</summary>
    public virtual string OpenCLHelpers => "";

    /// <summary>Computes one row of the output(s) from rows of the inputs.</summary>
    public abstract void Row<T>(in ElementwiseRow<T> row) where T : unmanaged, IFloatingPointIeee754<T>;
}
