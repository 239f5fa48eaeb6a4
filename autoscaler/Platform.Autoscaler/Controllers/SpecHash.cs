using System.Security.Cryptography;
using System.Text;
using k8s;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// The hashes drift is judged by. A NodeClaim records its NodePool's template hash and its EC2NodeClass's spec
/// hash at creation; when either changes, the node drifted. Requirements are left out of the NodePool hash (as
/// Karpenter does): a requirement change drifts only the nodes whose labels no longer satisfy it.
/// </summary>
public static class SpecHash
{
    /// <summary>The version written beside the hash, so a change of the hashing itself is not mistaken for drift.</summary>
    public const string Version = "v1";

    /// <summary>A short hex SHA-256 of an object's JSON.</summary>
    public static string Of(object? value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(value))))[..16];

    /// <summary>The NodePool's template hash, requirements excluded.</summary>
    public static string Of(NodePool pool)
    {
        var template = pool.Spec?.Template;
        return Of(template is null ? null : template with { Spec = template.Spec is null ? null : template.Spec with { Requirements = null } });
    }
}
