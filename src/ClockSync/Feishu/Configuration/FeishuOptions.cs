using System.ComponentModel.DataAnnotations;
using ClockSync.Secrets;

namespace ClockSync.Feishu.Configuration;

/// <summary>
/// Settings of the Feishu/Lark Open API client, bound from <c>ClockSync:Feishu</c> and validated at start-up.
/// </summary>
public sealed class FeishuOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "ClockSync:Feishu";

    /// <summary>The Feishu host; the Lark host is <see cref="LarkBaseAddress"/>.</summary>
    public static readonly Uri FeishuBaseAddress = new("https://open.feishu.cn");

    /// <summary>The Lark (international) host.</summary>
    public static readonly Uri LarkBaseAddress = new("https://open.larksuite.com");

    /// <summary>
    /// Where the Open API lives: <c>https://open.feishu.cn</c> or <c>https://open.larksuite.com</c>, or any address
    /// (a sandbox) when <see cref="AllowAnyBaseUrl"/> is set. The app secret is sent there, so nothing else is accepted.
    /// </summary>
    [Required]
    public Uri BaseUrl { get; set; } = FeishuBaseAddress;

    /// <summary>
    /// Lets <see cref="BaseUrl"/> be any absolute address (plain http, another host): for the demo, tests and dry runs
    /// against the sandbox. Never set in Azure.
    /// </summary>
    public bool AllowAnyBaseUrl { get; set; }

    /// <summary>
    /// Which id the records carry: <c>employee_id</c> (the user id shown in the admin console) or
    /// <c>employee_no</c> (工号). Sent as the <c>employee_type</c> query parameter.
    /// </summary>
    [Required]
    [RegularExpression("^(employee_id|employee_no)$", ErrorMessage = "EmployeeType must be 'employee_id' or 'employee_no'.")]
    public string EmployeeType { get; set; } = "employee_id";

    /// <summary>
    /// Requests per second for one app, shared by every caller of every instance (the pipeline's gate reserves time
    /// slots in storage). The contract documents 50/s for <c>batch_create</c> and <c>query</c>.
    /// </summary>
    [Range(0.1, 1000)]
    public double RequestsPerSecond { get; set; } = 50;

    /// <summary>
    /// How many requests of the app (all instances together: the shared gate honours it as its tolerance) may leave
    /// back to back after a quiet spell before pacing starts. 1 (pure pacing) never puts more than the rate into any
    /// 1-second window, however Feishu counts it (docs/feishu-contract.md §2); a larger burst fits only a server that
    /// keeps a full bucket, like the sandbox, so raise it only there (tests do, to skip the pacing).
    /// </summary>
    [Range(1, 1000)]
    public int RateLimitBurst { get; set; } = 1;

    /// <summary>
    /// The most calls this app may make in one quota month (China time) to the APIs Feishu counts against the tenant's
    /// monthly quota (<c>batch_create</c>, <c>query</c>; the token call is free). Null = no cap. A call that would pass
    /// it is not made: posting pauses app-wide until the month changes or the budget is raised. The free edition's
    /// 10,000 calls a month are shared by every app of the tenant, so set this to ClockSync's share.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? MonthlyCallBudget { get; set; }

    /// <summary>
    /// A cached tenant token is refreshed when less than this remains. Feishu hands out a new token only when less
    /// than 30 minutes remain, so this matches the server.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:59:00")]
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long one HTTP attempt may take before it counts as a (transient) timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the HTTP handler re-sends after a transport fault (connection refused or reset). Never applies to
    /// an HTTP answer or a timeout: those go back to the pipeline as outcomes.
    /// </summary>
    [Range(0, 5)]
    public int TransportRetryCount { get; set; } = 2;

    /// <summary>The app id (<c>cli_…</c>) when no Key Vault is configured (<c>Secrets/ConfigurationFeishuAppCredentialsProvider</c>).</summary>
    public string? AppId { get; set; }

    /// <summary>The app secret when no Key Vault is configured. Prefer Key Vault in Azure.</summary>
    public string? AppSecret { get; set; }
}
