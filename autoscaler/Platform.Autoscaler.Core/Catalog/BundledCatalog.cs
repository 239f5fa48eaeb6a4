using System.Reflection;

namespace Platform.Autoscaler.Core.Catalog;

/// <summary>
/// The catalog shipped with the product: every current-generation us-east-1 type, every GPU and Neuron type,
/// with the on-demand prices of the AWS Price List and modelled spot prices (see its source line).
/// </summary>
public static class BundledCatalog
{
    /// <summary>The region the bundled catalog covers.</summary>
    public const string Region = "us-east-1";

    /// <summary>Loads and parses the bundled catalog (about 1,100 types); callers keep the result.</summary>
    public static InstanceCatalog Load()
    {
        using var stream = typeof(BundledCatalog).Assembly.GetManifestResourceStream($"Catalog.{Region}.json")
            ?? throw new InvalidOperationException($"the bundled catalog Catalog.{Region}.json is missing from {typeof(BundledCatalog).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return CatalogJson.Parse(reader.ReadToEnd(), $"bundled {Region} catalog");
    }
}
