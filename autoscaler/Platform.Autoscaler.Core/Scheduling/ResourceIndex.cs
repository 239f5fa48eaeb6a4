using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Resources;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>Maps resource names to dense vector slots for one solve, so fits are array comparisons.</summary>
internal sealed class ResourceIndex
{
    private readonly Dictionary<string, int> slots = new(StringComparer.Ordinal);
    private readonly List<string> names = [];

    public ResourceIndex()
    {
        foreach (var name in new[] { WellKnownResources.Cpu, WellKnownResources.Memory, WellKnownResources.Pods, WellKnownResources.EphemeralStorage })
        {
            Slot(name);
        }
    }

    public int Count => names.Count;

    /// <summary>The slot order, as one string: vectors built under an equal layout are interchangeable.</summary>
    public string Layout => string.Join("|", names);

    public string Name(int slot) => names[slot];

    public int Slot(string name)
    {
        if (!slots.TryGetValue(name, out var slot))
        {
            slot = names.Count;
            slots[name] = slot;
            names.Add(name);
        }

        return slot;
    }

    public void Register(ResourceList list)
    {
        foreach (var name in list.Names)
        {
            Slot(name);
        }
    }

    /// <summary>The list as a vector; call after every name is registered.</summary>
    public long[] Vector(ResourceList list)
    {
        var vector = new long[Count];
        foreach (var (name, amount) in list.Entries)
        {
            vector[slots[name]] = amount;
        }

        return vector;
    }

    public ResourceList ToList(long[] vector) =>
        ResourceList.Of(vector.Select((amount, slot) => KeyValuePair.Create(names[slot], amount)));

    public static bool Fits(long[] need, long[] capacity)
    {
        for (var i = 0; i < need.Length; i++)
        {
            if (need[i] > capacity[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether used plus need fits the capacity; the check of a full node, without a copy.</summary>
    public static bool FitsWith(long[] used, long[] need, long[] capacity)
    {
        for (var i = 0; i < need.Length; i++)
        {
            if (used[i] + need[i] > capacity[i])
            {
                return false;
            }
        }

        return true;
    }

    public static void AddTo(long[] target, long[] amount, long times = 1)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += amount[i] * times;
        }
    }

    /// <summary>The first resource where need exceeds capacity, or -1.</summary>
    public static int FirstShort(long[] need, long[] capacity)
    {
        for (var i = 0; i < need.Length; i++)
        {
            if (need[i] > capacity[i])
            {
                return i;
            }
        }

        return -1;
    }
}
