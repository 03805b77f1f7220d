namespace Nomad.Agent.Hcl;

/// <summary>An attribute or a block: the items of a body.</summary>
public abstract record HclBodyItem(string Name, HclPosition Position);

/// <summary>
/// <c>name = value</c>. <see cref="Value"/> is the literal view the agent configuration and HCL1 job files read
/// (a bare expression is an <see cref="HclExpression"/> holding its source); <see cref="Expression"/> is the
/// parsed HCL2 expression, which HCL2 job files evaluate.
/// </summary>
public sealed record HclAttribute(string Name, HclValue Value, HclPosition Position) : HclBodyItem(Name, Position)
{
    private readonly Expressions.Expr? _expression;

    /// <summary>
    /// The HCL2 expression. Throws <see cref="ExpressionError"/> (an <see cref="HclException"/>) when a template
    /// in the value holds a sequence that is not HCL2 (e.g. a shell's <c>${X:-y}</c>): HCL1 accepted those, so
    /// the parse itself succeeds and only HCL2 readers see the error.
    /// </summary>
    public Expressions.Expr? Expression
    {
        get => ExpressionError is { } e ? throw new HclException(e.Position, e.Problem, e.Syntax) : _expression;
        init => _expression = value;
    }

    /// <summary>The syntax error inside a template of the value, if any (see <see cref="Expression"/>).</summary>
    public HclException? ExpressionError { get; init; }

    /// <summary>
    /// For an attribute of an HCL JSON body read without a schema: the JSON it was written as, which the decoder may
    /// read as blocks instead (<see cref="HclJsonSyntax.AsBlocks"/>). Null for native syntax.
    /// </summary>
    public HclJsonNode? Json { get; init; }

    // Printing must not read Expression, which may throw.
    protected override bool PrintMembers(System.Text.StringBuilder b)
    {
        b.Append($"Name = {Name}, Value = {Value}, Position = {Position}");
        return true;
    }
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
