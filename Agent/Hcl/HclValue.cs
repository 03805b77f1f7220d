using System.Globalization;

namespace Nomad.Agent.Hcl;

/// <summary>A value on the right of <c>=</c>: string, number, bool, null, list, object or a bare expression.</summary>
public abstract record HclValue(HclPosition Position);

/// <summary>
/// A quoted string or heredoc. Escapes are decoded, but template sequences (<c>${...}</c>, <c>%{...}</c>)
/// and their escapes (<c>$${</c>, <c>%%{</c>) are kept verbatim: Nomad interpolates them later, at run time.
/// Unlike HCL2 the text is not normalised to Unicode NFC (the build runs with invariant globalization).
/// </summary>
public sealed record HclString(string Value, HclPosition Position, bool IsHeredoc = false) : HclValue(Position)
{
    /// <summary>
    /// How hcl2json prints this string (see <see cref="HclJson"/>), set by the parser from the parsed template:
    /// sequences as <c>${source}</c>, strip markers and <c>&lt;&lt;-</c> applied as HCL applies them. Null when the
    /// template is not HCL2; it is not part of equality.
    /// </summary>
    public string? JsonText { get; init; }

    public bool Equals(HclString? other) =>
        other is not null && Value == other.Value && Position == other.Position && IsHeredoc == other.IsHeredoc;

    public override int GetHashCode() => HashCode.Combine(Value, Position, IsHeredoc);

    /// <summary>True if the string holds an interpolation or directive.</summary>
    public bool IsTemplate => HclTemplate.Parse(Value).Any(p => p.Kind != HclTemplatePartKind.Literal);
}

/// <summary>A number, kept as written so that large integers stay exact.</summary>
public sealed record HclNumber(string Text, HclPosition Position) : HclValue(Position)
{
    /// <summary>True if the literal is an integer that fits in a long (no fraction or exponent).</summary>
    public bool IsInteger => long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    public long AsLong() => long.Parse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public double AsDouble() => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);
}

public sealed record HclBool(bool Value, HclPosition Position) : HclValue(Position);

public sealed record HclNull(HclPosition Position) : HclValue(Position);

public sealed record HclList(IReadOnlyList<HclValue> Items, HclPosition Position) : HclValue(Position);

/// <summary>An object or map, <c>{ a = 1, "b" = 2, c: 3 }</c>. Items keep their order; keys may repeat (the last wins).</summary>
public sealed record HclObject(IReadOnlyList<HclObjectItem> Items, HclPosition Position) : HclValue(Position);

public sealed record HclObjectItem(string Key, HclPosition KeyPosition, HclValue Value);

/// <summary>An expression that is not a literal, e.g. <c>var.region</c> or <c>upper("x")</c>. Not evaluated; kept as source.</summary>
public sealed record HclExpression(string Source, HclPosition Position) : HclValue(Position);
