using ClockSync.Feishu.Accounting;

namespace ClockSync.Feishu.Http;

/// <summary>What a request is for, carried in <see cref="HttpRequestMessage.Options"/> to the inner handlers.</summary>
internal static class FeishuRequestTags
{
    public static readonly HttpRequestOptionsKey<string> AppId = new("ClockSync.Feishu.AppId");
    public static readonly HttpRequestOptionsKey<FeishuCallKind> Kind = new("ClockSync.Feishu.Kind");
}
