using System.Text;
using ClockSync.FeishuSandbox.Wire;
using Microsoft.AspNetCore.Http;

namespace ClockSync.FeishuSandbox.Endpoints;

/// <summary>
/// Runs one Open API request: plays the scripted fault, calls the endpoint, logs the exchange, then writes the reply.
/// Logging happens before the response is written so a test that has its response can already read the log.
/// </summary>
internal sealed class SandboxDispatcher
{
    private static readonly string[] SecretLikeNames = ["secret", "token", "password", "key"];

    private readonly SandboxRuntime _runtime;
    private readonly TokenEndpoint _token;
    private readonly BatchCreateEndpoint _batchCreate;
    private readonly QueryEndpoint _query;
    private readonly MessagesEndpoint _messages;

    public SandboxDispatcher(SandboxRuntime runtime)
    {
        _runtime = runtime;
        var gate = new ApiGate(runtime);
        _token = new TokenEndpoint(runtime);
        _batchCreate = new BatchCreateEndpoint(runtime, gate);
        _query = new QueryEndpoint(runtime, gate);
        _messages = new MessagesEndpoint(runtime, gate);
    }

    public async Task HandleAsync(HttpContext http, SandboxEndpoints endpoint)
    {
        var exchange = new SandboxExchange(http, endpoint, _runtime.LogIds.Next(), _runtime.Time.GetUtcNow());

        // Contract "Envelope": X-Tt-Logid on every response.
        http.Response.Headers["X-Tt-Logid"] = exchange.LogId;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _runtime.Stopping);
        try
        {
            var rule = _runtime.Faults.Next(endpoint);
            var fault = rule?.Fault;
            exchange.Fault = fault?.Kind;
            if (fault?.Kind != SandboxFaultKind.SlowResponse)
            {
                rule?.SignalInEffect();
            }

            var behaviour = _runtime.Tenant.Behaviour;
            SandboxReply reply;
            switch (fault?.Kind)
            {
                case SandboxFaultKind.ErrorResponse:
                    reply = SandboxReply.Error(behaviour, fault.HttpStatus, fault.Code, fault.Message, exchange.LogId);
                    break;
                case SandboxFaultKind.GatewayHtml:
                    reply = SandboxReply.GatewayHtml(fault.HttpStatus);
                    break;
                case SandboxFaultKind.Throttle:
                    var limit = _runtime.Limiter.Limit.Enabled ? _runtime.Limiter.Limit : _runtime.Limiter.Limit with { RequestsPerSecond = 50 };
                    reply = ApiGate.Throttled(behaviour, limit, fault.Delay, exchange.LogId);
                    break;
                case SandboxFaultKind.DropConnection:
                    Drop(exchange, SandboxRequestOutcome.Dropped);
                    return;
                case SandboxFaultKind.SlowResponse:
                    // The sandbox clock drives the delay, so tests decide when it ends; a client timeout ends it early.
                    var wait = Task.Delay(fault.Delay, _runtime.Time, stopping.Token);
                    rule!.SignalInEffect();
                    await wait;
                    reply = await ProcessAsync(exchange);
                    break;
                case SandboxFaultKind.RevokeTokens:
                    _runtime.Tenant.RevokeTokens();
                    reply = await ProcessAsync(exchange);
                    break;
                case SandboxFaultKind.RecordThenDropConnection:
                    await ProcessAsync(exchange);
                    Drop(exchange, SandboxRequestOutcome.Dropped);
                    return;
                case SandboxFaultKind.RecordThenServerError:
                    await ProcessAsync(exchange);
                    reply = SandboxReply.Error(behaviour, fault.HttpStatus, fault.Code, fault.Message, exchange.LogId);
                    break;
                default:
                    reply = await ProcessAsync(exchange);
                    break;
            }

            CompleteQuota(exchange, succeeded: reply.Status < 400 && reply.Code is null or FeishuCodes.Ok);
            Log(exchange, reply.Status, reply.Code, SandboxRequestOutcome.Answered);
            await WriteAsync(http.Response, reply);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The client went away (its timeout) or the sandbox is stopping: nothing can be answered.
            Drop(exchange, SandboxRequestOutcome.ClientAborted);
        }
        catch (IOException)
        {
            // The connection broke while the body was read (Kestrel's ConnectionResetException is an IOException).
            Drop(exchange, SandboxRequestOutcome.ClientAborted);
        }
    }

    private Task<SandboxReply> ProcessAsync(SandboxExchange exchange) => exchange.Endpoint switch
    {
        SandboxEndpoints.Token => _token.HandleAsync(exchange),
        SandboxEndpoints.BatchCreate => _batchCreate.HandleAsync(exchange),
        SandboxEndpoints.Query => _query.HandleAsync(exchange),
        SandboxEndpoints.Messages => _messages.HandleAsync(exchange),
        _ => Task.FromResult(new SandboxReply(404, "404 page not found", "text/plain; charset=utf-8", null)),
    };

    private void Drop(SandboxExchange exchange, SandboxRequestOutcome outcome)
    {
        CompleteQuota(exchange, succeeded: false);
        Log(exchange, 0, null, outcome);
        exchange.Http.Abort();
    }

    /// <summary>A call that took a place in the monthly quota is counted if it succeeded, given back otherwise.</summary>
    private void CompleteQuota(SandboxExchange exchange, bool succeeded)
    {
        if (exchange.QuotaTaken)
        {
            exchange.QuotaTaken = false;
            _runtime.Quota.Complete(succeeded);
        }
    }

    private void Log(SandboxExchange exchange, int status, int? code, SandboxRequestOutcome outcome)
    {
        var request = exchange.Http.Request;
        _runtime.Requests.Add(new SandboxRequestRecord
        {
            Sequence = 0,
            Time = exchange.ArrivedAt,
            Method = request.Method,
            Path = request.Path.Value ?? "",
            Query = MaskedQuery(request.Query),
            Endpoint = exchange.Endpoint,
            Status = status,
            Code = code,
            RecordCount = exchange.RecordCount,
            AcceptedCount = exchange.AcceptedCount,
            LogId = exchange.LogId,
            AppId = exchange.AppId,
            Outcome = outcome,
            Fault = exchange.Fault,
        });
    }

    /// <summary>The query string with values of secret-looking names replaced, so the log never holds a secret even
    /// when a client puts one in the URL by mistake.</summary>
    private static string MaskedQuery(IQueryCollection query)
    {
        var builder = new StringBuilder();
        foreach (var (name, values) in query)
        {
            var masked = SecretLikeNames.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase));
            foreach (var value in values)
            {
                builder.Append(builder.Length == 0 ? '?' : '&')
                    .Append(Uri.EscapeDataString(name))
                    .Append('=')
                    .Append(masked ? "***" : Uri.EscapeDataString(value ?? ""));
            }
        }

        return builder.ToString();
    }

    private static async Task WriteAsync(HttpResponse response, SandboxReply reply)
    {
        response.StatusCode = reply.Status;
        response.ContentType = reply.ContentType;
        foreach (var (name, value) in reply.Headers)
        {
            response.Headers[name] = value;
        }

        // Not cancellable: once logged as answered, the sandbox tries to deliver; a gone client just loses it.
        await response.WriteAsync(reply.Body, Encoding.UTF8, CancellationToken.None);
    }
}
