namespace Platform.Autoscaler.Api.Validation;

/// <summary>EC2NodeClass rules from Karpenter's CRD (CEL) for selector terms, tags and block devices.</summary>
internal static class NodeClassRules
{
    /// <summary>Families an alias may name.</summary>
    public static readonly IReadOnlyList<string> AliasFamilies = ["al2", "al2023", "bottlerocket", "windows2019", "windows2022", "windows2025"];

    /// <summary>The amiFamily each alias family stands for.</summary>
    public static readonly IReadOnlyDictionary<string, string> FamilyNames = new Dictionary<string, string>
    {
        ["al2"] = "AL2", ["al2023"] = "AL2023", ["bottlerocket"] = "Bottlerocket",
        ["windows2019"] = "Windows2019", ["windows2022"] = "Windows2022", ["windows2025"] = "Windows2025",
    };

    public static readonly string[] RestrictedTags =
        ["eks:eks-cluster-name", WellKnownLabels.NodePool, "karpenter.sh/nodeclaim", WellKnownLabels.Ec2NodeClass];

    public static IEnumerable<FieldError> AmiSelectorTerms(IList<AmiSelectorTerm>? terms, string? amiFamily)
    {
        const string path = "spec.amiSelectorTerms";
        terms ??= [];
        var errors = SelectorTerms(terms, path,
            t => [("tags", t.Tags is not null), ("id", t.Id is not null), ("name", t.Name is not null), ("alias", t.Alias is not null), ("ssmParameter", t.SsmParameter is not null)],
            t => t.Tags, exclusiveChecks: false).ToList();

        for (var i = 0; i < terms.Count; i++)
        {
            if (terms[i] is { Id: not null } t && (t.Alias is not null || t.Tags is not null || t.Name is not null || t.Owner is not null))
            {
                errors.Add(new(FieldPath.Index(path, i), "'id' is mutually exclusive, cannot be set with a combination of other fields in amiSelectorTerms"));
            }
        }

        var aliasIndex = terms.Select((t, i) => (t, i)).Where(x => x.t.Alias is not null).Select(x => x.i).ToList();
        if (aliasIndex.Count > 0 && terms.Count > 1)
        {
            errors.Add(new(path, "'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms"));
        }

        foreach (var i in aliasIndex)
        {
            var term = terms[i];
            var termPath = FieldPath.Index(path, i);
            if (term.Tags is not null || term.Id is not null || term.Name is not null || term.Owner is not null)
            {
                errors.Add(new(termPath, "'alias' is mutually exclusive, cannot be set with a combination of other fields in amiSelectorTerms"));
            }

            var (family, version) = SplitAlias(term.Alias!);
            if (!FamilyNames.TryGetValue(family, out var familyName))
            {
                errors.Add(new(FieldPath.Child(termPath, "alias"), $"family is not supported, must be one of the following: {string.Join(", ", AliasFamilies.Select(f => $"'{f}'"))} (got \"{family}\")"));
                continue;
            }

            if (family.StartsWith("windows", StringComparison.Ordinal) && version != "latest")
            {
                errors.Add(new(FieldPath.Child(termPath, "alias"), $"windows families may only specify version 'latest' (got \"{version}\")"));
            }

            if (amiFamily is not null && amiFamily != "Custom" && amiFamily != familyName)
            {
                var article = family.StartsWith("al", StringComparison.Ordinal) ? "an" : "a";
                errors.Add(new("spec.amiFamily", $"if set, amiFamily must be '{familyName}' or 'Custom' when using {article} {familyName} alias"));
            }
        }

        if (aliasIndex.Count == 0 && terms.Count > 0 && amiFamily is null)
        {
            errors.Add(new("spec.amiFamily", "must specify amiFamily if amiSelectorTerms does not contain an alias"));
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
        IList<T>? terms, string path, Func<T, (string Field, bool Set)[]> fields, Func<T, IDictionary<string, string>?> tags,
        bool exclusiveChecks = true)
    {
        var termName = path.EndsWith("subnetSelectorTerms", StringComparison.Ordinal) ? "a subnet selector term" : "a security group selector term";
        for (var i = 0; i < (terms?.Count ?? 0); i++)
        {
            var termPath = FieldPath.Index(path, i);
            var set = fields(terms![i]);
            if (!set.Any(f => f.Set))
            {
                yield return new(termPath, $"expected at least one, got none, [{string.Join(", ", set.Select(f => $"'{f.Field}'"))}]");
            }

            // Karpenter's CEL only fails when every term mixes fields (a quirk of "!self.all"); each term is checked here.
            foreach (var exclusive in exclusiveChecks ? new[] { "id", "name" } : [])
            {
                if (set.Any(f => f.Field == exclusive && f.Set) && set.Count(f => f.Set) > 1)
                {
                    yield return new(termPath, $"'{exclusive}' is mutually exclusive, cannot be set with a combination of other fields in {termName}");
                }
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
            else if (key.StartsWith("kubernetes.io/cluster", StringComparison.Ordinal))
            {
                yield return new(path, "tag contains a restricted tag matching kubernetes.io/cluster/ (the autoscaler sets it on every instance)");
            }
            else if (RestrictedTags.Contains(key))
            {
                yield return new(path, $"tag contains a restricted tag matching {key} (the autoscaler sets it on every instance)");
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

            if (ebs.VolumeInitializationRate is not null && string.IsNullOrEmpty(ebs.SnapshotID))
            {
                yield return new(ebsPath, "snapshotID must be set when volumeInitializationRate is set");
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
}
