namespace ClockSync.FeishuSandbox;

/// <summary>The Open API endpoints the sandbox plays; a flags value so a fault can target several.</summary>
[Flags]
public enum SandboxEndpoints
{
    /// <summary>No endpoint.</summary>
    None = 0,

    /// <summary><c>POST /open-apis/auth/v3/tenant_access_token/internal</c>.</summary>
    Token = 1,

    /// <summary><c>POST /open-apis/attendance/v1/user_flows/batch_create</c>.</summary>
    BatchCreate = 2,

    /// <summary><c>POST /open-apis/attendance/v1/user_flows/query</c>.</summary>
    Query = 4,

    /// <summary><c>POST /open-apis/im/v1/messages</c>.</summary>
    Messages = 8,

    /// <summary>Every endpoint.</summary>
    All = Token | BatchCreate | Query | Messages,
}
