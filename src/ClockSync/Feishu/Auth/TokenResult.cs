using ClockSync.Feishu.Http;

namespace ClockSync.Feishu.Auth;

/// <summary>A tenant token, or why there is none.</summary>
internal abstract record TokenResult
{
    private TokenResult()
    {
    }

    public sealed record Issued(FeishuTenantToken Token) : TokenResult;

    public sealed record Failed(FeishuFailure Failure) : TokenResult;
}
