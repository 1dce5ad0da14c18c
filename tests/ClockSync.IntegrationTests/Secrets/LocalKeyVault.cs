using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClockSync.IntegrationTests.Secrets;

/// <summary>
/// A Kestrel HTTPS server on 127.0.0.1 that speaks the part of the Key Vault secrets REST API the real
/// <see cref="SecretClient"/> uses to read a secret: the bearer challenge (401 + WWW-Authenticate), then
/// <c>GET /secrets/{name}/</c> and <c>GET /secrets/{name}/{version}</c> with the secret bundle, Key Vault's error
/// bodies for 404 (SecretNotFound) and 403 (ForbiddenByRbac, SecretDisabled). Secrets can be set, rotated (a new
/// version) and disabled; responses can be held at a gate; every request is counted.
/// </summary>
internal sealed class LocalKeyVault : IAsyncDisposable
{
    private static readonly Lazy<X509Certificate2> SharedCertificate = new(() => LoopbackCertificate.Create());

    // The SecretClient caches the challenge per host:port for the whole process, so a server that reuses an earlier
    // server's port would never see the challenge. Ports are kept unique per test run to keep the challenge observable.
    private static readonly HashSet<int> UsedPorts = [];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<SecretVersion>> _secrets = new(StringComparer.Ordinal);
    private readonly List<HttpClientTransport> _transports = [];
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private WebApplication? _app;
    private HeldResponses? _held;
    private int _totalRequests;
    private int _challengesIssued;
    private int _secretReads;
    private bool _stopped;

    private LocalKeyVault()
    {
    }

    public static X509Certificate2 Certificate => SharedCertificate.Value;

    public Uri VaultUri { get; private set; } = null!;

    /// <summary>Unique per server, so a test can see the tenant the client took from this server's challenge.</summary>
    public string TenantId { get; } = Guid.NewGuid().ToString();

    /// <summary>When true, authenticated secret reads get 403 ForbiddenByRbac (the identity lacks a role).</summary>
    public bool DenyAccess { get; set; }

    /// <summary>
    /// When true, secret reads get 503 ServiceUnavailable: an outage the client cannot get past (it retries, then
    /// gives up) and that passes once this is false again, unlike a closed port, which cannot come back.
    /// </summary>
    public bool Unavailable { get; set; }

    /// <summary>Every HTTP request that reached the server, including the unauthenticated challenge round trip.</summary>
    public int TotalRequests => Volatile.Read(ref _totalRequests);

    public int ChallengesIssued => Volatile.Read(ref _challengesIssued);

    /// <summary>Authenticated secret GETs, whatever their outcome (200, 403, 404).</summary>
    public int SecretReads => Volatile.Read(ref _secretReads);

    public static async Task<LocalKeyVault> StartAsync()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var vault = new LocalKeyVault();
            var port = await vault.ListenAsync();
            lock (UsedPorts)
            {
                if (UsedPorts.Add(port))
                {
                    vault.VaultUri = new Uri($"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
                    return vault;
                }
            }

            await vault.DisposeAsync();
        }

