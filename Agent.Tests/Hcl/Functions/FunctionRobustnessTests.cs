using Nomad.Agent.Hcl.Functions;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Tests.Hcl.Functions.Kit;

namespace Nomad.Agent.Tests.Hcl.Functions;

/// <summary>
/// Whatever a job file passes, a function either answers or fails with one line about the call: every function
/// is called with every combination of up to three arguments from a pool of awkward values.
/// </summary>
[TestFixture]
public sealed class FunctionRobustnessTests
{
    private static readonly Value[] Pool =
    [
        S(""), S("a,b"), S("-1"), S("10.0.0.0/30"), S("2018-01-02T23:12:01Z"), S("%"), S("["), N(0), N(-1), N(2.5), N(1e300),
        B(true), Null, Value.Null(HclType.List(HclType.String)), T(), T(S("a"), N(1)), Strings("x", "y"), Set(N(1), N(2)),
        O(), O(("a", N(1))), M(("k", S("v"))), T(Strings("a"), T(N(1))),
    ];

    private static IEnumerable<Value[]> ArgumentLists()
    {
        yield return [];
        foreach (var a in Pool) yield return [a];
        foreach (var a in Pool)
            foreach (var b in Pool) yield return [a, b];
        foreach (var a in Pool.Take(8))
            foreach (var b in Pool)
                foreach (var c in Pool.Take(10)) yield return [a, b, c];
    }

    [Test]
    public void NoCallEscapesAsAnythingButAFunctionException()
    {
        var dir = Directory.CreateTempSubdirectory("hcl-fuzz-").FullName;
        File.WriteAllText(Path.Combine(dir, "a,b"), "file");
        try { Check(FunctionTable.ForJobFile(dir, allowFileSystem: true)); }
        finally { Directory.Delete(dir, recursive: true); }
        Check(FunctionTable.ForJobFile(dir, allowFileSystem: false));
    }

    private static void Check(FunctionTable table)
    {
        var failures = new List<string>();
        foreach (var name in table.Names.Where(n => n is not ("try" or "can" or "convert" or "bcrypt")))
        {
            table.TryGet(name, out var f);
            foreach (var args in ArgumentLists())
            {
                try { f.Call(args); }
                catch (FunctionException e)
                {
                    if (e.Message.Contains('\n') || e.Message.Length == 0) failures.Add($"{name}: not one line: {e.Message}");
                    if (e.Message.Contains("panic in function implementation"))
                        failures.Add($"{name}({string.Join(", ", args.Select(Show))}): {e.Message}");
                }
                catch (Exception e)
                {
                    failures.Add($"{name}({string.Join(", ", args.Select(Show))}): {e.GetType().Name}: {e.Message}");
                }
            }
        }
        Assert.That(failures.Distinct().Take(30), Is.Empty);
    }
}
