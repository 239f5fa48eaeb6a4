using System.Collections;
using System.Reflection;
using System.Text.Json;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Api.Schema;

namespace Platform.Autoscaler.Api.Tests.Schema;

public sealed class WireNameTests
{
    /// <summary>Every property set, recursively, so both serializers must emit every field.</summary>
    private static object Populate(Type type, int depth = 0)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "v";
        if (type == typeof(bool)) return true;
        if (type == typeof(int)) return 1;
        if (type == typeof(long)) return 1L;
        if (type == typeof(DateTime)) return new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        if (type == typeof(ResourceQuantity)) return new ResourceQuantity("1");
        if (type == typeof(V1ObjectMeta)) return new V1ObjectMeta { Name = "n" };
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>))
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type.GetGenericArguments()[0]))!;
            list.Add(Populate(type.GetGenericArguments()[0], depth + 1));
            return list;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        {
            var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(type.GetGenericArguments()))!;
            map.Add("k", Populate(type.GetGenericArguments()[1], depth + 1));
            return map;
        }

        var value = Activator.CreateInstance(type)!;
        foreach (var property in OpenApiSchema.WireProperties(type))
        {
            property.SetValue(value, Populate(property.PropertyType, depth + 1));
        }

        return value;
    }

    public static TheoryData<Type> Kinds => new() { typeof(NodePool), typeof(NodeClaim), typeof(EC2NodeClass) };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Serializers_FullyPopulatedObject_EmitExactlyTheSchemaFields(Type kind)
    {
        var value = Populate(kind);
        var schema = OpenApiSchema.ForKind(kind);
        using var json = JsonDocument.Parse(KubernetesJson.Serialize(value));
        AssertSameFields(schema, json.RootElement, kind.Name);

        // YAML goes through the reader: a field the schema lacks would be "unknown", one it has but YAML names
        // differently would be "required" or lost.
        var set = new Platform.Autoscaler.Api.Serialization.ManifestReader().Read("full.yaml", KubernetesYaml.Serialize(value));
        Assert.DoesNotContain(set.Errors, e => e.Error.Message.StartsWith("unknown field", StringComparison.Ordinal));
        Assert.Equal(KubernetesJson.Serialize(value), KubernetesJson.Serialize(Deserialize(kind, KubernetesYaml.Serialize(value))));
    }

    private static object Deserialize(Type kind, string yaml) =>
        typeof(KubernetesYaml).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == nameof(KubernetesYaml.Deserialize) && m.GetParameters()[0].ParameterType == typeof(string))
            .MakeGenericMethod(kind).Invoke(null, [yaml, false])!;

    private static void AssertSameFields(V1JSONSchemaProps schema, JsonElement element, string path)
    {
        if (schema.Properties is { } properties && element.ValueKind == JsonValueKind.Object)
        {
            var names = element.EnumerateObject().Select(p => p.Name).Where(n => n != "metadata").Order().ToList();
            Assert.True(properties.Keys.Where(n => n != "metadata").Order().SequenceEqual(names),
                $"{path}: schema [{string.Join(", ", properties.Keys.Order())}] vs JSON [{string.Join(", ", names)}]");
            foreach (var p in element.EnumerateObject().Where(p => p.Name != "metadata"))
            {
                AssertSameFields(properties[p.Name], p.Value, $"{path}.{p.Name}");
            }
        }
        else if (schema.Items is V1JSONSchemaProps items && element.ValueKind == JsonValueKind.Array)
        {
            AssertSameFields(items, element[0], $"{path}[0]");
        }
        else if (schema.AdditionalProperties is V1JSONSchemaProps values && element.ValueKind == JsonValueKind.Object)
        {
            AssertSameFields(values, element.EnumerateObject().First().Value, $"{path}[k]");
        }
    }
}
