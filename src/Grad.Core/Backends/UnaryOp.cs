namespace Grad.Backends;

/// <summary>Element-wise functions of one tensor that every backend implements.</summary>
public enum UnaryOp
{
    Negate,
    Exp,
    Log,
    Sqrt,
    Abs,
    Tanh,
    Sigmoid,
    Relu,
    Square,
    Reciprocal,
}
