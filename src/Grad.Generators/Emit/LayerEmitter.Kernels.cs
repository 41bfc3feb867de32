using System.Linq;
using Grad.Generators.Fusion;

namespace Grad.Generators.Emit;

internal sealed partial class LayerEmitter
{
    private void EmitKernels()
    {
        foreach (var kernel in _kernels)
        {
            _w.Line();
            EmitKernel(kernel);
        }
    }

    /// <summary>Names as the reader knows them, whether the kernel runs in the forward or the backward.</summary>
    private string ForwardOrBackwardLeaf(Model.Expr e) => e is Model.TensorRef t ? t.Name : ForwardLeaf(e);

    /// <summary>A comment line per fused call in an expression: what it computes, in the layer's names.</summary>
    private void EmitFusedFormulas(Model.Expr e, ExprPrinter printer)
    {
        if (e is Model.FusedCall f)
            _w.Line($"// {f.Kernel}: {printer.Print(_kernels.First(k => k.Name == f.Kernel).Original)}");
        var children = e switch
        {
            Model.Call c => c.Args.Select(a => a.Value),
            Model.FusedCall fc => fc.Inputs.AsEnumerable(),
            _ => Enumerable.Empty<Model.Expr>(),
        };
        foreach (var child in children) EmitFusedFormulas(child, printer);
    }

    private void EmitKernel(FusedKernel kernel)
    {
        var inputs = Enumerable.Range(0, kernel.InputCount).ToList();
        var scalars = Enumerable.Range(0, kernel.ScalarCount).ToList();
        var formula = new ExprPrinter(ForwardOrBackwardLeaf, FunctionName).Print(kernel.Original);
        _w.Line($"/// <summary>Computes <c>{System.Security.SecurityElement.Escape(formula)}</c> in one pass.</summary>");
        _w.Open($"private sealed class {kernel.Name} : global::Grad.Fusion.ElementwiseKernel");
        _w.Line($"public static readonly {kernel.Name} Instance = new();");
        _w.Line($"public override string Name => \"{_layer.Name}.{kernel.Name}\";");
        _w.Line($"public override int InputCount => {kernel.InputCount};");
        _w.Line($"public override int ScalarCount => {kernel.ScalarCount};");
        _w.Line($"public override string OpenCLExpression => \"{ElementPrinter.OpenCL(kernel.Body)}\";");
        _w.Line();
        _w.Open("public override void Row<T>(in global::Grad.Fusion.ElementwiseRow<T> row)");
        foreach (var s in scalars) _w.Line($"var s{s} = row.Scalar({s});");
        _w.Line("int i = 0;");
        if (ElementPrinter.CSharpVector(kernel.Body) is { } vector)
        {
            _w.Open("if (row.IsVectorizable)");
            foreach (var s in scalars) _w.Line($"var vs{s} = global::System.Runtime.Intrinsics.Vector256.Create(s{s});");
            _w.Open("for (; i <= row.Length - global::System.Runtime.Intrinsics.Vector256<T>.Count; i += global::System.Runtime.Intrinsics.Vector256<T>.Count)");
            foreach (var k in inputs) _w.Line($"var x{k} = row.Load({k}, i);");
            _w.Line($"row.Store(i, {vector});");
            _w.Close();
            _w.Close();
        }
        _w.Open("for (; i < row.Length; i++)");
        foreach (var k in inputs) _w.Line($"var x{k} = row.At({k}, i);");
        _w.Line($"row.Output[i] = {ElementPrinter.CSharpScalar(kernel.Body)};");
        _w.Close();
        _w.Close();
        _w.Close();
    }
}
