namespace Platform.Autoscaler.Aws.Tests.IamContract;

/// <summary>
/// One authorization IAM makes for a request: an action on one resource, with the request context its conditions
/// read (aws:RequestTag/*, aws:TagKeys, aws:ResourceTag/*, aws:RequestedRegion, ec2:CreateAction, iam:PassedToService).
/// An API call usually needs several: CreateFleet is authorized on every resource it uses or creates.
/// </summary>
/// <param name="Action">service:Action, e.g. ec2:CreateFleet.</param>
/// <param name="Resource">The resource's ARN; "*" for actions without resource-level permissions; ".../type/*" for one being created.</param>
/// <param name="Context">Condition keys to their values (case-insensitive keys; aws:TagKeys is multivalued).</param>
/// <param name="Call">The API call this authorization belongs to, for messages (e.g. "ec2 CreateFleet").</param>
public sealed record AuthorizationRequest(string Action, string Resource, IReadOnlyDictionary<string, IReadOnlyList<string>> Context, string Call)
{
    /// <summary>Condition keys that may hold several values.</summary>
    public static readonly IReadOnlySet<string> MultivaluedKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "aws:TagKeys" };

    /// <inheritdoc />
    public override string ToString() => $"{Action} on {Resource} (for {Call})";
}
