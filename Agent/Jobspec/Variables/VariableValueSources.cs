using System.Text.Json;
using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Jobspec.Variables;

/// <summary>
/// Assigns values to declared variables from outside the job file, in jobspec2's order (each overriding the
/// one before): <c>NOMAD_VAR_&lt;name&gt;</c> environment variables (undeclared ones ignored), variable files
/// (<c>name = value</c> in HCL, or a JSON object), then <c>-var name=value</c>. A value given as text is the
/// string itself for a variable of type string or number or of no type, and is parsed as an HCL expression
/// otherwise (<c>-var 'ports=[80, 443]'</c>). A value that does not fit the variable's type, or names a variable
/// the job file does not declare (in a file or with -var), is an error.
/// </summary>
public static class VariableValueSources
{
    public const string EnvironmentPrefix = "NOMAD_VAR_";

    public static void Collect(IReadOnlyDictionary<string, InputVariable> variables, JobFileOptions options, List<HclDiagnostic> diagnostics)
    {
        foreach (var (key, text) in options.Environment ?? new Dictionary<string, string>())
        {
            if (!key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal)) continue;
            var name = key[EnvironmentPrefix.Length..];
            if (!variables.TryGetValue(name, out var variable)) continue;
            AssignText(variable, text, "env", $"<value for var.{name} from env>", "Invalid value for variable",
                $"The value for {name} is not compatible with the variable's type constraint", diagnostics);
        }

        foreach (var path in options.VarFiles)
        {
            if (!FromFile(variables, path, options.Strict, diagnostics)) return;
        }

        foreach (var (name, text) in options.Vars)
        {
            if (!variables.TryGetValue(name, out var variable))
            {
                // Without -hcl2-strict a value for a variable the file does not declare is ignored (Nomad warns).
                if (!options.Strict) continue;
                diagnostics.Add(new HclDiagnostic(null, "Undefined -var variable",
                    $"A \"{name}\" variable was passed in the command line but was not found in known variables. " +
                    $"To declare variable \"{name}\", place this block in your job file"));
                continue;
            }
            AssignText(variable, text, "cmd", $"<value for var.{name} from arguments>", "Invalid argument value for -var variable",
                $"The received arg value for {name} is not compatible with the variable's type constraint", diagnostics);
        }
    }

    private static void AssignText(InputVariable variable, string text, string from, string fakeFile, string summary, string detail,
        List<HclDiagnostic> diagnostics)
    {
        var position = new HclPosition(fakeFile, 1, 1);
        Value value;
        try
        {
            var expr = variable.Type is null || variable.Type == HclType.String || variable.Type == HclType.Number
                ? new LiteralExpr(Value.Of(text), position)
                : HclParser.ParseExpression(text, fakeFile);
            value = Evaluator.Evaluate(expr, EvalContext.Empty);
        }
        catch (HclException e)
        {
            diagnostics.Add(new HclDiagnostic(e.Syntax?.At ?? e.Position, e.Syntax?.Summary ?? e.Problem, e.Syntax?.Detail ?? ""));
            return;
        }
        catch (EvaluationException e)
        {
            diagnostics.AddRange(e.Diagnostics);
            return;
        }
        Assign(variable, value, from, position, summary, detail, diagnostics);
    }

    private static void Assign(InputVariable variable, Value value, string from, HclPosition position, string summary, string detail,
        List<HclDiagnostic> diagnostics)
    {
        Value? converted = value;
        if (variable.Type is { } type)
        {
            try { converted = ValueConversion.Convert(value, type); }
            catch (ConversionException e)
            {
                diagnostics.Add(new HclDiagnostic(position, summary, $"{detail}: {e.Message}."));
                converted = null;
            }
        }
        variable.Assignments.Add(new VariableAssignment(from, converted, position));
    }

    /// <summary>Assigns a variable file's values; false when the file cannot be read (which stops the collection).</summary>
    private static bool FromFile(IReadOnlyDictionary<string, InputVariable> variables, string path, bool strict, List<HclDiagnostic> diagnostics)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : e.Message;
            diagnostics.Add(new HclDiagnostic(null, "unable to parse var file: Failed to read file", $"failed to read \"{path}\": {reason}"));
            return false;
        }

        var before = diagnostics.Count;
        List<(string Name, Value? Value, HclPosition Position)> assignments;
        try
        {
            assignments = text.TrimStart(' ').StartsWith('{') ? JsonAssignments(text, path) : HclAssignments(text, path, diagnostics);
        }
        catch (HclException e)
        {
            diagnostics.Add(new HclDiagnostic(e.Position, "unable to parse var file", e.Problem));
            return false;
        }
        if (diagnostics.Count > before) return false;

        foreach (var (name, value, position) in assignments)
        {
            if (!variables.TryGetValue(name, out var variable))
            {
                if (!strict) continue;
                diagnostics.Add(new HclDiagnostic(position, "Undefined variable",
                    $"A \"{name}\" variable was set but was not found in known variables. To declare variable \"{name}\", " +
                    "place this block in your job files"));
                continue;
            }
            if (value is null) continue;
            Assign(variable, value, "varfile", position, "Invalid value for variable",
                $"The value for {name} is not compatible with the variable's type constraint", diagnostics);
        }
        return true;
    }

    private static List<(string, Value?, HclPosition)> HclAssignments(string text, string path, List<HclDiagnostic> diagnostics)
    {
        var body = HclParser.Parse(text, path);
        var before = diagnostics.Count;
        foreach (var block in body.BlocksOfType("variable"))
        {
            var name = block.Labels.Count > 0 ? block.Labels[0] : "";
            diagnostics.Add(new HclDiagnostic(block.Position, "Variable declaration in a .var file",
                "A .var file is used to assign values to variables that have already been declared in job files, not to declare " +
                $"new variables. To declare variable \"{name}\", place this block in one of your job files. To set a value for this " +
                $"variable in {path}, use the definition syntax instead: {name} = <value>"));
        }
        if (diagnostics.Count > before) return [];

        var result = new List<(string, Value?, HclPosition)>();
        foreach (var attr in InputVariableDeclarations.JustAttributes(body, diagnostics))
            result.Add((attr.Name, InputVariableDeclarations.TryEvaluateLiteral(attr, diagnostics), attr.Position));
        return result;
    }

    /// <summary>A JSON variable file: an object whose properties are the values (strings literal, as HCL's JSON syntax without a context).</summary>
    private static List<(string, Value?, HclPosition)> JsonAssignments(string text, string path)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(text); }
        catch (JsonException e)
        {
            throw new HclException(new HclPosition(path, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1), e.Message);
        }
        using (document)
        {
            var position = new HclPosition(path, 1, 1);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new HclException(position, "a variable file in JSON must be an object of variable values");
            return document.RootElement.EnumerateObject().Select(p => (p.Name, (Value?)FromJson(p.Value), position)).ToList();
        }
    }

    private static Value FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => Value.Of(e.GetString()!),
        JsonValueKind.Number => Value.Of(e.GetDouble()),
        JsonValueKind.True => Value.True,
        JsonValueKind.False => Value.False,
        JsonValueKind.Array => new TupleValue(e.EnumerateArray().Select(FromJson).ToList()),
        JsonValueKind.Object => new ObjectValue(e.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, FromJson(p.Value)))),
        _ => Value.Null(HclType.Dynamic),
    };
}
