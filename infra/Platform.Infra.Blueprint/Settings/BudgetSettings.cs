namespace Platform.Infra.Blueprint.Settings;

/// <summary>Disruption budgets and the cost alert threshold.</summary>
/// <param name="DefaultNodes">Nodes (count or percentage) a NodePool may disrupt at once outside business hours.</param>
/// <param name="BusinessHours">When set, GPU NodePools disrupt nothing during these hours.</param>
/// <param name="HourlyGpuCostAlertUsd">The hourly GPU spend above which HighGPUCostAlert fires.</param>
public sealed record BudgetSettings(string DefaultNodes, BusinessHours? BusinessHours, int HourlyGpuCostAlertUsd);
