namespace ClockSync.FeishuSandbox;

/// <summary>One flow the sandbox accepted, as stored in its ledger (the <c>user_flow</c> of docs/feishu-contract.md §2).</summary>
public sealed record SandboxFlowRecord
{
    /// <summary>Id the sandbox assigned (Feishu's <c>record_id</c>).</summary>
    public required string RecordId { get; init; }

    /// <summary>The app whose token posted it.</summary>
    public required string AppId { get; init; }

    /// <summary><c>employee_type</c> of the request that posted it.</summary>
    public required string EmployeeType { get; init; }

    /// <summary><c>user_id</c> as sent.</summary>
    public required string UserId { get; init; }

    /// <summary><c>creator_id</c> as sent.</summary>
    public required string CreatorId { get; init; }

    /// <summary><c>location_name</c> as sent.</summary>
    public required string LocationName { get; init; }

    /// <summary><c>check_time</c> as sent (Unix seconds, decimal string).</summary>
    public required string CheckTime { get; init; }

    /// <summary><c>check_time</c> parsed.</summary>
    public required long CheckTimeSeconds { get; init; }

    /// <summary><c>comment</c> as sent.</summary>
    public required string Comment { get; init; }

    /// <summary><c>external_id</c>, when sent.</summary>
    public string? ExternalId { get; init; }

    /// <summary><c>idempotent_id</c>, when sent.</summary>
    public string? IdempotentId { get; init; }

    /// <summary><c>type</c>, when sent.</summary>
    public int? Type { get; init; }

    /// <summary><c>is_field</c>, when sent.</summary>
    public bool? IsField { get; init; }

    /// <summary><c>is_wifi</c>, when sent.</summary>
    public bool? IsWifi { get; init; }

    /// <summary><c>ssid</c>, when sent.</summary>
    public string? Ssid { get; init; }

    /// <summary><c>bssid</c>, when sent.</summary>
    public string? Bssid { get; init; }

    /// <summary>When the sandbox stored it.</summary>
    public required DateTimeOffset AcceptedAt { get; init; }

    /// <summary><c>X-Tt-Logid</c> of the request that stored it.</summary>
    public required string LogId { get; init; }
}
