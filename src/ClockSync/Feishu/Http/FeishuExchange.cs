namespace ClockSync.Feishu.Http;

/// <summary>The result of sending one request: an answer to classify, or none (timeout, connection fault).</summary>
internal abstract record FeishuExchange
{
    private FeishuExchange()
    {
    }

    public sealed record Answered(FeishuAnswer Answer) : FeishuExchange;

    public sealed record NoAnswer(FeishuFailure Failure) : FeishuExchange;
}
