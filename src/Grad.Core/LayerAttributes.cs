namespace Grad;

/// <summary>Marks a <c>partial record</c> as a layer: Grad's generator differentiates its
/// <see cref="ForwardAttribute">[Forward]</see> method and emits the training forward, the
/// backward, the eval forward and the parameter traversal into another part of the record.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LayerAttribute : Attribute;

/// <summary>A trainable tensor of a layer: it receives a gradient and optimisers update it.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ParamAttribute : Attribute;

/// <summary>A non-trainable tensor of a layer, such as batch-norm running statistics: saved in
/// checkpoints, updated functionally by the training forward, read by the eval forward.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class StateAttribute : Attribute;

/// <summary>The layer's forward computation: an expression body, or a block of <c>var</c>
/// locals ending in <c>return</c>, over tensor operators, primitives and sub-layers.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ForwardAttribute : Attribute;

/// <summary>A hand-written backward that the generator uses instead of deriving one. Its
/// signature mirrors the generated backward; the gradient checker compares the two.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BackwardAttribute : Attribute;

/// <summary>A forward input that receives no gradient (for example the targets of a loss).</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class NoGradAttribute : Attribute;
