namespace Platform.Autoscaler.Aws.Tests.IamContract;

/// <summary>What IAM decides for one authorization, and why.</summary>
/// <param name="Allowed">True only when an Allow statement applies and no Deny does.</param>
/// <param name="Statement">The Deny that applied, the Allow that applied, or the Allow closest to applying.</param>
/// <param name="Explanation">Why: the statement that decided, or what kept the closest one from applying.</param>
public sealed record Decision(bool Allowed, IamStatement? Statement, string Explanation);

/// <summary>
/// Evaluates authorizations against one identity policy in the order the IAM User Guide gives for a single account
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an explicit Deny in any
/// statement that applies wins; else an Allow that applies allows; else the request is implicitly denied. A statement
/// applies when its Action, its Resource and every one of its conditions match.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>The decision for one authorization.</summary>
    public static Decision Evaluate(IamPolicy policy, AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        var applying = policy.Statements
            .Where(s => s.MatchesAction(request.Action) && s.MatchesResource(request.Resource) && s.FailingConditions(request).Count == 0)
            .ToList();
        if (applying.FirstOrDefault(s => !s.Allow) is { } deny)
        {
            return new Decision(false, deny, $"explicitly denied by statement {deny.Sid}");
        }

        if (applying.FirstOrDefault(s => s.Allow) is { } allow)
        {
            return new Decision(true, allow, $"allowed by statement {allow.Sid}");
        }

        return Closest(policy, request);
    }

    /// <summary>The Allow statement nearest to applying: one naming the action and resource beats one naming the action only.</summary>
    private static Decision Closest(IamPolicy policy, AuthorizationRequest request)
    {
        var candidates = policy.Statements.Where(s => s.Allow && s.MatchesAction(request.Action)).ToList();
        var best = candidates
            .Select(s => (Statement: s, ResourceMatches: s.MatchesResource(request.Resource), Failing: s.FailingConditions(request)))
            .OrderByDescending(c => c.ResourceMatches)
            .ThenBy(c => c.Failing.Count)
            .FirstOrDefault();
        if (best.Statement is null)
        {
            return new Decision(false, null, $"implicitly denied: no statement allows {request.Action}");
        }

        if (!best.ResourceMatches)
        {
            return new Decision(false, best.Statement,
                $"implicitly denied: closest statement {best.Statement.Sid} allows {request.Action} only on [{string.Join(", ", best.Statement.Resources ?? [])}]");
        }

        var why = best.Failing.Select(c =>
            $"{c} does not hold for {c.Key}={(request.Context.TryGetValue(c.Key, out var values) ? $"[{string.Join(", ", values)}]" : "(absent)")}");
        return new Decision(false, best.Statement, $"implicitly denied: closest statement {best.Statement.Sid} fails {string.Join("; ", why)}");
    }
}
