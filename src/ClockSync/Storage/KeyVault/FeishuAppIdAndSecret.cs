namespace ClockSync.Storage.KeyVault;

/// <summary>The Feishu/Lark app id (not secret) and app secret (hidden from <c>ToString</c>).</summary>
public sealed record FeishuAppIdAndSecret(string AppId, SecretText AppSecret);
