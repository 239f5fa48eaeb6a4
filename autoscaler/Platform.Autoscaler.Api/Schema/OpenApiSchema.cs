using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using YamlDotNet.Serialization;

namespace Platform.Autoscaler.Api.Schema;

/// <summary>
/// Builds the OpenAPI v3 schema of an API type from its properties and their data annotations. The same schema
/// goes into the CRD and drives the structural check of manifests, so the two cannot disagree.
/// </summary>
public static class OpenApiSchema
{
    /// <summary>The pattern Kubernetes gives resource quantities.</summary>
    public const string QuantityPattern = Patterns.Quantity;

    /// <summary>The schema of a top-level kind (apiVersion, kind, metadata, spec, status).</summary>
    public static V1JSONSchemaProps ForKind(Type kind)
    {
        var schema = ForObject(kind);
        schema.Description = kind.GetCustomAttribute<DescriptionAttribute>()?.Description;
        schema.Properties["apiVersion"] = new V1JSONSchemaProps { Type = "string", Description = "APIVersion defines the versioned schema of this representation of an object." };
        schema.Properties["kind"] = new V1JSONSchemaProps { Type = "string", Description = "Kind is a string value representing the REST resource this object represents." };
        schema.Properties["metadata"] = new V1JSONSchemaProps { Type = "object" };
        return schema;
    }

    /// <summary>The field name on the wire: an explicit YAML alias, else the camel-cased property name.</summary>
    public static string WireName(PropertyInfo property)
    {
        var alias = property.GetCustomAttribute<YamlMemberAttribute>()?.Alias
            ?? property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
        return alias ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
    }

