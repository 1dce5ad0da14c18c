using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;
using ClockSync.FeishuSandbox;

namespace ClockSync.Tests.Feishu;

/// <summary>Every row of the contract's error tables, answered with the documented status and with HTTP 200.</summary>
public sealed class BatchCreateContractTests
{
    public static TheoryData<int, int, string> PermanentRows => new()
    {
        { 1220001, 400, "param is invalid: employee_type invalid" },
        { 1220004, 400, "user_id is not exist or does not have permission" },
        { 1220005, 400, "no permission" },
        { 1220600, 400, "attendance error: shift not found" },
        { 99991672, 400, "app scope not granted" },
        { 99991672, 403, "app scope not granted" },
        { 99991676, 403, "no permission" },
        { 99991679, 403, "user scope not granted" },
    };

    public static TheoryData<int, int> ServerRows => new()
    {
        { 1225000, 500 },
        { 1226500, 500 },
    };

    [Theory]
    [MemberData(nameof(PermanentRows))]
    public async Task Permanent_codes_become_a_permanent_failure_with_code_msg_and_log_id(int code, int status, string message)
    {
        foreach (var httpStatus in new[] { status, 200 })
        {
            await using var harness = await FeishuClientHarness.StartAsync();
            harness.Sandbox.Faults.NextCalls(1, SandboxFault.Error(code, httpStatus, message));

            var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

            var failure = Assert.IsType<FeishuBatchOutcome.PermanentFailure>(outcome);
            Assert.Equal(code, failure.Error.Code);
            Assert.Equal(message, failure.Error.Message);
            Assert.Equal(httpStatus, failure.Error.HttpStatus);
            Assert.Equal(harness.RequestsTo(SandboxEndpoints.BatchCreate).Single().LogId, failure.Error.LogId);
            Assert.Equal(code == 1220004 ? ["u1"] : [], failure.FailedUserIds);
        }
    }

    [Theory]
    [MemberData(nameof(ServerRows))]
    public async Task Server_fault_codes_are_transient_with_either_status(int code, int status)
    {
        foreach (var httpStatus in new[] { status, 200 })
        {
            await using var harness = await FeishuClientHarness.StartAsync();
            harness.Sandbox.Faults.NextCalls(1, SandboxFault.Error(code, httpStatus, "internal server error"));

            var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

            var failure = Assert.IsType<FeishuBatchOutcome.TransientFailure>(outcome);
            Assert.Equal(FeishuTransientCause.ServerError, failure.Cause);
            Assert.Equal(code, failure.Error.Code);
            Assert.NotNull(failure.Error.LogId);
            Assert.Single(harness.RequestsTo(SandboxEndpoints.BatchCreate));
        }
    }

