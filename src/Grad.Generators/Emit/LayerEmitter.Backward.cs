using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Autodiff;
using Grad.Generators.Model;

namespace Grad.Generators.Emit;

internal sealed partial class LayerEmitter
{
    /// <summary>The forward's inputs and bindings: what the backward reads from the tape.</summary>
    private HashSet<string> ForwardNames =>
        _forwardNames ??= new HashSet<string>(_forward.Inputs.Select(i => i.Name).Concat(_forward.Bindings.Select(b => b.Name)));
    private HashSet<string>? _forwardNames;

    private string BackwardLeaf(Expr e)
    {
        var forwardNames = ForwardNames;
        return e switch
        {
            TensorRef t when forwardNames.Contains(t.Name) => _tapeName + "." + Id(_fields.Tensor(t.Name)),
            TensorRef t => Id(t.Name),
            ShapeOf s when _tape.Tensors.Contains(s.Tensor) => $"{_tapeName}.{Id(_fields.Tensor(s.Tensor))}.Shape",
            ShapeOf s when forwardNames.Contains(s.Tensor) => _tapeName + "." + Id(_fields.Shape(s.Tensor)),
            ShapeOf s => Id(s.Tensor) + ".Shape",
            ScalarRef r => _tapeName + "." + Id(_fields.Scalar(r.Name)),
            _ => e.ToString(),
        };
    }

    private IEnumerable<InputSpec> GradientInputs => Inputs.Where(i => i.TakesGradient);

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
            var gradient = Fresh("gradient");
            _w.Open($"public {_layer.TypeName} BackwardParameters(Tape {_tapeName}, {TensorType} {_seed})");
            var call = $"Backward({_tapeName}, {_seed})";
            if (!GradientInputs.Any()) _w.Line($"return {call};");
            else
            {
                _w.Line($"var ({string.Join(", ", GradientInputs.Select(i => GradientName(i.Name)).Concat(new[] { gradient }))}) = {call};");
                foreach (var input in GradientInputs) _w.Line($"{GradientName(input.Name)}.Dispose();");
                _w.Line($"return {gradient};");
            }
            _w.Close();
            return;
        }
        EmitBackwardMethod("BackwardParameters", withInputs: false);
    }

    private void EmitBackwardMethod(string method, bool withInputs)
    {
        var printer = new ExprPrinter(BackwardLeaf, FunctionName);
        // With no input taking a gradient the result is the layer alone (C# has no 1-tuples).
        var returned = withInputs && GradientInputs.Any()
            ? $"({string.Join(", ", GradientInputs.Select(i => $"{TensorType} {GradientName(i.Name)}").Concat(new[] { _layer.TypeName + " Gradient" }))})"
            : _layer.TypeName;
        _w.Line(GeneratedCode);
        _w.Open($"public {returned} {method}(Tape {_tapeName}, {TensorType} {_seed})");
        _w.Line(BeginScope);
        ForEachVariant(c => _tapeName + "." + Id(_fields.Scalar(c)), () => EmitBackwardBody(printer, withInputs));
        _w.Close();
    }

    private void EmitBackwardBody(ExprPrinter printer, bool withInputs)
    {
        var live = withInputs ? null : LiveWithoutInputs();
        foreach (var statement in _backward.Statements)
        {
            switch (statement)
            {
                case Assign a when live is null || live.Contains(a.Name):
                    _w.Line($"// from {Trim(a.Comment)}");
                    EmitFusedFormulas(a.Value, printer);
                    _w.Line($"using var {Id(a.Name)} = {printer.Print(a.Value)};");
                    break;
                case SubLayerBackward s:
                    _w.Line($"// through {Trim(s.Comment)}");
                    var targets = s.InputGradients.Where(n => n is not null).Concat(new[] { s.LayerGradient }).Select(n => n == "_" ? n : Id(n!));
                    _w.Line($"var ({string.Join(", ", targets)}) = {Id(s.Member)}.Backward({_tapeName}.{Id(_fields.SubTape(s.Member))}, {printer.Print(s.Gradient)});");
                    break;
            }
        }
        if (withInputs)
        {
            foreach (var (input, gradient) in _backward.InputGradients)
            {
                EmitFusedFormulas(gradient, printer);
                _w.Line($"var {GradientName(input)} = {_scope}.Keep({Owned(gradient, printer, IsSubLayerGradient(gradient))});");
            }
        }
        var updates = new List<string>();
        foreach (var (member, gradient) in _backward.MemberGradients)
        {
            EmitFusedFormulas(gradient, printer);
            _w.Line($"var {GradientName(member)} = {_scope}.Keep({Owned(gradient, printer, IsSubLayerGradient(gradient))});");
            updates.Add($"{Id(member)} = {GradientName(member)}");
        }
        foreach (var sub in _backward.Statements.OfType<SubLayerBackward>()) updates.Add($"{Id(sub.Member)} = {KeepParameters(sub)}");
        var gradientLayer = updates.Count == 0 ? "this" : $"this with {{ {string.Join(", ", updates)} }}";
        _w.Line(withInputs && GradientInputs.Any()
            ? $"return ({string.Join(", ", GradientInputs.Select(i => GradientName(i.Name)).Concat(new[] { gradientLayer }))});"
            : $"return {gradientLayer};");
    }

    /// <summary>Keeps a sub-layer's gradient record. A sub-layer whose forward takes one tensor is
    /// an ILayer, which TensorScope.KeepParameters takes; any other keeps its tensors one by one.</summary>
    private string KeepParameters(SubLayerBackward sub) =>
        sub.InputGradients is [not null]
            ? $"{_scope}.KeepParameters({Id(sub.LayerGradient)})"
            : $"{Id(sub.LayerGradient)}.MapParameters((_, {_parameter}) => {_scope}.Keep({_parameter}))";

    /// <summary>The statements the parameter gradients need (sub-layers' backwards always run).</summary>
    private HashSet<string> LiveWithoutInputs() =>
        Dependencies.Of(_backward.MemberGradients.Select(m => m.Gradient).Concat(_backward.Statements.OfType<SubLayerBackward>().Select(s => s.Gradient)),
            _backward.Statements.OfType<Assign>().ToDictionary(a => a.Name, a => a.Value));

    /// <summary>Input gradients a sub-layer's backward returned belong to this method already.</summary>
    private bool IsSubLayerGradient(Expr gradient) =>
        gradient is TensorRef t && _backward.Statements.OfType<SubLayerBackward>().Any(s => s.InputGradients.Contains(t.Name));

    private static string Trim(string source)
    {
        var line = string.Join(" ", source.Split(new[] { '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return line.Length > 90 ? line.Substring(0, 87) + "..." : line;
    }
}
