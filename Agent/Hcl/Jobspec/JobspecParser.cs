using Nomad.Agent.Config;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Hcl.Jobspec;

/// <summary>
/// Reads a Nomad job file (<c>job "name" { ... }</c>) into a <see cref="Job"/> with Nomad's defaults applied.
/// Syntax errors, wrong types and unknown keys are <see cref="JobspecException"/>s; rules that need the whole
/// job (names, ranges, collisions) are checked by <see cref="JobValidator"/>.
/// </summary>
public static class JobspecParser
{
    public static Job Parse(string hcl, string fileName)
    {
        try
        {
            var body = HclParser.Parse(hcl, fileName);
            var jobs = body.BlocksOfType("job").ToList();
            foreach (var item in body.Items.Where(i => i.Name != "job"))
                throw new JobspecException($"{item.Position}: unknown key \"{item.Name}\" (a job file holds one job block)");
            if (jobs.Count == 0) throw new JobspecException($"{fileName}: no job block found (want job \"name\" {{ ... }})");
            if (jobs.Count > 1) throw new JobspecException($"{jobs[1].Position}: only one job block is allowed per file");
            var job = jobs[0];
            if (job.Labels.Count != 1)
                throw new JobspecException($"{job.Position}: job needs exactly one name, e.g. job \"example\" {{ ... }}");
            return JobDefaults.Canonicalize(JobspecDecoder.DecodeJob(job.Labels[0], HclConfigReader.Read(job.Body)));
        }
        catch (HclException e)
        {
            throw new JobspecException(e.Message);
        }
        catch (ConfigException e)
        {
            throw new JobspecException(e.Message);
        }
    }

    public static Job ParseFile(string path) => Parse(File.ReadAllText(path), path);
}
