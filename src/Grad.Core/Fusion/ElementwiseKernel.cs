using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Grad.Fusion;

/// <summary>
/// A chain of element-wise primitives fused into one pass, as the generator emits it: each
/// element of the output is computed from the same element of up to <see cref="MaxInputs"/>
/// broadcast inputs and a few scalars, with no temporary tensor per operator. The CPU runs
/// <see cref="Row(in ElementwiseRow{float})"/>; the OpenCL backend compiles <see cref="OpenCLBody"/>. A kernel may
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

    /// <summary>Computes one row of the output(s) from rows of the inputs, in float32.</summary>
    /// <remarks>One method per dtype rather than one generic virtual method: a generic virtual
    /// call is resolved through a runtime lookup at every call, which costs more than a short
    /// row (a channel bias over 32×32 planes calls this 2048 times per tensor).</remarks>
    public abstract void Row(in ElementwiseRow<float> row);

    /// <summary>Computes one row of the output(s) from rows of the inputs, in float64.</summary>
    public abstract void Row(in ElementwiseRow<double> row);

    /// <summary>Calls the row method of <typeparamref name="T"/>'s dtype.</summary>
    internal void Run<T>(in ElementwiseRow<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) Row(in Unsafe.As<ElementwiseRow<T>, ElementwiseRow<float>>(ref Unsafe.AsRef(in row)));
        else Row(in Unsafe.As<ElementwiseRow<T>, ElementwiseRow<double>>(ref Unsafe.AsRef(in row)));
    }
}
