using System.Collections.Concurrent;
using Pulumi;
using Pulumi.Utilities;

namespace Platform.Infra.TestKit;

/// <summary>One resource as the program declared it: type, name and the options that order it.</summary>
internal sealed record DeclaredResource(
    Resource Resource, string Type, string Name, Resource? Parent, ProviderResource? Provider, IReadOnlyList<Resource> DependsOn, CustomTimeouts? Timeouts)
{
    public override string ToString() => $"{Type}::{Name}";
}

/// <summary>
/// Pulumi's mocks see inputs, not dependencies, so this test double records every resource's options through a
/// resource transformation (which children inherit from their parents) and rebuilds the dependency graph the engine
/// would hold: explicit DependsOn, the parent and the provider, with a dependency on a component standing for all its
/// descendants, as the engine's <c>DependencyGraph.DependenciesOf</c> treats it. Dependencies through inputs are not
/// seen, so every ordering the stack relies on must be explicit to show here.
/// </summary>
internal sealed class ResourceGraphCapture
{
    private readonly ConcurrentQueue<(Resource Resource, ResourceOptions Options)> seen = new();

    public ResourceGraphCapture() => Transformation = args =>
    {
        seen.Enqueue((args.Resource, args.Options));
        return null;
    };

    /// <summary>The transformation to put on the top-level resources.</summary>
    public ResourceTransformation Transformation { get; }

    /// <summary>Component options carrying the transformation.</summary>
    public ComponentResourceOptions Options => new() { ResourceTransformations = { Transformation } };

    /// <summary>The graph, once the program has run.</summary>
    public async Task<ResourceGraph> ResolveAsync()
    {
        var declared = new List<DeclaredResource>();
        foreach (var (resource, options) in seen)
        {
            var dependsOn = await OutputUtilities.GetValueAsync(options.DependsOn.Apply(d => d)).ConfigureAwait(false);
            var provider = options.Provider ?? (options as ComponentResourceOptions)?.Providers.FirstOrDefault();
            declared.Add(new DeclaredResource(resource, resource.GetResourceType(), resource.GetResourceName(), options.Parent, provider,
                [.. dependsOn], (options as CustomResourceOptions)?.CustomTimeouts));
        }

        return new ResourceGraph(declared);
    }
}

/// <summary>The declared resources and the order the engine would delete them in.</summary>
internal sealed class ResourceGraph
{
    private readonly Dictionary<Resource, DeclaredResource> byResource;
    private readonly Dictionary<Resource, HashSet<Resource>> dependencies;

    public ResourceGraph(IReadOnlyList<DeclaredResource> resources)
    {
        Resources = resources;
        byResource = resources.ToDictionary<DeclaredResource, Resource>(r => r.Resource, ReferenceEqualityComparer.Instance);
        dependencies = resources.ToDictionary<DeclaredResource, Resource, HashSet<Resource>>(r => r.Resource, Direct, ReferenceEqualityComparer.Instance);
    }

    public IReadOnlyList<DeclaredResource> Resources { get; }

    public DeclaredResource Get(Resource resource) => byResource[resource];

    public DeclaredResource Single(string type, string name) =>
        Resources.SingleOrDefault(r => r.Type == type && r.Name == name)
        ?? throw new InvalidOperationException($"no {type} named {name}; declared: {string.Join(", ", Resources.Where(r => r.Type == type).Select(r => r.Name))}");

    public IEnumerable<DeclaredResource> OfType(string type) => Resources.Where(r => r.Type == type);

    /// <summary>What the engine waits for before creating <paramref name="resource"/> and deletes only after it.</summary>
    public IReadOnlySet<Resource> DependenciesOf(Resource resource) => dependencies[resource];

    /// <summary>Whether <paramref name="later"/> depends on <paramref name="earlier"/>, directly or through others.</summary>
    public bool DependsOn(Resource later, Resource earlier)
    {
        var seen = new HashSet<Resource>(ReferenceEqualityComparer.Instance);
        var todo = new Stack<Resource>(dependencies[later]);
        while (todo.TryPop(out var next))
        {
            if (ReferenceEquals(next, earlier))
            {
                return true;
            }

            if (seen.Add(next) && dependencies.TryGetValue(next, out var more))
            {
                foreach (var m in more)
                {
                    todo.Push(m);
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The deletion step of each resource in <c>pulumi destroy</c>, 0 first, scheduled as the engine's
    /// <c>ScheduleDeletes</c> does: repeatedly take every resource none of whose dependencies is left, then reverse.
    /// </summary>
    public IReadOnlyDictionary<Resource, int> DeletionSteps()
    {
        var left = new HashSet<Resource>(byResource.Keys, ReferenceEqualityComparer.Instance);
        var waves = new List<List<Resource>>();
        while (left.Count > 0)
        {
            var wave = left.Where(r => !dependencies[r].Any(left.Contains)).ToList();
            if (wave.Count == 0)
            {
                throw new InvalidOperationException($"dependency cycle among {string.Join(", ", left.Select(r => byResource[r]))}");
            }

            waves.Add(wave);
            left.ExceptWith(wave);
        }

        waves.Reverse();
        return waves.SelectMany((wave, step) => wave.Select(r => (Resource: r, Step: step)))
            .ToDictionary<(Resource Resource, int Step), Resource, int>(x => x.Resource, x => x.Step, ReferenceEqualityComparer.Instance);
    }

    private HashSet<Resource> Direct(DeclaredResource resource)
    {
        var set = new HashSet<Resource>(ReferenceEqualityComparer.Instance);
        void Add(Resource dependency)
        {
            if (!byResource.ContainsKey(dependency) || IsAncestorOrSelf(resource.Resource, dependency))
            {
                return;
            }

            set.Add(dependency);
            if (dependency is ComponentResource)
            {
                foreach (var child in Descendants(dependency).Where(d => !IsAncestorOrSelf(d, resource.Resource)))
                {
                    set.Add(child);
                }
            }
        }

        foreach (var dependency in resource.DependsOn)
        {
            Add(dependency);
        }

        if (resource.Provider is { } provider)
        {
            Add(provider);
        }

        if (resource.Parent is { } parent && byResource.ContainsKey(parent))
        {
            set.Add(parent);
        }

        return set;
    }

    private IEnumerable<Resource> Descendants(Resource component) =>
        Resources.Where(r => r.Parent is { } p && ReferenceEquals(p, component)).SelectMany(r => Descendants(r.Resource).Prepend(r.Resource));

    /// <summary>Whether <paramref name="candidate"/> is <paramref name="resource"/> or one of its ancestors.</summary>
    private bool IsAncestorOrSelf(Resource resource, Resource candidate)
    {
        for (Resource? r = resource; r is not null; r = byResource.TryGetValue(r, out var d) ? d.Parent : null)
        {
            if (ReferenceEquals(r, candidate))
            {
                return true;
            }
        }

        return false;
    }
}
