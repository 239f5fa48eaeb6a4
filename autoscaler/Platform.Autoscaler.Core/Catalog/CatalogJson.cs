using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Autoscaler.Core.Catalog;

/// <summary>
/// The catalog file format (documented in README): <c>{"region", "source", "instanceTypes": [{"name", "architecture",
/// "vCpus", "memoryMiB", "gpu": {...}, "accelerator": {...}, "efaInterfaces", "localNvmeGiB", "maxNetworkInterfaces",
/// "ipv4PerInterface", ..., "offerings": [{"zone", "capacityType", "price"}]}]}</c>. Parsing is a pure function of the text.
/// </summary>
public static class CatalogJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        // The web defaults read "0.5" and "NaN" as numbers; a catalog's numbers are numbers.
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>Parses a catalog, or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static InstanceCatalog Parse(string json, string source = "catalog")
    {
        InstanceCatalog? catalog;
        try
        {
            catalog = JsonSerializer.Deserialize<InstanceCatalog>(json, Options);
        }
        catch (JsonException e)
        {
            var error = Api.Serialization.TypedDocument.JsonError(typeof(InstanceCatalog), json, e);
            throw new FormatException(error.Path.Length == 0 ? $"{source}: {error.Message}" : $"{source}: {error}", e);
        }

        if (catalog?.InstanceTypes is null)
        {
            throw new FormatException($"{source}: instanceTypes: required");
        }

        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < catalog.InstanceTypes.Count; i++)
        {
            var type = catalog.InstanceTypes[i];
            var path = $"instanceTypes[{i}] ({type.Name})";
            if (!names.Add(type.Name))
            {
                errors.Add($"{path}: duplicate instance type");
            }

            if (type.VCpus <= 0 || type.MemoryMiB <= 0)
            {
                errors.Add($"{path}: vCpus and memoryMiB must be positive");
            }

            if (type.Architecture is not ("amd64" or "arm64"))
            {
                errors.Add($"{path}.architecture: must be amd64 or arm64, got \"{type.Architecture}\"");
            }

            for (var o = 0; o < (type.Offerings?.Count ?? 0); o++)
            {
                var offering = type.Offerings![o];
                if (offering.Price < 0 || !double.IsFinite(offering.Price))
                {
                    errors.Add($"{path}.offerings[{o}].price: must not be negative");
                }

                if (offering.CapacityType is not ("spot" or "on-demand" or "reserved"))
                {
                    errors.Add($"{path}.offerings[{o}].capacityType: must be spot, on-demand or reserved, got \"{offering.CapacityType}\"");
                }
            }
        }

        // One error per line, each naming the file: a catalog with many mistakes stays readable.
        return errors.Count == 0 ? catalog : throw new FormatException(string.Join("\n", errors.Select(e => $"{source}: {e}")));
    }

    /// <summary>Writes a catalog in the same format (one line per instance type keeps diffs readable).</summary>
    public static string Write(InstanceCatalog catalog)
    {
        var types = catalog.InstanceTypes.Select(t => "    " + JsonSerializer.Serialize(t, Options));
        return "{\n"
            + $"  \"region\": {JsonSerializer.Serialize(catalog.Region)},\n"
            + $"  \"source\": {JsonSerializer.Serialize(catalog.Source)},\n"
            + "  \"instanceTypes\": [\n" + string.Join(",\n", types) + "\n  ]\n}\n";
    }
}
