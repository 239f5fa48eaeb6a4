using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Platform.Infra.Blueprint.Network;

/// <summary>An IPv4 block: its network address and prefix length.</summary>
public readonly record struct Ipv4Cidr(uint Network, int Prefix)
{
    /// <summary>Parses <c>a.b.c.d/n</c>; fails on host bits below the prefix, naming the aligned block.</summary>
    public static bool TryParse(string text, out Ipv4Cidr cidr, out string error)
    {
        cidr = default;
        var parts = text.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || parts[0].Count(c => c == '.') != 3
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32)
        {
            error = $"'{text}' is not an IPv4 CIDR block (a.b.c.d/n)";
            return false;
        }

        var bytes = address.GetAddressBytes();
        var value = (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        if ((value & ~mask) != 0)
        {
            error = $"'{text}' has host bits set; did you mean {new Ipv4Cidr(value & mask, prefix)}?";
            return false;
        }

        cidr = new Ipv4Cidr(value, prefix);
        error = "";
        return true;
    }

    /// <summary>The <paramref name="index"/>-th block of length <paramref name="prefix"/> inside this one.</summary>
    public Ipv4Cidr Subnet(int prefix, int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prefix, Prefix);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefix, 32);
        var count = 1L << (prefix - Prefix);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        return new Ipv4Cidr(Network + (uint)((long)index << (32 - prefix)), prefix);
    }

    /// <summary>Whether this block lies inside <paramref name="other"/>.</summary>
    public bool IsWithin(Ipv4Cidr other) =>
        Prefix >= other.Prefix && (Network & (other.Prefix == 0 ? 0u : uint.MaxValue << (32 - other.Prefix))) == other.Network;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Network >> 24}.{(Network >> 16) & 255}.{(Network >> 8) & 255}.{Network & 255}/{Prefix}";
}
