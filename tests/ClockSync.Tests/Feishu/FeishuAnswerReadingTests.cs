using System.Net;
using System.Text;
using ClockSync.Feishu.Auth;
using ClockSync.Feishu.Flows;
using ClockSync.Feishu.Http;

namespace ClockSync.Tests.Feishu;

/// <summary>
/// Readings of an answer the sandbox does not play (it always sends <c>X-Tt-Logid</c> in one spelling and the token
/// without a <c>data</c> wrapper), checked on the parser directly.
/// </summary>
public sealed class FeishuAnswerReadingTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_log_id_header_is_read_in_any_letter_case()
    {
        using var response = Response(HttpStatusCode.BadRequest, """{"code":1220001,"msg":"bad"}""");
        response.Headers.TryAddWithoutValidation("x-tt-logid", "20250602-lower");

        var answer = FeishuChannel.Read(response, Body(response), Now);

        Assert.Equal(("20250602-lower", 1220001, "bad"), (answer.LogId, answer.Code, answer.Message));
    }

    [Fact]
    public void Without_the_header_the_log_id_comes_from_the_error_object()
    {
        using var response = Response(HttpStatusCode.OK, """{"code":99991663,"msg":"invalid","error":{"log_id":"from-body"}}""");

        Assert.Equal("from-body", FeishuChannel.Read(response, Body(response), Now).LogId);
    }

    [Fact]
    public void The_wait_is_the_larger_of_the_reset_header_and_retry_after_in_either_form()
    {
        using var seconds = Response(HttpStatusCode.TooManyRequests, """{"code":99991400,"msg":"limit"}""");
        seconds.Headers.TryAddWithoutValidation("x-ogw-ratelimit-reset", "0.4");
        seconds.Headers.TryAddWithoutValidation("Retry-After", "3");
        using var date = Response(HttpStatusCode.TooManyRequests, """{"code":99991400,"msg":"limit"}""");
        date.Headers.TryAddWithoutValidation("x-ogw-ratelimit-reset", "7.5");
        date.Headers.TryAddWithoutValidation("Retry-After", Now.AddSeconds(2).ToString("R", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromSeconds(3), FeishuChannel.Read(seconds, Body(seconds), Now).RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(7.5), FeishuChannel.Read(date, Body(date), Now).RetryAfter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("""{"msg":"no code"}""")]
    public void A_body_that_is_not_the_envelope_has_no_code(string body)
    {
        using var response = Response(HttpStatusCode.BadGateway, body);

        var answer = FeishuChannel.Read(response, Body(response), Now);

        Assert.Null(answer.Code);
        Assert.Equal(FeishuFailureClass.Transient, FeishuErrorClassifier.ClassifyApiAnswer(answer)!.Class);
    }

    [Theory]
    [InlineData("""{"code":0,"msg":"ok","tenant_access_token":"t-top","expire":7200}""", "t-top", 7200)]
    [InlineData("""{"code":0,"msg":"ok","data":{"tenant_access_token":"t-data","expire":1800}}""", "t-data", 1800)]
    public void The_token_is_read_from_top_level_fields_or_a_data_wrapper(string json, string token, long expire)
    {
        using var response = Response(HttpStatusCode.OK, json);
        var answer = FeishuChannel.Read(response, Body(response), Now);

        Assert.True(TenantTokenCache.TryReadToken(answer, out var value, out var seconds));
        Assert.Equal((token, expire), (value, seconds));
    }

    [Fact]
    public void The_msg_list_is_matched_against_the_batch_so_ids_with_dashes_are_found()
    {
        List<FeishuFlowRecord> batch = [Record("A-001"), Record("A"), Record("001-A")];

        Assert.Equal(["A-001-A-001"], FeishuBatchAnswerReader.ListedPairs("[A-001-A-001]", batch));
        Assert.Equal(["001-A-001-A", "A-A"], FeishuBatchAnswerReader.ListedPairs("A-A,001-A-001-A", batch).Order(StringComparer.Ordinal));
        Assert.Empty(FeishuBatchAnswerReader.ListedPairs("success", batch));
    }

    private static FeishuFlowRecord Record(string user) => new(user, user, "Gate", 1_748_851_200, "c", null, "fp-" + user);

    private static HttpResponseMessage Response(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    // The channel reads the body before parsing; here the content is the string the response was built from.
    private static byte[] Body(HttpResponseMessage response)
    {
        using var copy = new MemoryStream();
        response.Content.ReadAsStream().CopyTo(copy);
        return copy.ToArray();
    }
}
