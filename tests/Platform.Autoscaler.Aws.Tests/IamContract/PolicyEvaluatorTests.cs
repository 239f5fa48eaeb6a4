namespace Platform.Autoscaler.Aws.Tests.IamContract;

/// <summary>The contract's evaluator against the IAM User Guide's rules, one behaviour per test.</summary>
public sealed class PolicyEvaluatorTests
{
    private const string Instance = "arn:aws:ec2:us-east-1:123456789012:instance/i-1";

    private static AuthorizationRequest Request(string action = "ec2:TerminateInstances", string resource = Instance, params (string Key, string[] Values)[] context) =>
        new(action, resource, context.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Values, StringComparer.OrdinalIgnoreCase), "test");

    private static IamPolicy Policy(params string[] statements) => IamPolicy.Parse($$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""");

    private static bool Allowed(IamPolicy policy, AuthorizationRequest request) => PolicyEvaluator.Evaluate(policy, request).Allowed;

    [Fact]
    public void Evaluate_NoStatementNamesTheAction_ImplicitDenySaysSo()
    {
        var decision = PolicyEvaluator.Evaluate(Policy("""{"Sid":"Read","Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}"""), Request());
        Assert.False(decision.Allowed);
        Assert.Null(decision.Statement);
        Assert.Contains("no statement allows ec2:TerminateInstances", decision.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ExplicitDenyWinsOverAnAllow()
    {
        var policy = Policy(
            """{"Sid":"All","Effect":"Allow","Action":"ec2:*","Resource":"*"}""",
            """{"Sid":"NoTerminate","Effect":"Deny","Action":"ec2:TerminateInstances","Resource":"*"}""");
        var decision = PolicyEvaluator.Evaluate(policy, Request());
        Assert.False(decision.Allowed);
        Assert.Equal("NoTerminate", decision.Statement!.Sid);
        Assert.True(Allowed(policy, Request("ec2:RunInstances")));
    }

    [Fact]
    public void Evaluate_ActionsMatchCaseInsensitivelyWithWildcards_ResourcesCaseSensitively()
    {
        var policy = Policy("""{"Sid":"S","Effect":"Allow","Action":"EC2:terminate?nstances","Resource":"arn:aws:ec2:us-east-1:*:instance/*"}""");
        Assert.True(Allowed(policy, Request()));
        Assert.False(Allowed(policy, Request(resource: "arn:aws:ec2:us-east-1:123456789012:Instance/i-1")));
        Assert.False(Allowed(policy, Request(resource: "arn:aws:ec2:us-west-2:123456789012:instance/i-1")));
    }

    [Fact]
    public void Evaluate_NotActionAndNotResource_MatchWhatTheyDoNotName()
    {
        var policy = Policy("""{"Sid":"S","Effect":"Allow","NotAction":"ec2:Terminate*","NotResource":"arn:aws:ec2:*:*:volume/*"}""");
        Assert.True(Allowed(policy, Request("ec2:RunInstances")));
        Assert.False(Allowed(policy, Request()));
        Assert.False(Allowed(policy, Request("ec2:RunInstances", "arn:aws:ec2:us-east-1:1:volume/v-1")));
    }

    [Fact]
    public void Evaluate_ResourceMatchesButAConditionFails_ClosestStatementNamesTheConditionAndTheValue()
    {
        var policy = Policy(
            """{"Sid":"Other","Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"arn:aws:ec2:*:*:volume/*"}""",
            """{"Sid":"Owned","Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/owner":"me"}}}""");
        var decision = PolicyEvaluator.Evaluate(policy, Request(context: ("aws:ResourceTag/owner", ["you"])));
        Assert.False(decision.Allowed);
        Assert.Equal("Owned", decision.Statement!.Sid);
        Assert.Contains("StringEquals aws:ResourceTag/owner [me] does not hold for aws:ResourceTag/owner=[you]", decision.Explanation, StringComparison.Ordinal);
        Assert.Contains("(absent)", PolicyEvaluator.Evaluate(policy, Request()).Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OnlyTheResourceDiffers_ClosestStatementNamesItsResources()
    {
        var decision = PolicyEvaluator.Evaluate(Policy("""{"Sid":"Volumes","Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"arn:aws:ec2:*:*:volume/*"}"""), Request());
        Assert.Equal("Volumes", decision.Statement!.Sid);
        Assert.Contains("only on [arn:aws:ec2:*:*:volume/*]", decision.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("StringEquals", "owned", "owned", true)]
    [InlineData("StringEquals", "Owned", "owned", false)]
    [InlineData("StringEqualsIgnoreCase", "Owned", "owned", true)]
    [InlineData("StringNotEquals", "shared", "owned", true)]
    [InlineData("StringNotEquals", "owned", "owned", false)]
    [InlineData("StringLike", "own*", "owned", true)]
    [InlineData("StringLike", "o?ned", "owned", true)]
    [InlineData("StringLike", "*", "", true)]
    [InlineData("StringNotLike", "sh*", "owned", true)]
    [InlineData("Bool", "true", "TRUE", true)]
    public void Condition_StringAndBoolOperators(string op, string wanted, string actual, bool holds) =>
        Assert.Equal(holds, IamCondition.Create(op, "k", [wanted]).Holds(Context(("k", [actual]))));

    [Fact]
    public void Condition_ValuesOfOneKeyAreOred_KeysAndOperatorsAnded()
    {
        var policy = Policy("""
            {"Sid":"S","Effect":"Allow","Action":"*","Resource":"*","Condition":{
              "StringEquals":{"a":["1","2"],"b":"x"},"StringLike":{"c":"y*"}}}
            """);
        Assert.True(Allowed(policy, Request(context: [("a", ["2"]), ("b", ["x"]), ("c", ["yes"])])));
        Assert.False(Allowed(policy, Request(context: [("a", ["2"]), ("b", ["x"]), ("c", ["no"])])));
        Assert.False(Allowed(policy, Request(context: [("a", ["3"]), ("b", ["x"]), ("c", ["yes"])])));
    }

    [Fact]
    public void Condition_MissingKey_FailsUnlessIfExistsOrNegated()
    {
        var empty = Context();
        Assert.False(IamCondition.Create("StringEquals", "k", ["v"]).Holds(empty));
        Assert.False(IamCondition.Create("StringLike", "k", ["*"]).Holds(empty));
        Assert.True(IamCondition.Create("StringEqualsIfExists", "k", ["v"]).Holds(empty));
        Assert.True(IamCondition.Create("StringNotEquals", "k", ["v"]).Holds(empty));
        Assert.False(IamCondition.Create("StringEqualsIfExists", "k", ["v"]).Holds(Context(("k", ["w"]))));
    }

    [Fact]
    public void Condition_Null_TrueMeansAbsent()
    {
        Assert.True(IamCondition.Create("Null", "k", ["true"]).Holds(Context()));
        Assert.False(IamCondition.Create("Null", "k", ["true"]).Holds(Context(("k", ["v"]))));
        Assert.True(IamCondition.Create("Null", "k", ["false"]).Holds(Context(("k", ["v"]))));
    }

    [Fact]
    public void Condition_ForAllValues_EveryValueInTheSet_VacuouslyTrueWhenEmpty()
    {
        var condition = IamCondition.Create("ForAllValues:StringEquals", "aws:TagKeys", ["Name", "karpenter.sh/nodeclaim"]);
        Assert.True(condition.Holds(Context(("aws:TagKeys", ["Name"]))));
        Assert.False(condition.Holds(Context(("aws:TagKeys", ["Name", "team"]))));
        Assert.True(condition.Holds(Context()));
    }

    [Fact]
    public void Condition_ForAnyValue_SomeValueInTheSet_FalseWhenEmpty()
    {
        var condition = IamCondition.Create("ForAnyValue:StringLike", "aws:TagKeys", ["karpenter.*"]);
        Assert.True(condition.Holds(Context(("aws:TagKeys", ["team", "karpenter.sh/nodepool"]))));
        Assert.False(condition.Holds(Context(("aws:TagKeys", ["team"]))));
        Assert.False(condition.Holds(Context()));
    }

    [Theory]
    [InlineData("NumericEquals", "k")]
    [InlineData("DateGreaterThan", "aws:CurrentTime")]
    [InlineData("ForEachValue:StringEquals", "aws:TagKeys")]
    [InlineData("StringEquals", "aws:TagKeys")]
    public void Condition_WhatTheEvaluatorDoesNotImplement_IsRefusedNotSkipped(string op, string key) =>
        Assert.Throws<NotSupportedException>(() => IamCondition.Create(op, key, ["1"]));

    [Fact]
    public void Parse_PolicyVariablesAndPrincipals_AreRefused()
    {
        Assert.Throws<NotSupportedException>(() => Policy("""{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"${aws:username}"}}}"""));
        Assert.Throws<NotSupportedException>(() => Policy("""{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"""));
    }

    [Theory]
    [InlineData("arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:1:instance/i-1", true)]
    [InlineData("arn:aws:ec2:us-east-1::image/*", "arn:aws:ec2:us-east-1::image/ami-1", true)]
    [InlineData("arn:aws:ec2:us-east-1::image/*", "arn:aws:ec2:us-east-1:1:image/ami-1", false)]
    [InlineData("*", "", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b", "aXbYc", false)]
    public void Glob_StarSpansSeparators_QuestionMarkIsOneCharacter(string pattern, string value, bool matches) =>
        Assert.Equal(matches, Glob.Matches(pattern, value, ignoreCase: false));

    private static Dictionary<string, IReadOnlyList<string>> Context(params (string Key, string[] Values)[] values) =>
        values.ToDictionary(v => v.Key, v => (IReadOnlyList<string>)v.Values, StringComparer.OrdinalIgnoreCase);
}
