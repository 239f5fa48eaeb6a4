namespace Platform.Autoscaler.Api;

/// <summary>One <c>x-kubernetes-validations</c> entry: a CEL expression the API server evaluates, and its message.</summary>
/// <param name="Rule">The CEL expression; <c>self</c> is the value of the field the rule is attached to.</param>
/// <param name="Message">What the API server says when the rule is false.</param>
public sealed record CelRule(string Rule, string Message);
