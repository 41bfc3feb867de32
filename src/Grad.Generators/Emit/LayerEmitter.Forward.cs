using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Model;

namespace Grad.Generators.Emit;

internal sealed partial class LayerEmitter
{
    /// <summary>Every tensor the method creates is disposed on return unless kept or detached.</summary>
    private string BeginScope => $"using var {_scope} = global::Grad.TensorScope.Begin();";

    /// <summary>A statistic tracked by a [State] tensor, its first argument (PrimitiveKind.StateUpdate).</summary>
    private static bool IsTrack(Binding b) =>
        b.Primitive is { Facts: { Kind: OpKind.StateUpdate, Update: not null } } && b.Value is Call { Args.Count: > 0 } call && call[0] is TensorRef;

    private string ForwardLeaf(Expr e) => e switch
    {
        TensorRef t => Id(t.Name),
        ShapeOf s => Id(s.Tensor) + ".Shape",
        ScalarRef r => Id(r.Name),
        _ => e.ToString(),
    };

    private void EmitTrain()
    {
        var printer = new ExprPrinter(ForwardLeaf, FunctionName);
        _w.Line("/// <summary>Training forward: the output, the tape for the backward, and the layer");
        _w.Line("/// with its [State] updated. Dispose the tape after the backward.</summary>");
        _w.Line(GeneratedCode);
        _w.Open($"public ({TensorType} Output, Tape Tape, {_layer.TypeName} Layer) Train({Parameters(Inputs)})");
        _w.Line(BeginScope);
        EmitConditions(printer);
        ForEachVariant(Id, () => EmitTrainBody(printer));
        _w.Close();
    }

    private void EmitTrainBody(ExprPrinter printer)
    {
        var output = _forward.Output is TensorRef o ? o.Name : "";
        var updates = new List<string>();
        foreach (var b in _forward.Bindings)
        {
            var keyword = b.Name == output ? "var" : "using var";
            switch (b.Value)
            {
                case LayerCall call:
                    var step = Step(call.Member);
                    _w.Line($"var {step} = {Id(call.Member)}.Train({string.Join(", ", call.Inputs.Select(printer.Print))});");
                    _w.Line($"{keyword} {Id(b.Name)} = {step}.Output;");
                    updates.Add($"{Id(call.Member)} = {step}.Layer");
                    break;
                case ScalarExpr scalar:
                    _w.Line($"var {Id(b.Name)} = {printer.Print(scalar)};");
                    break;
                default:
                    EmitFusedFormulas(b.Value, printer);
                    _w.Line($"{keyword} {Id(b.Name)} = {printer.Print(b.Value)};" + SourceComment(b));
                    break;
            }
            if (IsTrack(b))
            {
                var call = (Call)b.Value;
                var state = ((TensorRef)call[0]).Name;
                var update = new Call(b.Primitive!.Facts.Update!, call.Args);
                var next = Fresh("next" + state);
                _w.Line($"var {next} = {_scope}.Detach({printer.Print(update)});");
                updates.Add($"{Id(state)} = {next}");
            }
        }
        var tapeFields = _tape.Tensors.Select(t => $"{Id(_fields.Tensor(t))} = {_scope}.Detach({Id(t)}.Alias())")
            .Concat(_tape.Shapes.Select(s => $"{Id(_fields.Shape(s))} = {Id(s)}.Shape"))
            .Concat(_tape.Scalars.Select(s => $"{Id(_fields.Scalar(s.Name))} = {Id(s.Name)}"))
            .Concat(_tape.SubTapes.Select(c => $"{Id(_fields.SubTape(c.Member))} = {Step(c.Member)}.Tape"));
        _w.Line($"var {_tapeName} = new Tape {{ {string.Join(", ", tapeFields)} }};");
        var layer = updates.Count == 0 ? "this" : $"this with {{ {string.Join(", ", updates)} }}";
        _w.Line($"return ({_scope}.Keep({Owned(_forward.Output, printer, IsBinding(output))}), {_tapeName}, {layer});");
    }

    private void EmitEval()
    {
        _w.Line("/// <summary>Eval forward: [State] statistics are read, nothing is recorded or updated.</summary>");
        _w.Line(GeneratedCode);
        _w.Open($"public {TensorType} Eval({Parameters(Inputs)})");
        _w.Line(BeginScope);
        EmitConditions(new ExprPrinter(ForwardLeaf, FunctionName));
        ForEachVariant(Id, EmitEvalBody);
        _w.Close();
    }

    private void EmitEvalBody()
    {
        // Eval reads tracked statistics from [State], so the batch statistics drop out.
        var substitutions = _forward.Bindings.Where(IsTrack)
            .ToDictionary(b => b.Name, b => ((TensorRef)((Call)b.Value).Args[0].Value).Name);
        var printer = new ExprPrinter(e => e is TensorRef t && substitutions.TryGetValue(t.Name, out var state) ? Id(state) : ForwardLeaf(e), FunctionName);
        var needed = Needed(substitutions);
        var output = _forward.Output is TensorRef o ? o.Name : "";
        foreach (var b in _forward.Bindings.Where(b => needed.Contains(b.Name) && !substitutions.ContainsKey(b.Name)))
        {
            var keyword = b.Name == output ? "var" : "using var";
            var value = b.Value is LayerCall call
                ? $"{Id(call.Member)}.Eval({string.Join(", ", call.Inputs.Select(printer.Print))})"
                : printer.Print(b.Value);
            _w.Line(b.IsTensor ? $"{keyword} {Id(b.Name)} = {value};" + SourceComment(b) : $"var {Id(b.Name)} = {value};");
        }
        bool tracked = substitutions.ContainsKey(output);
        _w.Line($"return {_scope}.Keep({Owned(_forward.Output, printer, IsBinding(output) && !tracked)});");
    }

    /// <summary>Bindings the eval output depends on, following tracked values to their state.</summary>
    private HashSet<string> Needed(Dictionary<string, string> substitutions) =>
        Dependencies.Of(new[] { _forward.Output }, _forward.Bindings.ToDictionary(b => b.Name, b => b.Value), substitutions.ContainsKey);

    /// <summary>A value handed to the caller is the caller's to dispose: a name that this method
    /// does not own (an input, a member, the tape's) is returned as a new reference.</summary>
    private static string Owned(Expr value, ExprPrinter printer, bool ownedHere) =>
        value is TensorRef && !ownedHere ? printer.Print(value) + ".Alias()" : printer.Print(value);

    private bool IsBinding(string name) => _forward.Bindings.Any(b => b.Name == name);

    private readonly Dictionary<string, string> _steps = new();

    /// <summary>The local holding a sub-layer's training step (<c>conv1Step</c>).</summary>
    private string Step(string member) =>
        _steps.TryGetValue(member, out var name) ? name : _steps[member] = Fresh(char.ToLowerInvariant(member[0]) + member.Substring(1) + "Step");

    private static string SourceComment(Binding b) => b.UserNamed || b.Source.Length > 60 ? "" : " // " + b.Source;
}
