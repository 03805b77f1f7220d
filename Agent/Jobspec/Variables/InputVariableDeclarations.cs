using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Jobspec.Variables;

/// <summary>
/// Reads the variables a job file declares, as jobspec2 does: <c>variable "name" { type, default, description,
/// validation { condition, error_message } }</c> blocks and the attributes of <c>variables { name = default }</c>
/// blocks. Defaults are evaluated without variables or functions (HCL's nil context), and converted to the type.
/// </summary>
public static class InputVariableDeclarations
{
    private const string BadIdentifier =
        "A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes.";

    /// <summary>The declared variables by name, in declaration order.</summary>
    public static Dictionary<string, InputVariable> Decode(HclBody file, List<HclDiagnostic> diagnostics)
    {
        var variables = new Dictionary<string, InputVariable>();
        foreach (var block in file.Blocks)
        {
            if (block.Type == "variable") DecodeBlock(block, variables, diagnostics);
            else if (block.Type == "variables")
            {
                foreach (var attr in JustAttributes(block.Body, diagnostics)) DecodeAttribute(attr, variables, diagnostics);
            }
        }
        return variables;
    }

    /// <summary>A body that may hold only attributes (HCL's JustAttributes): each block in it is an error.</summary>
    public static IEnumerable<HclAttribute> JustAttributes(HclBody body, List<HclDiagnostic> diagnostics)
    {
        foreach (var b in body.Blocks)
            diagnostics.Add(new HclDiagnostic(b.Position, $"Unexpected \"{b.Type}\" block", "Blocks are not allowed here."));
        return body.Attributes;
    }

    private static void DecodeAttribute(HclAttribute attr, Dictionary<string, InputVariable> variables, List<HclDiagnostic> diagnostics)
    {
        if (variables.ContainsKey(attr.Name))
        {
            diagnostics.Add(new HclDiagnostic(attr.Position, "Duplicate variable", $"Duplicate {attr.Name} variable definition found."));
            return;
        }
        if (TryEvaluateLiteral(attr, diagnostics) is not { } value) return;
        var variable = new InputVariable(attr.Name, attr.Position) { Type = value.Type };
        variable.Assignments.Add(new VariableAssignment("default", value, BodyEvaluator.ExpressionOf(attr).Position));
        variables[attr.Name] = variable;
    }

    private static void DecodeBlock(HclBlock block, Dictionary<string, InputVariable> variables, List<HclDiagnostic> diagnostics)
    {
        var name = block.Labels[0];
        if (variables.ContainsKey(name))
        {
            diagnostics.Add(new HclDiagnostic(block.Position, "Duplicate variable", $"Duplicate {name} variable definition found."));
            return;
        }
        CheckSchema(block.Body, ["description", "default", "type"], ["validation"], diagnostics);
        if (!IsIdentifier(name)) diagnostics.Add(new HclDiagnostic(block.Position, "Invalid variable name", BadIdentifier));

        var variable = new InputVariable(name, block.Position);
        if (block.Body.Attribute("description") is { } description && TryEvaluateLiteral(description, diagnostics) is { } text)
        {
            try { variable.Description = (ValueConversion.Convert(text, HclType.String) as StringValue ?? throw new ConversionException("string required")).Value; }
            catch (ConversionException e)
            {
                diagnostics.Add(new HclDiagnostic(description.Position, "Unsuitable value type", $"Unsuitable value: {e.Message}"));
            }
        }

        if (block.Body.Attribute("type") is { } typeAttr)
        {
            try { variable.Type = TypeConstraint.Parse(BodyEvaluator.ExpressionOf(typeAttr)); }
            catch (EvaluationException e)
            {
                diagnostics.AddRange(e.Diagnostics);
                return;
            }
        }

        if (block.Body.Attribute("default") is { } defaultAttr)
        {
            if (TryEvaluateLiteral(defaultAttr, diagnostics) is not { } value) return;
            var position = BodyEvaluator.ExpressionOf(defaultAttr).Position;
            Value? converted = value;
            if (variable.Type is { } type)
            {
                try { converted = ValueConversion.Convert(value, type); }
                catch (ConversionException e)
                {
                    diagnostics.Add(new HclDiagnostic(position, "Invalid default value for variable",
                        $"This default value is not compatible with the variable's type constraint: {e.Message}."));
                    converted = null;
                }
            }
            variable.Assignments.Add(new VariableAssignment("default", converted, position));
            variable.Type ??= value.Type;
        }

        foreach (var validation in block.Body.BlocksOfType("validation"))
            if (DecodeValidation(name, validation, diagnostics) is { } v) variable.Validations.Add(v);

        variables[name] = variable;
    }

