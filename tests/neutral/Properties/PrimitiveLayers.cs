using static Grad.Ops;

namespace Grad.Tests.Property;

// One small layer per group of primitives, so every primitive's rule is gradient-checked on its
// own (the built-in layers check them again in context). Inputs that must be positive or away
// from a kink are shaped inside the forward (Square(x) + 0.5) or by the test's inputs.

[Layer]
public sealed partial record BroadcastArithmetic([Param] Tensor B)
{
    [Forward]
    public Tensor Forward(Tensor x) => (x + B) * (x - B) / (B * B + 1.0) - 2.0 * x;
}

[Layer]
public sealed partial record Powers([Param] Tensor P)
{
    [Forward]
    public Tensor Forward(Tensor x) => Pow(Square(x) + 0.5, P) + Pow(Square(x) + 0.5, 1.7);
}

[Layer]
public sealed partial record Extremes([Param] Tensor P)
{
    [Forward]
    public Tensor Forward(Tensor x) => Maximum(x, P) + Minimum(x, P * 2.0) + Maximum(x, 0.05) * Minimum(x, -0.05);
}

[Layer]
public sealed partial record Smooth
{
    [Forward]
    public Tensor Forward(Tensor x) =>
        Tanh(x) + Sigmoid(x) * Exp(-Square(x)) + Log(Square(x) + 1.0) - Sqrt(Square(x) + 0.5) * Reciprocal(Square(x) + 0.5) + Negate(x);
}

[Layer]
public sealed partial record Kinks([Param] Tensor P)
{
    [Forward]
    public Tensor Forward(Tensor x) => Abs(x) * P + Where(x > 0.0, x * P, Square(x)) + Relu(x);
}

[Layer]
public sealed partial record Reductions
{
    [Forward]
    public Tensor Forward(Tensor x) =>
        Sum(x, 1) * Mean(x, 1) + Max(x, 1) + Sum(x) * Mean(x) + Max(x) + Mean(Square(x), [0, 1]);
}

[Layer]
public sealed partial record KeptReductions
{
    [Forward]
    public Tensor Forward(Tensor x) => Mean(x, [0, 2], keepDims: true) * x + Max(x, -1, keepDims: true) + Sum(x, 0, keepDims: true);
}

[Layer]
public sealed partial record Normalisers
{
    [Forward]
    public Tensor Forward(Tensor x) => Softmax(x, 0) * LogSoftmax(x, -1) + Ops.Softmax(x * 2.0, -1);
}

[Layer]
public sealed partial record BatchedProduct([Param] Tensor W)
{
    [Forward]
    public Tensor Forward(Tensor x) => MatMul(x, W) + MatMul(x, MatMul(Transpose(x), MatMul(x, W)));
}

[Layer]
public sealed partial record Views([Param] Tensor P)
{
    [Forward]
    public Tensor Forward(Tensor x) => Ops.Flatten(x.T * Broadcast(P, x.Shape).T) + (x * P).Reshape(-1, 1).Reshape(x.Shape[1], x.Shape[0]);
}
