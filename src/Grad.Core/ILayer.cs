namespace Grad;

/// <summary>
/// What every generated layer with one tensor input offers, untyped, so that layers can be
/// composed at run time (Grad.Layers.Sequential). Generated layers also offer the same
/// operations strongly typed (<c>Train</c> returns the layer's own tape and type).
/// </summary>
public interface ILayer
{
    /// <summary>Eval mode: [State] tensors (running statistics) are read, never updated.</summary>
    Tensor Eval(Tensor x);

    /// <summary>Training mode: the output, the tape of forward values the backward needs, and
    /// the layer with its [State] updated (itself when it has none).</summary>
    (Tensor Output, ITape Tape, ILayer Layer) TrainUntyped(Tensor x);

    /// <summary>The vector-Jacobian product: the gradient with respect to the input, and the
    /// gradients of the parameters as a layer of the same type.</summary>
    (Tensor InputGradient, ILayer Gradient) BackwardUntyped(ITape tape, Tensor outputGradient);

    /// <summary>Only the parameter gradients, for a layer whose input needs none (the first of a
    /// network): the work that only the input gradient needs is skipped.</summary>
    ILayer BackwardParametersUntyped(ITape tape, Tensor outputGradient);

    /// <summary>Trainable tensors with their dotted names (<c>conv1.W</c>), in a fixed order.</summary>
    IEnumerable<NamedTensor> Parameters(string prefix = "");

    /// <summary>Non-trainable tensors ([State]) with their dotted names.</summary>
    IEnumerable<NamedTensor> States(string prefix = "");

    /// <summary>Untyped <see cref="ILayer{TSelf}.MapParameters"/>.</summary>
    ILayer MapParametersUntyped(Func<string, Tensor, Tensor> map, string prefix = "");

    /// <summary>Untyped <see cref="ILayer{TSelf}.ZipParameters"/>; <paramref name="other"/> has this layer's type.</summary>
    ILayer ZipParametersUntyped(ILayer other, Func<string, Tensor, Tensor, Tensor> zip, string prefix = "");

    /// <summary>Untyped <see cref="ILayer{TSelf}.MapStates"/>.</summary>
    ILayer MapStatesUntyped(Func<string, Tensor, Tensor> map, string prefix = "");
}

/// <summary>The strongly typed traversal that optimisers and checkpoints use.</summary>
public interface ILayer<TSelf> : ILayer where TSelf : ILayer<TSelf>
{
    /// <summary>A copy with every [Param] tensor replaced by <c>map(name, tensor)</c>.</summary>
    TSelf MapParameters(Func<string, Tensor, Tensor> map, string prefix = "");

    /// <summary>A copy with every [Param] tensor replaced by <c>zip(name, mine, other's)</c>.</summary>
    TSelf ZipParameters(TSelf other, Func<string, Tensor, Tensor, Tensor> zip, string prefix = "");

    /// <summary>A copy with every [State] tensor replaced by <c>map(name, tensor)</c>.</summary>
    TSelf MapStates(Func<string, Tensor, Tensor> map, string prefix = "");
}

/// <summary>The forward values a layer's backward needs, owned by the tape: dispose it after
/// the backward to hand them back to the pool.</summary>
public interface ITape : IDisposable;

/// <summary>A tensor with its dotted name in a model (<c>block1.conv.W</c>).</summary>
public readonly record struct NamedTensor(string Name, Tensor Value);
