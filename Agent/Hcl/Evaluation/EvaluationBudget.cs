namespace Nomad.Agent.Hcl.Evaluation;

/// <summary>
/// How many values one evaluation (one file's variables, locals or job block) may make in loops, splats and function
/// results. A real job file makes thousands; nested <c>for</c> expressions over large ranges could make billions and
/// exhaust the agent's memory through <c>/v1/jobs/parse</c>, so past the limit evaluation stops with one error.
/// </summary>
internal sealed class EvaluationBudget
{
    public const int MaxValues = 1_000_000;

    private int _spent;

    public void Spend(int values, HclPosition position)
    {
        _spent += values;
        if (_spent > MaxValues)
            throw new EvaluationException(position, "Too many values",
                $"Evaluating this file makes more than {MaxValues} values in loops and function results; a job file this large is refused.");
    }
}
