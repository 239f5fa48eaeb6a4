using System.Text.Json.Nodes;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Tests.RealApiServer.Host;

/// <summary>
/// The writes that carry a node through its life, named from the requests the service sends (read off the wire by a
/// <see cref="ProcessProxy"/>): what lands in the API server or in EC2 and changes what a restarted process finds.
/// Reads, Lease renewals, events and the status of pools and classes are not steps.
/// </summary>
internal static class LifeSteps
{
    public const string CreateNodeClaim = "create NodeClaim";
    public const string CreateLaunchTemplate = "EC2 CreateLaunchTemplate";
    public const string CreateFleet = "EC2 CreateFleet";
    public const string LabelNodeClaim = "label NodeClaim";
    public const string Launched = "NodeClaim Launched";
    public const string RegisterNode = "register Node";
    public const string Registered = "NodeClaim Registered";
    public const string InitializeNode = "initialize Node";
    public const string Initialized = "NodeClaim Initialized";
    public const string DeleteNodeClaim = "delete NodeClaim";
    public const string TaintNode = "taint Node disrupted";
    public const string EvictPod = "evict Pod";
    public const string TerminateInstances = "EC2 TerminateInstances";
    public const string DeleteNode = "delete Node";
    public const string ReleaseNode = "release Node";
    public const string ReleaseNodeClaim = "release NodeClaim";

    /// <summary>A pending pod's way to a node it is bound to.</summary>
    public static readonly IReadOnlyList<string> Provisioning =
        [CreateNodeClaim, CreateLaunchTemplate, CreateFleet, LabelNodeClaim, Launched, RegisterNode, Registered, InitializeNode, Initialized];

    /// <summary>An empty node consolidated: the claim deleted, then the node's termination.</summary>
    public static readonly IReadOnlyList<string> Consolidation =
        [DeleteNodeClaim, TaintNode, TerminateInstances, DeleteNode, ReleaseNode, ReleaseNodeClaim];

    /// <summary>A node with a pod deleted by <c>kubectl delete node</c>: its claim deleted, the pod evicted, the termination.</summary>
    public static readonly IReadOnlyList<string> NodeDeletion =
        [DeleteNodeClaim, TaintNode, EvictPod, TerminateInstances, DeleteNode, ReleaseNode, ReleaseNodeClaim];

    /// <summary>The step a request is, or null when it is none.</summary>
    public static string? Of(ProxiedRequest request)
    {
        if (request.AwsAction is { } action)
        {
            return action switch
            {
                "CreateLaunchTemplate" => CreateLaunchTemplate,
                "CreateFleet" => CreateFleet,
                "TerminateInstances" => TerminateInstances,
                _ => null,
            };
        }

        var path = request.Path.Trim('/').Split('/');
        var body = request.Body.Length > 0 && request.Body.TrimStart().StartsWith('{') ? JsonNode.Parse(request.Body) as JsonObject : null;
        return (request.Method, path) switch
        {
            ("POST", ["apis", "karpenter.sh", "v1", "nodeclaims"]) => CreateNodeClaim,
            ("DELETE", ["apis", "karpenter.sh", "v1", "nodeclaims", _]) => DeleteNodeClaim,
            ("PATCH", ["apis", "karpenter.sh", "v1", "nodeclaims", _]) => NodeClaimMetadata(body),
            ("PATCH", ["apis", "karpenter.sh", "v1", "nodeclaims", _, "status"]) => NodeClaimStatus(body),
            ("PATCH", ["api", "v1", "nodes", _]) => NodePatch(body),
            ("DELETE", ["api", "v1", "nodes", _]) => DeleteNode,
            ("POST", ["api", "v1", "namespaces", _, "pods", _, "eviction"]) => EvictPod,
            _ => null,
        };
    }

    private static string? NodeClaimMetadata(JsonObject? body)
    {
        var metadata = body?["metadata"] as JsonObject;
        return Releases(metadata) ? ReleaseNodeClaim : metadata?["labels"] is JsonObject ? LabelNodeClaim : null;
    }

    /// <summary>A status patch replaces the whole condition list: the furthest condition that is True names the step.</summary>
    private static string? NodeClaimStatus(JsonObject? body)
    {
        if (body?["status"]?["conditions"] is not JsonArray conditions)
        {
            return null;
        }

        bool True(string type) => conditions.Any(c => c?["type"]?.GetValue<string>() == type && c?["status"]?.GetValue<string>() == "True");
        return True("Initialized") ? Initialized : True("Registered") ? Registered : True("Launched") ? Launched : null;
    }

    private static string? NodePatch(JsonObject? body)
    {
        var metadata = body?["metadata"] as JsonObject;
        if (metadata?["ownerReferences"] is JsonArray)
        {
            return RegisterNode;
        }

        if (metadata?["labels"]?[WellKnownLabels.NodeInitialized] is not null)
        {
            return InitializeNode;
        }

        if (body?["spec"]?["taints"] is JsonArray taints && taints.Any(t => t?["key"]?.GetValue<string>() == WellKnownTaints.Disrupted))
        {
            return TaintNode;
        }

        return Releases(metadata) ? ReleaseNode : null;
    }

    /// <summary>The patch sets the finalizers without the termination finalizer, or removes them all (a null member).</summary>
    private static bool Releases(JsonObject? metadata) =>
        metadata is not null && metadata.TryGetPropertyValue("finalizers", out var finalizers)
        && (finalizers is null || (finalizers is JsonArray list && !list.Any(f => f?.GetValue<string>() == WellKnownAnnotations.TerminationFinalizer)));
}
