using System.Globalization;
using System.Text;
using System.Text.Json;
using Nomad.Agent.Structs;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// Values to and from JSON as cty does it: objects and maps as JSON objects (keys sorted), lists, sets and tuples
/// as arrays, numbers in full decimal form, strings escaped as Go's encoder does (including <c>&lt; &gt; &amp;</c>
/// and U+2028/U+2029 as \u escapes); decoding gives objects for JSON objects and tuples for arrays.
/// </summary>
internal static class CtyJson
{
    public static string Encode(Value value)
    {
        var sb = new StringBuilder();
        Write(value, sb);
        return sb.ToString();
    }

    private static void Write(Value value, StringBuilder sb)
    {
        switch (value)
        {
            case NullValue: sb.Append("null"); break;
            case BoolValue b: sb.Append(b.Value ? "true" : "false"); break;
            case NumberValue n: sb.Append(n.ToString()); break;
            case StringValue s: GoJsonString.Append(sb, s.Value); break;
            case SequenceValue seq:
                sb.Append('[');
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(seq.Items[i], sb);
                }
                sb.Append(']');
                break;
            case KeyedValue k:
                sb.Append('{');
                for (var i = 0; i < k.Items.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    GoJsonString.Append(sb, k.Items[i].Key);
                    sb.Append(':');
                    Write(k.Items[i].Value, sb);
                }
                sb.Append('}');
                break;
            default: throw new FunctionError($"cannot serialize {value.Type.FriendlyName} to JSON");
        }
    }

    public static string Quote(string s)
    {
        var sb = new StringBuilder();
        GoJsonString.Append(sb, s);
        return sb.ToString();
    }

    public static Value Decode(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowMultipleValues = true });
        try
        {
            if (!reader.Read()) throw new FunctionError("EOF");
            var value = Read(ref reader);
            if (reader.Read()) throw new FunctionError("extraneous data after JSON object");
            return value;
        }
        catch (JsonException e)
        {
            // Input that stops inside a value is Go's io.ErrUnexpectedEOF.
            var truncated = e.Message.Contains("depth to be zero", StringComparison.Ordinal)
                || e.Message.Contains("end of data", StringComparison.Ordinal);
            throw new FunctionError(truncated ? "unexpected EOF" : OneLine(e.Message));
        }
    }

    private static string OneLine(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    private static Value Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return Value.Null(HclType.Dynamic);
            case JsonTokenType.True: return Value.True;
            case JsonTokenType.False: return Value.False;
            case JsonTokenType.String: return Value.Of(reader.GetString()!);
            case JsonTokenType.Number:
            {
                var text = Encoding.UTF8.GetString(reader.ValueSpan);
                return Value.Of(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
            }
            case JsonTokenType.StartArray:
            {
                var items = new List<Value>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(Read(ref reader));
                return new TupleValue(items);
            }
            case JsonTokenType.StartObject:
            {
                var attributes = new Dictionary<string, Value>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString()!;
                    if (attributes.ContainsKey(name)) throw new FunctionError($"duplicate {GoQuote.Quote(name)} property in JSON object");
                    reader.Read();
                    attributes[name] = Read(ref reader);
                }
                return new ObjectValue(attributes);
            }
            default: throw new FunctionError($"unexpected JSON token {reader.TokenType}");
        }
    }
}
