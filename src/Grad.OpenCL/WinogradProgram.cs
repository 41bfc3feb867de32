using System.Globalization;
using System.Text;
using Grad.Cpu;

namespace Grad.OpenCL;

/// <summary>
/// The OpenCL C of one Winograd algorithm: the common definitions, its five one-dimensional
/// transforms written from its matrices (<see cref="WinogradMatrices"/>, the definition the CPU's
/// transforms are tested against), then the kernels of Winograd.cl. A transform
/// <c>name(source, s, target, t)</c> sets <c>target[i·t] = Σⱼ M[i][j]·source[j·s]</c>, leaving out
/// the zero entries and writing each other as an exact fraction. One string per algorithm, built
/// once: the program cache compares sources by reference.
/// </summary>
internal static class WinogradProgram
{
    private static readonly Lazy<string> F2 = new(() => Build(WinogradMatrices.F2));
    private static readonly Lazy<string> F4 = new(() => Build(WinogradMatrices.F4));

    /// <summary>The source for F(<paramref name="tile"/>×<paramref name="tile"/>, 3×3), tile 2 or 4.</summary>
    public static string Source(int tile) => tile == 4 ? F4.Value : F2.Value;

    private static string Build(WinogradMatrices m)
    {
        var text = new StringBuilder(KernelSources.Common).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"#define TILE {m.Tile}\n#define ALPHA {m.Size}\n\n");
        Transform(text, "filter_1d", "u = G·g", m.Filter);
        Transform(text, "input_1d", "v = Bᵀ·d", m.InputTransposed);
        Transform(text, "output_1d", "y = Aᵀ·m", m.OutputTransposed);
        Transform(text, "output_gradient_1d", "dm = A·dy, the adjoint of output_1d", WinogradMatrices.Transpose(m.OutputTransposed));
        Transform(text, "filter_gradient_1d", "dg = Gᵀ·du, the adjoint of filter_1d", WinogradMatrices.Transpose(m.Filter));
        return text.Append(KernelSources.Text("Winograd")).ToString();
    }

    private static void Transform(StringBuilder text, string name, string what, IReadOnlyList<double[]> matrix)
    {
        text.Append(CultureInfo.InvariantCulture, $"// {what}\ninline void {name}(const real* source, const int s, real* target, const int t)\n{{\n");
        for (int i = 0; i < matrix.Count; i++)
        {
            var terms = new StringBuilder();
            for (int j = 0; j < matrix[i].Length; j++)
            {
                double c = matrix[i][j];
                if (c == 0) continue;
                terms.Append(terms.Length == 0 ? (c < 0 ? "-" : "") : (c < 0 ? " - " : " + "));
                terms.Append(Math.Abs(c) == 1 ? "" : Fraction(Math.Abs(c)) + " * ").Append(CultureInfo.InvariantCulture, $"source[{j} * s]");
            }
            text.Append(CultureInfo.InvariantCulture, $"    target[{i} * t] = {terms};\n");
        }
        text.Append("}\n\n");
    }

    /// <summary>A positive entry as an exact <c>real</c> constant: <c>(real)5</c>, <c>((real)1 / 24)</c>.</summary>
    private static string Fraction(double value)
    {
        for (int denominator = 1; denominator <= 24; denominator++)
        {
            double numerator = value * denominator;
            if (numerator == Math.Round(numerator))
                return denominator == 1
                    ? string.Create(CultureInfo.InvariantCulture, $"(real){numerator}")
                    : string.Create(CultureInfo.InvariantCulture, $"((real){numerator} / {denominator})");
        }
        throw new ArgumentException($"The Winograd matrix entry {value} is no fraction with a denominator up to 24.", nameof(value));
    }
}
