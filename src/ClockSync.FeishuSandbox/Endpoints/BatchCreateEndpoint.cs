using System.Text.Json.Nodes;
using ClockSync.FeishuSandbox.Wire;

namespace ClockSync.FeishuSandbox.Endpoints;

/// <summary><c>POST /open-apis/attendance/v1/user_flows/batch_create</c> (docs/feishu-contract.md §2).</summary>
internal sealed class BatchCreateEndpoint(SandboxRuntime runtime, ApiGate gate)
{
    public const string Path = "/open-apis/attendance/v1/user_flows/batch_create";

    /// <summary>Attendance months are China's (UTC+8, no daylight saving).</summary>
    private static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);

    /// <summary>Contract §2: at most 50 records per call.</summary>
    public const int MaxRecords = 50;

    public async Task<SandboxReply> HandleAsync(SandboxExchange exchange)
    {
        var behaviour = runtime.Tenant.Behaviour;
        if (gate.Check(exchange, behaviour.WriteScopeGranted) is { } refused)
        {
            return refused;
        }

        var employeeType = exchange.Http.Request.Query["employee_type"].ToString();
        var body = await JsonBody.ReadObjectAsync(exchange.Http.Request, exchange.Aborted);
        if (body?["flow_records"] is not JsonArray records)
        {
            return Invalid(exchange, behaviour, "flow_records is required and must be an array");
        }

        exchange.RecordCount = records.Count;
        if (records.Count == 0)
        {
            return Invalid(exchange, behaviour, "flow_records must not be empty");
        }

        if (records.Count > MaxRecords)
        {
            return Invalid(exchange, behaviour, $"flow_records holds {records.Count} records; at most {MaxRecords} are allowed");
        }

        // Validation fails the whole request with 1220001 (docs/feishu-contract.md §2, §5): nothing of an invalid batch is stored.
        var now = runtime.Time.GetUtcNow();
        var drafts = new List<SandboxFlowRecord>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var (draft, error) = FlowRecordParser.Parse(records[i], i, exchange.AppId!, employeeType, behaviour, now, exchange.LogId);
            if (error is not null)
            {
                return Invalid(exchange, behaviour, error);
            }

            drafts.Add(draft!);
        }

        var unknown = drafts
            .Select(d => !runtime.Tenant.IsKnownUser(employeeType, d.UserId) || !runtime.Tenant.IsKnownUser(employeeType, d.CreatorId))
            .ToArray();
        if (unknown.Any(u => u) && behaviour.UnknownUserMode == UnknownUserMode.WholeRequest1220004)
        {
            // Contract §2 [unconfirmed] reading: the whole request fails and does not say which user.
            return SandboxReply.Error(
                behaviour, 400, FeishuCodes.UserNotFound, "param is invalid: user_id is not exist or does not have permission", exchange.LogId);
        }

        if (unknown.Any(u => u) && behaviour.UnknownUserMode == UnknownUserMode.WholeRequestEmployeeNoInvalid)
        {
            // Contract §4a: the generic attendance code, the msg naming the cause.
            return SandboxReply.Error(behaviour, 400, FeishuCodes.AttendanceError, "name or employee_no invalid", exchange.LogId);
        }

        if (behaviour.SealedMonths.Count > 0
            && drafts.Exists(d => behaviour.SealedMonths.Contains(DateTimeOffset.FromUnixTimeSeconds(d.CheckTimeSeconds).ToOffset(ChinaTime).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))))
        {
            // Contract §4a: a sealed period refuses the whole request; nothing of it is stored.
            return SandboxReply.Error(behaviour, 400, FeishuCodes.AttendanceError, "the attendance result has been sealed and can not modify", exchange.LogId);
        }

        var known = drafts.Where((_, i) => !unknown[i]).ToList();
        var appended = runtime.Ledger.Append(known);
        exchange.AcceptedCount = appended.Count(a => !a.IsDuplicate);
        return SandboxReply.Success(Message(drafts, unknown, behaviour), new JsonObject { ["flow_records"] = Echo(drafts, unknown, appended, behaviour) });
    }

    private static SandboxReply Invalid(SandboxExchange exchange, SandboxBehaviour behaviour, string detail) =>
        SandboxReply.Error(behaviour, 400, FeishuCodes.ParameterInvalid, "param is invalid: " + detail, exchange.LogId);

    /// <summary>"success", or the failed records as <c>userid-creatorid</c> pairs (docs/feishu-contract.md §2 partial failure).</summary>
    private static string Message(List<SandboxFlowRecord> drafts, bool[] unknown, SandboxBehaviour behaviour)
    {
        var failed = drafts.Where((_, i) => unknown[i]).Select(d => d.UserId + "-" + d.CreatorId).ToList();
        if (failed.Count == 0)
        {
            return "success";
        }

        var list = string.Join(behaviour.PartialFailureMsgSeparator, failed);
        return behaviour.PartialFailureMsgBrackets ? "[" + list + "]" : list;
    }

    /// <summary><c>data.flow_records</c>: accepted records with their <c>record_id</c>; duplicates and failed records
    /// as the behaviour says (docs/feishu-contract.md §2 [unconfirmed] readings).</summary>
    private static JsonArray Echo(
        List<SandboxFlowRecord> drafts, bool[] unknown, IReadOnlyList<LedgerAppendResult> appended, SandboxBehaviour behaviour)
    {
        var echo = new JsonArray();
        var next = 0;
        for (var i = 0; i < drafts.Count; i++)
        {
            if (unknown[i])
            {
                if (behaviour.PartialFailureEcho == PartialFailureEcho.AllRecords)
                {
                    echo.Add(FlowJson.Write(drafts[i], includeRecordId: false));
                }

                continue;
            }

            var result = appended[next++];
            if (!result.IsDuplicate || behaviour.DuplicateAnswer == DuplicateAnswer.EchoFirst)
            {
                echo.Add(FlowJson.Write(result.Stored, includeRecordId: true));
            }
            else
            {
                echo.Add(FlowJson.Write(drafts[i], includeRecordId: false));
            }
        }

        return echo;
    }
}
