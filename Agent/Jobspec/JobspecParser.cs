using Nomad.Agent.Config;
using Nomad.Agent.Hcl;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Jobspec;

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
            RejectExpressions(job.Body);
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

    /// <summary>Job files are HCL1-style literals (as in Nomad 0.11); a bare expression such as var.x is an error here.</summary>
    private static void RejectExpressions(HclBody body)
    {
        foreach (var item in body.Items)
        {
            switch (item)
            {
                case HclAttribute a: RejectExpressions(a.Value); break;
                case HclBlock b: RejectExpressions(b.Body); break;
            }
        }
    }

    private static void RejectExpressions(HclValue value)
    {
        switch (value)
        {
            case HclExpression e:
                throw new JobspecException($"{e.Position}: expressions are not supported in job files (quote \"{e.Source}\" if it is a string)");
            case HclList l:
                foreach (var v in l.Items) RejectExpressions(v);
                break;
            case HclObject o:
                foreach (var i in o.Items) RejectExpressions(i.Value);
                break;
        }
    }

    public static Job ParseFile(string path) => Parse(File.ReadAllText(path), path);
}
