namespace Grad.Cpu;

/// <summary>
/// Walks the rows of a collapsed layout like an odometer: the outer index and every operand's
/// row offset are found once, by division, at the first row, then advanced row by row with
/// additions. Short rows (a per-channel value broadcast over 2×2 maps gives rows of 4) made the
/// per-row divisions cost more than the row itself.
/// </summary>
internal static class RowOdometer
{
    /// <summary>Sets <paramref name="index"/> (the outer axes) and <paramref name="offsets"/> to
    /// those of <paramref name="row"/>. Operand k's strides start at k·<paramref name="operandPitch"/>.</summary>
    public static void Start(ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, int operandPitch, int row,
        Span<int> index, Span<int> offsets)
    {
        offsets.Clear();
        index[..Math.Max(dims.Length - 1, 0)].Clear();
        // Row 0 needs no division (and an empty tensor has a zero-length axis to divide by).
        if (row == 0) return;
        for (int i = dims.Length - 2; i >= 0; i--)
        {
            index[i] = row % dims[i];
            row /= dims[i];
            for (int k = 0; k < offsets.Length; k++) offsets[k] += index[i] * strides[k * operandPitch + i];
        }
    }

    /// <summary>Moves <paramref name="index"/> and <paramref name="offsets"/> to the next row.</summary>
    public static void Advance(ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, int operandPitch,
        Span<int> index, Span<int> offsets)
    {
        for (int i = dims.Length - 2; i >= 0; i--)
        {
            bool carry = ++index[i] == dims[i];
            for (int k = 0; k < offsets.Length; k++)
                offsets[k] += (carry ? 1 - dims[i] : 1) * strides[k * operandPitch + i];
            if (!carry) return;
            index[i] = 0;
        }
    }

    /// <summary>Moves <paramref name="rows"/> rows on, the first <paramref name="rows"/> − 1 of them
    /// along the innermost outer axis (a run of rows, see <see cref="RunLength"/>).</summary>
    public static void AdvanceBy(ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, int operandPitch,
        Span<int> index, Span<int> offsets, int rows)
    {
        if (rows > 1)
        {
            int axis = dims.Length - 2;
            index[axis] += rows - 1;
            for (int k = 0; k < offsets.Length; k++) offsets[k] += (rows - 1) * strides[k * operandPitch + axis];
        }
        Advance(dims, strides, operandPitch, index, offsets);
    }

    /// <summary>How many rows from the current one on lie along the innermost outer axis: rows
    /// whose operands all step by a fixed stride from one to the next.</summary>
    public static int RunLength(ReadOnlySpan<int> dims, ReadOnlySpan<int> index) =>
        dims.Length < 2 ? 1 : dims[^2] - index[dims.Length - 2];

    /// <summary>Operand k's step from one row of a run to the next.</summary>
    public static int RowStride(ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, int operandPitch, int operand) =>
        dims.Length < 2 ? 0 : strides[operand * operandPitch + dims.Length - 2];
}
