namespace Nomad.Agent.Hcl;

/// <summary>
/// What HCL's JSON syntax needs to know about a body before it can read it: which property names are blocks (and
/// how many labels they take) and which attributes hold an expression written as a string (a variable's
/// <c>type</c>, a dynamic block's <c>iterator</c>). Below a block whose body schema is null, the reader does not
/// decide: every property is an attribute that keeps its JSON, and whoever decodes it later may read it as blocks
/// (<see cref="HclJsonSyntax.AsBlocks"/>), as HCL's JSON bodies are interpreted by the schema they are decoded with.
/// </summary>
public sealed record HclJsonSchema(IReadOnlyDictionary<string, HclJsonBlockSchema> Blocks, IReadOnlySet<string>? ExpressionAttributes = null)
{
    public static readonly HclJsonSchema AttributesOnly = new(new Dictionary<string, HclJsonBlockSchema>());
}

/// <param name="Body">The block body's schema; null when the decoder decides (see <see cref="HclJsonSchema"/>).</param>
public sealed record HclJsonBlockSchema(int Labels, HclJsonSchema? Body);
