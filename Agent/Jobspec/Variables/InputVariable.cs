using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Functions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Jobspec.Variables;

/// <summary>
/// A declared input variable (<c>variable "name" { }</c> or an attribute of <c>variables { }</c>): its type
/// constraint (null when neither <c>type</c> nor a default gives one), its validation rules, and the values
/// assigned to it in increasing precedence (default, environment, variable files, <c>-var</c>); the last one wins.
/// </summary>
public sealed class InputVariable(string name, HclPosition position)
{
    public string Name { get; } = name;
    public HclPosition Position { get; } = position;
    public HclType? Type { get; set; }
    public string Description { get; set; } = "";
    public List<VariableValidation> Validations { get; } = [];
    public List<VariableAssignment> Assignments { get; } = [];

    /// <summary>
    /// The value in effect, checked against the validation rules; null (with no further diagnostic) when the
    /// assignment in effect was already reported as not fitting the type.
    /// </summary>
    public Value? Resolve(FunctionTable? functions, List<HclDiagnostic> diagnostics)
    {
        if (Assignments.Count == 0)
        {
            diagnostics.Add(new HclDiagnostic(Position, $"Unset variable \"{Name}\"",
                "A used variable must be set or have a default value; see " +
                "https://www.nomadproject.io/docs/job-specification/hcl2/variables for details."));
            return null;
        }
        var assignment = Assignments[^1];
        if (assignment.Value is null) return null;
        foreach (var validation in Validations) validation.Check(this, assignment, functions, diagnostics);
        return assignment.Value;
    }
}

/// <param name="From">Where the value came from, as Nomad names it in errors: default, env, varfile or cmd.</param>
/// <param name="Value">Null when the value did not fit the variable's type (already reported).</param>
public sealed record VariableAssignment(string From, Value? Value, HclPosition Position);

/// <summary>A <c>validation { condition, error_message }</c> block of a variable.</summary>
public sealed record VariableValidation(Expr Condition, string ErrorMessage, HclPosition Position)
{
    private const string InvalidResult = "Invalid variable validation result";

    /// <summary>
    /// Evaluates the condition with only <c>var.NAME</c> in scope (no runtime references kept), and reports the
    /// rule's error_message when it is false.
    /// </summary>
    public void Check(InputVariable variable, VariableAssignment assignment, FunctionTable? functions, List<HclDiagnostic> diagnostics)
    {
        var ctx = EvalContext.Create(new Dictionary<string, Value>
        {
            ["var"] = new ObjectValue([KeyValuePair.Create(variable.Name, assignment.Value!)]),
        }, functions);
        Value result;
        try { result = Evaluator.Evaluate(Condition, ctx); }
        catch (EvaluationException e)
        {
            diagnostics.AddRange(e.Diagnostics);
            return;
        }
        if (result.IsNull)
        {
            diagnostics.Add(new HclDiagnostic(Condition.Position, InvalidResult,
                "Validation condition expression must return either true or false, not null."));
            return;
        }
        try { result = ValueConversion.Convert(result, HclType.Bool); }
        catch (ConversionException e)
        {
            diagnostics.Add(new HclDiagnostic(Condition.Position, InvalidResult, $"Invalid validation condition result value: {e.Message}."));
            return;
        }
        if (result.Equals(Value.False))
            diagnostics.Add(new HclDiagnostic(assignment.Position, $"Invalid value for {assignment.From} variable",
                $"{ErrorMessage} This was checked by the validation rule at {Position.File}:{Position.Line},{Position.Column}."));
    }
}
