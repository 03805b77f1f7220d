using Nomad.Agent.Hcl.Functions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Evaluation;

/// <summary>
/// What an expression may refer to (HCL's EvalContext): variables by root name (<c>var</c>, <c>local</c>), the
/// functions it may call, and nested scopes that <c>for</c> expressions, template <c>%{for}</c>, splats and
/// <c>dynamic</c> iterators add on top. A context without variables (<see cref="Empty"/>, as HCL's nil context
/// used for <c>-var</c> values and variable files) refuses references; one without functions refuses calls.
/// <see cref="KeepUnknownReferences"/> is Nomad's fork of HCL: a reference whose root is not a known name stays
/// the string <c>${source}</c>, for the client to interpolate at run time.
/// </summary>
public sealed class EvalContext
{
    private readonly EvalContext? _parent;
    private readonly IReadOnlyDictionary<string, Value>? _variables;
    private readonly FunctionTable? _functions;
    private readonly Value? _splatItem;
    private readonly EvaluationBudget? _budget;

    private EvalContext(EvalContext? parent, IReadOnlyDictionary<string, Value>? variables, FunctionTable? functions,
        bool keepUnknownReferences, Value? splatItem)
    {
        _parent = parent;
        _budget = parent is null ? (variables is null ? null : new EvaluationBudget()) : parent._budget;
        _variables = variables;
        _functions = functions;
        KeepUnknownReferences = keepUnknownReferences;
        _splatItem = splatItem;
    }

    /// <summary>No variables, no functions: only literal expressions evaluate.</summary>
    public static readonly EvalContext Empty = new(null, null, null, false, null);

    public static EvalContext Create(IReadOnlyDictionary<string, Value> variables, FunctionTable? functions,
        bool keepUnknownReferences = false) =>
        new(null, variables, functions, keepUnknownReferences, null);

    public bool KeepUnknownReferences { get; }

    /// <summary>Counts values made by loops, splats and calls against the evaluation's budget (none for <see cref="Empty"/>).</summary>
    internal void Spend(int values, HclPosition position) => _budget?.Spend(values, position);

    /// <summary>A nested scope whose names shadow this one's (for-expression and iterator variables).</summary>
    public EvalContext Child(IReadOnlyDictionary<string, Value> variables) =>
        new(this, variables, null, KeepUnknownReferences, null);

    internal EvalContext WithSplatItem(Value item) => new(this, null, null, KeepUnknownReferences, item);

    internal Value? SplatItem => _splatItem ?? _parent?.SplatItem;

    public bool TryGetVariable(string name, out Value value)
    {
        for (var c = this; c is not null; c = c._parent)
        {
            if (c._variables is not null && c._variables.TryGetValue(name, out value!)) return true;
        }
        value = null!;
        return false;
    }

    /// <summary>False when no scope holds variables: references are not allowed at all here.</summary>
    public bool HasVariables
    {
        get
        {
            for (var c = this; c is not null; c = c._parent)
                if (c._variables is not null) return true;
            return false;
        }
    }

    public IEnumerable<string> VariableNames
    {
        get
        {
            for (var c = this; c is not null; c = c._parent)
                if (c._variables is not null)
                    foreach (var name in c._variables.Keys) yield return name;
        }
    }

    /// <summary>The functions of the nearest scope that has any; null when calls are not allowed.</summary>
    public FunctionTable? Functions
    {
        get
        {
            for (var c = this; c is not null; c = c._parent)
                if (c._functions is not null) return c._functions;
            return null;
        }
    }
}
