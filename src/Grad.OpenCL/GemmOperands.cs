namespace Grad.OpenCL;

/// <summary>One batched product for the GEMM kernels: sizes, and each operand's buffer, element
/// offset and batch stride (0 broadcasts it); A is (M, K), or (K, M) transposed; B is (K, N), or
/// (N, K) transposed; C is (M, N) per batch.</summary>
internal readonly record struct GemmOperands(int M, int N, int K, int Batches)
{
    public required Tensor A { get; init; }
    public int AOffset { get; init; }
    public int ABatch { get; init; }
    public bool TransposeA { get; init; }
    public required Tensor B { get; init; }
    public int BOffset { get; init; }
    public int BBatch { get; init; }
    public bool TransposeB { get; init; }
    public required Tensor C { get; init; }
    public int COffset { get; init; }
    public int CBatch { get; init; }

    /// <summary>Sum every batch's product into one C.</summary>
    public bool SumBatches { get; init; }

    /// <summary>Add to C rather than overwrite it.</summary>
    public bool Accumulate { get; init; }
}
