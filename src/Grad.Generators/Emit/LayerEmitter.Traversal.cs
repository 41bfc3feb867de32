using System.Linq;
using Grad.Generators.Model;

namespace Grad.Generators.Emit;

internal sealed partial class LayerEmitter
{
    private static string Segment(MemberSpec m) => m.Kind == MemberKind.Layer ? TapeLayout.SubTapeField(m.Name) + "." : m.Name;

    /// <summary>A member read inside the traversal methods, whose parameters it must not mean.</summary>
    private static string Member(MemberSpec m) =>
        m.Name is "map" or "zip" or "prefix" or "other" or "item" ? "this." + m.Name : Id(m.Name);

    private void EmitTraversal()
    {
        EmitEnumeration("Parameters", MemberKind.Param, "Trainable tensors with their dotted names, in declaration order.");
        _w.Line();
        EmitEnumeration("States", MemberKind.State, "[State] tensors with their dotted names, in declaration order.");
        _w.Line();
        EmitMap("MapParameters", MemberKind.Param);
        _w.Line();
        EmitMap("MapStates", MemberKind.State);
        _w.Line();
        var zipped = _layer.Members.Where(m => m.Kind is MemberKind.Param or MemberKind.Layer)
            .Select(m => m.Kind == MemberKind.Layer
                ? $"{Id(m.Name)} = {Member(m)}.ZipParameters(other.{Id(m.Name)}, zip, prefix + \"{Segment(m)}\")"
                : $"{Id(m.Name)} = zip(prefix + \"{Segment(m)}\", {Member(m)}, other.{Id(m.Name)})")
            .ToList();
        _w.Line("/// <summary>A copy whose every [Param] is <c>zip(dotted name, this layer's tensor, other's tensor)</c>, sub-layers included: an optimiser's update of parameters by gradients.</summary>");
        _w.Line(GeneratedCode);
        _w.Line($"public {_layer.TypeName} ZipParameters({_layer.TypeName} other, global::System.Func<string, {TensorType}, {TensorType}, {TensorType}> zip, string prefix = \"\") =>");
        _w.Line("    " + With(zipped) + ";");
    }

    private void EmitEnumeration(string name, MemberKind kind, string summary)
    {
        _w.Line($"/// <summary>{summary}</summary>");
        _w.Line(GeneratedCode);
        _w.Open($"public global::System.Collections.Generic.IEnumerable<global::Grad.NamedTensor> {name}(string prefix = \"\")");
        bool any = false;
        foreach (var m in _layer.Members)
        {
            if (m.Kind == kind)
                _w.Line($"yield return new global::Grad.NamedTensor(prefix + \"{Segment(m)}\", {Member(m)});");
            else if (m.Kind == MemberKind.Layer)
                _w.Line($"foreach (var item in {Member(m)}.{name}(prefix + \"{Segment(m)}\")) yield return item;");
            else continue;
            any = true;
        }
        if (!any) _w.Line("yield break;");
        _w.Close();
    }

    private void EmitMap(string name, MemberKind kind)
    {
        var updates = _layer.Members.Where(m => m.Kind == kind || m.Kind == MemberKind.Layer)
            .Select(m => m.Kind == MemberKind.Layer
                ? $"{Id(m.Name)} = {Member(m)}.{name}(map, prefix + \"{Segment(m)}\")"
                : $"{Id(m.Name)} = map(prefix + \"{Segment(m)}\", {Member(m)})")
            .ToList();
        string which = kind == MemberKind.Param ? "[Param]" : "[State]";
        _w.Line($"/// <summary>A copy whose every {which} tensor is <c>map(dotted name, tensor)</c>, sub-layers included.</summary>");
        _w.Line(GeneratedCode);
        _w.Line($"public {_layer.TypeName} {name}(global::System.Func<string, {TensorType}, {TensorType}> map, string prefix = \"\") =>");
        _w.Line("    " + With(updates) + ";");
    }

    private static string With(System.Collections.Generic.List<string> updates) =>
        updates.Count == 0 ? "this" : $"this with {{ {string.Join(", ", updates)} }}";

    private void EmitUntyped()
    {
        _w.Line($"(global::Grad.Tensor Output, global::Grad.ITape Tape, global::Grad.ILayer Layer) global::Grad.ILayer.TrainUntyped({TensorType} x) => Train(x);");
        _w.Line();
        _w.Open($"(global::Grad.Tensor InputGradient, global::Grad.ILayer Gradient) global::Grad.ILayer.BackwardUntyped(global::Grad.ITape tape, {TensorType} outputGradient)");
        _w.Line("var (inputGradient, gradient) = Backward((Tape)tape, outputGradient);");
        _w.Line("return (inputGradient, gradient);");
        _w.Close();
        _w.Line();
        _w.Line($"global::Grad.ILayer global::Grad.ILayer.BackwardParametersUntyped(global::Grad.ITape tape, {TensorType} outputGradient) => BackwardParameters((Tape)tape, outputGradient);");
        _w.Line();
        const string map = "global::System.Func<string, global::Grad.Tensor, global::Grad.Tensor>";
        const string zip = "global::System.Func<string, global::Grad.Tensor, global::Grad.Tensor, global::Grad.Tensor>";
        _w.Line($"global::Grad.ILayer global::Grad.ILayer.MapParametersUntyped({map} map, string prefix) => MapParameters(map, prefix);");
        _w.Line();
        _w.Line($"global::Grad.ILayer global::Grad.ILayer.ZipParametersUntyped(global::Grad.ILayer other, {zip} zip, string prefix) => ZipParameters(({_layer.TypeName})other, zip, prefix);");
        _w.Line();
        _w.Line($"global::Grad.ILayer global::Grad.ILayer.MapStatesUntyped({map} map, string prefix) => MapStates(map, prefix);");
    }
}
