namespace Platform.Autoscaler.Api.Validation;

/// <summary>This product launches on AWS only, so a node class reference must name an EC2NodeClass.</summary>
internal static class NodeClassReferenceRules
{
    public static IEnumerable<FieldError> Validate(NodeClassReference? reference, string path)
    {
        if (reference?.Group is { } group && group != EC2NodeClass.Group)
        {
            yield return new(FieldPath.Child(path, "group"), $"unsupported node class group \"{group}\": use {EC2NodeClass.Group}");
        }

        if (reference?.Kind is { } kind && kind != EC2NodeClass.KindName)
        {
            yield return new(FieldPath.Child(path, "kind"), $"unsupported node class kind \"{kind}\": use {EC2NodeClass.KindName}");
        }
    }
}