        throw new InvalidOperationException("No unused loopback port was handed out in 20 attempts.");
    }

    /// <summary>Sets a new current version of the secret and returns its version id.</summary>
    public string SetSecret(string name, string value)
    {
        var version = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            if (!_secrets.TryGetValue(name, out var versions))
            {
                versions = [];
                _secrets.Add(name, versions);
            }

            versions.Add(new SecretVersion(version, value, Enabled: true, _timeProvider.GetUtcNow()));
        }

        return version;
    }

    public void DisableSecret(string name)
    {
        lock (_gate)
        {
            var versions = _secrets[name];
            versions[^1] = versions[^1] with { Enabled = false };
        }
    }

    /// <summary>Holds every secret response until <see cref="HeldResponses.Release"/> is called.</summary>
    public HeldResponses HoldSecretResponses()
    {
        var held = new HeldResponses();
        lock (_gate)
        {
            _held = held;
        }

        return held;
    }

    /// <summary>
    /// Client options for a SecretClient that trusts exactly this server's certificate, with small bounded retries
    /// so failure tests finish quickly.
    /// </summary>
    public SecretClientOptions CreateClientOptions()
    {
        var options = CreateClientOptions(LoopbackCertificate.Sha256Thumbprint(Certificate), out var transport);
        lock (_gate)
        {
            _transports.Add(transport);
        }

        return options;
    }

    /// <summary>Options pinned to the given certificate thumbprint (SHA-256, hex); any other certificate is refused.</summary>
    public static SecretClientOptions CreateClientOptions(string pinnedSha256Thumbprint, out HttpClientTransport transport)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Trust the one self-signed certificate by its thumbprint. The only tolerated policy error is the
                // untrusted chain (it is self-signed); a name mismatch or any other certificate is still refused.
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null
                    && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                    && string.Equals(LoopbackCertificate.Sha256Thumbprint(certificate), pinnedSha256Thumbprint, StringComparison.OrdinalIgnoreCase),
            },
        };
        transport = new HttpClientTransport(handler);

        var options = new SecretClientOptions
        {
            Transport = transport,

            // The client normally checks that the challenge's resource (vault.azure.net) is a parent domain of the
            // vault host, which protects a real token from being sent to a look-alike host. This vault is
            // 127.0.0.1, which no real resource can match, and the token is a fixed test string, so the check is
            // turned off here and only here.
            DisableChallengeResourceVerification = true,
        };
        options.Retry.MaxRetries = 1;
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(10);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return options;
    }

    /// <summary>Stops listening: later requests find a closed port, as with an unreachable vault.</summary>
    public async Task StopAsync()
    {
        if (_app is not null && !_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _held?.Release();
        lock (_gate)
        {
            foreach (var transport in _transports)
            {
                transport.Dispose();
            }
        }
    }

    private async Task<int> ListenAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(Certificate)));

        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Uri(address).Port;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _totalRequests);
        var request = context.Request;
        var response = context.Response;

        if (!request.Query.TryGetValue("api-version", out var apiVersion) || string.IsNullOrEmpty(apiVersion))
        {
            await WriteErrorAsync(response, StatusCodes.Status400BadRequest, "BadParameter", "The request URI must contain an api-version.");
            return;
        }

        // Key Vault answers an unauthenticated request with the challenge that tells the client where to get a
        // token (the tenant's authority) and for which resource. A wrong token gets the same challenge.
        var authorization = request.Headers.Authorization.ToString();
        if (!string.Equals(authorization, $"Bearer {RecordingTokenCredential.Token}", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _challengesIssued);
            response.Headers.WWWAuthenticate =
                $"Bearer authorization=\"https://login.microsoftonline.com/{TenantId}\", resource=\"https://vault.azure.net\"";
            await WriteErrorAsync(response, StatusCodes.Status401Unauthorized, "Unauthorized",
                authorization.Length == 0 ? "AKV10000: Request is missing a Bearer or PoP token." : "AKV10022: Invalid token.");
            return;
        }

        var segments = (request.Path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!HttpMethods.IsGet(request.Method) || segments.Length is < 2 or > 3 || segments[0] != "secrets")
        {
            await WriteErrorAsync(response, StatusCodes.Status400BadRequest, "BadParameter", "Only reading a secret is supported here.");
            return;
        }

        Interlocked.Increment(ref _secretReads);
        HeldResponses? held;
        lock (_gate)
        {
            held = _held;
        }

        if (held is not null)
        {
            await held.WaitAsync(context.RequestAborted);
        }

        await WriteSecretAsync(response, name: segments[1], version: segments.Length == 3 ? segments[2] : null);
    }

    private async Task WriteSecretAsync(HttpResponse response, string name, string? version)
    {
        if (Unavailable)
        {
            await WriteErrorAsync(response, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable",
                "The service is temporarily unavailable.");
            return;
        }

        if (DenyAccess)
        {
            await WriteErrorAsync(response, StatusCodes.Status403Forbidden, "Forbidden",
                "Caller is not authorized to perform action on resource. Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'",
                innerCode: "ForbiddenByRbac");
            return;
        }

        SecretVersion? found;
        lock (_gate)
        {
            found = _secrets.TryGetValue(name, out var versions)
                ? version is null ? versions[^1] : versions.Find(v => v.Version == version)
                : null;
        }

        if (found is null)
        {
            await WriteErrorAsync(response, StatusCodes.Status404NotFound, "SecretNotFound",
                $"A secret with (name/id) {name}{(version is null ? string.Empty : "/" + version)} was not found in this key vault.");
            return;
        }

        if (!found.Enabled)
        {
            await WriteErrorAsync(response, StatusCodes.Status403Forbidden, "Forbidden",
                "Operation get is not allowed on a disabled secret.", innerCode: "SecretDisabled");
            return;
        }

        var unixSeconds = found.Created.ToUnixTimeSeconds();
        await response.WriteAsJsonAsync(new
        {
            value = found.Value,
            id = new Uri(VaultUri, $"secrets/{name}/{found.Version}").AbsoluteUri,
            attributes = new
            {
                enabled = found.Enabled,
                created = unixSeconds,
                updated = unixSeconds,
                recoveryLevel = "Recoverable+Purgeable",
                recoverableDays = 90,
            },
            tags = new Dictionary<string, string>(),
        });
    }

    private static Task WriteErrorAsync(HttpResponse response, int status, string code, string message, string? innerCode = null)
    {
        response.StatusCode = status;
        return innerCode is null
            ? response.WriteAsJsonAsync(new { error = new { code, message } })
            : response.WriteAsJsonAsync(new { error = new { code, message, innererror = new { code = innerCode } } });
    }

    private sealed record SecretVersion(string Version, string Value, bool Enabled, DateTimeOffset Created);
}

/// <summary>A gate in front of secret responses: <see cref="Arrived"/> completes when the first request waits at it.</summary>
internal sealed class HeldResponses
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Arrived => _arrived.Task;

    public void Release() => _released.TrySetResult();

    internal Task WaitAsync(CancellationToken cancellationToken)
    {
        _arrived.TrySetResult();
        return _released.Task.WaitAsync(cancellationToken);
    }
}
