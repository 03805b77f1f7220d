using System.Text;

namespace Nomad.Agent.Templates;

/// <summary>What a missing map key yields: Go's missingkey option (default/invalid and zero print "&lt;no value&gt;").</summary>
public enum MissingKeyMode { Default, Zero, Error }

public sealed record TemplateOptions
{
    public string LeftDelim { get; init; } = "{{";
    public string RightDelim { get; init; } = "}}";
    public MissingKeyMode MissingKey { get; init; } = MissingKeyMode.Default;

    /// <summary>Functions beside the builtins; a name here replaces a builtin of the same name, as in Go.</summary>
    public IReadOnlyDictionary<string, TemplateFunction>? Functions { get; init; }
}

/// <summary>
/// A parsed Go text/template (with the templates it defines), ready to execute against data. Our own engine:
/// see <see cref="TemplateLexer"/>, <see cref="TemplateParser"/>, <see cref="TemplateExecutor"/> and <see cref="Builtins"/>.
/// Errors are <see cref="TemplateException"/>s worded as Go's.
/// </summary>
public sealed class GoTemplate
{
    private readonly Dictionary<string, ListNode> _trees;
    private readonly IReadOnlyDictionary<string, TemplateFunction> _functions;

    private GoTemplate(string name, string text, TemplateOptions options, Dictionary<string, ListNode> trees)
    {
        Name = name;
        Text = text;
        MissingKey = options.MissingKey;
        _functions = options.Functions ?? new Dictionary<string, TemplateFunction>();
        _trees = trees;
    }

    public string Name { get; }
    public string Text { get; }
    public MissingKeyMode MissingKey { get; }

    public IReadOnlyCollection<string> DefinedTemplates => _trees.Keys;

    public static GoTemplate Parse(string name, string text, TemplateOptions? options = null)
    {
        options ??= new TemplateOptions();
        var functions = options.Functions;
        var trees = TemplateParser.Parse(name, text, options.LeftDelim, options.RightDelim,
            f => functions?.ContainsKey(f) == true || Builtins.Get(f) is not null);
        return new GoTemplate(name, text, options, trees);
    }

    public string Execute(object? data) => ExecuteTemplate(Name, data);

    public string ExecuteTemplate(string name, object? data)
    {
        var sb = new StringBuilder();
        if (!_trees.ContainsKey(name)) throw new TemplateException($"template: no template {GoFmt.Quote(name)} associated with template {GoFmt.Quote(Name)}");
        TemplateExecutor.Execute(this, name, data, sb);
        return sb.ToString();
    }

    internal ListNode? Tree(string name) => _trees.GetValueOrDefault(name);

    internal TemplateFunction? Function(string name) => _functions.GetValueOrDefault(name) ?? Builtins.Get(name);
}
