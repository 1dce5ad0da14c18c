using System.Net;
using ClockSync.FeishuSandbox.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClockSync.FeishuSandbox;

/// <summary>
/// A Feishu Open API stand-in on Kestrel (127.0.0.1) that follows <c>docs/feishu-contract.md</c>: tenant tokens,
/// <c>batch_create</c>, <c>query</c>, a rate limit and scripted faults, with a ledger and a request log to assert on.
/// </summary>
public sealed class FeishuSandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxRuntime _runtime;

    private FeishuSandboxServer(WebApplication app, SandboxRuntime runtime, Uri baseAddress, SandboxSettings settings)
    {
        _app = app;
        _runtime = runtime;
        BaseAddress = baseAddress;
        Settings = settings;
    }

    /// <summary>Root of the server, e.g. <c>http://127.0.0.1:54321/</c>; Open API paths hang below it.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The settings it started with.</summary>
    public SandboxSettings Settings { get; }

    /// <summary>Accepted flow records.</summary>
    public SandboxLedger Ledger => _runtime.Ledger;

    /// <summary>Messages (cards) sent to <c>im/v1/messages</c>, their content parsed.</summary>
    public SandboxMessages Messages => _runtime.Messages;

    /// <summary>Every Open API request, without secrets or tokens.</summary>
    public SandboxRequestLog Requests => _runtime.Requests;

    /// <summary>The fault script.</summary>
    public SandboxFaults Faults => _runtime.Faults;

    /// <summary>Apps, users, tokens and behaviour switches.</summary>
    public SandboxTenant Tenant => _runtime.Tenant;

    /// <summary>The tenant's monthly call quota: what it has counted, and a setter to raise it (an upgrade, a new month).</summary>
    public SandboxMonthlyQuota MonthlyQuota => _runtime.Quota;

    /// <summary>Starts a sandbox; dispose it to stop.</summary>
    public static async Task<FeishuSandboxServer> StartAsync(SandboxSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FeishuSandboxServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // The sandbox reports through its request log; framework logging would only add noise to test output.
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, settings.Port ?? 0));
        var app = builder.Build();
        var runtime = new SandboxRuntime(settings);
        SandboxRoutes.Map(app, runtime);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            runtime.Dispose();
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new FeishuSandboxServer(app, runtime, new Uri(address.TrimEnd('/') + "/"), settings);
    }

    /// <summary>Forgets the ledger, the messages, the request log, the fault script and the rate-limit buckets (tokens stay valid).</summary>
    public void Reset() => _runtime.Reset();

    /// <summary>Stops the server; requests held by slow-response faults are ended first.</summary>
    public async ValueTask DisposeAsync()
    {
        _runtime.Stop();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _runtime.Dispose();
    }
}
