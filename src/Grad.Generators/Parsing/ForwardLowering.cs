using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Grad.Generators.Parsing;

/// <summary>
/// Lowers a [Forward] body to A-normal form: every primitive or sub-layer call becomes a binding
/// of named values, user locals keep their names, nested calls get temporaries (t1, t2, …).
/// Whatever cannot be differentiated is reported at its syntax, with a fix.
/// </summary>
internal sealed partial class ForwardLowering
{
    private readonly SemanticModel _model;
    private readonly KnownTypes _types;
    private readonly IMethodSymbol _forward;
    private readonly IReadOnlyDictionary<string, MemberSpec> _members;
    private readonly List<Binding> _bindings = new();
    private readonly Dictionary<ISymbol, Expr> _locals = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> _names = new();
    private readonly HashSet<string> _calledLayers = new();
    private int _temporaries;

    public ForwardLowering(SemanticModel model, KnownTypes types, IMethodSymbol forward, IReadOnlyDictionary<string, MemberSpec> members)
    {
        _model = model;
        _types = types;
        _forward = forward;
        _members = members;
        foreach (var p in forward.Parameters) _names.Add(p.Name);
        _names.UnionWith(new[] { "scope", "tape" }); // locals of the generated methods
        foreach (var m in members.Keys) _names.Add(m);
        // A temporary must not shadow anything a scalar expression of the forward may name.
        for (var t = forward.ContainingType; t is not null; t = t.BaseType)
            foreach (var m in t.GetMembers()) _names.Add(m.Name);
    }

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    /// <summary>Classes whose primitives this forward calls (besides Grad.Ops).</summary>
    public HashSet<INamedTypeSymbol> PrimitiveClasses { get; } = new(SymbolEqualityComparer.Default);

    public ForwardSpec? Lower(MethodDeclarationSyntax method)
    {
        var inputs = _forward.Parameters.Select(p => _types.IsTensor(p.Type)
            ? new InputSpec(p.Name, _types.Has(p, _types.NoGrad))
            : new InputSpec(p.Name, true, TypeName(p.Type), FunctionTable.DefaultText(p))).ToEquatableArray();
        Expr? output = null;
        if (method.ExpressionBody is { } arrow)
        {
            output = LowerTensor(arrow.Expression, bindAs: null);
        }
        else if (method.Body is { } block)
        {
            var statements = block.Statements;
            for (int i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                if (statement is LocalDeclarationStatementSyntax local && !local.UsingKeyword.IsKind(SyntaxKind.UsingKeyword))
                {
                    foreach (var variable in local.Declaration.Variables) DeclareLocal(variable);
                }
                else if (statement is ReturnStatementSyntax { Expression: { } returned } && i == statements.Count - 1)
                {
                    output = LowerTensor(returned, bindAs: null);
                }
                else
                {
                    ReportStatement(statement);
                }
            }
            if (output is null && Diagnostics.Count == 0)
                Report(Generators.Diagnostics.UnsupportedStatement, method.Identifier.GetLocation(), "a body without a final 'return'");
        }
        return output is null || Diagnostics.Count > 0
            ? null
            : new ForwardSpec(_forward.Name, inputs, _bindings.ToEquatableArray(), output);
    }

    /// <summary>The non-tensor types a forward parameter may have: it is C# text in the
    /// generated code and a field of the tape, never differentiated.</summary>
    public static bool IsScalar(ITypeSymbol type) => type.SpecialType is SpecialType.System_Boolean
        or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
        or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
        or SpecialType.System_Single or SpecialType.System_Double;

    private static string TypeName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private void DeclareLocal(VariableDeclaratorSyntax variable)
    {
        if (variable.Initializer is null || _model.GetDeclaredSymbol(variable) is not ILocalSymbol symbol)
        {
            Report(Generators.Diagnostics.UnsupportedStatement, variable.GetLocation(), "a local without an initializer");
            return;
        }
        var name = Unique(symbol.Name);
        var value = variable.Initializer.Value;
        if (_types.IsTensor(symbol.Type))
        {
            _locals[symbol] = LowerTensor(value, bindAs: name);
            return;
        }
        var scalar = LowerScalar(value);
        _bindings.Add(new Binding(name, scalar, TypeName(symbol.Type), null, value.ToString(), true, LocationInfo.From(variable.GetLocation())));
        _locals[symbol] = new ScalarRef(name);
    }

