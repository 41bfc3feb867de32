namespace Grad.Backends;

/// <summary>Element-wise functions of two broadcast tensors. Comparisons yield 1 where true and
/// 0 where false, in the operands' dtype, so a mask multiplies straight into a gradient.</summary>
public enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
    Maximum,
    Minimum,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

public static class BinaryOpExtensions
{
    public static bool IsComparison(this BinaryOp op) => op >= BinaryOp.Equal;
}
