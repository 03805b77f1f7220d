using System.Text;
using System.Text.Json;

namespace Nomad.Agent.Hcl;

/// <summary>
/// A JSON value with the place it starts in its file (System.Text.Json's DOM keeps no positions, and errors in a job
/// file must name line and column). Object properties keep their order and duplicates, as HCL's JSON syntax does.
/// </summary>
public sealed class HclJsonNode
{
    public JsonValueKind Kind { get; private init; }
    public HclPosition Position { get; private init; }
    /// <summary>A string's value, or a number's text as written.</summary>
    public string Text { get; private init; } = "";
    public IReadOnlyList<HclJsonProperty> Properties { get; private init; } = [];
    public IReadOnlyList<HclJsonNode> Items { get; private init; } = [];

    /// <exception cref="HclException">not JSON (the place and the reader's reason).</exception>
    public static HclJsonNode Parse(string json, string fileName)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var lines = new List<int> { 0 };
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] == '\n') lines.Add(i + 1);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read()) throw Syntax(new HclPosition(fileName, 1, 1), "a JSON value is required");
            var node = Read(ref reader, bytes, lines, fileName);
            if (reader.Read()) throw Syntax(Where(reader.TokenStartIndex, bytes, lines, fileName), "extra characters after the JSON value");
            return node;
        }
        catch (JsonException e)
        {
            var at = new HclPosition(fileName, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1);
            var reason = e.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ');
            throw new HclException(at, $"Invalid JSON: {reason}", new HclSyntaxError("Invalid JSON", reason));
        }
    }

    private static HclException Syntax(HclPosition at, string reason) =>
        new(at, $"Invalid JSON: {reason}", new HclSyntaxError("Invalid JSON", reason));

    private static HclJsonNode Read(ref Utf8JsonReader r, byte[] bytes, List<int> lines, string file)
    {
        var at = Where(r.TokenStartIndex, bytes, lines, file);
        switch (r.TokenType)
        {
            case JsonTokenType.StartObject:
                var properties = new List<HclJsonProperty>();
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    var keyAt = Where(r.TokenStartIndex, bytes, lines, file);
                    var key = r.GetString()!;
                    r.Read();
                    properties.Add(new HclJsonProperty(key, keyAt, Read(ref r, bytes, lines, file)));
                }
                return new HclJsonNode { Kind = JsonValueKind.Object, Position = at, Properties = properties };
            case JsonTokenType.StartArray:
                var items = new List<HclJsonNode>();
                while (r.Read() && r.TokenType != JsonTokenType.EndArray) items.Add(Read(ref r, bytes, lines, file));
                return new HclJsonNode { Kind = JsonValueKind.Array, Position = at, Items = items };
            case JsonTokenType.String:
                return new HclJsonNode { Kind = JsonValueKind.String, Position = at, Text = r.GetString()! };
            case JsonTokenType.Number:
                return new HclJsonNode { Kind = JsonValueKind.Number, Position = at, Text = Encoding.UTF8.GetString(r.ValueSpan) };
            case JsonTokenType.True:
                return new HclJsonNode { Kind = JsonValueKind.True, Position = at };
            case JsonTokenType.False:
                return new HclJsonNode { Kind = JsonValueKind.False, Position = at };
            default:
                return new HclJsonNode { Kind = JsonValueKind.Null, Position = at };
        }
    }

    /// <summary>Line and column (UTF-16 characters, as the native parser counts) of a byte offset.</summary>
    private static HclPosition Where(long offset, byte[] bytes, List<int> lines, string file)
    {
        int line = lines.BinarySearch((int)offset);
        if (line < 0) line = ~line - 1;
        int column = Encoding.UTF8.GetCharCount(bytes, lines[line], (int)offset - lines[line]) + 1;
        return new HclPosition(file, line + 1, column);
    }
}

public sealed record HclJsonProperty(string Key, HclPosition KeyPosition, HclJsonNode Value);
