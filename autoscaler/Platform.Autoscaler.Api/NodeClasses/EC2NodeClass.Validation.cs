using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api;

public sealed partial record EC2NodeClass
{
    /// <summary>The EC2NodeClass rules beyond its schema (Karpenter's CEL rules on selectors, identity, tags, volumes, kubelet).</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        if (Spec is not { } spec)
        {
            return [];
        }

        var errors = new List<FieldError>();
        if ((spec.Role is null) == (spec.InstanceProfile is null))
        {
            errors.Add(new("spec", "must specify exactly one of ['role', 'instanceProfile']"));
        }

        if (spec.Role is "")
        {
            errors.Add(new("spec.role", "role cannot be empty"));
        }

        if (spec.InstanceProfile is "")
        {
            errors.Add(new("spec.instanceProfile", "instanceProfile cannot be empty"));
        }

        errors.AddRange(NodeClassRules.AmiSelectorTerms(spec.AmiSelectorTerms, spec.AmiFamily));
        errors.AddRange(NodeClassRules.SelectorTerms(spec.SubnetSelectorTerms, "spec.subnetSelectorTerms",
            t => [("tags", t.Tags is not null), ("id", t.Id is not null)], t => t.Tags));
        errors.AddRange(NodeClassRules.SelectorTerms(spec.SecurityGroupSelectorTerms, "spec.securityGroupSelectorTerms",
            t => [("tags", t.Tags is not null), ("id", t.Id is not null), ("name", t.Name is not null)], t => t.Tags));
        errors.AddRange(NodeClassRules.Tags(spec.Tags));
        errors.AddRange(NodeClassRules.BlockDeviceMappings(spec.BlockDeviceMappings));
        errors.AddRange(KubeletRules.Validate(spec.Kubelet, "spec.kubelet"));
        if (spec.CapacityReservationSelectorTerms is not null)
        {
            errors.Add(new("spec.capacityReservationSelectorTerms", EC2NodeClassSpec.CapacityReservationsUnsupported));
        }

        if (spec.IpPrefixCount is not null)
        {
            errors.Add(new("spec.ipPrefixCount", EC2NodeClassSpec.IpPrefixCountUnsupported));
        }

        return errors;
    }
}
