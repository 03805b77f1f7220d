using Nomad.Agent.Templates;

namespace Nomad.Agent.Tests.Templates;

/// <summary>consul-template's functions as our templates offer them: names, argument order (piped value last), results.</summary>
public sealed class ConsulTemplateFunctionsTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "tmplfn-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_dir, "local"));
        File.WriteAllText(Path.Combine(_dir, "local", "in.txt"), "from file");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Render(string text)
    {
        var ctx = new TemplateContext(new Dictionary<string, string> { ["NOMAD_ALLOC_ID"] = "a1", ["EMPTY"] = "" }, _dir,
            () => new DateTimeOffset(2026, 12, 7, 21, 5, 9, TimeSpan.Zero));
        return GoTemplate.Parse("", text, new TemplateOptions { Functions = ConsulTemplateFunctions.For(ctx), MissingKey = MissingKeyMode.Zero }).Execute(null);
    }

    private string RenderError(string text) => Assert.Throws<TemplateException>(() => Render(text))!.Message;

    [TestCase("{{ env \"NOMAD_ALLOC_ID\" }}", "a1")]
    [TestCase("{{ env \"NOT_SET\" }}|", "|")]
    [TestCase("{{ envOrDefault \"EMPTY\" \"d\" }}", "d")]
    [TestCase("{{ file \"local/in.txt\" }}", "from file")]
    [TestCase("{{ file \"/local/in.txt\" }}", "from file")]
    [TestCase("{{ timestamp }}", "2026-12-07T21:05:09Z")]
    [TestCase("{{ timestamp \"unix\" }}", "1796677509")]
    [TestCase("{{ timestamp \"2006-01-02 15:04:05 Mon Jan\" }}", "2026-12-07 21:05:09 Mon Dec")]
    [TestCase("{{ \"a,b,c\" | split \",\" | join \";\" }}", "a;b;c")]
    [TestCase("{{ split \",\" \"\" | len }}", "0")]
    [TestCase("{{ range split \",\" \"x,y\" }}[{{ . }}]{{ end }}", "[x][y]")]
    [TestCase("{{ \"hello world\" | replaceAll \"o\" \"0\" }}", "hell0 w0rld")]
    [TestCase("{{ \"MiXeD\" | toLower }} {{ \"MiXeD\" | toUpper }} {{ \"hello world\" | toTitle }}", "mixed MIXED Hello World")]
    [TestCase("{{ \"  padded \\n\" | trimSpace }}|", "padded|")]
    [TestCase("{{ \"xxhixx\" | trim \"x\" }} {{ \"prefix-x\" | trimPrefix \"prefix-\" }} {{ \"x.txt\" | trimSuffix \".txt\" }}", "hi x x")]
    [TestCase("{{ \"a\\nb\" | indent 2 }}", "  a\n  b")]
    [TestCase("{{ if split \",\" \"web,prod\" | contains \"prod\" }}yes{{ end }}", "yes")]
    [TestCase("{{ if in (split \",\" \"web,prod\") \"dev\" }}yes{{ else }}no{{ end }}", "no")]
    [TestCase("{{ split \",\" \"a,b\" | containsAll (split \",\" \"a,b,c\") }} {{ split \",\" \"x\" | containsAny (split \",\" \"a,x\") }}", "false true")]
    [TestCase("{{ \"hello\" | base64Encode }} {{ \"aGVsbG8=\" | base64Decode }}", "aGVsbG8= hello")]
    [TestCase("{{ \"42\" | parseInt | add 1 }} {{ parseBool \"true\" }} {{ parseFloat \"1.5\" }}", "43 true 1.5")]
    [TestCase("{{ 7 | subtract 2 }} {{ subtract 2 7 }} {{ 3 | multiply 4 }} {{ 10 | divide 3 }} {{ 10 | modulo 3 }}", "5 5 12 3 1")]
    [TestCase("{{ 1.5 | add 1 }} {{ 10.0 | divide 4 }}", "2.5 2.5")]
    [TestCase("{{ range loop 3 }}{{ . }}{{ end }} {{ range loop 2 4 }}{{ . }}{{ end }}", "012 23")]
    [TestCase("{{ \"{\\\"b\\\":[1,2.5,\\\"<x>\\\"],\\\"a\\\":null}\" | parseJSON | toJSON }}", "{\"a\":null,\"b\":[1,2.5,\"\\u003cx\\u003e\"]}")]
    [TestCase("{{ with parseJSON \"{\\\"port\\\": 8080}\" }}{{ .port }}{{ end }}", "8080")]
    [TestCase("{{ \"{\\\"a\\\":{\\\"b\\\":1}}\" | parseJSON | toJSONPretty }}", "{\n  \"a\": {\n    \"b\": 1\n  }\n}")]
    [TestCase("{{ regexReplaceAll \"(\\\\d+)\" \"<$1>\" \"a12b\" }} {{ regexMatch \"^a\" \"abc\" }}", "a<12>b true")]
    [TestCase("{{ sockaddr \"GetInterfaceIP \\\"lo\\\"\" }}", "127.0.0.1")]
    [TestCase("{{ sha256Hex \"abc\" }}", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Renders(string text, string expected) => Assert.That(Render(text), Is.EqualTo(expected));

    [Test]
    public void File_outside_the_task_dir_is_refused()
    {
        Assert.That(RenderError("{{ file \"../../etc/passwd\" }}"),
            Is.EqualTo("template: :1:3: executing \"\" at <file \"../../etc/pass...>: error calling file: '../../etc/passwd' is outside of sandbox"));
    }

    [Test]
    public void File_through_a_link_leading_out_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_dir, "local", "link"), "/etc/hostname");
        Assert.That(RenderError("{{ file \"local/link\" }}"), Does.EndWith("error calling file: 'local/link' is outside of sandbox"));
    }

    [Test]
    public void Sockaddr_private_ip_is_one_of_the_hosts_addresses()
    {
        var ip = Render("{{ sockaddr \"GetPrivateIP\" }}");
        var all = Render("{{ sockaddr \"GetPrivateIPs\" }}").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (all.Length == 0) Assert.That(ip, Is.Empty);
        else Assert.That(ip, Is.EqualTo(all[0]));
        Assert.That(RenderError("{{ sockaddr \"GetInterfaceIP \\\"no-such-if\\\"\" }}"),
            Does.EndWith("No IP addresses found on interface \"no-such-if\""));
    }

    [Test]
    public void Math_on_a_string_names_the_type()
    {
        Assert.That(RenderError("{{ add 1 \"x\" }}"), Does.EndWith("error calling add: add: unknown type for \"x\" (string)"));
        Assert.That(RenderError("{{ 1 | divide 0 }}"), Does.EndWith("error calling divide: divide: division by 0"));
    }

    [Test]
    public void Bad_numbers_fail_as_strconv_does()
    {
        Assert.That(RenderError("{{ parseInt \"x\" }}"), Does.EndWith("error calling parseInt: strconv.ParseInt: parsing \"x\": invalid syntax"));
    }

    [TestCase("nomadVar", "Nomad Variables")]
    [TestCase("nomadVarList", "Nomad Variables")]
    [TestCase("nomadService", "the Nomad service catalog")]
    [TestCase("nomadServices", "the Nomad service catalog")]
    public void Nomad_catalog_functions_fail_with_one_clear_line(string function, string what)
    {
        var message = RenderError($"{{{{ {function} \"x\" }}}}");
        Assert.That(message, Does.EndWith($"error calling {function}: the \"{function}\" function is not available yet: this agent does not have {what}"));
        Assert.That(message, Does.Not.Contain("\n"));
    }
}
