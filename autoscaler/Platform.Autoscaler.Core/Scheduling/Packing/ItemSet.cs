namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>A set of item indices as a bitset: kinds compare which items they admit thousands of times per re-pack.</summary>
internal sealed class ItemSet
{
    private readonly ulong[] words;

    public ItemSet(int count) => words = new ulong[(count + 63) / 64];

    public bool IsEmpty => words.All(w => w == 0);

    public bool Contains(int item) => (words[item >> 6] & (1UL << (item & 63))) != 0;

    public void Add(int item) => words[item >> 6] |= 1UL << (item & 63);

    /// <summary>Whether every item of <paramref name="other"/> is in this set.</summary>
    public bool Covers(ItemSet other)
    {
        for (var i = 0; i < words.Length; i++)
        {
            if ((other.words[i] & ~words[i]) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
