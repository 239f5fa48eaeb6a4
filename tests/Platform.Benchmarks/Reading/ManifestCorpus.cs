using System.Globalization;

namespace Platform.Benchmarks.Reading;

/// <summary>
/// Writes a large multi-document manifest file of the kinds <c>validate</c> and <c>plan</c> read: NodePools (one in
/// fifty with a mistake, so the error path is measured too), EC2NodeClasses, Deployments and Pods. Streamed to disk,
/// so the writer's own memory does not count against the reader's.
/// </summary>
internal static class ManifestCorpus
{
    public static long Write(string path, long bytes)
    {
        using var writer = new StreamWriter(path);
        for (var i = 0; writer.BaseStream.Position < bytes; i++)
        {
            writer.Write(Documents(i));
            writer.Flush();
        }

        return writer.BaseStream.Position;
    }

    private static string Documents(int i)
    {
        var n = i.ToString(CultureInfo.InvariantCulture);
        var weight = (i % 100).ToString(CultureInfo.InvariantCulture);
        var cpu = i % 50 == 49 ? "-4" : "1000";
        return $$"""
            apiVersion: karpenter.sh/v1
            kind: NodePool
            metadata:
              name: gpu-{{n}}
              labels:
                team: ml-{{n}}
            spec:
              weight: {{weight}}
              template:
                metadata:
                  labels:
                    workload: inference
                spec:
                  nodeClassRef:
                    group: karpenter.k8s.aws
                    kind: EC2NodeClass
                    name: gpu-{{n}}
                  requirements:
                    - key: karpenter.k8s.aws/instance-family
                      operator: In
                      values: ["g5", "g6", "g4dn"]
                    - key: karpenter.sh/capacity-type
                      operator: In
                      values: ["spot", "on-demand"]
                  taints:
                    - key: nvidia.com/gpu
                      effect: NoSchedule
                  expireAfter: 720h
              limits:
                cpu: "{{cpu}}"
                nvidia.com/gpu: "64"
              disruption:
                consolidationPolicy: WhenEmptyOrUnderutilized
                consolidateAfter: 5m
                budgets:
                  - nodes: "10%"
                  - nodes: "0"
                    schedule: "0 9 * * mon-fri"
                    duration: 8h
            ---
            apiVersion: karpenter.k8s.aws/v1
            kind: EC2NodeClass
            metadata:
              name: gpu-{{n}}
            spec:
              role: KarpenterNodeRole-gpu
              amiSelectorTerms:
                - alias: al2023@latest
              subnetSelectorTerms:
                - tags:
                    karpenter.sh/discovery: gpu-platform
              securityGroupSelectorTerms:
                - tags:
                    karpenter.sh/discovery: gpu-platform
              blockDeviceMappings:
                - deviceName: /dev/xvda
                  ebs:
                    volumeSize: 200Gi
                    volumeType: gp3
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: inference-{{n}}
              namespace: serving
            spec:
              replicas: 3
              template:
                metadata:
                  labels:
                    app: inference-{{n}}
                spec:
                  nodeSelector:
                    workload: inference
                  tolerations:
                    - key: nvidia.com/gpu
                      operator: Exists
                      effect: NoSchedule
                  containers:
                    - name: server
                      image: vllm/vllm-openai:v0.6.0
                      resources:
                        requests:
                          cpu: "3"
                          memory: 12Gi
                          nvidia.com/gpu: "1"
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: batch-{{n}}
              namespace: jobs
              labels:
                app: batch
            spec:
              containers:
                - name: worker
                  image: busybox
                  resources:
                    requests:
                      cpu: 500m
                      memory: 1Gi
            ---

            """;
    }
}
