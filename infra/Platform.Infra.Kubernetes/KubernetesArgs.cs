using System.Collections;
using System.Reflection;
using System.Text.Json;
using k8s;
using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>
/// Turns a KubernetesClient model built by the blueprint into the matching Pulumi.Kubernetes <c>…Args</c>, field by
/// field through the SDK's own <see cref="InputAttribute"/> wire names. A field the Args type lacks is an error, never
/// dropped, so the blueprint and the deployed object cannot drift apart silently.
/// </summary>
internal static class KubernetesArgs
{
    /// <summary>The Args for <paramref name="model"/> (any object KubernetesClient serializes).</summary>
    public static TArgs From<TArgs>(object model) where TArgs : ResourceArgs, new()
    {
        using var json = JsonDocument.Parse(KubernetesJson.Serialize(model));
        return (TArgs)ToArgs(typeof(TArgs), json.RootElement, typeof(TArgs).Name);
    }

    private static object ToArgs(Type type, JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"{path}: expected an object for {type.Name}, got {json.ValueKind}");
        }

        var args = Activator.CreateInstance(type)!;
        var members = InputMembers(type);
        foreach (var property in json.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (!members.TryGetValue(property.Name, out var member))
            {
                throw new ArgumentException($"{path}.{property.Name}: {type.Name} has no input of that name");
            }

            var memberType = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
            var value = ToInput(Nullable.GetUnderlyingType(memberType) ?? memberType, property.Value, $"{path}.{property.Name}");
            if (member is PropertyInfo propertyInfo)
            {
                propertyInfo.SetValue(args, value);
            }
            else
            {
                ((FieldInfo)member).SetValue(args, value);
            }
        }

        return args;
    }

    private static object ToInput(Type type, JsonElement json, string path)
    {
        if (!type.IsGenericType)
        {
            return ToValue(type, json, path);
        }

        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GetGenericArguments();
        if (definition == typeof(Input<>))
        {
            return Implicit(type, arguments[0], ToValue(arguments[0], json, path));
        }

        if (definition == typeof(InputList<>))
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(arguments[0]))!;
            var index = 0;
            foreach (var item in json.EnumerateArray())
            {
                list.Add(ToValue(arguments[0], item, $"{path}[{index++}]"));
            }

            return Implicit(type, list.GetType(), list);
        }

        if (definition == typeof(InputMap<>))
        {
            var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), arguments[0]))!;
            foreach (var entry in json.EnumerateObject())
            {
                map.Add(entry.Name, ToValue(arguments[0], entry.Value, $"{path}.{entry.Name}"));
            }

            return Implicit(type, map.GetType(), map);
        }

        if (definition == typeof(InputUnion<,>))
        {
            // IntOrString: numbers become the int side, text the string side.
            var side = json.ValueKind == JsonValueKind.Number ? arguments.First(a => a != typeof(string)) : typeof(string);
            return Implicit(type, side, ToValue(side, json, path));
        }

        throw new ArgumentException($"{path}: unsupported input type {type}");
    }

    private static object ToValue(Type type, JsonElement json, string path) =>
        type switch
        {
            _ when type == typeof(string) => json.ValueKind == JsonValueKind.String ? json.GetString()! : json.GetRawText(),
            _ when type == typeof(int) => json.GetInt32(),
            _ when type == typeof(double) => json.GetDouble(),
            _ when type == typeof(bool) => json.GetBoolean(),
            _ when type == typeof(object) || type == typeof(JsonElement) => json.Clone(),
            _ when typeof(ResourceArgs).IsAssignableFrom(type) => ToArgs(type, json, path),
            _ => throw new ArgumentException($"{path}: unsupported value type {type}"),
        };

    private static object Implicit(Type target, Type from, object value)
    {
        var conversion = target.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .First(m => m.Name == "op_Implicit" && m.ReturnType == target && m.GetParameters()[0].ParameterType == from);
        return conversion.Invoke(null, [value])!;
    }

    private static Dictionary<string, MemberInfo> InputMembers(Type type)
    {
        // Collections carry [Input] on their private backing field, scalars on the property.
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var members = new Dictionary<string, MemberInfo>(StringComparer.Ordinal);
        foreach (var member in type.GetProperties(flags).Cast<MemberInfo>().Concat(type.GetFields(flags)))
        {
            var input = member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(InputAttribute));
            if (input?.ConstructorArguments[0].Value is string name)
            {
                members[name] = member;
            }
        }

        return members;
    }
}