    [Fact]
    public async Task A_generic_attendance_error_whose_msg_says_retry_is_transient()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Error(1220600, 400, "system busy, please try again later"));

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        Assert.Equal(1220600, Assert.IsType<FeishuBatchOutcome.TransientFailure>(outcome).Error.Code);
    }

    [Fact]
    public async Task An_unlisted_code_with_a_5xx_is_transient_and_with_a_4xx_permanent()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Error(1234567, 503, "unavailable"));
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.Error(1234567, 400, "odd"));

        Assert.IsType<FeishuBatchOutcome.TransientFailure>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None));
        Assert.IsType<FeishuBatchOutcome.PermanentFailure>(await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None));
    }

    [Fact]
    public async Task The_sandbox_own_validation_of_a_pre_2022_check_time_is_a_permanent_1220001()
    {
        await using var harness = await FeishuClientHarness.StartAsync();
        var old = FeishuClientHarness.Record("u1") with { CheckTime = 1_600_000_000 };

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u2"), old], CancellationToken.None);

        var failure = Assert.IsType<FeishuBatchOutcome.PermanentFailure>(outcome);
        Assert.Equal(1220001, failure.Error.Code);
        Assert.Equal(400, failure.Error.HttpStatus);
        Assert.Equal(0, harness.Sandbox.Ledger.Count);
    }

    [Fact]
    public async Task A_missing_write_scope_is_a_permanent_99991672()
    {
        await using var harness = await FeishuClientHarness.StartAsync(
            new SandboxSettings { Behaviour = new SandboxBehaviour { WriteScopeGranted = false } });

        var outcome = await harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1")], CancellationToken.None);

        Assert.Equal(99991672, Assert.IsType<FeishuBatchOutcome.PermanentFailure>(outcome).Error.Code);
    }

    [Fact]
    public async Task Every_user_flow_field_reaches_the_ledger_as_the_contract_says()
    {
        await using var harness = await FeishuClientHarness.StartAsync(
            clientSettings: new Dictionary<string, string?> { ["EmployeeType"] = "employee_no" });
        var record = new FeishuFlowRecord("E-007", "E-007", "Gate 3", 1_748_851_234, "考勤机 3 上班", "ext-1", "fp-1", FeishuFlowType.ClockMachine)
        {
            IsField = true,
            IsWifi = true,
            Ssid = "office",
            Bssid = "aa:bb:cc:dd:ee:ff",
        };

        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync([record], CancellationToken.None));

        var stored = Assert.Single(harness.Sandbox.Ledger.Snapshot());
        Assert.Equal("employee_no", stored.EmployeeType);
        Assert.Equal(("E-007", "E-007", "Gate 3", "1748851234", "考勤机 3 上班"), (stored.UserId, stored.CreatorId, stored.LocationName, stored.CheckTime, stored.Comment));
        Assert.Equal(("ext-1", "fp-1", 5), (stored.ExternalId, stored.IdempotentId, stored.Type));
        Assert.Equal((true, true, "office", "aa:bb:cc:dd:ee:ff"), (stored.IsField, stored.IsWifi, stored.Ssid, stored.Bssid));
        Assert.Contains("employee_type=employee_no", harness.RequestsTo(SandboxEndpoints.BatchCreate).Single().Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Optional_fields_left_unset_are_not_sent_and_the_flags_default_to_false()
    {
        await using var harness = await FeishuClientHarness.StartAsync();

        Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync(
            [FeishuClientHarness.Record("u1") with { ExternalId = null }], CancellationToken.None));

        var stored = Assert.Single(harness.Sandbox.Ledger.Snapshot());
        Assert.Equal((null, null, false, false, null, null), (stored.ExternalId, stored.Type, stored.IsField, stored.IsWifi, stored.Ssid, stored.Bssid));
    }

    [Fact]
    public async Task A_resend_of_accepted_records_is_success_and_stored_once_under_both_duplicate_readings()
    {
        foreach (var reading in new[] { DuplicateAnswer.PlainSuccess, DuplicateAnswer.EchoFirst })
        {
            await using var harness = await FeishuClientHarness.StartAsync(
                new SandboxSettings { Behaviour = new SandboxBehaviour { DuplicateAnswer = reading } });
            var batch = FeishuClientHarness.Records(["u1", "u2"], perUser: 3);

            Assert.IsType<FeishuBatchOutcome.Accepted>(await harness.Client.BatchCreateAsync(batch, CancellationToken.None));
            var again = await harness.Client.BatchCreateAsync(batch, CancellationToken.None);

            Assert.Equal(6, Assert.IsType<FeishuBatchOutcome.Accepted>(again).Records.Count);
            Assert.Equal(6, harness.Sandbox.Ledger.Count);
        }
    }

    [Fact]
    public async Task More_than_fifty_records_or_an_empty_required_field_is_a_programming_error_and_sends_nothing()
    {
        await using var harness = await FeishuClientHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            harness.Client.BatchCreateAsync(FeishuClientHarness.Records(Enumerable.Range(0, 51).Select(i => "u" + i)), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.BatchCreateAsync([], CancellationToken.None));
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1"), FeishuClientHarness.Record("u2") with { LocationName = " " }], CancellationToken.None));
        Assert.Contains("Record 1: location_name", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            harness.Client.BatchCreateAsync([FeishuClientHarness.Record("u1") with { IdempotentId = "" }], CancellationToken.None));

        Assert.Equal(0, harness.Sandbox.Requests.Count);
    }

    [Fact]
    public async Task Fifty_records_are_accepted_in_one_call()
    {
        await using var harness = await FeishuClientHarness.StartAsync();

        var outcome = await harness.Client.BatchCreateAsync(FeishuClientHarness.Records(Enumerable.Range(0, 10).Select(i => "u" + i), perUser: 5), CancellationToken.None);

        Assert.Equal(50, Assert.IsType<FeishuBatchOutcome.Accepted>(outcome).Records.Count);
        Assert.Equal(50, harness.Sandbox.Ledger.Count);
        Assert.Single(harness.RequestsTo(SandboxEndpoints.BatchCreate));
    }
}
