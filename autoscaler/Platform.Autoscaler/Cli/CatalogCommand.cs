using System.CommandLine;
using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using Platform.Autoscaler.Aws.Catalog;
using Platform.Autoscaler.Core.Catalog;

namespace Platform.Autoscaler.Cli;

/// <summary>
/// <c>catalog --prices FILE --out FILE [--region R] [--endpoint URL]</c>: builds an instance catalog from EC2
/// (a real account, or an emulator at --endpoint) and an on-demand price table.
/// </summary>
internal static class CatalogCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider time)
    {
        var region = new Option<string>("--region") { Description = "AWS region.", DefaultValueFactory = _ => "us-east-1" };
        var endpoint = new Option<string?>("--endpoint") { Description = "EC2 endpoint (an emulator such as moto_server); dummy credentials are used with it." };
        var prices = new Option<FileInfo>("--prices") { Description = "On-demand price table: instance_type,on_demand_usd_per_hour.", Required = true };
        var outFile = new Option<FileInfo>("--out") { Description = "Catalog JSON to write.", Required = true };
        var command = new Command("catalog", "Generate an instance catalog from EC2 and a price table.") { region, endpoint, prices, outFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var priceFile = parse.GetValue(prices)!;
            if (!priceFile.Exists)
            {
                await error.WriteLineAsync($"catalog: {priceFile}: no such file").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            IReadOnlyDictionary<string, double> table;
            try
            {
                table = OnDemandPrices.Parse(await File.ReadAllTextAsync(priceFile.FullName, cancellationToken).ConfigureAwait(false), priceFile.Name);
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return ExitCodes.Invalid;
            }

            var target = parse.GetValue(outFile)!;
            if (Directory.Exists(target.FullName) || target.Directory is { Exists: false })
            {
                await error.WriteLineAsync($"catalog: --out {target}: {(Directory.Exists(target.FullName) ? "is a folder; name a file" : "its folder does not exist")}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var ec2Endpoint = parse.GetValue(endpoint);
            using var ec2 = Client(parse.GetValue(region)!, ec2Endpoint);
            InstanceCatalog catalog;
            try
            {
                catalog = await new Ec2CatalogReader(ec2)
                    .ReadAsync(parse.GetValue(region)!, table, $"{priceFile.Name} (AWS Price List, recorded 2026-07-20)", time.GetUtcNow().UtcDateTime, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (Diagnostics.ErrorText.IsExternal(e))
            {
                await error.WriteLineAsync($"catalog: cannot read EC2 at {ec2Endpoint ?? $"the {parse.GetValue(region)} endpoint"}: {Diagnostics.ErrorText.Describe(e)}").ConfigureAwait(false);
                return ExitCodes.Invalid;
            }

            await File.WriteAllTextAsync(target.FullName, CatalogJson.Write(catalog), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"wrote {target}: {catalog.InstanceTypes.Count} instance types, "
                + $"{catalog.InstanceTypes.Count(t => t.Gpu is not null)} with GPUs, {catalog.InstanceTypes.Count(t => t.Accelerator is not null)} with Neuron devices").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static AmazonEC2Client Client(string region, string? endpoint) => endpoint is null
        ? new AmazonEC2Client(RegionEndpoint.GetBySystemName(region))
        : new AmazonEC2Client(new BasicAWSCredentials("test", "test"), new AmazonEC2Config { ServiceURL = endpoint, AuthenticationRegion = region });
}
