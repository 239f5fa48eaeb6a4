namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// Whether a set of MIG instances fits one GPU: every profile is the model's, within its instance count, at most one
/// with media extensions, and all of them placed at once on the GPU's memory slices at the starts the MIG user guide
/// lists (so 4g.20gb + 3g.20gb fits an A100, while 4g.20gb + 2g.10gb + 2g.10gb does not).
/// </summary>
public static class MigPlacement
{
    /// <summary>Why the instances do not fit, or null when they do.</summary>
    public static string? Problem(GpuModel model, IReadOnlyDictionary<string, int> instances)
    {
        if (!model.SupportsMig)
        {
            return $"{model} has no MIG";
        }

        var wanted = new List<MigProfile>();
        foreach (var (name, count) in instances)
        {
            if (model.Profile(name) is not { } profile)
            {
                return $"{model} has no MIG profile {name} (it has {string.Join(", ", model.Profiles.Select(p => p.Name))})";
            }

            if (count > profile.MaxInstances)
            {
                return $"{model} takes at most {profile.MaxInstances} {name} instance(s), not {count}";
            }

            wanted.AddRange(Enumerable.Repeat(profile, count));
        }

        if (wanted.Count(p => p.MediaExtensions) > 1)
        {
            return $"{model} has the media engines for one +me instance only, not {wanted.Count(p => p.MediaExtensions)}";
        }

        var compute = wanted.Sum(p => p.ComputeSlices);
        if (compute > model.ComputeSlots)
        {
            return $"{string.Join(" + ", instances.Where(i => i.Value > 0).Select(i => $"{i.Value}x {i.Key}"))} needs {compute} compute slices; {model} has {model.ComputeSlots}";
        }

        // Largest first: each instance takes a run of memory slices at one of its allowed starts.
        wanted.Sort((a, b) => b.MemorySlices.CompareTo(a.MemorySlices));
        return Place(wanted, 0, new bool[model.MemorySlots])
            ? null
            : $"{string.Join(" + ", instances.Where(i => i.Value > 0).Select(i => $"{i.Value}x {i.Key}"))} cannot be placed together on {model}'s memory slices";
    }

    private static bool Place(List<MigProfile> wanted, int next, bool[] taken)
    {
        if (next == wanted.Count)
        {
            return true;
        }

        var profile = wanted[next];
        foreach (var start in profile.Placements)
        {
            if (start + profile.MemorySlices > taken.Length || Enumerable.Range(start, profile.MemorySlices).Any(s => taken[s]))
            {
                continue;
            }

            SetRange(taken, start, profile.MemorySlices, true);
            if (Place(wanted, next + 1, taken))
            {
                return true;
            }

            SetRange(taken, start, profile.MemorySlices, false);
        }

        return false;
    }

    private static void SetRange(bool[] slots, int start, int length, bool value)
    {
        for (var s = start; s < start + length; s++)
        {
            slots[s] = value;
        }
    }
}
