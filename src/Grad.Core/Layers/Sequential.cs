using System.Collections.Immutable;

namespace Grad.Layers;

/// <summary>
/// Layers applied one after another, composed at run time (PyTorch's nn.Sequential): the
/// training forward keeps each layer's tape, the backward runs their backwards in reverse.
/// Parameters are named by position: <c>0.W</c>, <c>2.Gamma</c>. For a model with a fixed
/// structure, a [Layer] record whose forward calls its sub-layers works as well and is
/// differentiated as one piece.
/// </summary>
public sealed record Sequential(ImmutableArray<ILayer> Layers) : ILayer<Sequential>
{
    public Sequential(params ILayer[] layers) : this(layers.ToImmutableArray()) { }

    /// <summary>The tapes of the layers, in order.</summary>
    public sealed class Tape(ImmutableArray<ITape> tapes) : ITape
    {
        public ImmutableArray<ITape> Tapes { get; } = tapes;

        public void Dispose()
        {
            foreach (var tape in Tapes) tape.Dispose();
        }
    }

    public Tensor Eval(Tensor x)
    {
        var current = x.Alias();
        foreach (var layer in Layers)
        {
            using var input = current;
            current = layer.Eval(input);
        }
        return current;
    }

    public (Tensor Output, Tape Tape, Sequential Layer) Train(Tensor x)
    {
        var tapes = ImmutableArray.CreateBuilder<ITape>(Layers.Length);
        var updated = ImmutableArray.CreateBuilder<ILayer>(Layers.Length);
        var current = x.Alias();
        foreach (var layer in Layers)
        {
            using var input = current;
            var (output, tape, next) = layer.TrainUntyped(input);
            tapes.Add(tape);
            updated.Add(next);
            current = output;
        }
        return (current, new Tape(tapes.MoveToImmutable()), new Sequential(updated.MoveToImmutable()));
    }

    public (Tensor dx, Sequential Gradient) Backward(Tape tape, Tensor g)
    {
        var gradients = new ILayer[Layers.Length];
        var current = g.Alias();
        for (int i = Layers.Length - 1; i >= 0; i--)
        {
            using var upstream = current;
            (current, gradients[i]) = Layers[i].BackwardUntyped(tape.Tapes[i], upstream);
        }
        return (current, new Sequential(gradients));
    }

    /// <summary>The parameter gradients only: the first layer skips its input gradient.</summary>
    public Sequential BackwardParameters(Tape tape, Tensor g)
    {
        if (Layers.Length == 0) return this;
        var gradients = new ILayer[Layers.Length];
        var current = g.Alias();
        for (int i = Layers.Length - 1; i >= 1; i--)
        {
            using var upstream = current;
            (current, gradients[i]) = Layers[i].BackwardUntyped(tape.Tapes[i], upstream);
        }
        using (current) gradients[0] = Layers[0].BackwardParametersUntyped(tape.Tapes[0], current);
        return new Sequential(gradients);
    }

    public IEnumerable<NamedTensor> Parameters(string prefix = "") =>
        Layers.SelectMany((layer, i) => layer.Parameters($"{prefix}{i}."));

    public IEnumerable<NamedTensor> States(string prefix = "") =>
        Layers.SelectMany((layer, i) => layer.States($"{prefix}{i}."));

    public Sequential MapParameters(Func<string, Tensor, Tensor> map, string prefix = "") =>
        new(Layers.Select((layer, i) => layer.MapParametersUntyped(map, $"{prefix}{i}.")).ToImmutableArray());

    public Sequential ZipParameters(Sequential other, Func<string, Tensor, Tensor, Tensor> zip, string prefix = "") =>
        new(Layers.Select((layer, i) => layer.ZipParametersUntyped(other.Layers[i], zip, $"{prefix}{i}.")).ToImmutableArray());

    public Sequential MapStates(Func<string, Tensor, Tensor> map, string prefix = "") =>
        new(Layers.Select((layer, i) => layer.MapStatesUntyped(map, $"{prefix}{i}.")).ToImmutableArray());

    (Tensor Output, ITape Tape, ILayer Layer) ILayer.TrainUntyped(Tensor x) => Train(x);

    (Tensor InputGradient, ILayer Gradient) ILayer.BackwardUntyped(ITape tape, Tensor outputGradient) => Backward((Tape)tape, outputGradient);

    ILayer ILayer.BackwardParametersUntyped(ITape tape, Tensor outputGradient) => BackwardParameters((Tape)tape, outputGradient);

    ILayer ILayer.MapParametersUntyped(Func<string, Tensor, Tensor> map, string prefix) => MapParameters(map, prefix);

    ILayer ILayer.ZipParametersUntyped(ILayer other, Func<string, Tensor, Tensor, Tensor> zip, string prefix) => ZipParameters((Sequential)other, zip, prefix);

    ILayer ILayer.MapStatesUntyped(Func<string, Tensor, Tensor> map, string prefix) => MapStates(map, prefix);
}
