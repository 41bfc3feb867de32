using static Grad.Ops;

namespace Grad.Tests.Property;

// Layers declared only here, to show the generator is general: nothing about them is built in.

/// <summary>max(x, αx) for a slope α in (0, 1).</summary>
[Layer]
public sealed partial record LeakyReLU(double Slope = 0.01)
{
    [Forward]
    public Tensor Forward(Tensor x) => Maximum(x, x * Slope);
}

/// <summary>A gated unit: tanh(x·Wᵀ) ⊙ σ(x·Uᵀ).</summary>
[Layer]
public sealed partial record TanhGate([Param] Tensor W, [Param] Tensor U)
{
    [Forward]
    public Tensor Forward(Tensor x)
    {
        var candidate = Tanh(MatMul(x, W.T));
        var gate = Sigmoid(MatMul(x, U.T));
        return candidate * gate;
    }
}

/// <summary>Layer normalisation over the last axis, with a learned scale and shift.</summary>
[Layer]
public sealed partial record LayerNorm([Param] Tensor Gamma, [Param] Tensor Beta, double Eps = 1e-5)
{
    [Forward]
    public Tensor Forward(Tensor x)
    {
        var mu = Mean(x, axis: -1, keepDims: true);
        var xc = x - mu;
        var variance = Mean(xc * xc, axis: -1, keepDims: true);
        return Gamma * xc / Sqrt(variance + Eps) + Beta;
    }
}

/// <summary>Swish: x·σ(βx), with a learned β per feature.</summary>
[Layer]
public sealed partial record Swish([Param] Tensor BetaScale)
{
    [Forward]
    public Tensor Forward(Tensor x) => x * Sigmoid(BetaScale * x);
}

/// <summary>A two-layer perceptron composed of built-in layers: differentiated through them.</summary>
[Layer]
public sealed partial record TinyMlp(Grad.Layers.Linear Hidden, Grad.Layers.ReLU Activation, Grad.Layers.Linear Output)
{
    [Forward]
    public Tensor Forward(Tensor x) => Output.Forward(Activation.Forward(Hidden.Forward(x)));
}

/// <summary>A primitive declared outside Grad, with its own rule and element formula.</summary>
public static class MyOps
{
    /// <summary>softplus(x) = log(1 + eˣ), computed stably.</summary>
    [Primitive(Element = "max(x, 0) + log(1 + exp(-abs(x)))")]
    [Derivative("x", "g * Sigmoid(x)")]
    public static Tensor Softplus(Tensor x) => Maximum(x, 0.0) + Log(1.0 + Exp(-Abs(x)));
}

/// <summary>A layer built on that user primitive: softplus(x·Wᵀ).</summary>
[Layer]
public sealed partial record SoftplusLinear([Param] Tensor W)
{
    [Forward]
    public Tensor Forward(Tensor x) => MyOps.Softplus(MatMul(x, W.T)) * 2.0;
}
