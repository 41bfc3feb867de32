namespace Grad.Cpu;

/// <summary>
/// The three matrices of one of Winograd's F(m×m, 3×3) algorithms, the one definition of its
/// arithmetic: Bᵀ (α × α, input patches), G (α × 3, filters) and Aᵀ (m × α, output tiles), α = m + 2.
/// The OpenCL backend writes its transforms' code from them; the CPU's factored transforms
/// (<see cref="WinogradF2"/>, <see cref="WinogradF4"/>) are tested against them. Every entry is
/// a small fraction (at most 24 in the denominator), so each can be written exactly in code.
/// </summary>
internal sealed class WinogradMatrices(int tile, double[][] inputTransposed, double[][] filter, double[][] outputTransposed)
{
    /// <summary>m, the output tile's side.</summary>
    public int Tile => tile;

    /// <summary>α = m + 2.</summary>
    public int Size => tile + 2;

    /// <summary>Bᵀ: v = Bᵀ·d takes α input cells to α.</summary>
    public IReadOnlyList<double[]> InputTransposed => inputTransposed;

    /// <summary>G: u = G·g takes three filter taps to α.</summary>
    public IReadOnlyList<double[]> Filter => filter;

    /// <summary>Aᵀ: y = Aᵀ·m takes α transform-domain values to the m output cells.</summary>
    public IReadOnlyList<double[]> OutputTransposed => outputTransposed;

    public static WinogradMatrices F2 { get; } = new(2,
        [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]],
        [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]],
        [[1, 1, 1, 0], [0, 1, -1, -1]]);

    /// <summary>The interpolation points 0, ±1, ±2 and ∞.</summary>
    public static WinogradMatrices F4 { get; } = new(4,
        [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]],
        [[1 / 4.0, 0, 0], [-1 / 6.0, -1 / 6.0, -1 / 6.0], [-1 / 6.0, 1 / 6.0, -1 / 6.0], [1 / 24.0, 1 / 12.0, 1 / 6.0], [1 / 24.0, -1 / 12.0, 1 / 6.0], [0, 0, 1]],
        [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]]);

    /// <summary>The transpose of <paramref name="matrix"/>: A from Aᵀ, Gᵀ from G (the adjoints' matrices).</summary>
    public static double[][] Transpose(IReadOnlyList<double[]> matrix) =>
        Enumerable.Range(0, matrix[0].Length).Select(j => matrix.Select(row => row[j]).ToArray()).ToArray();
}