    private static VariableValidation? DecodeValidation(string variableName, HclBlock block, List<HclDiagnostic> diagnostics)
    {
        var before = diagnostics.Count;
        CheckSchema(block.Body, ["condition", "error_message"], [], diagnostics);
        foreach (var required in new[] { "condition", "error_message" }.Where(r => block.Body.Attribute(r) is null))
            diagnostics.Add(new HclDiagnostic(block.Body.Position, "Missing required argument",
                $"The argument \"{required}\" is required, but no definition was found."));

        Expr? condition = null;
        if (block.Body.Attribute("condition") is { } conditionAttr)
        {
            try { condition = BodyEvaluator.ExpressionOf(conditionAttr); }
            catch (EvaluationException e) { diagnostics.AddRange(e.Diagnostics); }
        }
        if (condition is not null)
        {
            // The condition may refer to the variable itself and nothing else.
            var good = 0;
            foreach (var reference in ExpressionReferences.Of(condition))
            {
                if (reference is { Root: "var", Steps: [AttrStep { Name: var n }, ..] } && n == variableName)
                {
                    good++;
                    continue;
                }
                diagnostics.Add(new HclDiagnostic(reference.Position, "Invalid reference in variable validation",
                    $"The condition for variable \"{variableName}\" can only refer to the variable itself, using var.{variableName}."));
            }
            if (good == 0)
                diagnostics.Add(new HclDiagnostic(condition.Position, "Invalid variable validation condition",
                    $"The condition for variable \"{variableName}\" must refer to var.{variableName} in order to test incoming values."));
        }

        var message = "";
        if (block.Body.Attribute("error_message") is { } messageAttr && TryEvaluateLiteral(messageAttr, diagnostics) is { } messageValue)
        {
            var position = BodyEvaluator.ExpressionOf(messageAttr).Position;
            try
            {
                message = (ValueConversion.Convert(messageValue, HclType.String) as StringValue ?? throw new ConversionException("string required")).Value;
                if (message == "")
                    diagnostics.Add(new HclDiagnostic(position, "Invalid validation error message",
                        "An empty string is not a valid nor useful error message."));
                else if (!LooksLikeSentences(message))
                    diagnostics.Add(new HclDiagnostic(position, "Invalid validation error message",
                        "Validation error message must be at least one full sentence starting with an uppercase letter ( if the " +
                        "alphabet permits it ) and ending with a period or question mark."));
            }
            catch (ConversionException e)
            {
                diagnostics.Add(new HclDiagnostic(position, "Unsuitable value type", $"Unsuitable value: {e.Message}"));
            }
        }

        return diagnostics.Count > before || condition is null ? null : new VariableValidation(condition, message, block.Position);
    }

    /// <summary>
    /// "Unsupported argument" / "Unsupported block type" for what the schema does not name, and label checks for
    /// the blocks it does (none of them takes labels), as HCL's body Content does.
    /// </summary>
    public static void CheckSchema(HclBody body, string[] attributes, string[] blocks, List<HclDiagnostic> diagnostics)
    {
        foreach (var a in body.Attributes.Where(a => !attributes.Contains(a.Name)))
            diagnostics.Add(new HclDiagnostic(a.Position, "Unsupported argument",
                $"An argument named \"{a.Name}\" is not expected here.{NameSuggestion.Sentence(a.Name, attributes)}"));
        foreach (var b in body.Blocks)
        {
            if (!blocks.Contains(b.Type))
                diagnostics.Add(new HclDiagnostic(b.Position, "Unsupported block type",
                    $"Blocks of type \"{b.Type}\" are not expected here.{NameSuggestion.Sentence(b.Type, blocks)}"));
            else if (b.Labels.Count > 0)
                diagnostics.Add(new HclDiagnostic(b.Position, $"Extraneous label for {b.Type}", $"No labels are expected for {b.Type} blocks."));
        }
    }

    /// <summary>An attribute's value with no variables or functions in scope (HCL's nil context), or null after reporting why not.</summary>
    public static Value? TryEvaluateLiteral(HclAttribute attr, List<HclDiagnostic> diagnostics)
    {
        try { return Evaluator.Evaluate(BodyEvaluator.ExpressionOf(attr), EvalContext.Empty); }
        catch (EvaluationException e)
        {
            diagnostics.AddRange(e.Diagnostics);
            return null;
        }
    }

    /// <summary>HCL's identifier: a letter or underscore, then letters, digits, underscores and dashes.</summary>
    public static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '-');

    private static bool LooksLikeSentences(string s)
    {
        var first = s[0];
        if (char.IsLetter(first) && !char.IsUpper(first)) return false;
        return s[^1] is '.' or '?' or '!';
    }
}
