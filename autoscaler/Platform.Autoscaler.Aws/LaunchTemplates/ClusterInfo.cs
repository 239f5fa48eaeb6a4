namespace Platform.Autoscaler.Aws.LaunchTemplates;

/// <summary>What a node needs to join the cluster: its name, API endpoint, CA bundle and service CIDR.</summary>
public sealed record ClusterInfo(string Name, string Endpoint, string CertificateAuthority, string ServiceCidr);
