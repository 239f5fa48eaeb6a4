using System.Runtime.CompilerServices;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// The rules each NodePool breaks, worked out once per stored object: the informers and the in-memory cluster hand
/// out the same object until it changes, and every view and status pass asks.
/// </summary>
public sealed class PoolValidation
{
    private readonly ConditionalWeakTable<NodePool, IReadOnlyList<FieldError>> errors = [];

    /// <summary>Every rule <paramref name="pool"/> breaks; empty when it is valid.</summary>
    public IReadOnlyList<FieldError> Of(NodePool pool) => errors.GetValue(pool, p => p.Validate());
}
