using Microsoft.AspNetCore.Http;

namespace Nomad.Agent.Http;

/// <summary>
/// The order of Nomad's cluster-wide lists (/v1/evaluations, /v1/allocations): oldest first by CreateIndex,
/// newest first with `?reverse=true`; with `?prefix=` they are in ID order.
/// </summary>
public static class ListOrder
{
    public static IEnumerable<T> Apply<T>(HttpContext ctx, IEnumerable<T> items, bool byId, Func<T, ulong> createIndex, Func<T, string> id)
    {
        var reverse = RequestBody.QueryBool(ctx, "reverse");
        if (byId) return reverse ? items.OrderByDescending(id, StringComparer.Ordinal) : items.OrderBy(id, StringComparer.Ordinal);
        return reverse
            ? items.OrderByDescending(createIndex).ThenByDescending(id, StringComparer.Ordinal)
            : items.OrderBy(createIndex).ThenBy(id, StringComparer.Ordinal);
    }
}
