using System.Collections;
using System.Reflection;
using System.Text;

namespace Nomad.Agent.Templates;

/// <summary>
/// Walks a parsed template as Go's text/template executes it: dot and variables, pipelines with the previous
/// command's value as the last argument, if/with/range/template/break/continue, field and map access with the
/// missingkey option, and errors located as Go locates them (<c>template: NAME:LINE:COL: executing "T" at &lt;NODE&gt;: ...</c>).
/// </summary>
internal sealed class TemplateExecutor
{
    /// <summary>Go allows 100000 nested template calls; our stack is smaller, so we stop sooner with Go's words.</summary>
    private const int MaxDepth = 1000;

    private enum Flow { Normal, Break, Continue }

    private readonly GoTemplate _set;
    private readonly StringBuilder _out;
    private readonly List<(string Name, object? Value)> _vars = [];
    private readonly string _tmplName;
    private readonly int _depth;
    private Node? _node;

    private TemplateExecutor(GoTemplate set, StringBuilder output, string tmplName, int depth)
    {
        _set = set;
        _out = output;
        _tmplName = tmplName;
        _depth = depth;
    }

    public static void Execute(GoTemplate set, string name, object? data, StringBuilder output)
    {
        var tree = set.Tree(name) ?? throw new TemplateException(
            $"template: {name}: {GoFmt.Quote(name)} is an incomplete or empty template");
        var e = new TemplateExecutor(set, output, name, 0);
        e._vars.Add(("$", data));
        e.Walk(data, tree);
    }

    private TemplateException Error(string message)
    {
        if (_node is null) return new TemplateException($"template: {_tmplName}: {message}");
        var (location, context) = ErrorContext(_node);
        return new TemplateException($"template: {location}: executing {GoFmt.Quote(_tmplName)} at <{context}>: {message}");
    }

    /// <summary>Go's Tree.ErrorContext: "NAME:LINE:COL" of the node and its text, cut to 20 characters.</summary>
    private (string Location, string Context) ErrorContext(Node n)
    {
        var text = _set.Text;
        var pos = Math.Min(n.Pos, text.Length);
        var before = text[..pos];
        var lastNewline = before.LastIndexOf('\n');
        var col = lastNewline < 0 ? Encoding.UTF8.GetByteCount(before) : Encoding.UTF8.GetByteCount(before[(lastNewline + 1)..]);
        var line = 1 + before.Count(c => c == '\n');
        var context = n.ToString();
        if (context.Length > 20) context = context[..20] + "...";
        return ($"{_set.Name}:{line}:{col}", context);
    }

    private Flow Walk(object? dot, Node node)
    {
        _node = node;
        switch (node)
        {
            case ActionNode a:
                var value = EvalPipeline(dot, a.Pipe);
                if (a.Pipe.Decl.Count == 0) Print(value);
                return Flow.Normal;
            case TextNode t:
                _out.Append(t.Text);
                return Flow.Normal;
            case ListNode l:
                foreach (var n in l.Nodes)
                {
                    var flow = Walk(dot, n);
                    if (flow != Flow.Normal) return flow;
                }
                return Flow.Normal;
            case IfNode i: return WalkIfOrWith(dot, i.Pipe, i.List, i.ElseList, isWith: false);
            case WithNode w: return WalkIfOrWith(dot, w.Pipe, w.List, w.ElseList, isWith: true);
            case RangeNode r: return WalkRange(dot, r);
            case TemplateNode t: WalkTemplate(dot, t); return Flow.Normal;
            case BreakNode: return Flow.Break;
            case ContinueNode: return Flow.Continue;
            default: throw Error($"unknown node: {node}");
        }
    }

    private void Print(object? value)
    {
        value = GoValues.Normalize(value);
        if (value is TemplateFunction or Delegate) throw Error($"can't print {_node} of type {GoValues.TypeName(value)}");
        _out.Append(value is null or NoValue ? "<no value>" : GoFmt.ToText(value));
    }

