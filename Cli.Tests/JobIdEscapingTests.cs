using Nomad.Agent.Http;

namespace Nomad.Cli.Tests;

/// <summary>
/// IDs go into request paths escaped as Nomad's Go client escapes them (url.PathEscape), so a job ID holding
/// `/`, `?`, `&amp;`, `%` or non-ASCII text stays one path segment.
/// </summary>
public class JobIdEscapingTests
{
    private const string Id = "a/b?c&d:e%f字";
    private const string Escaped = "a%2Fb%3Fc&d:e%25f%E5%AD%97";
    private const string EvalId = "5a6c5f3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f";

    // Expected values as Go's url.PathEscape gives them.
    [TestCase("a/b?c&d:e%f字", "a%2Fb%3Fc&d:e%25f%E5%AD%97")]
    [TestCase("job-id/with\\troublesome:characters\n?&字", "job-id%2Fwith%5Ctroublesome:characters%0A%3F&%E5%AD%97")]
    [TestCase("sp ace,semi;at@plus+eq=dollar$tilde~", "sp%20ace%2Csemi%3Bat@plus+eq=dollar$tilde~")]
    [TestCase("#\"<>[]{}|^`\t", "%23%22%3C%3E%5B%5D%7B%7D%7C%5E%60%09")]
    public void Escape_is_Gos_PathEscape(string segment, string expected) => Assert.That(UrlPath.Escape(segment), Is.EqualTo(expected));

    private static async Task<(int Code, string Out, string Err)> NomadAsync(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await NomadCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static ScriptedApi ApiWithTheJob()
    {
        var api = new ScriptedApi();
        api.On("GET /v1/jobs", $$"""[{"ID":"a/b?c&d:e%f字","Name":"a/b?c&d:e%f字","Type":"service","Priority":50,"Status":"running"}]""");
        return api;
    }

    [Test]
    public async Task Job_stop_sends_the_ID_as_one_escaped_segment()
    {
        using var api = ApiWithTheJob();
        api.On($"DELETE /v1/job/{Escaped}", $$"""{"EvalID":"{{EvalId}}","EvalCreateIndex":5,"JobModifyIndex":5}""");

        var (code, stdout, stderr) = await NomadAsync("job", "stop", "-detach", "-address", api.Address, Id);

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout.Trim(), Is.EqualTo(EvalId));
        Assert.That(api.Requests.Select(r => r.Request), Does.Contain($"DELETE /v1/job/{Escaped}"));
    }

    [Test]
    public async Task Job_status_reads_the_job_through_escaped_paths()
    {
        using var api = ApiWithTheJob();
        api.On($"GET /v1/job/{Escaped}", """{"ID":"a/b?c&d:e%f字","Name":"a/b?c&d:e%f字","Type":"service","Priority":50,"Status":"running","Datacenters":["dc1"],"TaskGroups":[]}""");
        api.On($"GET /v1/job/{Escaped}/summary", """{"JobID":"a/b?c&d:e%f字","Summary":{}}""");
        api.On($"GET /v1/job/{Escaped}/allocations", "[]");
        api.On($"GET /v1/job/{Escaped}/evaluations", "[]");
        api.On($"GET /v1/job/{Escaped}/deployment", "null");

        var (code, stdout, stderr) = await NomadAsync("job", "status", "-address", api.Address, Id);

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Match(@"(?m)^ID\s+= a/b\?c&d:e%f字$"));
        var paths = api.Requests.Select(r => r.Request.Split('?')[0]).ToList();
        Assert.That(paths, Does.Contain($"GET /v1/job/{Escaped}").And.Contain($"GET /v1/job/{Escaped}/summary"));
    }
}
