using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Evaluation;

/// <summary>
/// A block body after evaluation: every attribute's expression evaluated to a <see cref="Value"/> and every
/// <c>dynamic</c> block expanded into the blocks it generates. This is what the jobspec decoder reads.
/// Positions are where the attribute's name / the block's type is written, for errors.
/// </summary>
public sealed record EvaluatedBody(IReadOnlyList<EvaluatedAttribute> Attributes, IReadOnlyList<EvaluatedBlock> Blocks, HclPosition Position)
{
    public EvaluatedAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    public IEnumerable<EvaluatedBlock> BlocksOfType(string type) => Blocks.Where(b => b.Type == type);
}

/// <param name="ValuePosition">where the value's expression starts.</param>
public sealed record EvaluatedAttribute(string Name, Value Value, HclPosition Position, HclPosition ValuePosition)
{
    /// <summary>
    /// The value was written as an object constructor (<c>x = { ... }</c>), not computed: jobspec2 reads such an
    /// attribute of a free-form body (a driver's config) as a one-element list, as HCL1 read a block.
    /// </summary>
    public bool IsObjectConstructor { get; init; }

    /// <summary>
    /// For an attribute of an HCL JSON body: the same JSON read as blocks of this name with the given number of
    /// labels, evaluated in the attribute's scope (HCL's JSON bodies are attributes or blocks as the decoder's
    /// schema says). Null for native syntax.
    /// </summary>
    public Func<int, JsonBlocks>? AsBlocks { get; init; }
}

/// <summary>What <see cref="EvaluatedAttribute.AsBlocks"/> made of a JSON attribute, and the problems found on the way.</summary>
public sealed record JsonBlocks(IReadOnlyList<EvaluatedBlock> Blocks, IReadOnlyList<HclDiagnostic> Problems);

public sealed record EvaluatedBlock(string Type, IReadOnlyList<string> Labels, EvaluatedBody Body, HclPosition Position);