    private Flow WalkIfOrWith(object? dot, PipeNode pipe, ListNode list, ListNode? elseList, bool isWith)
    {
        var mark = _vars.Count;
        try
        {
            var value = EvalPipeline(dot, pipe);
            if (GoValues.IsTrue(value)) return Walk(isWith ? value : dot, list);
            return elseList is null ? Flow.Normal : Walk(dot, elseList);
        }
        finally { Pop(mark); }
    }

    private Flow WalkRange(object? dot, RangeNode r)
    {
        _node = r;
        var mark = _vars.Count;
        try
        {
            var value = GoValues.Normalize(EvalPipeline(dot, r.Pipe));
            var iterated = false;
            bool Iterate(object? index, object? elem)
            {
                iterated = true;
                if (r.Pipe.Decl.Count > 0)
                {
                    if (r.Pipe.IsAssign)
                    {
                        SetVar(r.Pipe.Decl[0].Ident[0], r.Pipe.Decl.Count > 1 ? index : elem);
                        if (r.Pipe.Decl.Count > 1) SetVar(r.Pipe.Decl[1].Ident[0], elem);
                    }
                    else
                    {
                        // The declared variables are the top of the stack: the last one gets the element.
                        _vars[^1] = (_vars[^1].Name, elem);
                        if (r.Pipe.Decl.Count > 1) _vars[^2] = (_vars[^2].Name, index);
                    }
                }
                var inner = _vars.Count;
                try { return Walk(elem, r.List) != Flow.Break; }
                finally { Pop(inner); }
            }

            switch (value)
            {
                case null or NoValue: break;
                case long n:
                    if (r.Pipe.Decl.Count > 1) throw Error($"can't use {n} to iterate over more than one variable");
                    for (long i = 0; i < n; i++) if (!Iterate(i, i)) break;
                    break;
                case IDictionary map:
                    foreach (var k in GoValues.SortedKeys(map)) if (!Iterate(k, GoValues.Normalize(map[k]))) break;
                    break;
                case IList list:
                    for (var i = 0; i < list.Count; i++) if (!Iterate((long)i, GoValues.Normalize(list[i]))) break;
                    break;
                default:
                    _node = r;
                    throw Error($"range can't iterate over {GoFmt.ToText(value)}");
            }
            if (!iterated && r.ElseList is not null) return Walk(dot, r.ElseList);
            return Flow.Normal;
        }
        finally { Pop(mark); }
    }

    private void WalkTemplate(object? dot, TemplateNode t)
    {
        _node = t;
        var tree = _set.Tree(t.Name) ?? throw Error($"template {GoFmt.Quote(t.Name)} not defined");
        if (_depth + 1 >= MaxDepth) throw Error($"exceeded maximum template depth ({MaxDepth})");
        var newDot = t.Pipe is null ? null : EvalPipeline(dot, t.Pipe);
        var inner = new TemplateExecutor(_set, _out, t.Name, _depth + 1);
        inner._vars.Add(("$", newDot));
        inner.Walk(newDot, tree);
    }

    private void Pop(int mark)
    {
        if (_vars.Count > mark) _vars.RemoveRange(mark, _vars.Count - mark);
    }

