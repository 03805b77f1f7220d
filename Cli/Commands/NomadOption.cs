using System.CommandLine;

namespace Nomad.Cli.Commands;

/// <summary>
/// Options spelled as Nomad spells them: a single dash (<c>-verbose</c>, <c>-config=x</c>, <c>-config x</c>), with the
/// double-dash form (<c>--verbose</c>) accepted too.
/// </summary>
public static class NomadOption
{
    /// <summary>A boolean switch: <c>-dev</c>, or explicitly <c>-dev=false</c>.</summary>
    public static Option<bool> Flag(string name, string description) =>
        new(Dash(name), DoubleDash(name)) { Description = description };

    /// <summary>An option taking one value.</summary>
    public static Option<T> Value<T>(string name, string description) =>
        new(Dash(name), DoubleDash(name)) { Description = description, HelpName = "value" };

    /// <summary>A whole-number option; a bad value is reported as Nomad reports it.</summary>
    public static Option<int> Integer(string name, string description)
    {
        var option = Value<int>(name, description);
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
                return value;
            result.AddError($"invalid value \"{text}\" for flag {Dash(name)}: not a whole number");
            return default;
        };
        return option;
    }

    /// <summary>An option that may be given many times, one value each time, kept in order.</summary>
    public static Option<string[]> Repeated(string name, string description) =>
        new(Dash(name), DoubleDash(name)) { Description = description, HelpName = "value", AllowMultipleArgumentsPerToken = false };

    /// <summary>Whether the option appeared on the command line (as opposed to taking its default).</summary>
    public static bool IsGiven(this ParseResult parsed, Option option) => parsed.GetResult(option) is { Implicit: false };

    /// <summary>The option's value when given, otherwise null: lets a config overlay set only what was asked for.</summary>
    public static T? ValueIfGiven<T>(this ParseResult parsed, Option<T> option) where T : struct =>
        parsed.IsGiven(option) ? parsed.GetValue(option) : null;

    /// <summary>The option's value when given, otherwise null.</summary>
    public static string? TextIfGiven(this ParseResult parsed, Option<string> option) =>
        parsed.IsGiven(option) ? parsed.GetValue(option) : null;

    private static string Dash(string name) => "-" + name.TrimStart('-');
    private static string DoubleDash(string name) => "--" + name.TrimStart('-');
}
