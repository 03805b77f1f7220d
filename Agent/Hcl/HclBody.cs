namespace Nomad.Agent.Hcl;

/// <summary>An attribute or a block: the items of a body.</summary>
public abstract record HclBodyItem(string Name, HclPosition Position);

/// <summary>
/// <c>name = value</c>. <see cref="Value"/> is the literal view the agent configuration reads (a bare
/// expression is an <see cref="HclExpression"/> holding its source); <see cref="Expression"/> is the parsed
/// HCL2 expression, which job files evaluate.
/// </summary>
public sealed record HclAttribute(string Name, HclValue Value, HclPosition Position) : HclBodyItem(Name, Position)
{
    public Expressions.Expr? Expression { get; init; }
}

/// <summary><c>type "label" ... { body }</c>; zero or more labels.</summary>
public sealed record HclBlock(string Type, IReadOnlyList<string> Labels, HclBody Body, HclPosition Position)
    : HclBodyItem(Type, Position);

/// <summary>The contents of a file or of a block: attributes and blocks in source order.</summary>
public sealed class HclBody(IReadOnlyList<HclBodyItem> items, HclPosition position)
{
    public IReadOnlyList<HclBodyItem> Items { get; } = items;

    /// <summary>Where the body starts: the file's start, or the block's "{".</summary>
    public HclPosition Position { get; } = position;

    public IEnumerable<HclAttribute> Attributes => Items.OfType<HclAttribute>();

    public IEnumerable<HclBlock> Blocks => Items.OfType<HclBlock>();

    public HclAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    public IEnumerable<HclBlock> BlocksOfType(string type) => Blocks.Where(b => b.Type == type);
}
