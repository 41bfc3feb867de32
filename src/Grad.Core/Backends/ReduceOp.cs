namespace Grad.Backends;

/// <summary>Reductions along axes.</summary>
public enum ReduceOp
{
    Sum,
    Mean,
    Max,
}
