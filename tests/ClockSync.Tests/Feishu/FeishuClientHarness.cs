using System.Globalization;
using ClockSync.Feishu.Accounting;
using ClockSync.Feishu.Configuration;
using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Messages;
using ClockSync.FeishuSandbox;
using ClockSync.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClockSync.Tests.Feishu;

/// <summary>A sandbox plus a client wired exactly as production wires it (<c>AddFeishuClient</c>), pointed at it.</summary>
internal sealed class FeishuClientHarness : IAsyncDisposable
{
    public const string AppId = SandboxSettings.DefaultAppId;
    public const string AppSecret = SandboxSettings.DefaultAppSecret;

    // 2025-06-02 08:00:00 UTC: after the 2022-01-01 cut-off.
    public const long BaseCheckTime = 1_748_851_200;

    private readonly ServiceProvider _services;

    private FeishuClientHarness(FeishuSandboxServer sandbox, ServiceProvider services, CapturingLoggerProvider logs)
    {
        Sandbox = sandbox;
        _services = services;
        Logs = logs;
        Client = services.GetRequiredService<IFeishuAttendanceClient>();
        Counter = services.GetRequiredService<IFeishuCallCounter>();
    }

    public FeishuSandboxServer Sandbox { get; }

    public IFeishuAttendanceClient Client { get; }

    public IFeishuCallCounter Counter { get; }

    public IFeishuMessageClient Messages => _services.GetRequiredService<IFeishuMessageClient>();

    public CapturingLoggerProvider Logs { get; }

    /// <summary>Starts a sandbox and a client. The client paces at 50/s with a burst of 100 unless told otherwise,
    /// so tests on a fake clock never wait on the limiter.</summary>
    public static async Task<FeishuClientHarness> StartAsync(
        SandboxSettings? sandboxSettings = null,
        IReadOnlyDictionary<string, string?>? clientSettings = null,
        TimeProvider? timeProvider = null,
        IFeishuAppCredentialsProvider? credentials = null)
    {
        var settings = sandboxSettings ?? new SandboxSettings();
        if (timeProvider is not null)
        {
            settings = settings with { TimeProvider = timeProvider };
        }

        var sandbox = await FeishuSandboxServer.StartAsync(settings);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ClockSync:Feishu:BaseUrl"] = sandbox.BaseAddress.AbsoluteUri,
            ["ClockSync:Feishu:AllowAnyBaseUrl"] = "true",
            ["ClockSync:Feishu:EmployeeType"] = "employee_id",
            ["ClockSync:Feishu:AppId"] = AppId,
            ["ClockSync:Feishu:AppSecret"] = AppSecret,
            ["ClockSync:Feishu:RateLimitBurst"] = "100",
            ["ClockSync:Feishu:HttpTimeout"] = "00:00:10",
        };
        foreach (var (key, value) in clientSettings ?? new Dictionary<string, string?>())
        {
            values["ClockSync:Feishu:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var logs = new CapturingLoggerProvider();
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        if (timeProvider is not null)
        {
            collection.AddSingleton(timeProvider);
        }

        if (credentials is not null)
        {
            collection.AddSingleton(credentials);
        }

        collection.AddFeishuClient(configuration);
        return new FeishuClientHarness(sandbox, collection.BuildServiceProvider(), logs);
    }

    /// <summary>A valid record for <paramref name="userId"/>; <paramref name="n"/> makes its time and keys unique.</summary>
    public static FeishuFlowRecord Record(string userId, int n = 0) => new(
        userId,
        userId,
        "Gate 3",
        BaseCheckTime + n,
        "考勤机 3 上班",
        $"ext-{userId}-{n.ToString(CultureInfo.InvariantCulture)}",
        $"fp-{userId}-{n.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Records for users in order, <paramref name="perUser"/> each.</summary>
    public static List<FeishuFlowRecord> Records(IEnumerable<string> users, int perUser = 1) =>
        users.SelectMany(user => Enumerable.Range(0, perUser).Select(n => Record(user, n))).ToList();

    public IReadOnlyList<SandboxRequestRecord> RequestsTo(SandboxEndpoints endpoint) =>
        Sandbox.Requests.Snapshot().Where(request => request.Endpoint == endpoint).ToList();

    public long Calls(FeishuCallKind kind) =>
        Counter.Snapshot().Where(tally => tally.Kind == kind).Sum(tally => tally.Count);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
