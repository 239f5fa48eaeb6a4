using System.Diagnostics;
using Amazon.EC2;
using Amazon.Runtime;

namespace Platform.Tests.Shared;

/// <summary>Starts moto_server on a free 127.0.0.1 port for the tests of one class, and stops it after.</summary>
public sealed class MotoServer : IDisposable
{
    private readonly Process process;

    public MotoServer()
    {
        var executable = Executable() ?? throw new InvalidOperationException("moto_server is not on PATH");
        Port = Loopback.FreePort();
        process = Process.Start(new ProcessStartInfo(executable, ["-H", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("moto_server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            WaitUntilListening();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public AmazonEC2Client Ec2() =>
        new(new BasicAWSCredentials("test", "test"), new AmazonEC2Config { ServiceURL = Endpoint, AuthenticationRegion = "us-east-1" });

    public Amazon.SQS.AmazonSQSClient Sqs() =>
        new(new BasicAWSCredentials("test", "test"), new Amazon.SQS.AmazonSQSConfig { ServiceURL = Endpoint, AuthenticationRegion = "us-east-1" });

    public static Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient Ssm(string endpoint) =>
        new(new BasicAWSCredentials("test", "test"), new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" });

    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "moto_server"))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Why a test that needs moto_server is skipped, or null when it runs: moto is not installed, except under CI=true,
    /// where the test runs (and fails), so a CI machine without moto cannot pass by skipping.
    /// </summary>
    public static string? SkipReason() =>
        Executable() is null && Environment.GetEnvironmentVariable("CI") != "true"
            ? "moto_server is not on PATH (it comes with the machine image; pip install 'moto[server]' elsewhere)"
            : null;

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
    }

    private void WaitUntilListening()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        // Its Python start takes a second on a quiet machine and far longer on a busy one (24 s was seen at a load of 11 on two cores).
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            try
            {
                using var response = client.GetAsync(new Uri(Endpoint + "/moto-api/")).GetAwaiter().GetResult();
                return;
            }
            catch (HttpRequestException)
            {
                Thread.Sleep(100);
            }
            catch (TaskCanceledException)
            {
                Thread.Sleep(100);
            }
        }

        throw new InvalidOperationException($"moto_server did not answer on {Endpoint}");
    }
}
