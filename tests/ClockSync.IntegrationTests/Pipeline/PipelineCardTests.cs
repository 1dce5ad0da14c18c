using System.Text;
using Azure.Storage.Queues.Models;
using ClockSync.Feishu.Http;
using ClockSync.FeishuSandbox;
using ClockSync.IntegrationTests.Cli;
using ClockSync.IntegrationTests.Infrastructure;
using ClockSync.Notify;
using ClockSync.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ClockSync.IntegrationTests.Pipeline;

/// <summary>
/// Cards from the running pipeline (Azurite, the Feishu sandbox): one per settled import whatever the delivery does,
/// none without a chat, and a card that cannot be sent never touches the punches.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class PipelineCardTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> CardsOn = new()
    {
        ["ClockSync:Notify:ChatId"] = SandboxMessaging.DefaultChatId,
    };

    [Fact]
    public async Task A_settled_import_gets_one_green_card_and_every_punch_lands_once()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: CardsOn);
        var ingested = await harness.UploadAndIngestAsync("green.dat", PipelineHarness.AttLog(PipelineHarness.Punches(120)));

        await harness.DrainQueueAsync();

        var card = Assert.Single(harness.Sandbox.Messages.Snapshot());
        Assert.Equal(("chat_id", SandboxMessaging.DefaultChatId, ingested.ImportId), (card.ReceiveIdType, card.ReceiveId, card.Uuid));
        Assert.Equal("green", Template(card));
        Assert.Equal("Imported: green.dat", Title(card));
        Assert.Contains("**Posted to Feishu** 120 of 120", Texts(card), StringComparison.Ordinal);
        Assert.Contains("Feishu calls this month: 3", Texts(card), StringComparison.Ordinal);
        Assert.Equal(1, MessageRequests(harness));
        Assert.Equal(120, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task No_card_is_sent_and_no_marker_written_when_the_chat_id_is_empty()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite);
        await harness.UploadAndIngestAsync("quiet.dat", PipelineHarness.AttLog(PipelineHarness.Punches(60)));

        await harness.DrainQueueAsync();
        await harness.Retry.HandleAsync(CancellationToken.None);

        Assert.Equal(0, harness.Sandbox.Messages.Count);
        Assert.Equal(0, MessageRequests(harness));
        Assert.Empty(await MarkersAsync(harness));
        Assert.Equal(60, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task A_redelivered_last_message_sends_no_second_card()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: CardsOn);
        await harness.UploadAndIngestAsync("again.dat", PipelineHarness.AttLog(PipelineHarness.Punches(150)));
        var messages = await ReceiveAllAsync(harness);

        foreach (var message in messages)
        {
            await harness.Post.HandleAsync(message.MessageText, 1, CancellationToken.None);
        }

        await harness.Post.HandleAsync(messages[^1].MessageText, 2, CancellationToken.None);
        await harness.Post.HandleAsync(messages[^1].MessageText, 3, CancellationToken.None);

        Assert.Single(harness.Sandbox.Messages.Snapshot());
        Assert.Equal(1, MessageRequests(harness));
        Assert.Equal(150, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task Two_hosts_delivering_the_last_message_at_once_send_one_card()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: CardsOn);
        await using var second = SecondHost(harness);
        await harness.UploadAndIngestAsync("twice.dat", PipelineHarness.AttLog(PipelineHarness.Punches(200)));
        var messages = await ReceiveAllAsync(harness);
        foreach (var message in messages.SkipLast(1))
        {
            await harness.Post.HandleAsync(message.MessageText, 1, CancellationToken.None);
        }

        // The same last message on two instances (a redelivery after a lease ran out), and both see the import settle.
        await Task.WhenAll(
            harness.Post.HandleAsync(messages[^1].MessageText, 1, CancellationToken.None),
            second.GetRequiredService<PostPunchBatchHandler>().HandleAsync(messages[^1].MessageText, 2, CancellationToken.None));
        await Task.WhenAll(
            harness.Services.GetRequiredService<ImportSettledNotifier>().AfterRetryRunAsync([ImportIdOf(messages[0])], CancellationToken.None),
            second.GetRequiredService<ImportSettledNotifier>().AfterRetryRunAsync([ImportIdOf(messages[0])], CancellationToken.None));

        Assert.Single(harness.Sandbox.Messages.Snapshot());
        Assert.Equal(1, MessageRequests(harness));
        Assert.Equal(200, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task A_card_that_cannot_be_sent_neither_fails_nor_changes_the_import()
    {
        var sandbox = new SandboxSettings
        {
            Messaging = new SandboxMessaging { Chats = new Dictionary<string, bool>(StringComparer.Ordinal) { ["oc_without_bot"] = false } },
        };
        await using var harness = await PipelineHarness.StartAsync(azurite, sandbox, new Dictionary<string, string?> { ["ClockSync:Notify:ChatId"] = "oc_without_bot" });
        var ingested = await harness.UploadAndIngestAsync("unsent.dat", PipelineHarness.AttLog(PipelineHarness.Punches(100)));

        await harness.DrainQueueAsync();
        await harness.Retry.HandleAsync(CancellationToken.None);

        var totals = await harness.Imports.GetTotalsAsync(ingested.ImportId, CancellationToken.None);
        Assert.Equal(100, totals!.Posting.PunchesPosted);
        Assert.Equal(100, harness.LedgerIds().Count);
        Assert.Empty(await harness.FailedRowsAsync());
        Assert.Equal(0, harness.Sandbox.Messages.Count);
        Assert.Equal(1, MessageRequests(harness));
        var marker = Assert.Single(await MarkersAsync(harness), row => row.PartitionKey == "import");
        Assert.Contains("230002", marker.GetString("LastError"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_send_that_gets_no_answer_does_not_fail_the_post()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: CardsOn);
        harness.Sandbox.Faults.NextCalls(1, SandboxFault.DropConnection(), SandboxEndpoints.Messages);
        await harness.UploadAndIngestAsync("dropped.dat", PipelineHarness.AttLog(PipelineHarness.Punches(30)));

        await harness.DrainQueueAsync();

        Assert.Equal(30, harness.LedgerIds().Count);
        Assert.Equal(0, harness.Sandbox.Messages.Count);
        Assert.Empty(await harness.FailedRowsAsync());
    }

    [Fact]
    public async Task Rejected_lines_and_users_feishu_does_not_know_give_an_orange_card_that_lists_the_held_users()
    {
        var sandbox = new SandboxSettings { KnownUsers = SandboxUsers.Same("1", "2", "3", "4", "5") };
        await using var harness = await PipelineHarness.StartAsync(azurite, sandbox, CardsOn);
        var export = PipelineHarness.AttLog(PipelineHarness.Punches(70)) + "        9\tnot a time\t1\t0\t1\t0\r\n";
        await harness.UploadAndIngestAsync("orange.dat", Encoding.UTF8.GetBytes(export));

        // Users Feishu lists as failed are held (not retried, not parked): the import settles with them held.
        await harness.DrainQueueAsync();
        await harness.RetryUntilSettledAsync();

        var import = Assert.Single(harness.Sandbox.Messages.Snapshot());
        Assert.Equal("orange", Template(import));
        Assert.Equal("Imported with problems: orange.dat", Title(import));
        var text = Texts(import);
        Assert.Contains("**Rejected lines** (1)", text, StringComparison.Ordinal);
        Assert.Contains("— line 71", text, StringComparison.Ordinal);
        Assert.Contains("**Posted to Feishu** 50 of 70 · **Held** 20", text, StringComparison.Ordinal);
        Assert.Contains("**Held for users Feishu does not know** (clock keys): ", text, StringComparison.Ordinal);
        Assert.Equal(50, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task A_sealed_month_parks_its_punches_with_an_orange_card_and_a_parked_digest()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: CardsOn);
        harness.Sandbox.Tenant.Behaviour = harness.Sandbox.Tenant.Behaviour with { SealedMonths = new HashSet<string>(["2025-06"]) };
        await harness.UploadAndIngestAsync("sealed.dat", PipelineHarness.AttLog(PipelineHarness.Punches(30)));

        // Parked at the first post; the retry timer's next run sends the digest of what was parked since the last one.
        await harness.DrainQueueAsync();
        await harness.Retry.HandleAsync(CancellationToken.None);

        var cards = harness.Sandbox.Messages.Snapshot();
        Assert.Equal(2, cards.Count);
        var import = cards[0];
        Assert.Equal("orange", Template(import));
        Assert.Contains("**Posted to Feishu** 0 of 30 · **Parked** 30", Texts(import), StringComparison.Ordinal);
        Assert.Contains("period sealed", Texts(import), StringComparison.Ordinal);
        var digest = cards[1];
        Assert.Equal("orange", Template(digest));
        Assert.Contains("parked**", Texts(digest), StringComparison.Ordinal);
        Assert.Contains("sealed.dat batch", Texts(digest), StringComparison.Ordinal);
        Assert.Empty(harness.LedgerIds());
    }

    [Fact]
    public async Task The_quota_stop_and_the_operators_resume_each_send_one_card_through_the_pipeline()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, new SandboxSettings { MonthlyQuota = 1 }, CardsOn);
        await harness.UploadAndIngestAsync("quota.dat", PipelineHarness.AttLog(PipelineHarness.Punches(200)));

        // The first batch lands, the second is refused with 99991403 and pauses posting; the others wait without a call.
        await harness.DrainQueueAsync();
        var stopped = Assert.Single(harness.Sandbox.Messages.Snapshot(), card => Title(card).StartsWith("Feishu posting stopped", StringComparison.Ordinal));
        Assert.Equal("red", Template(stopped));

        harness.Sandbox.MonthlyQuota.Set(null);
        Assert.Equal(0, (await OperatorCli.RunAsync(harness, "feishu", "resume")).ExitCode);
        await harness.RetryUntilSettledAsync();

        var cards = harness.Sandbox.Messages.Snapshot();
        Assert.Single(cards, card => Title(card).StartsWith("Feishu posting stopped", StringComparison.Ordinal));
        Assert.Single(cards, card => Title(card) == "Feishu posting resumed");
        Assert.Equal(200, harness.LedgerIds().Count);
    }

    [Fact]
    public async Task A_file_that_is_not_an_export_gets_a_red_card_from_the_ingest()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: CardsOn);

        await harness.UploadAndIngestAsync("notes.txt", "Dear team, the clock is broken again.\r\nRegards\r\n");

        var card = Assert.Single(harness.Sandbox.Messages.Snapshot());
        Assert.Equal("red", Template(card));
        Assert.Equal("Not a clock export: notes.txt", Title(card));
        Assert.Contains("**Not read:**", Texts(card), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_credentials_card_goes_out_at_most_once_an_hour_across_instances()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: CardsOn);
        await using var second = SecondHost(harness);
        await harness.Services.GetRequiredService<ClockSync.Storage.PipelineStorage>().EnsureCreatedAsync(CancellationToken.None);
        var error = new FeishuCallError(10014, "app secret invalid", 400, "log-1");
        var notifiers = new[] { harness.Services.GetRequiredService<Notifier>(), second.GetRequiredService<Notifier>() };

        var first = await Task.WhenAll(notifiers.Select(notifier => notifier.NotifyCredentialsRefusedAsync(error, CancellationToken.None)));
        var soon = await notifiers[0].NotifyCredentialsRefusedAsync(error, CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromMinutes(61));
        var anHourLater = await notifiers[1].NotifyCredentialsRefusedAsync(error, CancellationToken.None);

        Assert.Equal(1, first.Count(sent => sent));
        Assert.False(soon);
        Assert.True(anHourLater);
        Assert.Equal(2, harness.Sandbox.Messages.Count);
    }

    [Fact]
    public async Task Posting_stopped_is_told_once_and_resumed_once_after_it()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite, settings: CardsOn);
        await using var second = SecondHost(harness);
        await harness.Services.GetRequiredService<ClockSync.Storage.PipelineStorage>().EnsureCreatedAsync(CancellationToken.None);
        var notifiers = new[] { harness.Services.GetRequiredService<Notifier>(), second.GetRequiredService<Notifier>() };

        var resumedBeforeAnyStop = await notifiers[0].NotifyPostingResumedAsync(null, CancellationToken.None);
        var stopped = await Task.WhenAll(notifiers.Select(notifier => notifier.NotifyPostingStoppedAsync("Feishu answered 99991403", 10000, null, CancellationToken.None)));
        var stoppedAgain = await notifiers[1].NotifyPostingStoppedAsync("Feishu answered 99991403", 10001, null, CancellationToken.None);
        var resumed = await Task.WhenAll(notifiers.Select(notifier => notifier.NotifyPostingResumedAsync("The month changed.", CancellationToken.None)));

        Assert.False(resumedBeforeAnyStop);
        Assert.Equal(1, stopped.Count(sent => sent));
        Assert.False(stoppedAgain);
        Assert.Equal(1, resumed.Count(sent => sent));
        Assert.Equal(["red", "green"], harness.Sandbox.Messages.Snapshot().Select(Template));
    }

    private static ServiceProvider SecondHost(PipelineHarness harness)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(harness.Settings).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(harness.Time);
        collection.AddClockSyncPipeline(configuration);
        return collection.BuildServiceProvider();
    }

    private static async Task<List<QueueMessage>> ReceiveAllAsync(PipelineHarness harness)
    {
        var all = new List<QueueMessage>();
        while (true)
        {
            var messages = (await harness.Queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (messages.Length == 0)
            {
                return all.OrderBy(message => BatchNoOf(message)).ToList();
            }

            all.AddRange(messages);
        }
    }

    private static int BatchNoOf(QueueMessage message) => ClockSync.Storage.Batches.BatchMessage.Parse(message.MessageText).BatchNo;

    private static string ImportIdOf(QueueMessage message) => ClockSync.Storage.Batches.BatchMessage.Parse(message.MessageText).ImportId;

    private static async Task<List<Azure.Data.Tables.TableEntity>> MarkersAsync(PipelineHarness harness)
    {
        var rows = new List<Azure.Data.Tables.TableEntity>();
        var table = new Azure.Data.Tables.TableClient(ConnectionOf(harness), harness.Names.NotificationsTable);
        try
        {
            await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>())
            {
                rows.Add(row);
            }
        }
        catch (Azure.RequestFailedException exception) when (exception.Status == 404)
        {
            // Never created: no marker either.
        }

        return rows;
    }

    private static string ConnectionOf(PipelineHarness harness) => harness.Settings["ClockSyncStorage"]!;

    private static int MessageRequests(PipelineHarness harness) =>
        harness.Sandbox.Requests.Snapshot().Count(request => request.Endpoint == SandboxEndpoints.Messages);

    private static string Template(SandboxMessage message) => message.Content.GetProperty("header").GetProperty("template").GetString()!;

    private static string Title(SandboxMessage message) => message.Content.GetProperty("header").GetProperty("title").GetProperty("content").GetString()!;

    private static string Texts(SandboxMessage message) => string.Join("\n", message.Content.GetProperty("elements").EnumerateArray()
        .SelectMany(element => element.GetProperty("tag").GetString() switch
        {
            "div" => [element.GetProperty("text").GetProperty("content").GetString()],
            "note" => element.GetProperty("elements").EnumerateArray().Select(part => part.GetProperty("content").GetString()),
            _ => [],
        }));
}
