using System.Net;
using System.Text.Json.Nodes;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>What the fake API server answers: a status code and a JSON body (an object, or a Status on failure).</summary>
internal sealed record ApiResult(HttpStatusCode Code, JsonObject Body)
{
    public bool Succeeded => (int)Code is >= 200 and < 300;

    public static ApiResult Ok(JsonObject body, HttpStatusCode code = HttpStatusCode.OK) => new(code, body);

    public static ApiResult Success(HttpStatusCode code) => new(code, new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["code"] = (int)code,
    });

    public static ApiResult Failure(HttpStatusCode code, string reason, string message, FakeResource? resource = null, string? name = null) => new(code, new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["details"] = new JsonObject { ["name"] = name, ["group"] = resource?.Group, ["kind"] = resource?.Plural },
        ["code"] = (int)code,
    });

    public static ApiResult NotFound(FakeResource resource, string name) =>
        Failure(HttpStatusCode.NotFound, "NotFound", $"{resource.Plural}.{resource.Group} \"{name}\" not found", resource, name);
}
