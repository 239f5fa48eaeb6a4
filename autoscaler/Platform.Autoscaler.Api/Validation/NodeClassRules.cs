using k8s.Models;

namespace Platform.Autoscaler.Api.Validation;

/// <summary>EC2NodeClass rules from Karpenter's CRD (CEL) for selector terms, tags and block devices.</summary>
internal static class NodeClassRules
{
    /// <summary>Families an alias may name.</summary>
    public static readonly IReadOnlyList<string> AliasFamilies = ["al2", "al2023", "bottlerocket", "windows2019", "windows2022"];

    private static readonly string[] RestrictedTagPrefixes = ["kubernetes.io/cluster/"];

    private static readonly string[] RestrictedTags =
        [WellKnownLabels.NodePool, "karpenter.sh/nodeclaim", "eks:eks-cluster-name", WellKnownLabels.Ec2NodeClass];

    public static IEnumerable<FieldError> AmiSelectorTerms(IList<AmiSelectorTerm>? terms, string? amiFamily)
    {
        const string path = "spec.amiSelectorTerms";
        terms ??= [];
        var errors = SelectorTerms(terms, path,
            t => [("tags", t.Tags is not null), ("id", t.Id is not null), ("name", t.Name is not null), ("alias", t.Alias is not null), ("ssmParameter", t.SsmParameter is not null)],
            t => t.Tags).ToList();

        var aliasIndex = terms.Select((t, i) => (t, i)).Where(x => x.t.Alias is not null).Select(x => x.i).ToList();
        if (aliasIndex.Count > 0 && terms.Count > 1)
        {
            errors.Add(new(path, "'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms"));
        }

        foreach (var i in aliasIndex)
        {
            var term = terms[i];
            var termPath = FieldPath.Index(path, i);
            if (term.Tags is not null || term.Id is not null || term.Name is not null || term.Owner is not null || term.SsmParameter is not null)
            {
                errors.Add(new(termPath, "'alias' is mutually exclusive, cannot be set with a combination of other fields in amiSelectorTerms"));
            }

            var (family, version) = SplitAlias(term.Alias!);
            if (!AliasFamilies.Contains(family))
            {
                errors.Add(new(FieldPath.Child(termPath, "alias"), $"unsupported alias family \"{family}\": use one of {string.Join(", ", AliasFamilies)} (e.g. al2023@latest)"));
            }
            else if (family.StartsWith("windows", StringComparison.Ordinal) && version != "latest")
            {
                errors.Add(new(FieldPath.Child(termPath, "alias"), $"windows families may only use version 'latest', got \"{version}\""));
            }
            else if (version != "latest" && !version.StartsWith('v'))
            {
                errors.Add(new(FieldPath.Child(termPath, "alias"), $"alias version must be 'latest' or a release such as v20240807, got \"{version}\""));
            }

            if (amiFamily is not null && !string.Equals(amiFamily, family, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new("spec.amiFamily", $"amiFamily {amiFamily} contradicts the alias {term.Alias}; remove amiFamily (the alias sets it)"));
            }
        }

        if (aliasIndex.Count == 0 && terms.Count > 0 && amiFamily is null)
        {
            errors.Add(new("spec.amiFamily", "must specify amiFamily if amiSelectorTerms does not contain an alias"));
        }

        if (terms.Any(t => t.Owner is not null && t.Name is null && t.Tags is null))
        {
            errors.Add(new(path, "'owner' narrows a 'name' or 'tags' selector and cannot be used alone"));
        }

        return errors;
    }

    /// <summary>family@version split at the first '@'.</summary>
    public static (string Family, string Version) SplitAlias(string alias)
    {
        var at = alias.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? (alias, "") : (alias[..at], alias[(at + 1)..]);
    }

    public static IEnumerable<FieldError> SelectorTerms<T>(
        IList<T>? terms, string path, Func<T, (string Field, bool Set)[]> fields, Func<T, IDictionary<string, string>?> tags)
    {
        for (var i = 0; i < (terms?.Count ?? 0); i++)
        {
            var termPath = FieldPath.Index(path, i);
            var set = fields(terms![i]);
            if (!set.Any(f => f.Set))
            {
                yield return new(termPath, $"expected at least one, got none, [{string.Join(", ", set.Select(f => $"'{f.Field}'"))}]");
            }

            foreach (var exclusive in new[] { "id", "alias" })
            {
                if (set.Any(f => f.Field == exclusive && f.Set) && set.Count(f => f.Set) > 1 && !(exclusive == "id" && set.Any(f => f.Field == "alias" && f.Set)))
                {
                    yield return new(termPath, $"'{exclusive}' is mutually exclusive, cannot be set with a combination of other fields in {path["spec.".Length..]}");
                }
            }

            if (set.Any(f => f.Field == "name" && f.Set) && path.EndsWith("securityGroupSelectorTerms", StringComparison.Ordinal) && set.Count(f => f.Set) > 1)
            {
                yield return new(termPath, "'name' is mutually exclusive, cannot be set with a combination of other fields in securityGroupSelectorTerms");
            }

            if (tags(terms[i]) is { } map && map.Any(kv => kv.Key.Length == 0 || kv.Value.Length == 0))
            {
                yield return new(FieldPath.Child(termPath, "tags"), "empty tag keys or values aren't supported");
            }
        }
    }

    public static IEnumerable<FieldError> Tags(IDictionary<string, string>? tags)
    {
        foreach (var key in tags?.Keys ?? [])
        {
            var path = FieldPath.Key("spec.tags", key);
            if (key.Length == 0)
            {
                yield return new(path, "empty tag keys aren't supported");
            }
            else if (RestrictedTags.Contains(key) || RestrictedTagPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
            {
                yield return new(path, $"tag \"{key}\" is restricted: the autoscaler sets it on every instance");
            }
        }
    }

    public static IEnumerable<FieldError> BlockDeviceMappings(IList<BlockDeviceMapping>? mappings)
    {
        const string path = "spec.blockDeviceMappings";
        mappings ??= [];
        if (mappings.Count(m => m.RootVolume == true) > 1)
        {
            yield return new(path, "must have only one blockDeviceMappings with rootVolume");
        }

        for (var i = 0; i < mappings.Count; i++)
        {
            var ebsPath = FieldPath.Child(FieldPath.Index(path, i), "ebs");
            if (mappings[i].Ebs is not { } ebs)
            {
                continue;
            }

            if (ebs.SnapshotID is null && ebs.VolumeSize is null)
            {
                yield return new(ebsPath, "snapshotID or volumeSize must be defined");
            }

            if (ebs.VolumeSize is { } size && (size.ToDecimal() < 1L << 30 || size.ToDecimal() > 64L << 40))
            {
                yield return new(FieldPath.Child(ebsPath, "volumeSize"), $"must be between 1Gi and 64Ti, got {size}");
            }

            if (ebs.Iops is not null && ebs.VolumeType is not ("io1" or "io2" or "gp3"))
            {
                yield return new(FieldPath.Child(ebsPath, "iops"), $"iops applies to io1, io2 and gp3 volumes, not {ebs.VolumeType ?? "the default type"}");
            }

            if (ebs.Throughput is { } throughput && (ebs.VolumeType != "gp3" || throughput is < 125 or > 1000))
            {
                yield return new(FieldPath.Child(ebsPath, "throughput"), "throughput applies to gp3 volumes only, from 125 to 1000 MiB/s");
            }
        }
    }

    internal static bool IsQuantity(string value)
    {
        try
        {
            _ = new ResourceQuantity(value).ToDecimal();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
