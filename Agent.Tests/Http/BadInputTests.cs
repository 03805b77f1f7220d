using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Nomad.Agent.Http;
using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Http;

/// <summary>
/// Whatever a caller sends, the answer is never a 500: malformed bodies and query values are 400s with a one-line
/// message. Only a bug is a 500, and its stack goes to the agent's log, never to the caller.
/// </summary>
public sealed class BadInputTests
{
    private ApiServer _api = null!;
    private string _nodeId = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _api = await ApiServer.StartAsync();
        _nodeId = Guid.NewGuid().ToString();
        await _api.ApplyAsync(new NodeRegisterCommand(new Node { ID = _nodeId, Name = "n1", SecretID = "s", Status = NodeStatus.Ready }, null));
        await _api.PutAsync("/v1/jobs", new JsonObject { ["Job"] = JobApiTests.JobJson("example") }.ToJsonString());
    }

    [OneTimeTearDown]
    public async Task Stop() => await _api.DisposeAsync();

    // PUT /v1/agent/servers is a client's: this server-only agent answers it 501 before reading anything.
    private static readonly string[] BodyEndpoints =
    [
        "PUT /v1/jobs", "POST /v1/jobs", "PUT /v1/jobs/parse", "POST /v1/job/example", "PUT /v1/job/example/plan",
        "PUT /v1/job/example/evaluate", "PUT /v1/node/NODE/eligibility", "PUT /v1/node/NODE/drain", "PUT /v1/node/NODE/evaluate",
        "PUT /v1/system/gc",
    ];

    private static readonly string[] Bodies =
    [
        "", " ", "{", "}", "[]", "null", "true", "42", "\"text\"", "{\"Job\":", "{\"Job\":null}", "{\"Job\":[]}", "{\"Job\":\"x\"}",
        "{\"Job\":{}}", "{\"Job\":{\"ID\":{}}}", "{\"Job\":{\"ID\":1e400}}", "{\"Job\":{\"ID\":\"a\",\"TaskGroups\":{}}}",
        "{\"Job\":{\"ID\":\"a\",\"TaskGroups\":[{\"Count\":99999999999999999999}]}}",
        "{\"Job\":{\"ID\":\"a\",\"Priority\":-1e308,\"TaskGroups\":[{\"Tasks\":[{\"Resources\":{\"CPU\":\"x\"}}]}]}}",
        "{\"Job\":{\"ID\":\"dup\"},\"Job\":{\"ID\":\"dup\"}}", "{\"Job\":{\"ID\":\"a\",\"ID\":\"b\",\"id\":\"c\"}}",
        "{\"Eligibility\":\"eligible\",\"Eligibility\":7}", "{\"Eligibility\":[]}", "{\"DrainSpec\":7}", "{\"DrainSpec\":{\"Deadline\":1e30}}",
        "{\"DrainSpec\":{\"Deadline\":\"1h\"}}", "{\"MarkEligible\":\"yes\"}", "{\"EnforceIndex\":1,\"JobModifyIndex\":-1}",
        "{\"JobModifyIndex\":18446744073709551616}", "{\"JobHCL\":7}", "{\"JobHCL\":\"job {\"}", "{\"JobHCL\":\"job \\\"x\\\" {\\n\\u0000\"}",
        "{\"Diff\":\"x\"}", "\u0000", "{\"a\":\"\\ud800\"}", "{\"Job\":{\"ID\":\"a\\u0000b\"}}",
        new string('[', 10_000), "{\"Job\":" + new string('[', 200) + new string(']', 200) + "}",
    ];

    private static readonly string[] QueryEndpoints =
    [
        "GET /v1/jobs", "GET /v1/job/example", "GET /v1/job/example/allocations", "GET /v1/job/example/evaluations",
        "GET /v1/job/example/summary", "GET /v1/nodes", "GET /v1/node/NODE", "GET /v1/node/NODE/allocations",
        "GET /v1/evaluations", "GET /v1/allocations", "DELETE /v1/job/missing", "GET /v1/status/leader", "GET /v1/agent/self",
        "GET /v1/operator/raft/configuration", "PUT /v1/agent/join", "PUT /v1/agent/force-leave",
        "GET /v1/agent/members", "GET /v1/client/stats", "PUT /v1/job/example/evaluate", "PUT /v1/node/NODE/evaluate",
        "GET /v1/regions", "GET /v1/evaluation/x/allocations",
    ];

    private static readonly string[] Queries =
    [
        "index=x", "index=-1", "index=18446744073709551616", "index=1&wait=forever", "index=1&wait=-5s", "index=1&wait=9999999999999h",
        "wait=1e400s", "purge=maybe", "stale=x", "prefix=%00", "prefix=%ff%fe", "region=", "region=%00", "reverse=x", "per_page=-1",
        "next_token=%00", "filter=((", "index=1&index=2", "%=%", "namespace=%00", "address=%00", "address=::::", "address=[::1",
        "address=127.0.0.1:99999999", "address=host:-1", "address=" + new string('a', 300) + ":4648", "address=:0", "node=%00",
        "node=x&prune=maybe", "node_id=%00",
    ];

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string methodAndPath, string? query, string? body)
    {
        var parts = methodAndPath.Split(' ');
        var path = parts[1].Replace("NODE", _nodeId, StringComparison.Ordinal) + (query is null ? "" : "?" + query);
        using var request = new HttpRequestMessage(new HttpMethod(parts[0]), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _api.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task No_malformed_body_gets_a_500()
    {
        var failures = new List<string>();
        foreach (var endpoint in BodyEndpoints)
            foreach (var body in Bodies)
            {
                var (status, text) = await SendAsync(endpoint, null, body);
                if (status >= HttpStatusCode.InternalServerError || text.Contains('\n') || text.Contains("   at "))
                    failures.Add($"{endpoint} {Shorten(body)} -> {(int)status} {Shorten(text)}");
            }
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task No_malformed_query_gets_a_500()
    {
        var failures = new List<string>();
        foreach (var endpoint in QueryEndpoints)
            foreach (var query in Queries)
            {
                // A blocking query that parses waits: a short wait keeps every probe quick.
                var q = query.Contains("index=1") && !query.Contains("wait") ? query + "&wait=10ms" : query;
                var (status, text) = await SendAsync(endpoint, q, null);
                if (status >= HttpStatusCode.InternalServerError || text.Contains('\n') || text.Contains("   at "))
                    failures.Add($"{endpoint}?{q} -> {(int)status} {Shorten(text)}");
            }
        Assert.That(failures, Is.Empty);
    }

    private static readonly string[] Paths =
    [
        "/v1/job/%", "/v1/job/%zz", "/v1/job/%FF", "/v1/job/%C3", "/v1/job/%ED%A0%80", "/v1/job/..%2F..", "/v1/job/%2E%2E",
        "/v1/job/%2e", "/v1/job/a%2F..%2F..%2Fagent%2Fself", "//v1/jobs", "/v1//jobs", "/v1/job//summary", "/v1/job/%2F/summary",
        "/v1/job/" + new string('a', 5000), "/v1/job/%25%25%25", "/v1/node/%2F%2F", "/v1/allocation/%3F%23", "/v1/evaluation/%20",
        "/v1/job/a%0Ab", "/v1/job/a%0Db", "/v1/job/a%09b/allocations", "/v1/%6Aobs", "/v1/job/example/%2E%2E/example",
    ];

    [Test]
    public async Task No_malformed_path_gets_a_500()
    {
        var failures = new List<string>();
        foreach (var method in new[] { "GET", "PUT", "DELETE" })
            foreach (var path in Paths)
            {
                var (status, text) = await SendRawAsync(method, path);
                if (status >= 500 || text.Contains('\n') || text.Contains("   at "))
                    failures.Add($"{method} {Shorten(path)} -> {status} {Shorten(text)}");
            }
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task Malformed_input_is_a_400_naming_the_problem()
    {
        Assert.That(await SendAsync("PUT /v1/jobs", null, "{"), Is.EqualTo((HttpStatusCode.BadRequest,
            "Failed to decode request body: line 1: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.")));
        Assert.That((await SendAsync("PUT /v1/jobs", null, new string('[', 10_000))).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await SendAsync("GET /v1/jobs", "index=x", null),
            Is.EqualTo((HttpStatusCode.BadRequest, "Invalid index: \"x\" is not a non-negative integer")));
        Assert.That(await SendAsync("DELETE /v1/job/example", "purge=maybe", null),
            Is.EqualTo((HttpStatusCode.BadRequest, "Failed to parse value of \"purge\" (maybe) as a bool")));
    }

    // Go's decoder takes the last of duplicate keys; so does every endpoint that reads a body.
    [Test]
    public async Task A_key_given_twice_takes_its_last_value()
    {
        var first = JobApiTests.JobJson("first").ToJsonString();
        var second = JobApiTests.JobJson("second").ToJsonString();
        var (status, text) = await SendAsync("PUT /v1/jobs", null, $"{{\"Job\":{first},\"Job\":{second}}}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(_api.State.JobById("second"), Is.Not.Null);
        Assert.That(_api.State.JobById("first"), Is.Null);

        // Case-insensitive matches count as the same field, as in Go: the last one given wins.
        (status, text) = await SendAsync("PUT /v1/jobs/parse", null, "{\"JobHCL\":\"job \\\"a\\\" {}\",\"jobhcl\":\"job \\\"b\\\" {}\"}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(JsonNode.Parse(text)!["ID"]!.GetValue<string>(), Is.EqualTo("b"));

        (status, text) = await SendAsync("PUT /v1/node/NODE/eligibility", null, "{\"Eligibility\":\"eligible\",\"Eligibility\":\"ineligible\"}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(_api.State.NodeById(_nodeId)!.SchedulingEligibility, Is.EqualTo("ineligible"));
        await SendAsync("PUT /v1/node/NODE/eligibility", null, "{\"Eligibility\":\"eligible\"}");

        // Nested objects too: the job's own ID given twice.
        (status, text) = await SendAsync("PUT /v1/jobs", null, JobApiTests.JobJson("inner-a").ToJsonString()
            .Replace("\"ID\":\"inner-a\"", "\"ID\":\"inner-a\",\"ID\":\"inner-b\"", StringComparison.Ordinal) is var job ? $"{{\"Job\":{job}}}" : "");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(_api.State.JobById("inner-b"), Is.Not.Null);
    }

    [Test]
    public async Task A_bug_is_a_one_line_500_and_its_stack_goes_to_the_log()
    {
        var log = new StringWriter();
        var mapping = new ErrorMapping(new LogSink(log, LogSeverity.Info).For("http"));
        var ctx = new DefaultHttpContext();
        ctx.Request.Method = "GET";
        ctx.Request.Path = "/v1/jobs";
        ctx.Response.Body = new MemoryStream();

        await mapping.InvokeAsync(ctx, _ => throw new InvalidOperationException("state went wrong\nsecond line"));

        Assert.That(ctx.Response.StatusCode, Is.EqualTo(500));
        var body = Encoding.UTF8.GetString(((MemoryStream)ctx.Response.Body).ToArray());
        Assert.That(body, Is.EqualTo("state went wrong second line"));
        var logged = log.ToString();
        Assert.That(logged, Does.Contain("[ERROR] http: request failed: method=GET path=/v1/jobs error=\"state went wrong second line\""));
        Assert.That(logged, Does.Contain("System.InvalidOperationException").And.Contain("   at "), "the stack is logged");
    }

    /// <summary>Sends the request target exactly as given (HttpClient would normalise "//" and dot segments) and reads the answer (HTTP/1.0: no chunks).</summary>
    private async Task<(int Status, string Body)> SendRawAsync(string method, string target)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _api.Http.BaseAddress!.Port);
        var stream = tcp.GetStream();
        var body = method == "PUT" ? "{}" : "";
        var request = $"{method} {target} HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {body.Length}\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var answer = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();
        var status = int.Parse(answer.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var split = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, split < 0 ? "" : answer[(split + 4)..]);
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "...";
}