    private void SetVar(string name, object? value)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name != name) continue;
            _vars[i] = (name, value);
            return;
        }
        throw Error($"undefined variable: {name}");
    }

    private object? VarValue(string name)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
            if (_vars[i].Name == name) return _vars[i].Value;
        throw Error($"undefined variable: {name}");
    }

    private object? EvalPipeline(object? dot, PipeNode pipe)
    {
        _node = pipe;
        object? value = NoValue.Instance;
        var hasFinal = false;
        foreach (var cmd in pipe.Cmds)
        {
            value = EvalCommand(dot, cmd, value, hasFinal);
            hasFinal = true;
        }
        // A nil interface value from a map or function is Go's "no value" once it leaves the pipeline.
        if (value is null) value = NoValue.Instance;
        foreach (var v in pipe.Decl)
        {
            if (pipe.IsAssign) SetVar(v.Ident[0], value);
            else _vars.Add((v.Ident[0], value));
        }
        return value;
    }

    private object? EvalCommand(object? dot, CommandNode cmd, object? final, bool hasFinal)
    {
        var first = cmd.Args[0];
        switch (first)
        {
            case FieldNode f: return EvalFieldChain(dot, dot, f, f.Ident, cmd.Args, final, hasFinal);
            case ChainNode c: return EvalChain(dot, c, cmd.Args, final, hasFinal);
            case IdentifierNode i: return EvalFunction(dot, i, cmd, final, hasFinal);
            case PipeNode p:
                NotAFunction(cmd.Args, hasFinal);
                return EvalPipeline(dot, p);
            case VariableNode v: return EvalVariable(dot, v, cmd.Args, final, hasFinal);
        }
        _node = first;
        NotAFunction(cmd.Args, hasFinal);
        return first switch
        {
            BoolNode b => b.Value,
            DotNode => dot,
            NilNode => throw Error("nil is not a command"),
            NumberNode n => n.Value,
            StringNode s => s.Text,
            _ => throw Error($"can't evaluate command {GoFmt.Quote(first.ToString())}"),
        };
    }

    private void NotAFunction(List<Node> args, bool hasFinal)
    {
        if (args.Count > 1 || hasFinal) throw Error($"can't give argument to non-function {args[0]}");
    }

    private object? EvalChain(object? dot, ChainNode chain, List<Node> args, object? final, bool hasFinal)
    {
        _node = chain;
        if (chain.Field.Length == 0) throw Error("internal error: no fields in evalChainNode");
        if (chain.Target is NilNode) throw Error($"indirection through explicit nil in {chain}");
        var pipe = EvalArg(dot, chain.Target);
        return EvalFieldChain(dot, pipe, chain, chain.Field, args, final, hasFinal);
    }

    private object? EvalVariable(object? dot, VariableNode v, List<Node> args, object? final, bool hasFinal)
    {
        _node = v;
        var value = VarValue(v.Ident[0]);
        if (v.Ident.Length == 1)
        {
            NotAFunction(args, hasFinal);
            return value;
        }
        return EvalFieldChain(dot, value, v, v.Ident[1..], args, final, hasFinal);
    }

    private object? EvalFieldChain(object? dot, object? receiver, Node node, string[] ident, List<Node> args, object? final, bool hasFinal)
    {
        _node = node;
        for (var i = 0; i < ident.Length - 1; i++) receiver = EvalField(ident[i], node, false, receiver);
        var hasArgs = args.Count > 1 || hasFinal;
        var result = EvalField(ident[^1], node, hasArgs, receiver);
        if (hasArgs && result is TemplateFunction or Delegate)
            return CallFunction(dot, result, ident[^1], node, args, final, hasFinal);
        return result;
    }

    private object? EvalField(string name, Node node, bool hasArgs, object? receiver)
    {
        _node = node;
        receiver = GoValues.Normalize(receiver);
        if (receiver is null or NoValue)
        {
            if (_set.MissingKey == MissingKeyMode.Error) throw Error($"nil data; no entry for key {GoFmt.Quote(name)}");
            return NoValue.Instance;
        }
        if (receiver is IDictionary map)
        {
            if (hasArgs) throw Error($"{name} is not a method but has arguments");
            if (map.Contains(name)) return GoValues.Normalize(map[name]);
            return _set.MissingKey switch
            {
                MissingKeyMode.Error => throw Error($"map has no entry for key {GoFmt.Quote(name)}"),
                _ => NoValue.Instance,
            };
        }
        if (receiver is not (string or long or double or bool or IList or TemplateFunction or Delegate))
        {
            var prop = receiver.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (prop is not null)
            {
                if (hasArgs && !typeof(Delegate).IsAssignableFrom(prop.PropertyType)) throw Error($"{name} has arguments but cannot be invoked as function");
                return GoValues.Normalize(prop.GetValue(receiver));
            }
        }
        throw Error($"can't evaluate field {name} in type {GoValues.TypeName(receiver)}");
    }

    private object? EvalFunction(object? dot, IdentifierNode id, CommandNode cmd, object? final, bool hasFinal)
    {
        _node = id;
        var fn = _set.Function(id.Ident) ?? throw Error($"{GoFmt.Quote(id.Ident)} is not a defined function");
        return CallFunction(dot, fn, id.Ident, cmd, cmd.Args, final, hasFinal);
    }

    /// <summary>Calls a function with args[1..] evaluated, plus the previous command's value when there is one.</summary>
    private object? CallFunction(object? dot, object function, string name, Node cmd, List<Node> args, object? final, bool hasFinal)
    {
        var explicitArgs = args.Skip(1).ToList();
        if (function is TemplateFunction { Name: "and" or "or" } logic && ReferenceEquals(logic, Builtins.Get(logic.Name)))
            return ShortCircuit(dot, logic.Name == "and", explicitArgs, final, hasFinal, cmd);

        var values = new List<object?>();
        if (function is TemplateFunction tf)
        {
            var numIn = explicitArgs.Count + (hasFinal ? 1 : 0);
            if (tf.Variadic)
            {
                if (numIn < tf.FixedArgs) throw Error($"wrong number of args for {name}: want at least {tf.FixedArgs} got {explicitArgs.Count}");
            }
            else if (numIn != tf.FixedArgs) throw Error($"wrong number of args for {name}: want {tf.FixedArgs} got {numIn}");
        }
        foreach (var a in explicitArgs) values.Add(ToArgument(EvalArg(dot, a)));
        if (hasFinal) values.Add(ToArgument(final));
        _node = cmd;
        try
        {
            var result = function switch
            {
                TemplateFunction f => f.Invoke([.. values]),
                Func<object?[], object?> f => f([.. values]),
                Delegate d => d.DynamicInvoke([.. values]),
                _ => throw Error($"can't call non-function {name}"),
            };
            return GoValues.Normalize(result);
        }
        catch (TemplateArgumentException e) { throw Error(e.Message); }
        catch (TemplateFunctionException e) { throw Error($"error calling {name}: {e.Message}"); }
        catch (TargetInvocationException e) when (e.InnerException is not null) { throw Error($"error calling {name}: {e.InnerException.Message}"); }
        catch (TemplateException) { throw; }
        catch (Exception e) when (e is not TemplateException) { throw Error($"error calling {name}: {e.Message}"); }
    }

    /// <summary>Go's and/or evaluate their arguments in order and stop at the first that decides the result.</summary>
    private object? ShortCircuit(object? dot, bool isAnd, List<Node> args, object? final, bool hasFinal, Node cmd)
    {
        var count = args.Count + (hasFinal ? 1 : 0);
        if (count < 1) { _node = cmd; throw Error($"wrong number of args for {(isAnd ? "and" : "or")}: want at least 1 got 0"); }
        object? v = null;
        for (var i = 0; i < count; i++)
        {
            v = i < args.Count ? EvalArg(dot, args[i]) : final;
            if (GoValues.IsTrue(v) != isAnd) return v;
        }
        return v;
    }

    private static object? ToArgument(object? v) => v is NoValue ? null : v;

    private object? EvalArg(object? dot, Node n)
    {
        _node = n;
        switch (n)
        {
            case DotNode: return dot;
            case NilNode: return null;
            case FieldNode f: return EvalFieldChain(dot, dot, f, f.Ident, [n], null, false);
            case VariableNode v: return EvalVariable(dot, v, [n], null, false);
            case PipeNode p: return EvalPipeline(dot, p);
            case IdentifierNode i: return EvalFunction(dot, i, new CommandNode(i.Pos, [i]), null, false);
            case ChainNode c: return EvalChain(dot, c, [n], null, false);
            case BoolNode b: return b.Value;
            case NumberNode num: return num.Value;
            case StringNode s: return s.Text;
        }
        throw Error($"can't handle {n} for arg");
    }
}
