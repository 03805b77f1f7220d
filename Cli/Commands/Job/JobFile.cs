using Nomad.Agent.Jobspec;
using ApiJob = Nomad.Agent.Jobspec.Api.Job;

namespace Nomad.Cli.Commands.Job;

/// <summary>
/// Reads a job from a file or standard input as Nomad's CLI does: HCL2 (HCL1 with -hcl1) in native or JSON syntax, or
/// Nomad's API JSON (a JSON file that is not HCL's JSON syntax, as `nomad job run -json` reads it); first as the API
/// job the file describes, then as the job the server will run.
/// </summary>
public static class JobFile
{
    /// <summary>The name errors give the file: its path, or &lt;stdin&gt; for "-".</summary>
    public static string NameOf(string path) => path == "-" ? "<stdin>" : path;

    /// <summary>The API job the file describes, before canonicalisation: what `job run -output` prints.</summary>
    /// <exception cref="JobspecException">the file cannot be read as a job (one line per problem).</exception>
    public static ApiJob ReadApiJob(string path, JobFileOptions options)
    {
        var name = NameOf(path);
        var text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        if (!Nomad.Agent.Jobspec.JobFile.IsJson(text) || Nomad.Agent.Jobspec.JobFile.IsHclJson(text))
            return ReadHcl(text, name, options);

        return ApiJson.Read(JobJson.ParseObject(text, name), name);
    }

    /// <summary>
    /// A file HCL2 cannot read but HCL1 can (a job written for Nomad before 1.0) gets Nomad's hint to use -hcl1 before
    /// the HCL2 problems, as Nomad's CLI gives it.
    /// </summary>
    private static ApiJob ReadHcl(string text, string name, JobFileOptions options)
    {
        try
        {
            var job = Nomad.Agent.Jobspec.JobFile.Parse(text, name, options, canonicalize: false);
            StartupTrace.Mark("job decoded");
            return job;
        }
        catch (JobspecException e) when (!options.Hcl1 && ReadsAsHcl1(text, name, options))
        {
            throw new JobspecException(["Failed to parse using HCL 2. Use the HCL 1 parser with `nomad run -hcl1`, or address the following issues:", .. e.Problems]);
        }
    }

    private static bool ReadsAsHcl1(string text, string name, JobFileOptions options)
    {
        try
        {
            Nomad.Agent.Jobspec.JobFile.Parse(text, name, options with { Hcl1 = true }, canonicalize: false);
            return true;
        }
        catch (JobspecException)
        {
            return false;
        }
    }

    /// <summary>
    /// The job the server will run: canonicalised with Nomad's API defaults (in place: <paramref name="job"/> is
    /// changed) and read into the server's model. A stanza this agent cannot run yet is refused here, as registering
    /// would refuse it, never silently dropped.
    /// </summary>
    /// <exception cref="JobspecException">naming each stanza that is not supported yet.</exception>
    public static Nomad.Agent.Structs.Job ToServerJob(ApiJob job, string path)
    {
        var name = NameOf(path);
        var canonical = Canonicalizer.Canonicalize(job);
        JobspecParser.RefuseUnsupported(canonical, name);
        return JobspecParser.ToStructs(canonical, name);
    }
}
