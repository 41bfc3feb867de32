using System.Text;
using Grad.Fusion;

namespace Grad.OpenCL;

/// <summary>
/// The OpenCL C program of one element-wise kernel, wrapped around the formula's OpenCL C that the
/// generator wrote (<see cref="ElementwiseKernel.OpenCLBody"/>). Each work-item computes one element
/// of the broadcast output: <c>dense</c> reads every input at <c>offset + i·stride</c> (a stride of 1,
/// or 0 for a broadcast scalar), <c>strided</c> walks any collapsed layout.
/// </summary>
internal static class ElementwiseProgram
{
    public static string Source(ElementwiseKernel kernel)
    {
        var text = new StringBuilder(KernelSources.Common).AppendLine();
        foreach (var helper in kernel.OpenCLHelpers.Split('\n').Where(h => h.Length > 0)) text.AppendLine(helper);
        Kernel(text, kernel, strided: false);
        Kernel(text, kernel, strided: true);
        return text.ToString();
    }

    private static void Kernel(StringBuilder text, ElementwiseKernel kernel, bool strided)
    {
        int inputs = kernel.InputCount, outputs = kernel.OutputCount;
        var parameters = Enumerable.Range(0, inputs).Select(k => $"__global const real* in{k}, const int off{k}, " + (strided ? $"const int16 st{k}" : $"const int st{k}"))
            .Concat(Enumerable.Range(0, outputs).Select(k => $"__global real* out{k}, const int out_off{k}"))
            .Concat(Enumerable.Range(0, kernel.ScalarCount).Select(k => $"const real s{k}"))
            .Append("const int n")
            .Concat(strided ? ["const int rank", "const int16 dims"] : []);
        text.AppendLine($"__kernel void {(strided ? "strided" : "dense")}({string.Join(", ", parameters)})");
        text.AppendLine("{");
        text.AppendLine("    const int i = get_global_id(0);");
        text.AppendLine("    if (i >= n) return;");
        if (strided)
        {
            text.AppendLine("    int d[16], s[16], at[16];");
            text.AppendLine("    vstore16(dims, 0, d);");
            text.AppendLine("    coordinates_of(i, rank, d, at);");
        }
        for (int k = 0; k < inputs; k++)
        {
            if (strided)
            {
                text.AppendLine($"    vstore16(st{k}, 0, s);");
                text.AppendLine($"    const real x{k} = in{k}[off{k} + offset_at(rank, at, s)];");
            }
            else text.AppendLine($"    const real x{k} = in{k}[off{k} + i * st{k}];");
        }
        for (int k = 0; k < outputs; k++) text.AppendLine($"    real y{k};");
        foreach (var line in kernel.OpenCLBody.Split('\n')) text.AppendLine("    " + line);
        for (int k = 0; k < outputs; k++) text.AppendLine($"    out{k}[out_off{k} + i] = y{k};");
        text.AppendLine("}");
    }
}