    private void ReportStatement(StatementSyntax statement)
    {
        if (statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment })
        {
            Report(Generators.Diagnostics.Mutation, assignment.GetLocation(), assignment.Left.ToString());
            return;
        }
        var what = statement switch
        {
            ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax => "loops",
            IfStatementSyntax or SwitchStatementSyntax => "branches",
            ReturnStatementSyntax => "a 'return' before the end",
            ExpressionStatementSyntax { Expression: PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax } => "increments or decrements",
            _ => "'" + statement.Kind().ToString().Replace("Statement", "") + "' statements",
        };
        Report(Generators.Diagnostics.UnsupportedStatement, statement.GetLocation(), what);
    }

    /// <summary>Lowers a tensor-valued expression to a reference, binding calls to names.</summary>
    private Expr LowerTensor(ExpressionSyntax syntax, string? bindAs)
    {
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax p:
                return LowerTensor(p.Expression, bindAs);
            case BinaryExpressionSyntax or PrefixUnaryExpressionSyntax:
                return LowerOperator(syntax, bindAs);
            case InvocationExpressionSyntax invocation:
                return LowerInvocation(invocation, bindAs);
            case IdentifierNameSyntax or MemberAccessExpressionSyntax or ThisExpressionSyntax:
                return LowerReference(syntax, bindAs);
            case ConditionalExpressionSyntax conditional:
                return LowerConditional(conditional, bindAs);
            default:
                return Unsupported(syntax, "only tensor operators, primitive calls, sub-layer calls, locals, inputs and [Param]/[State] members are differentiable");
        }
    }

    /// <summary><c>c ? a : b</c>: both sides are lowered, the forward is specialised for each
    /// value of <c>c</c> later (Autodiff.Branches). The generated methods decide before they
    /// compute anything, so <c>c</c> may read members, literals, the forward's number and bool
    /// arguments and its inputs' shapes, not values the forward computes.</summary>
    private Expr LowerConditional(ConditionalExpressionSyntax conditional, string? bindAs)
    {
        var condition = LowerScalar(conditional.Condition);
        var computed = condition.Holes.Select(h => h switch { ScalarRef r => r.Name, ShapeOf shape => shape.Tensor, _ => null })
            .FirstOrDefault(name => name is not null && !_forward.Parameters.Any(p => p.Name == name));
        if (computed is not null)
            return Unsupported(conditional.Condition, $"the condition reads '{computed}', which the forward computes; the generated code chooses the branch before it computes anything, "
                + "so a condition may read the layer's members, the forward's number and bool arguments and its inputs' shapes: write the condition from those");
        ScalarRef choice;
        if (condition is { Text: "{0}", Holes: [ScalarRef argument] })
        {
            choice = argument;
        }
        else
        {
            var local = Unique(ConditionName(conditional.Condition));
            _bindings.Add(new Binding(local, condition, "bool", null, conditional.Condition.ToString(), false, LocationInfo.From(conditional.Condition.GetLocation())));
            choice = new ScalarRef(local);
        }
        var whenTrue = LowerTensor(conditional.WhenTrue, null);
        var whenFalse = LowerTensor(conditional.WhenFalse, null);
        var name = bindAs ?? Temporary();
        _bindings.Add(new Binding(name, new Choice(choice, whenTrue, whenFalse), null, null, conditional.ToString(), bindAs is not null, LocationInfo.From(conditional.GetLocation())));
        return new TensorRef(name);
    }

    /// <summary>A condition's local: the member it reads in lower case (<c>UseTanh</c> → <c>useTanh</c>), else <c>condition</c>.</summary>
    private static string ConditionName(ExpressionSyntax condition)
    {
        var member = condition switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText,
            _ => null,
        };
        return member is null ? "condition" : char.ToLowerInvariant(member[0]) + member.Substring(1);
    }

    private Expr LowerReference(ExpressionSyntax syntax, string? bindAs)
    {
        var symbol = _model.GetSymbolInfo(syntax).Symbol;
        switch (symbol)
        {
            case IPropertySymbol property when _types.IsTensor(property.ContainingType) && syntax is MemberAccessExpressionSyntax access:
                return LowerTensorMember(property, access, new List<ExpressionSyntax>(), syntax, bindAs);
            case IParameterSymbol parameter when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _forward):
                return new TensorRef(parameter.Name);
            case ILocalSymbol local when _locals.TryGetValue(local, out var value):
                return value;
            case { } member when _members.TryGetValue(member.Name, out var spec) && IsOwnMember(member) && spec.Kind != MemberKind.Layer:
                return new TensorRef(spec.Name);
            default:
                return Unsupported(syntax, "it is not a forward input, a local, or a [Param]/[State] member of this layer");
        }
    }

    private bool IsOwnMember(ISymbol member) =>
        member is IPropertySymbol or IFieldSymbol || (member is IParameterSymbol p && p.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor });

    private Expr LowerOperator(ExpressionSyntax syntax, string? bindAs)
    {
        var token = syntax is BinaryExpressionSyntax b ? b.OperatorToken : ((PrefixUnaryExpressionSyntax)syntax).OperatorToken;
        var operands = syntax is BinaryExpressionSyntax binary
            ? new[] { binary.Left, binary.Right }
            : new[] { ((PrefixUnaryExpressionSyntax)syntax).Operand };
        // An operand the compiler could not bind is the problem, not the operator.
        var broken = operands.Where(o => _model.GetTypeInfo(o).Type is null or { TypeKind: TypeKind.Error }).ToList();
        if (broken.Count > 0)
        {
            foreach (var operand in broken) LowerTensor(operand, null);
            return new TensorRef("<error>");
        }
        if (_model.GetSymbolInfo(syntax).Symbol is not IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator } op
            || !_types.IsTensor(op.ContainingType)
            || OperatorPrimitive(token.ValueText, operands.Length) is not { } primitive)
        {
            if (syntax is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryPlusExpression } plus)
                return LowerTensor(plus.Operand, bindAs);
            return Unsupported(syntax, "no primitive declares this operator; use + − × ÷, unary −, or the comparisons < ≤ > ≥");
        }
        var args = operands.Select(o => LowerOperand(o)).ToArray();
        return Bind(new Call(primitive.Name, args), bindAs, syntax, primitive);
    }

    private Expr LowerOperand(ExpressionSyntax operand) =>
        _types.IsTensor(_model.GetTypeInfo(operand).Type) ? LowerTensor(operand, null) : LowerScalar(operand);

    private Expr Bind(Expr value, string? bindAs, SyntaxNode source, PrimitiveOverload? primitive)
    {
        // The same primitive applied to the same values is computed once (common subexpressions).
        // A tracked statistic is not: each call updates its own state.
        if (value is Call && primitive?.Facts.Kind != OpKind.StateUpdate && _bindings.FirstOrDefault(b => b.Value.Equals(value) && b.IsTensor) is { } same)
            return new TensorRef(same.Name);
        var name = bindAs ?? Temporary();
        _bindings.Add(new Binding(name, value, null, primitive, source.ToString(), bindAs is not null, LocationInfo.From(source.GetLocation())));
        return new TensorRef(name);
    }

    private string Temporary()
    {
        string name;
        do name = "t" + ++_temporaries; while (!_names.Add(name));
        return name;
    }

    private string Unique(string name)
    {
        var unique = name;
        for (int i = 2; !_names.Add(unique); i++) unique = name + i;
        return unique;
    }

    /// <summary>The primitive of Grad.Ops that declares a Tensor operator, on all-tensor operands.</summary>
    private PrimitiveOverload? OperatorPrimitive(string op, int operands) =>
        (_types.Ops?.GetMembers().OfType<IMethodSymbol>() ?? Enumerable.Empty<IMethodSymbol>())
            .Where(m => m.Parameters.Length == operands && m.Parameters.All(p => _types.IsTensor(p.Type)))
            .Select(m => FunctionTable.ReadPrimitive(m, _types))
            .FirstOrDefault(p => p?.Facts.Operator == op);

    private Expr Unsupported(SyntaxNode syntax, string reason)
    {
        Report(Generators.Diagnostics.UnsupportedExpression, syntax.GetLocation(), syntax.ToString(), reason);
        return new TensorRef("<error>");
    }

    private void Report(DiagnosticDescriptor descriptor, Location location, params string[] arguments) =>
        Diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
}
