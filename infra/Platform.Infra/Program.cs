using Platform.Infra;
using Pulumi;

// `pulumi up -s dev|prod` runs this: settings come from Pulumi.<stack>.yaml through Pulumi's config.
return await Deployment.RunAsync(() => GpuPlatform.BuildAsync(Deployment.Instance.StackName, PulumiConfig.Lookup));
