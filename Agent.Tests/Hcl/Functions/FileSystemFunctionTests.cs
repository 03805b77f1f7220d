using System.Text;
using Nomad.Agent.Hcl.Functions;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Tests.Hcl.Functions.Kit;

namespace Nomad.Agent.Tests.Hcl.Functions;

/// <summary>The filesystem functions over a real directory beside a job file, and with the filesystem disabled.</summary>
[TestFixture]
public sealed class FileSystemFunctionTests
{
    private string dir = "";
    private FunctionTable table = null!;

    [SetUp]
    public void CreateJobDirectory()
    {
        dir = Path.Combine(Path.GetTempPath(), "hcl-fs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "templates", "nested"));
        File.WriteAllText(Path.Combine(dir, "hello.txt"), "Hello World ☃\n");
        File.WriteAllText(Path.Combine(dir, "templates", "a.tpl"), "a");
        File.WriteAllText(Path.Combine(dir, "templates", "b.tpl"), "b");
        File.WriteAllText(Path.Combine(dir, "templates", "c.txt"), "c");
        File.WriteAllText(Path.Combine(dir, "templates", "nested", "d.tpl"), "d");
        File.WriteAllBytes(Path.Combine(dir, "binary.bin"), [0xff, 0x00, 0xfe]);
        table = FunctionTable.ForJobFile(dir, allowFileSystem: true);
    }

    [TearDown]
    public void RemoveJobDirectory() => Directory.Delete(dir, recursive: true);

    private Value Call(string name, params Value[] args)
    {
        Assert.That(table.TryGet(name, out var f), Is.True);
        return f.Call(args);
    }

    private string Message(string name, params Value[] args)
    {
        Assert.That(table.TryGet(name, out var f), Is.True);
        return Assert.Throws<FunctionException>(() => f.Call(args))!.Message;
    }

    [Test]
    public void FileReadsRelativeToTheJobFilesDirectory()
    {
        Assert.That(Show(Call("file", S("hello.txt"))), Is.EqualTo("\"Hello World ☃\\n\""));
        Assert.That(Show(Call("file", S("./templates/../hello.txt"))), Is.EqualTo("\"Hello World ☃\\n\""));
        Assert.That(Show(Call("file", S(Path.Combine(dir, "templates", "a.tpl")))), Is.EqualTo("\"a\""));
    }

    [Test]
    public void FileRefusesMissingFilesAndBinaryContent()
    {
        Assert.That(Message("file", S("missing.txt")),
            Is.EqualTo($"Call to function \"file\" failed: no file exists at {dir}/missing.txt."));
        Assert.That(Message("file", S("binary.bin")), Does.StartWith(
            "Call to function \"file\" failed: contents of binary.bin are not valid UTF-8; use the filebase64 function"));
        Assert.That(Show(Call("filebase64", S("binary.bin"))), Is.EqualTo("\"/wD+\""));
    }

    [Test]
    public void FileExistsTellsFilesFromMissingOnesAndRefusesDirectories()
    {
        Assert.That(Show(Call("fileexists", S("hello.txt"))), Is.EqualTo("true"));
        Assert.That(Show(Call("fileexists", S("nope.txt"))), Is.EqualTo("false"));
        Assert.That(Message("fileexists", S("templates")),
            Does.Match($"^Call to function \"fileexists\" failed: {dir}/templates is not a regular file, but \"d[rwx-]{{9}}\"\\.$"));
    }

    [Test]
    public void FilesetMatchesGlobsBelowAPath()
    {
        Assert.That(Show(Call("fileset", S("templates"), S("*.tpl"))), Is.EqualTo("set[\"a.tpl\",\"b.tpl\"]"));
        Assert.That(Show(Call("fileset", S("templates"), S("**/*.tpl"))), Is.EqualTo("set[\"a.tpl\",\"b.tpl\",\"nested/d.tpl\"]"));
        Assert.That(Show(Call("fileset", S("."), S("templates/{a,c}.*"))), Is.EqualTo("set[\"templates/a.tpl\",\"templates/c.txt\"]"));
        Assert.That(Show(Call("fileset", S("templates"), S("?.t[a-z]t"))), Is.EqualTo("set[\"c.txt\"]"));
        Assert.That(Show(Call("fileset", S("templates"), S("*.none"))), Is.EqualTo("set[]"));
        Assert.That(Show(Call("fileset", S("no-such-dir"), S("*"))), Is.EqualTo("set[]"));
    }

    [Test]
    public void PathFunctionsWorkOnTheTextAsGoDoes()
    {
        Assert.That(Show(Call("basename", S("foo/bar/baz.txt"))), Is.EqualTo("\"baz.txt\""));
        Assert.That(Show(Call("basename", S("foo/bar/"))), Is.EqualTo("\"bar\""));
        Assert.That(Show(Call("basename", S(""))), Is.EqualTo("\".\""));
        Assert.That(Show(Call("basename", S("/"))), Is.EqualTo("\"/\""));
        Assert.That(Show(Call("dirname", S("foo/bar/baz.txt"))), Is.EqualTo("\"foo/bar\""));
        Assert.That(Show(Call("dirname", S("baz.txt"))), Is.EqualTo("\".\""));
        Assert.That(Show(Call("dirname", S("/baz.txt"))), Is.EqualTo("\"/\""));
        Assert.That(Show(Call("abspath", S("/a/./b/../c"))), Is.EqualTo("\"/a/c\""));
        Assert.That(Show(Call("abspath", S("x"))), Is.EqualTo($"\"{Directory.GetCurrentDirectory().TrimEnd('/')}/x\""));
        var home = Environment.GetEnvironmentVariable("HOME");
        Assert.That(Show(Call("pathexpand", S("~/.ssh/id_rsa"))), Is.EqualTo($"\"{home}/.ssh/id_rsa\""));
        Assert.That(Show(Call("pathexpand", S("/etc/resolv.conf"))), Is.EqualTo("\"/etc/resolv.conf\""));
        Assert.That(Message("pathexpand", S("~bob/x")), Is.EqualTo("Call to function \"pathexpand\" failed: cannot expand user-specific home dir."));
    }

    [Test]
    public void WithTheFilesystemDisabledEveryFilesystemFunctionIsRefused()
    {
        var disabled = FunctionTable.ForJobFile(dir, allowFileSystem: false);
        foreach (var name in new[] { "abspath", "basename", "dirname", "file", "filebase64", "fileexists", "pathexpand" })
        {
            Assert.That(disabled.TryGet(name, out var f), Is.True);
            Assert.That(Assert.Throws<FunctionException>(() => f.Call([S("hello.txt")]))!.Message,
                Is.EqualTo($"Call to function \"{name}\" failed: filesystem function disabled."));
        }
        Assert.That(disabled.TryGet("fileset", out var fileset), Is.True);
        Assert.That(Assert.Throws<FunctionException>(() => fileset.Call([S("."), S("*")]))!.Message,
            Is.EqualTo("Call to function \"fileset\" failed: filesystem function disabled."));
        Assert.That(Assert.Throws<FunctionException>(() => fileset.Call([S(".")]))!.Message,
            Does.StartWith("Function \"fileset\" expects 2 argument(s)"), "arguments are still checked first");
        Assert.That(disabled.TryGet("upper", out var upper) && upper.Call([S("a")]).Equals(S("A")), Is.True);
    }
}
