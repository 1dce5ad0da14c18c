using ClockSync.FeishuSandbox;
using static ClockSync.Tests.FeishuSandbox.SandboxHarness;

namespace ClockSync.Tests.FeishuSandbox;

/// <summary>Contract §2: a resent <c>idempotent_id</c> never creates a second flow, whatever the answer style.</summary>
public sealed class IdempotencyTests
{
    [Fact]
    public async Task A_resend_answers_success_without_a_second_ledger_entry()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var first = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1")));
        using var resend = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1"), Flow("u18", idempotentId: "fp-2")));
        var resendBody = await BodyAsync(resend);

        Assert.Equal(0, Code(await BodyAsync(first)));
        Assert.Equal(0, Code(resendBody));
        Assert.Equal("success", Msg(resendBody));
        Assert.Equal(2, UnknownUserTests.Echoed(resendBody).Count);
        Assert.Equal(["fp-1", "fp-2"], sandbox.Server.Ledger.Snapshot().Select(f => f.IdempotentId));
        Assert.Equal(1, sandbox.Server.Requests.Snapshot()[^1].AcceptedCount);
    }

    [Fact]
    public async Task Plain_success_echoes_the_resent_record_without_a_record_id()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();
        using var first = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1")));

        var changed = Flow("u7", idempotentId: "fp-1");
        changed["comment"] = "resent";
        using var resend = await sandbox.BatchCreateAsync(token, Records(changed));
        var echoed = UnknownUserTests.Echoed(await BodyAsync(resend)).Single()!;

        Assert.Equal("resent", echoed["comment"]!.GetValue<string>());
        Assert.Null(echoed["record_id"]);
        Assert.Equal("考勤机 3 上班", sandbox.Server.Ledger.Snapshot().Single().Comment);
    }

    [Fact]
    public async Task Echo_first_answers_the_stored_record_with_its_record_id()
    {
        await using var sandbox = await StartAsync(s => s with { Behaviour = s.Behaviour with { DuplicateAnswer = DuplicateAnswer.EchoFirst } });
        var token = await sandbox.TokenAsync();
        using var first = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1")));
        var firstId = UnknownUserTests.Echoed(await BodyAsync(first)).Single()!["record_id"]!.GetValue<string>();

        var changed = Flow("u7", idempotentId: "fp-1");
        changed["comment"] = "resent";
        using var resend = await sandbox.BatchCreateAsync(token, Records(changed));
        var echoed = UnknownUserTests.Echoed(await BodyAsync(resend)).Single()!;

        Assert.Equal(firstId, echoed["record_id"]!.GetValue<string>());
        Assert.Equal("考勤机 3 上班", echoed["comment"]!.GetValue<string>());
        Assert.Equal(1, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task A_key_repeated_inside_one_batch_is_stored_once()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var response = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "fp-1"), Flow("u7", idempotentId: "fp-1")));

        Assert.Equal(0, Code(await BodyAsync(response)));
        Assert.Equal(1, sandbox.Server.Ledger.Count);
    }

    [Fact]
    public async Task Records_without_a_key_get_no_idempotent_handling()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        using var first = await sandbox.BatchCreateAsync(token, Records(Flow("u7")));
        using var second = await sandbox.BatchCreateAsync(token, Records(Flow("u7", idempotentId: "")));

        Assert.Equal(2, sandbox.Server.Ledger.Count);
        Assert.All(sandbox.Server.Ledger.Snapshot(), f => Assert.Null(f.IdempotentId));
    }

    [Fact]
    public async Task Concurrent_resends_of_the_same_batch_store_each_key_once()
    {
        await using var sandbox = await StartAsync();
        var token = await sandbox.TokenAsync();

        var sends = Enumerable.Range(0, 12).Select(async _ =>
        {
            using var response = await sandbox.BatchCreateAsync(
                token, Records(Flow("u7", idempotentId: "fp-1"), Flow("u18", idempotentId: "fp-2"), Flow("A1034", idempotentId: "fp-3")));
            return Code(await BodyAsync(response));
        });
        var codes = await Task.WhenAll(sends);

        Assert.All(codes, code => Assert.Equal(0, code));
        Assert.Equal(3, sandbox.Server.Ledger.Count);
        Assert.Equal(3, sandbox.Server.Requests.Snapshot().Sum(r => r.AcceptedCount));
    }

    [Fact]
    public void The_ledger_finds_a_flow_by_its_key()
    {
        var ledger = new SandboxLedger();
        var draft = new SandboxFlowRecord
        {
            RecordId = "",
            AppId = "cli",
            EmployeeType = "employee_id",
            UserId = "u7",
            CreatorId = "u7",
            LocationName = "Gate",
            CheckTime = "1740787200",
            CheckTimeSeconds = 1740787200,
            Comment = "",
            IdempotentId = "fp-9",
            AcceptedAt = DateTimeOffset.UnixEpoch,
            LogId = "log",
        };

        var results = ledger.Append([draft, draft with { Comment = "again" }]);

        Assert.False(results[0].IsDuplicate);
        Assert.True(results[1].IsDuplicate);
        Assert.Equal(results[0].Stored.RecordId, ledger.FindByIdempotentId("fp-9")!.RecordId);
        Assert.Null(ledger.FindByIdempotentId("fp-missing"));
    }
}
