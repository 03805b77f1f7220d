using System.Text;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// csvdecode as cty does it with Go's encoding/csv: the first line names the columns, each further line becomes an
/// object of strings; every line needs as many fields as the header; quoted fields may hold commas, doubled
/// quotes and line breaks; empty lines are skipped.
/// </summary>
internal static class CsvDecoder
{
    public static Value Decode(string text)
    {
        var records = Parse(text);
        if (records.Count == 0) throw new FunctionError("missing header line");
        var headers = records[0].Fields;
        var seen = new HashSet<string>();
        foreach (var h in headers)
            if (!seen.Add(h)) throw new FunctionError($"duplicate column name {GoQuote.Quote(h)}");
        var rowType = new ObjectType(headers.ToDictionary(h => h, _ => HclType.String));
        var rows = new List<Value>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != headers.Count)
                throw new FunctionError($"CSV parse error on line {record.Line}: wrong number of fields");
            rows.Add(new ObjectValue(headers.Select((h, i) => KeyValuePair.Create(h, Value.Of(record.Fields[i])))));
        }
        return new ListValue(rowType, rows);
    }

    private sealed record Record(int Line, List<string> Fields);

    private static List<Record> Parse(string text)
    {
        var records = new List<Record>();
        var i = 0;
        var line = 1;
        while (i < text.Length)
        {
            // Skip empty lines.
            if (text[i] == '\n') { i++; line++; continue; }
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { i += 2; line++; continue; }

            var recordLine = line;
            var fields = new List<string>();
            while (true)
            {
                var field = new StringBuilder();
                if (i < text.Length && text[i] == '"')
                {
                    var quoteLine = line;
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                            throw new FunctionError($"CSV parse error on line {quoteLine}: extraneous or missing \" in quoted-field");
                        var c = text[i];
                        if (c == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                            i++;
                            break;
                        }
                        if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { field.Append('\n'); i += 2; line++; continue; }
                        if (c == '\n') line++;
                        field.Append(c);
                        i++;
                    }
                    if (i < text.Length && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
                        throw new FunctionError($"CSV parse error on line {line}: extraneous or missing \" in quoted-field");
                }
                else
                {
                    while (i < text.Length && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
                    {
                        if (text[i] == '"') throw new FunctionError($"CSV parse error on line {line}: bare \" in non-quoted-field");
                        field.Append(text[i]);
                        i++;
                    }
                }
                fields.Add(field.ToString());
                if (i < text.Length && text[i] == ',') { i++; continue; }
                if (i < text.Length && text[i] == '\r') i++;
                if (i < text.Length && text[i] == '\n') { i++; line++; }
                break;
            }
            records.Add(new Record(recordLine, fields));
        }
        return records;
    }
}
