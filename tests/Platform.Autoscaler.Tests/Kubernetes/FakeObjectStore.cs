using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>
/// The fake API server's state: JSON objects by (resource, namespace, name) under one resourceVersion counter that
/// every write raises, the history of events watches replay from, and the open watches. Compaction drops the
/// history, and a watch from before it gets 410 Gone. Writes follow the API server where the port relies on it:
/// 409 on a duplicate create or a stale resourceVersion, no-op updates that write nothing, status kept apart from
/// the main resource, deletion held by finalizers until the last one goes (no finalizer may be added to an object
/// being deleted), PodDisruptionBudgets on eviction, and the TaintNodesByCondition admission plugin: every node is
/// created with <c>node.kubernetes.io/not-ready:NoSchedule</c> (removing it is the node lifecycle controller's work,
/// which a test plays). A node is created with its status, as a kubelet registers it.
/// </summary>
internal sealed class FakeObjectStore(TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<(FakeResource Resource, string Namespace, string Name), JsonObject> objects = [];
    private readonly List<(long Version, FakeResource Resource, string Namespace, string Type, JsonObject Object)> history = [];
    private readonly List<FakeWatch> watches = [];
    private long version = 1000;
    private long compactedThrough;
    private long generated;

    public long ResourceVersion
    {
        get
        {
            lock (gate)
            {
                return version;
            }
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (gate)
            {
                return watches.Count;
            }
        }
    }

    // ---- reads

    public JsonObject? Find(FakeResource resource, string? ns, string name)
    {
        lock (gate)
        {
            return objects.TryGetValue((resource, ns ?? "", name), out var item) ? Clone(item) : null;
        }
    }

    public IReadOnlyList<JsonObject> Items(FakeResource resource, string? ns = null)
    {
        lock (gate)
        {
            return [.. Matching(resource, ns).Select(Clone)];
        }
    }

    public ApiResult List(FakeResource resource, string? ns)
    {
        lock (gate)
        {
            return ApiResult.Ok(new JsonObject
            {
                ["apiVersion"] = resource.ApiVersion,
                ["kind"] = resource.Kind + "List",
                ["metadata"] = new JsonObject { ["resourceVersion"] = Version(version) },
                ["items"] = new JsonArray([.. Matching(resource, ns).Select(Clone)]),
            });
        }
    }

    public ApiResult Get(FakeResource resource, string? ns, string name) =>
        Find(resource, ns, name) is { } item ? ApiResult.Ok(item) : ApiResult.NotFound(resource, name);

    // ---- watches

    /// <summary>
    /// Opens a watch: from "" or "0" it starts with every current object as ADDED; from a version it replays the
    /// history after it, or, when that history was compacted, sends one ERROR (410 Expired) and ends.
    /// </summary>
    public FakeWatch Watch(FakeResource resource, string? ns, string? from, bool bookmarks)
    {
        var watch = new FakeWatch(resource, ns, bookmarks);
        lock (gate)
        {
            if (string.IsNullOrEmpty(from) || from == "0")
            {
                foreach (var item in Matching(resource, ns))
                {
                    watch.Send("ADDED", item);
                }
            }
            else if (!long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var start) || start < compactedThrough)
            {
                watch.Send("ERROR", ApiResult.Failure(HttpStatusCode.Gone, "Expired", $"too old resource version: {from} ({compactedThrough})").Body);
                watch.Close();
                return watch;
            }
            else
            {
                foreach (var entry in history.Where(e => e.Version > start && watch.Matches(e.Resource, e.Namespace)))
                {
                    watch.Send(entry.Type, entry.Object);
                }
            }

            watches.Add(watch);
        }

        return watch;
    }

    public void Unwatch(FakeWatch watch)
    {
        lock (gate)
        {
            watches.Remove(watch);
        }

        watch.Close();
    }

    /// <summary>Ends every open watch, as a dropped connection would.</summary>
    public void CloseWatches()
    {
        lock (gate)
        {
            foreach (var watch in watches)
            {
                watch.Close();
            }

            watches.Clear();
        }
    }

    /// <summary>Sends a BOOKMARK at the current resourceVersion to every watch that asked for bookmarks.</summary>
    public void Bookmark()
    {
        lock (gate)
        {
            foreach (var watch in watches.Where(w => w.Bookmarks))
            {
                watch.Send("BOOKMARK", new JsonObject
                {
                    ["kind"] = watch.Resource.Kind,
                    ["apiVersion"] = watch.Resource.ApiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = Version(version) },
                });
            }
        }
    }

    /// <summary>Forgets the history up to now: a watch from any older version gets 410 Gone.</summary>
    public void Compact()
    {
        lock (gate)
        {
            compactedThrough = version;
            history.Clear();
        }
    }

    // ---- writes

    /// <summary>Creates an object as the API does (status dropped where it is a subresource), or as a test seeds it (status kept).</summary>
    public ApiResult Create(FakeResource resource, string? ns, JsonObject body, bool keepStatus = false)
    {
        lock (gate)
        {
            var item = Clone(body);
            var metadata = Metadata(item);
            var name = (string?)metadata["name"];
            if (string.IsNullOrEmpty(name) && (string?)metadata["generateName"] is { Length: > 0 } prefix)
            {
                name = prefix + (++generated).ToString("x5", CultureInfo.InvariantCulture);
            }

            ns = resource.Namespaced ? ns ?? (string?)metadata["namespace"] : null;
            if (string.IsNullOrEmpty(name))
            {
                return ApiResult.Failure(HttpStatusCode.UnprocessableEntity, "Invalid", "name or generateName is required", resource);
            }

            if (resource.Namespaced && string.IsNullOrEmpty(ns))
            {
                return ApiResult.Failure(HttpStatusCode.UnprocessableEntity, "Invalid", "namespace is required", resource, name);
            }

            if (objects.ContainsKey((resource, ns ?? "", name)))
            {
                return ApiResult.Failure(HttpStatusCode.Conflict, "AlreadyExists", $"{resource.Plural}.{resource.Group} \"{name}\" already exists", resource, name);
            }

            item["apiVersion"] = resource.ApiVersion;
            item["kind"] = resource.Kind;
            metadata["name"] = name;
            if (ns is not null)
            {
                metadata["namespace"] = ns;
            }

            metadata["uid"] = $"00000000-0000-4000-8000-{++generated:x12}";
            metadata["creationTimestamp"] = Timestamp();
            metadata.Remove("deletionTimestamp");
            if (resource.HasStatus && !keepStatus && resource != FakeResource.Nodes)
            {
                item.Remove("status");
            }

            if (resource == FakeResource.Nodes)
            {
                AddNotReadyTaint(item);
            }

            Write(resource, ns ?? "", name, "ADDED", item);
            return ApiResult.Ok(Clone(item), HttpStatusCode.Created);
        }
    }

    /// <summary>PUT: replaces the object (or only its status), if the resourceVersion it carries is current.</summary>
    public ApiResult Update(FakeResource resource, string? ns, string name, JsonObject body, bool status)
    {
        lock (gate)
        {
            if (!objects.TryGetValue((resource, ns ?? "", name), out var current))
            {
                return ApiResult.NotFound(resource, name);
            }

            if (Stale(resource, name, current, body) is { } conflict)
            {
                return conflict;
            }

            var next = status ? WithStatus(current, body) : WithStatus(body, resource.HasStatus ? current : body);
            return Commit(resource, ns ?? "", name, current, next);
        }
    }

    /// <summary>PATCH: a JSON merge patch (strategic merge patches are taken as merge patches, so lists are replaced).</summary>
    public ApiResult Patch(FakeResource resource, string? ns, string name, JsonObject patch, bool status)
    {
        lock (gate)
        {
            if (!objects.TryGetValue((resource, ns ?? "", name), out var current))
            {
                return ApiResult.NotFound(resource, name);
            }

            if (Stale(resource, name, current, patch) is { } conflict)
            {
                return conflict;
            }

            var merged = Clone(current);
            MergeInto(merged, patch);
            var next = status ? WithStatus(current, merged) : WithStatus(merged, resource.HasStatus ? current : merged);
            return Commit(resource, ns ?? "", name, current, next);
        }
    }

    /// <summary>DELETE: with finalizers the object is only marked (deletionTimestamp); without, it goes.</summary>
    public ApiResult Delete(FakeResource resource, string? ns, string name)
    {
        lock (gate)
        {
            return DeleteLocked(resource, ns ?? "", name);
        }
    }

    /// <summary>
    /// The eviction subresource: a pod under no PodDisruptionBudget is deleted; under one, when the budget allows it
    /// (status.disruptionsAllowed when set, else the healthy pods it selects against minAvailable or maxUnavailable),
    /// it is deleted and the budget's disruptionsAllowed lowered, otherwise 429; under two or more, 500.
    /// </summary>
    public ApiResult Evict(string ns, string name)
    {
        lock (gate)
        {
            if (!objects.TryGetValue((FakeResource.Pods, ns, name), out var pod))
            {
                return ApiResult.NotFound(FakeResource.Pods, name);
            }

            var budgets = Matching(FakeResource.DisruptionBudgets, ns)
                .Where(b => FakeDisruptionBudgets.Selects(b, pod))
                .ToList();
            if (budgets.Count > 1)
            {
                return ApiResult.Failure(HttpStatusCode.InternalServerError, "InternalError",
                    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", FakeResource.Pods, name);
            }

            if (budgets.Count == 1 && Metadata(pod)["deletionTimestamp"] is null)
            {
                var budget = budgets[0];
                var selected = Matching(FakeResource.Pods, ns).Where(p => FakeDisruptionBudgets.Selects(budget, p)).ToList();
                if (!FakeDisruptionBudgets.Allows(budget, selected, out var why))
                {
                    var refusal = ApiResult.Failure(HttpStatusCode.TooManyRequests, "TooManyRequests",
                        "Cannot evict pod as it would violate the pod's disruption budget.", FakeResource.Pods, name);
                    refusal.Body["details"]!["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = why });
                    return refusal;
                }

                if (budget["status"]?["disruptionsAllowed"] is JsonValue allowed)
                {
                    var next = Clone(budget);
                    next["status"]!["disruptionsAllowed"] = allowed.GetValue<int>() - 1;
                    Commit(FakeResource.DisruptionBudgets, ns, (string)Metadata(budget)["name"]!, budget, next);
                }
            }

            DeleteLocked(FakeResource.Pods, ns, name);
            return ApiResult.Success(HttpStatusCode.Created);
        }
    }

    /// <summary>The binding subresource: sets spec.nodeName of a pod not bound yet.</summary>
    public ApiResult Bind(string ns, string name, JsonObject binding)
    {
        lock (gate)
        {
            if (!objects.TryGetValue((FakeResource.Pods, ns, name), out var pod))
            {
                return ApiResult.NotFound(FakeResource.Pods, name);
            }

            if ((string?)binding["target"]?["name"] is not { Length: > 0 } node)
            {
                return ApiResult.Failure(HttpStatusCode.BadRequest, "BadRequest", "binding.target.name is required", FakeResource.Pods, name);
            }

            if ((string?)pod["spec"]?["nodeName"] is { Length: > 0 } bound)
            {
                return ApiResult.Failure(HttpStatusCode.Conflict, "Conflict", $"pod {name} is already assigned to node \"{bound}\"", FakeResource.Pods, name);
            }

            var next = Clone(pod);
            (next["spec"] as JsonObject ?? (JsonObject)(next["spec"] = new JsonObject()))["nodeName"] = node;
            Commit(FakeResource.Pods, ns, name, pod, next);
            return ApiResult.Success(HttpStatusCode.Created);
        }
    }

    // ---- internals (all under the lock)

    private IEnumerable<JsonObject> Matching(FakeResource resource, string? ns) => objects
        .Where(o => o.Key.Resource == resource && (ns is null || o.Key.Namespace == ns))
        .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal)
        .ThenBy(o => o.Key.Name, StringComparer.Ordinal)
        .Select(o => o.Value);

    private static ApiResult? Stale(FakeResource resource, string name, JsonObject current, JsonObject body) =>
        (string?)body["metadata"]?["resourceVersion"] is { Length: > 0 } expected && expected != (string?)Metadata(current)["resourceVersion"]
            ? ApiResult.Failure(HttpStatusCode.Conflict, "Conflict",
                $"Operation cannot be fulfilled on {resource.Plural}.{resource.Group} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                resource, name)
            : null;

    /// <summary><paramref name="main"/> with the status of <paramref name="statusFrom"/>.</summary>
    private static JsonObject WithStatus(JsonObject main, JsonObject statusFrom)
    {
        var next = Clone(main);
        next.Remove("status");
        if (statusFrom["status"] is { } status)
        {
            next["status"] = status.DeepClone();
        }

        return next;
    }

    private ApiResult Commit(FakeResource resource, string ns, string name, JsonObject current, JsonObject next)
    {
        // What the server owns stays the server's.
        var was = Metadata(current);
        var metadata = Metadata(next);
        next["apiVersion"] = resource.ApiVersion;
        next["kind"] = resource.Kind;
        foreach (var field in (string[])["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion"])
        {
            metadata.Remove(field);
            if (was[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
        }

        if (JsonNode.DeepEquals(current, next))
        {
            return ApiResult.Ok(Clone(current));
        }

        var before = (was["finalizers"] as JsonArray ?? []).Select(f => (string?)f).ToHashSet();
        if (was["deletionTimestamp"] is not null && (metadata["finalizers"] as JsonArray ?? []).Any(f => !before.Contains((string?)f)))
        {
            return ApiResult.Failure(HttpStatusCode.UnprocessableEntity, "Invalid",
                $"{resource.Kind} \"{name}\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted", resource, name);
        }

        if (was["deletionTimestamp"] is not null && metadata["finalizers"] is not JsonArray { Count: > 0 })
        {
            objects.Remove((resource, ns, name));
            Write(resource, ns, name, "DELETED", next, store: false);
            return ApiResult.Ok(Clone(next));
        }

        Write(resource, ns, name, "MODIFIED", next);
        return ApiResult.Ok(Clone(next));
    }

    private ApiResult DeleteLocked(FakeResource resource, string ns, string name)
    {
        if (!objects.TryGetValue((resource, ns, name), out var current))
        {
            return ApiResult.NotFound(resource, name);
        }

        if (Metadata(current)["finalizers"] is JsonArray { Count: > 0 })
        {
            if (Metadata(current)["deletionTimestamp"] is not null)
            {
                return ApiResult.Ok(Clone(current));
            }

            var marked = Clone(current);
            Metadata(marked)["deletionTimestamp"] = Timestamp();
            Metadata(marked)["deletionGracePeriodSeconds"] = 0;
            Write(resource, ns, name, "MODIFIED", marked);
            return ApiResult.Ok(Clone(marked));
        }

        objects.Remove((resource, ns, name));
        var deleted = Clone(current);
        Write(resource, ns, name, "DELETED", deleted, store: false);
        return ApiResult.Ok(Clone(deleted));
    }

    private void Write(FakeResource resource, string ns, string name, string type, JsonObject item, bool store = true)
    {
        Metadata(item)["resourceVersion"] = Version(++version);
        if (store)
        {
            objects[(resource, ns, name)] = item;
        }

        var recorded = Clone(item);
        history.Add((version, resource, ns, type, recorded));
        foreach (var watch in watches.Where(w => w.Matches(resource, ns)))
        {
            watch.Send(type, recorded);
        }
    }

    /// <summary>What TaintNodesByCondition does to a node being created.</summary>
    private static void AddNotReadyTaint(JsonObject node)
    {
        var spec = node["spec"] as JsonObject ?? (JsonObject)(node["spec"] = new JsonObject());
        var taints = spec["taints"] as JsonArray ?? (JsonArray)(spec["taints"] = new JsonArray());
        if (!taints.Any(t => (string?)t?["key"] == "node.kubernetes.io/not-ready" && (string?)t?["effect"] == "NoSchedule"))
        {
            taints.Add(new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["effect"] = "NoSchedule" });
        }
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            switch (value)
            {
                case null:
                    target.Remove(key);
                    break;
                case JsonObject inner when target[key] is JsonObject existing:
                    MergeInto(existing, inner);
                    break;
                case JsonObject inner:
                    var created = new JsonObject();
                    MergeInto(created, inner);
                    target[key] = created;
                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }
    }

    private static JsonObject Metadata(JsonObject item) =>
        item["metadata"] as JsonObject ?? (JsonObject)(item["metadata"] = new JsonObject());

    private static JsonObject Clone(JsonObject item) => item.DeepClone().AsObject();

    private static string Version(long value) => value.ToString(CultureInfo.InvariantCulture);

    private string Timestamp() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
