namespace Platform.Autoscaler.Aws.Catalog;

/// <summary>
/// Spot prices when DescribeSpotPriceHistory has none (offline, or an emulator): a deterministic share of the
/// on-demand price between 30% and 65%, fixed per (instance type, zone) by a hash so every run and every machine
/// agrees. Real spot discounts sit mostly in that band; the model exists so plans can prefer spot offline, not to
/// forecast prices.
/// </summary>
public static class SpotPriceModel
{
    /// <summary>Lowest modelled share of the on-demand price.</summary>
    public const double MinShare = 0.30;

    /// <summary>Width of the modelled band.</summary>
    public const double Band = 0.35;

    /// <summary>The modelled spot price, rounded to 1/10,000 USD.</summary>
    public static double Price(string instanceType, string zone, double onDemand)
    {
        var hash = 2166136261u;
        foreach (var c in $"{instanceType}|{zone}")
        {
            hash = (hash ^ c) * 16777619u;
        }

        var share = MinShare + Band * (hash % 10_000) / 10_000.0;
        return Math.Round(onDemand * share, 4);
    }
}
