namespace Platform.Autoscaler.Core.Disruption;

/// <summary>One way of choosing nodes to disrupt; methods are tried in a fixed order and the first that acts wins.</summary>
internal interface IDisruptionMethod
{
    /// <summary>The method's name, as metrics and events print it.</summary>
    string Name { get; }

    /// <summary>The budget reason its disruptions count against.</summary>
    string Reason { get; }

    /// <summary>Commands for this pass, within the budgets the context still has.</summary>
    IReadOnlyList<DisruptionCommand> Compute(DisruptionContext context, CancellationToken cancellationToken);
}
