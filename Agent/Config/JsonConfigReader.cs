using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nomad.Agent.Config;

/// <summary>
/// Reads an agent config in JSON (HCL's JSON form: blocks are objects, or arrays of objects) into a
/// <see cref="ConfigObject"/>, keeping the line and column of every key and value for error messages.
/// </summary>
internal static partial class JsonConfigReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static ConfigObject Read(byte[] utf8, string file)
    {
        var lines = new LineMap(utf8, file);
        int start = utf8.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        // An empty file is an empty config, as an empty HCL file is.
        if (utf8.AsSpan(start).Trim(" \t\r\n"u8).IsEmpty) return new ConfigObject([], new ConfigPosition(file));
        var reader = new Utf8JsonReader(utf8.AsSpan(start), Options);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new ConfigException($"{lines.At(start + reader.TokenStartIndex)}: the top level of a JSON config must be an object");
            var root = (ConfigObject)ReadValue(ref reader, lines, start);
            if (reader.Read())
                throw new ConfigException($"{lines.At(start + reader.TokenStartIndex)}: unexpected data after the top-level object");
            return root;
        }
        catch (JsonException e)
        {
            // System.Text.Json reports 0-based line and byte-in-line; show 1-based line:col like HCL errors.
            string where = e.LineNumber is long l ? $"{file}:{l + 1}:{(e.BytePositionInLine ?? 0) + 1}" : file;
            throw new ConfigException($"{where}: invalid JSON: {PositionSuffix().Replace(e.Message, "")}");
        }
    }

    private static ConfigNode ReadValue(ref Utf8JsonReader r, LineMap lines, int offset)
    {
        var pos = lines.At(offset + r.TokenStartIndex);
        switch (r.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<ConfigEntry>();
                while (r.Read() && r.TokenType != JsonTokenType.EndObject)
                {
                    string key = r.GetString()!;
                    var keyPos = lines.At(offset + r.TokenStartIndex);
                    r.Read();
                    entries.Add(new ConfigEntry(key, keyPos, ReadValue(ref r, lines, offset)));
                }
                return new ConfigObject(entries, pos);
            case JsonTokenType.StartArray:
                var items = new List<ConfigNode>();
                while (r.Read() && r.TokenType != JsonTokenType.EndArray) items.Add(ReadValue(ref r, lines, offset));
                return new ConfigList(items, pos);
            case JsonTokenType.String:
                return new ConfigScalar(r.GetString(), pos);
            case JsonTokenType.Number:
                return new ConfigScalar(r.TryGetInt64(out long l) ? l : r.GetDouble(), pos);
            case JsonTokenType.True:
                return new ConfigScalar(true, pos);
            case JsonTokenType.False:
                return new ConfigScalar(false, pos);
            case JsonTokenType.Null:
                return new ConfigScalar(null, pos);
            default:
                throw new ConfigException($"{pos}: unexpected JSON token {r.TokenType}");
        }
    }

    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: .*$")]
    private static partial Regex PositionSuffix();

    /// <summary>Byte offset → line:column, counting columns in characters rather than UTF-8 bytes.</summary>
    private sealed class LineMap
    {
        private readonly byte[] _bytes;
        private readonly string _file;
        private readonly List<int> _starts = [0];

        public LineMap(byte[] bytes, string file)
        {
            _bytes = bytes;
            _file = file;
            if (bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble)) _starts[0] = Encoding.UTF8.Preamble.Length;
            for (int i = 0; i < bytes.Length; i++)
                if (bytes[i] == (byte)'\n') _starts.Add(i + 1);
        }

        public ConfigPosition At(long offset)
        {
            int line = _starts.BinarySearch((int)offset);
            if (line < 0) line = ~line - 1;
            int col = 1;
            for (int i = _starts[line]; i < offset; i++)
                if ((_bytes[i] & 0xC0) != 0x80) col++; // skip UTF-8 continuation bytes
            return new ConfigPosition(_file, line + 1, col);
        }
    }
}
