using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Fusion;

namespace Grad.Generators.Emit;

/// <summary>
/// Writes the members of an <c>ElementwiseKernel</c> from its element program: the row loop in
/// C# (a <c>TensorPrimitives</c> call where the whole kernel is one operation over dense rows,
/// else <c>Vector256</c> where every operation has a vector form, then element by element) and
/// the same program in OpenCL C. Layers' fused kernels, element-wise primitives and declared
/// kernels are all written here, so every target of every kernel comes from one formula.
/// </summary>
internal sealed class KernelWriter(CodeWriter w)
{
    private const string Vector256 = "global::System.Runtime.Intrinsics.Vector256";

    /// <param name="className">The kernel class (for its <c>Instance</c>).</param>
    /// <param name="name">The name in messages and profiles.</param>
    public void WriteMembers(string className, string name, int inputs, int scalars, ElementProgram program)
    {
        var operations = ElementPrinter.Operations(program);
        w.Line($"public static readonly {className} Instance = new();");
        w.Line($"public override string Name => \"{name}\";");
        w.Line($"public override int InputCount => {inputs};");
        w.Line($"public override int ScalarCount => {scalars};");
        if (program.Outputs.Count != 1) w.Line($"public override int OutputCount => {program.Outputs.Count};");
        w.Line($"public override string OpenCLBody => \"{Escape(OpenCLBody(program))}\";");
        var helpers = operations.Where(o => o.OpenCLHelper is not null).Select(o => o.OpenCLHelper!).ToList();
        if (helpers.Count > 0) w.Line($"public override string OpenCLHelpers => \"{Escape(string.Join("\n", helpers))}\";");
        w.Line();
        WriteRow(program, scalars);
        foreach (var helper in operations.Where(o => o.CSharpHelper is not null))
        {
            w.Line();
            foreach (var line in helper.CSharpHelper!.Split('\n')) w.Line(line.TrimEnd('\r'));
        }
    }

    /// <summary>The row loop: a kernel call gets a run of rows; each is computed on its own unless
    /// a whole-row form takes them all.</summary>
    private void WriteRow(ElementProgram program, int scalars)
    {
        var inputs = ElementPrinter.InputsRead(program);
        bool single = program.Outputs.Count == 1;
        w.Line("public override void Row(in global::Grad.Fusion.ElementwiseRow<float> rows) => Compute(in rows);");
        w.Line("public override void Row(in global::Grad.Fusion.ElementwiseRow<double> rows) => Compute(in rows);");
        w.Line();
        w.Open("private static void Compute<T>(in global::Grad.Fusion.ElementwiseRow<T> rows) where T : unmanaged, global::System.Numerics.IFloatingPointIeee754<T>");
        for (int s = 0; s < scalars; s++) w.Line($"var s{s} = rows.Scalar({s});");
        WriteDense(program);
        w.Open("for (int r = 0; r < rows.Rows; r++)");
        w.Line("var row = rows.Row(r);");
        if (!single)
        {
            for (int k = 0; k < program.Outputs.Count; k++) w.Line($"var y{k} = row.OutputAt({k});");
        }
        w.Line("int i = 0;");
        var vector = new ElementPrinter(program, ElementTarget.Vector);
        if (vector.CanPrint)
        {
            w.Open("if (row.IsVectorizable)");
            for (int s = 0; s < scalars; s++) w.Line($"var vs{s} = {Vector256}.Create(s{s});");
            w.Open($"for (; i <= row.Length - {Vector256}<T>.Count; i += {Vector256}<T>.Count)");
            WriteBody(program, vector, inputs, k => "row.Load(" + k + ", i)",
                (k, value) => single ? $"row.Store(i, {value});" : $"row.Store({k}, i, {value});");
            w.Close();
            w.Close();
        }
        w.Open("for (; i < row.Length; i++)");
        WriteBody(program, new ElementPrinter(program, ElementTarget.Scalar), inputs, k => "row.At(" + k + ", i)",
            (k, value) => single ? $"row.Output[i] = {value};" : $"y{k}[i] = {value};");
        w.Close();
        w.Close();
        w.Close();
    }

    private void WriteBody(ElementProgram program, ElementPrinter printer, IReadOnlyList<int> inputs,
        System.Func<int, string> load, System.Func<int, string, string> store)
    {
        foreach (var k in inputs) w.Line($"var x{k} = {load(k)};");
        for (int l = 0; l < program.Locals.Count; l++)
            w.Line($"var {ElementPrinter.LocalName(program, l)} = {printer.Print(program.Locals[l].Value)};");
        for (int k = 0; k < program.Outputs.Count; k++) w.Line(store(k, printer.Print(program.Outputs[k])!));
    }

    /// <summary>A kernel that is a single operation with a <c>TensorPrimitives</c> form runs a whole
    /// row in one call when its inputs' strides fit one of the form's operand patterns.</summary>
    private void WriteDense(ElementProgram program)
    {
        if (program.Locals.Count > 0 || program.Outputs.Count != 1 || program.Outputs[0] is not ElementApply apply) return;
        if (ElementLanguage.Get(apply.Operation).Dense is not { } forms) return;
        if (apply.Args.Any(a => a is not (ElementInput or ElementScalar or ElementConstant))) return;
        var scalar = new ElementPrinter(program, ElementTarget.Scalar);
        foreach (var form in forms)
        {
            var conditions = new List<string>();
            var args = new List<string>();
            bool fits = true;
            for (int j = 0; j < apply.Args.Count && fits; j++)
            {
                var arg = apply.Args[j];
                if (form.Key[j] == 'v')
                {
                    fits = arg is ElementInput;
                    if (!fits) break;
                    var k = ((ElementInput)arg).Index;
                    conditions.Add($"rows.IsDense({k})");
                    args.Add($"rows.Dense({k}, r)");
                }
                else if (arg is ElementInput input)
                {
                    conditions.Add($"rows.IsBroadcast({input.Index})");
                    args.Add($"rows.First({input.Index}, r)");
                }
                else
                {
                    args.Add(scalar.Print(arg)!);
                }
            }
            if (!fits || conditions.Count == 0) continue;
            var call = ElementPrinter.Fill(form.Value, args).Replace("{y}", "rows.OutputRow(r)");
            w.Open($"if ({string.Join(" && ", conditions.Distinct())})");
            w.Line($"for (int r = 0; r < rows.Rows; r++) {call};");
            w.Line("return;");
            w.Close();
        }
    }

    /// <summary>The OpenCL C statements of a program: its locals, then <c>y0 = …;</c> per output.</summary>
    public static string OpenCLBody(ElementProgram program)
    {
        var printer = new ElementPrinter(program, ElementTarget.OpenCL);
        var lines = new List<string>();
        for (int l = 0; l < program.Locals.Count; l++)
            lines.Add($"real {ElementPrinter.LocalName(program, l)} = {printer.Print(program.Locals[l].Value)};");
        for (int k = 0; k < program.Outputs.Count; k++) lines.Add($"y{k} = {printer.Print(program.Outputs[k])};");
        return string.Join("\n", lines);
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
