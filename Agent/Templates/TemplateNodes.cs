using System.Text;

namespace Nomad.Agent.Templates;

/// <summary>A node of a parsed template; <see cref="Pos"/> is its byte offset in the text (for error locations).</summary>
public abstract record Node(int Pos)
{
    /// <summary>The node as Go prints it in "executing ... at &lt;...&gt;" errors.</summary>
    public abstract override string ToString();
}

public sealed record ListNode(int Pos, List<Node> Nodes) : Node(Pos)
{
    public override string ToString() => string.Concat(Nodes.Select(n => n.ToString()));
}

public sealed record TextNode(int Pos, string Text) : Node(Pos)
{
    public override string ToString() => Text;
}

public sealed record ActionNode(int Pos, int Line, PipeNode Pipe) : Node(Pos)
{
    public override string ToString() => "{{" + Pipe + "}}";
}

/// <summary>Commands joined by <c>|</c>, optionally declaring (<c>:=</c>) or assigning (<c>=</c>) variables.</summary>
public sealed record PipeNode(int Pos, int Line, List<VariableNode> Decl, bool IsAssign, List<CommandNode> Cmds) : Node(Pos)
{
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Decl.Count > 0)
        {
            sb.Append(string.Join(", ", Decl.Select(d => d.ToString())));
            sb.Append(IsAssign ? " = " : " := ");
        }
        sb.Append(string.Join(" | ", Cmds.Select(c => c.ToString())));
        return sb.ToString();
    }
}

public sealed record CommandNode(int Pos, List<Node> Args) : Node(Pos)
{
    public override string ToString() =>
        string.Join(" ", Args.Select(a => a is PipeNode ? "(" + a + ")" : a.ToString()));
}

public sealed record FieldNode(int Pos, string[] Ident) : Node(Pos)
{
    public override string ToString() => string.Concat(Ident.Select(i => "." + i));
}

/// <summary><c>$x.a.b</c>: Ident[0] is the variable's name with its <c>$</c>.</summary>
public sealed record VariableNode(int Pos, string[] Ident) : Node(Pos)
{
    public override string ToString() => string.Join(".", Ident);
}

/// <summary>A term followed by fields: <c>(pipeline).Field</c>.</summary>
public sealed record ChainNode(int Pos, Node Target, string[] Field) : Node(Pos)
{
    public override string ToString() =>
        (Target is PipeNode ? "(" + Target + ")" : Target.ToString()) + string.Concat(Field.Select(f => "." + f));
}

public sealed record IdentifierNode(int Pos, string Ident) : Node(Pos)
{
    public override string ToString() => Ident;
}

public sealed record DotNode(int Pos) : Node(Pos)
{
    public override string ToString() => ".";
}

public sealed record NilNode(int Pos) : Node(Pos)
{
    public override string ToString() => "nil";
}

public sealed record BoolNode(int Pos, bool Value) : Node(Pos)
{
    public override string ToString() => Value ? "true" : "false";
}

/// <summary>A number constant: an int (long) when the text is an integer, else a float (double).</summary>
public sealed record NumberNode(int Pos, string Text, object Value) : Node(Pos)
{
    public override string ToString() => Text;
}

public sealed record StringNode(int Pos, string Quoted, string Text) : Node(Pos)
{
    public override string ToString() => Quoted;
}

public sealed record IfNode(int Pos, int Line, PipeNode Pipe, ListNode List, ListNode? ElseList) : Node(Pos)
{
    public override string ToString() => $"{{{{if {Pipe}}}}}{List}{(ElseList is null ? "" : "{{else}}" + ElseList)}{{{{end}}}}";
}

public sealed record WithNode(int Pos, int Line, PipeNode Pipe, ListNode List, ListNode? ElseList) : Node(Pos)
{
    public override string ToString() => $"{{{{with {Pipe}}}}}{List}{(ElseList is null ? "" : "{{else}}" + ElseList)}{{{{end}}}}";
}

public sealed record RangeNode(int Pos, int Line, PipeNode Pipe, ListNode List, ListNode? ElseList) : Node(Pos)
{
    public override string ToString() => $"{{{{range {Pipe}}}}}{List}{(ElseList is null ? "" : "{{else}}" + ElseList)}{{{{end}}}}";
}

public sealed record TemplateNode(int Pos, int Line, string Name, PipeNode? Pipe) : Node(Pos)
{
    public override string ToString() => Pipe is null ? $"{{{{template {GoFmt.Quote(Name)}}}}}" : $"{{{{template {GoFmt.Quote(Name)} {Pipe}}}}}";
}

public sealed record BreakNode(int Pos, int Line) : Node(Pos)
{
    public override string ToString() => "{{break}}";
}

public sealed record ContinueNode(int Pos, int Line) : Node(Pos)
{
    public override string ToString() => "{{continue}}";
}

/// <summary>Internal markers returned by the parser's item list: <c>{{end}}</c> and <c>{{else}}</c>.</summary>
internal sealed record EndNode(int Pos) : Node(Pos)
{
    public override string ToString() => "{{end}}";
}

internal sealed record ElseNode(int Pos, int Line, string? Chained) : Node(Pos)
{
    public override string ToString() => "{{else}}";
}
