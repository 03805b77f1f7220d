using System.Globalization;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Templates;

/// <summary>Nomad's checks of a task's template blocks at registration (structs.Template.Validate), with its words.</summary>
public static class TemplateValidation
{
    private static readonly string[] ChangeModes = ["noop", "restart", "signal", "script"];

    public static void Validate(IReadOnlyList<Template>? templates, string taskCtx, List<string> errors)
    {
        for (var i = 0; i < (templates?.Count ?? 0); i++)
        {
            var t = templates![i];
            var ctx = $"{taskCtx}: template {i + 1}";
            if (t.SourcePath.Length == 0 && t.EmbeddedTmpl.Length == 0) errors.Add($"{ctx}: Must specify a source path or have an embedded template");
            if (t.SourcePath.Length > 0 && t.EmbeddedTmpl.Length > 0) errors.Add($"{ctx}: cannot specify both source and data");
            if (t.DestPath.Length == 0) errors.Add($"{ctx}: Must specify a destination for the template");
            else if (EscapesAlloc(t.DestPath)) errors.Add($"{ctx}: destination escapes allocation directory");
            switch (t.ChangeMode)
            {
                case "noop" or "restart": break;
                case "signal":
                    if (t.ChangeSignal.Length == 0) errors.Add($"{ctx}: Must specify signal value when change mode is signal");
                    if (t.Envvars) errors.Add($"{ctx}: cannot use signals with env var templates");
                    break;
                case "script":
                    if (t.ChangeScript is null) errors.Add($"{ctx}: must specify change script configuration value when change mode is script");
                    break;
                default:
                    errors.Add($"{ctx}: Invalid change mode. Must be one of the following: {string.Join(", ", ChangeModes)}");
                    break;
            }
            if (t.Splay < 0) errors.Add($"{ctx}: Must specify positive splay value");
            if (t.Perms.Length > 0 && !IsOctalPerms(t.Perms)) errors.Add($"{ctx}: Failed to parse {GoFmt.Quote(t.Perms)} as octal");
            if (t.Wait is { Min: { } min, Max: { } max } && min > max) errors.Add($"{ctx}: wait: min must not be greater than max");
        }
    }

    private static bool IsOctalPerms(string perms) =>
        perms.All(c => c is >= '0' and <= '7') && int.TryParse(perms.TrimStart('0') is { Length: > 0 } p ? p : "0", NumberStyles.None, CultureInfo.InvariantCulture, out _)
        && Convert.ToInt32(perms, 8) <= 0xFFF;

    /// <summary>Whether a destination, taken relative to ALLOC/task, leaves ALLOC (Nomad's PathEscapesAllocViaRelative).</summary>
    private static bool EscapesAlloc(string dest)
    {
        if (dest.Contains("${", StringComparison.Ordinal) || Path.IsPathRooted(dest)) return false;
        var full = Path.GetFullPath(Path.Join("/alloc-root/task", dest));
        return !(full == "/alloc-root" || full.StartsWith("/alloc-root/", StringComparison.Ordinal));
    }
}
