using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Autodiff;
using Grad.Generators.Model;

namespace Grad.Generators.Emit;

internal sealed partial class LayerEmitter
{
    private string BackwardLeaf(Expr e)
    {
        var forwardNames = new HashSet<string>(_forward.Inputs.Select(i => i.Name).Concat(_forward.Bindings.Select(b => b.Name)));
        return e switch
        {
            TensorRef t when forwardNames.Contains(t.Name) => "tape." + t.Name,
            TensorRef t => t.Name,
            ShapeOf s when _tape.Tensors.Contains(s.Tensor) => $"tape.{s.Tensor}.Shape",
            ShapeOf s when forwardNames.Contains(s.Tensor) => "tape." + TapeLayout.ShapeField(s.Tensor),
            ShapeOf s => s.Tensor + ".Shape",
            ScalarRef r => "tape." + r.Name,
            _ => e.ToString(),
        };
    }

    private IEnumerable<InputSpec> GradientInputs => Inputs.Where(i => !i.NoGrad);

    private void EmitBackward()
    {
        _w.Line("/// <summary>The vector-Jacobian product: given ∂L/∂output, the gradient of every input and,");
        _w.Line("/// as a " + _layer.Name + ", of every [Param] (derived by Grad.Generators from the forward)." + (_layer.HasManualBackward
            ? " The layer's hand-written [Backward] is the one training uses; this derivation stays beside it for comparison.</summary>"
            : "</summary>"));
        EmitBackwardMethod(_layer.HasManualBackward ? "DerivedBackward" : "Backward", withInputs: true);
        _w.Line();
        _w.Line("/// <summary>Only the [Param] gradients: what is needed just for the input's gradient is not computed");
        _w.Line("/// (the first layer of a network has no use for it).</summary>");
        if (_layer.HasManualBackward)
        {
            _w.Line(GeneratedCode);
            _w.Open($"public {_layer.Name} BackwardParameters(Tape tape, {TensorType} {ReverseMode.Seed})");
            _w.Line($"var ({string.Join(", ", GradientInputs.Select(i => "d" + i.Name).Concat(new[] { "gradient" }))}) = Backward(tape, {ReverseMode.Seed});");
            foreach (var input in GradientInputs) _w.Line($"d{input.Name}.Dispose();");
            _w.Line("return gradient;");
            _w.Close();
            return;
        }
        EmitBackwardMethod("BackwardParameters", withInputs: false);
    }

    private void EmitBackwardMethod(string method, bool withInputs)
    {
        var printer = new ExprPrinter(BackwardLeaf, FunctionName);
        var live = withInputs ? null : LiveWithoutInputs();
        var returned = withInputs
            ? $"({string.Join(", ", GradientInputs.Select(i => $"{TensorType} d{i.Name}").Concat(new[] { _layer.Name + " Gradient" }))})"
            : _layer.Name;
        _w.Line(GeneratedCode);
        _w.Open($"public {returned} {method}(Tape tape, {TensorType} {ReverseMode.Seed})");
        _w.Line(BeginScope);
        foreach (var statement in _backward.Statements)
        {
            switch (statement)
            {
                case Assign a when live is null || live.Contains(a.Name):
                    _w.Line($"// from {Trim(a.Comment)}");
                    EmitFusedFormulas(a.Value, printer);
                    _w.Line($"using var {a.Name} = {printer.Print(a.Value)};");
                    break;
                case SubLayerBackward s:
                    _w.Line($"// through {Trim(s.Comment)}");
                    var targets = s.InputGradients.Where(n => n is not null).Concat(new[] { s.LayerGradient });
                    _w.Line($"var ({string.Join(", ", targets)}) = {s.Member}.Backward(tape.{TapeLayout.SubTapeField(s.Member)}, {printer.Print(s.Gradient)});");
                    break;
            }
        }
        if (withInputs)
        {
            foreach (var (input, gradient) in _backward.InputGradients)
            {
                EmitFusedFormulas(gradient, printer);
                _w.Line($"var d{input} = scope.Keep({Owned(gradient, printer, IsSubLayerGradient(gradient))});");
            }
        }
        var updates = new List<string>();
        foreach (var (member, gradient) in _backward.MemberGradients)
        {
            EmitFusedFormulas(gradient, printer);
            _w.Line($"var d{member} = scope.Keep({Owned(gradient, printer, IsSubLayerGradient(gradient))});");
            updates.Add($"{member} = d{member}");
        }
        foreach (var sub in _backward.Statements.OfType<SubLayerBackward>()) updates.Add($"{sub.Member} = scope.KeepParameters({sub.LayerGradient})");
        var gradientLayer = updates.Count == 0 ? "this" : $"this with {{ {string.Join(", ", updates)} }}";
        _w.Line(withInputs
            ? $"return ({string.Join(", ", GradientInputs.Select(i => "d" + i.Name).Concat(new[] { gradientLayer }))});"
            : $"return {gradientLayer};");
        _w.Close();
    }

    /// <summary>The statements the parameter gradients need (sub-layers' backwards always run).</summary>
    private HashSet<string> LiveWithoutInputs()
    {
        var assigned = _backward.Statements.OfType<Assign>().ToDictionary(a => a.Name);
        var live = new HashSet<string>();
        var pending = new Stack<Expr>(_backward.MemberGradients.Select(m => m.Gradient)
            .Concat(_backward.Statements.OfType<SubLayerBackward>().Select(s => s.Gradient)));
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case TensorRef t when assigned.TryGetValue(t.Name, out var a) && live.Add(t.Name):
                    pending.Push(a.Value);
                    break;
                case Call c:
                    foreach (var arg in c.Args) pending.Push(arg.Value);
                    break;
                case FusedCall f:
                    foreach (var input in f.Inputs) pending.Push(input);
                    break;
            }
        }
        return live;
    }

    /// <summary>Input gradients a sub-layer's backward returned belong to this method already.</summary>
    private bool IsSubLayerGradient(Expr gradient) =>
        gradient is TensorRef t && _backward.Statements.OfType<SubLayerBackward>().Any(s => s.InputGradients.Contains(t.Name));

    private static string Trim(string source)
    {
        var line = string.Join(" ", source.Split(new[] { '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return line.Length > 90 ? line.Substring(0, 87) + "..." : line;
    }
}