    /// <summary>The serialized properties of an API record, in declaration order.</summary>
    public static IEnumerable<PropertyInfo> WireProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0
                && p.GetCustomAttribute<YamlIgnoreAttribute>() is null)
            .OrderBy(p => p.MetadataToken);

    private static V1JSONSchemaProps ForObject(Type type)
    {
        var properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
        var required = new List<string>();
        foreach (var property in WireProperties(type))
        {
            var name = WireName(property);
            if (name is "apiVersion" or "kind" or "metadata" && typeof(k8s.IKubernetesObject).IsAssignableFrom(type))
            {
                continue;
            }

            properties[name] = ForProperty(property);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        return new V1JSONSchemaProps
        {
            Type = "object",
            Properties = properties,
            Required = required.Count > 0 ? required : null,
            XKubernetesValidations = Rules(type),
        };
    }

    private static List<V1ValidationRule>? Rules(MemberInfo member)
    {
        var rules = member.GetCustomAttributes<CelRuleAttribute>().Select(a => a.Value)
            .Concat(member.GetCustomAttributes<CelRulesAttribute>().Where(a => a.ItemField is null).SelectMany(a => a.Values))
            .Select(r => new V1ValidationRule { Rule = r.Rule, Message = r.Message })
            .ToList();
        return rules.Count > 0 ? rules : null;
    }

    private static V1JSONSchemaProps ForProperty(PropertyInfo property)
    {
        var schema = property.GetCustomAttribute<StringOnlyAttribute>() is null
            ? ForType(property.PropertyType)
            : new V1JSONSchemaProps { Type = "string" };
        schema.Description = property.GetCustomAttribute<DescriptionAttribute>()?.Description;
        if (property.GetCustomAttribute<DefaultValueAttribute>() is { Value: { } value })
        {
            schema.DefaultProperty = value;
        }

        if (property.GetCustomAttribute<DefaultJsonAttribute>() is { } defaultJson)
        {
            schema.DefaultProperty = defaultJson.Value;
        }

        if (Rules(property) is { } rules)
        {
            // A property's own rules come after those of its type (an object type's rules hold wherever it is used).
            schema.XKubernetesValidations = [.. schema.XKubernetesValidations ?? [], .. rules];
        }

        foreach (var itemRules in property.GetCustomAttributes<CelRulesAttribute>().Where(a => a.ItemField is not null))
        {
            V1JSONSchemaProps? field = null;
            _ = (schema.Items as V1JSONSchemaProps)?.Properties?.TryGetValue(itemRules.ItemField!, out field);
            field = field ?? throw new InvalidOperationException($"{property.DeclaringType?.Name}.{property.Name}: its items have no field {itemRules.ItemField}");
            field.XKubernetesValidations = [.. field.XKubernetesValidations ?? new List<V1ValidationRule>(), .. itemRules.Values.Select(r => new V1ValidationRule { Rule = r.Rule, Message = r.Message })];
        }

        if (property.GetCustomAttribute<ListTypeAttribute>() is { } listType)
        {
            schema.XKubernetesListType = listType.Type;
            schema.XKubernetesListMapKeys = listType.MapKeys.Count > 0 ? [.. listType.MapKeys] : null;
        }

        if (property.GetCustomAttribute<MapTypeAttribute>() is { } mapType)
        {
            schema.XKubernetesMapType = mapType.Type;
        }

        if (property.GetCustomAttribute<ItemsAttribute>() is { } each && (schema.Items ?? schema.AdditionalProperties) is V1JSONSchemaProps item)
        {
            item.Pattern = each.Pattern ?? item.Pattern;
            item.MaxLength = each.MaxLength > 0 ? each.MaxLength : item.MaxLength;
            item.Minimum = each.Minimum is { } minimum ? double.Parse(minimum, CultureInfo.InvariantCulture) : item.Minimum;
            item.Required = each.Required is { Length: > 0 } required ? [.. item.Required ?? [], .. required] : item.Required;
        }

        if (property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
        {
            schema.EnumProperty = [.. allowed.Values.Select(v => v!)];
        }

        if (property.GetCustomAttribute<ItemsAllowedValuesAttribute>() is { } itemsAllowed && schema.Items is V1JSONSchemaProps items)
        {
            items.EnumProperty = [.. itemsAllowed.Values];
        }

        if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } regex)
        {
            schema.Pattern = regex.Pattern;
        }

        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            schema.Minimum = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
            var max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
            schema.Maximum = max >= int.MaxValue ? null : max;
        }

        ApplyLength(schema, property.GetCustomAttribute<MinLengthAttribute>()?.Length, min: true);
        ApplyLength(schema, property.GetCustomAttribute<MaxLengthAttribute>()?.Length, min: false);
        return schema;
    }

    private static void ApplyLength(V1JSONSchemaProps schema, int? length, bool min)
    {
        if (length is not { } n)
        {
            return;
        }

        switch (schema.Type, min)
        {
            case ("array", true): schema.MinItems = n; break;
            case ("array", false): schema.MaxItems = n; break;
            case ("object", true): schema.MinProperties = n; break;
            case ("object", false): schema.MaxProperties = n; break;
            case (_, true): schema.MinLength = n; break;
            default: schema.MaxLength = n; break;
        }
    }

    private static V1JSONSchemaProps ForType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string" };
        }

        if (type == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean" };
        }

        if (type == typeof(int))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int32" };
        }

        if (type == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int64" };
        }

        if (type == typeof(DateTime))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        }

        if (type == typeof(ResourceQuantity))
        {
            return new V1JSONSchemaProps
            {
                AnyOf = [new V1JSONSchemaProps { Type = "integer" }, new V1JSONSchemaProps { Type = "string" }],
                Pattern = QuantityPattern,
                XKubernetesIntOrString = true,
            };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        {
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = ForType(type.GetGenericArguments()[1]) };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>))
        {
            return new V1JSONSchemaProps { Type = "array", Items = ForType(type.GetGenericArguments()[0]) };
        }

        if (type.IsClass && type.Namespace?.StartsWith("Platform.Autoscaler.Api", StringComparison.Ordinal) == true)
        {
            return ForObject(type);
        }

        throw new NotSupportedException($"No schema mapping for {type.FullName}; add one to {nameof(OpenApiSchema)}.");
    }
}
