using Platform.Autoscaler.Aws.Tests.TestKit;

namespace Platform.Autoscaler.Aws.Tests.IamContract;

/// <summary>
/// Records, through a fault proxy, every call the code under test sends and the authorizations IAM would make for
/// it, computed while the request is in flight so the resources it names still exist (a deleted template's tags).
/// A call the model cannot read is kept as an error for the test to report, never thrown into the proxy.
/// </summary>
public sealed class ContractRecorder(IamRequestModel model)
{
    private readonly Lock gate = new();
    private readonly List<AwsCall> calls = [];
    private readonly List<AuthorizationRequest> authorizations = [];
    private readonly List<string> errors = [];

    /// <summary>The calls seen, in order.</summary>
    public IReadOnlyList<AwsCall> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. calls];
            }
        }
    }

    /// <summary>The authorizations of every call seen.</summary>
    public IReadOnlyList<AuthorizationRequest> Authorizations
    {
        get
        {
            lock (gate)
            {
                return [.. authorizations];
            }
        }
    }

    /// <summary>Calls the model could not turn into authorizations, with why.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (gate)
            {
                return [.. errors];
            }
        }
    }

    /// <summary>Starts recording what <paramref name="proxy"/> sees.</summary>
    public void Attach(FaultProxy proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        proxy.OnRequest = RecordAsync;
    }

    private async Task RecordAsync(ProxiedRequest request)
    {
        try
        {
            var call = AwsCall.Parse(request);
            var authorized = await model.AuthorizationsAsync(call).ConfigureAwait(false);
            lock (gate)
            {
                calls.Add(call);
                authorizations.AddRange(authorized);
            }
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            lock (gate)
            {
                errors.Add($"{request.Action}: {e.Message}");
            }
        }
    }
}
