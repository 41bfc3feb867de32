using System.Collections.Immutable;

namespace Grad.Optim;

/// <summary>
/// What an optimiser carries from one step to the next: the number of steps taken and its
/// per-parameter tensors, named <c>slot.parameter</c> (<c>m.conv1.W</c>, <c>velocity.0.B</c>)
/// so that a checkpoint can store them by name. Every step returns a state whose tensors are all
/// new, so disposing the previous state after a step is safe.
/// </summary>
public sealed record OptimizerState(long Step, ImmutableSortedDictionary<string, Tensor> Tensors) : IDisposable
{
    /// <summary>The state before the first step: no tensors; slots start at zero.</summary>
    public static OptimizerState Initial { get; } = new(0, ImmutableSortedDictionary.Create<string, Tensor>(StringComparer.Ordinal));

    /// <summary>The name of a slot's tensor for a parameter: <c>m.conv1.W</c>. Slot names have
    /// no dot, so the parameter's name is everything after the first one.</summary>
    public static string Key(string slot, string parameter) => $"{slot}.{parameter}";

    /// <summary>The tensors with their names, each prefixed (<c>optimizer.m.conv1.W</c>).</summary>
    public IEnumerable<NamedTensor> Named(string prefix = "") =>
        Tensors.Select(pair => new NamedTensor(prefix + pair.Key, pair.Value));

    /// <summary>A reference of its own (dispose it) to the slot's tensor for a parameter, or zeros
    /// shaped like the parameter when the slot is new (the first step).</summary>
    internal Tensor SlotOrZeros(string slot, string parameter, Tensor like) => Slot(slot, parameter, like) ?? Tensor.ZerosLike(like);

    /// <summary>A reference of its own (dispose it) to the slot's tensor for a parameter, or null
    /// when the slot is new; a tensor that does not match the parameter is an error naming both.</summary>
    internal Tensor? Slot(string slot, string parameter, Tensor like)
    {
        string key = Key(slot, parameter);
        if (!Tensors.TryGetValue(key, out var tensor)) return null;
        if (tensor.Shape != like.Shape || tensor.DType != like.DType)
            throw new InvalidOperationException(
                $"Optimizer state '{key}' is {tensor.DType.Name()} {tensor.Shape} but parameter '{parameter}' is {like.DType.Name()} {like.Shape}; the state belongs to another model.");
        return tensor.Alias();
    }

    /// <summary>Hands the state's tensors back to the pool.</summary>
    public void Dispose()
    {
        foreach (var tensor in Tensors.Values) tensor.Dispose();
    }
}
