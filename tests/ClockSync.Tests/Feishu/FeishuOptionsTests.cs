using ClockSync.Feishu.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClockSync.Tests.Feishu;

public sealed class FeishuOptionsTests
{
    [Fact]
    public void Defaults_follow_the_contract()
    {
        var options = Resolve([]);

        Assert.Equal(new Uri("https://open.feishu.cn"), options.BaseUrl);
        Assert.Equal("employee_id", options.EmployeeType);
        Assert.Equal(50, options.RequestsPerSecond);
        Assert.Equal(1, options.RateLimitBurst);
        Assert.Equal(TimeSpan.FromMinutes(30), options.TokenRefreshMargin);
    }

    [Fact]
    public void Lark_and_employee_no_bind_from_configuration()
    {
        var options = Resolve(new() { ["BaseUrl"] = "https://open.larksuite.com", ["EmployeeType"] = "employee_no", ["RequestsPerSecond"] = "20" });

        Assert.Equal((FeishuOptions.LarkBaseAddress, "employee_no", 20d), (options.BaseUrl, options.EmployeeType, options.RequestsPerSecond));
    }

    [Theory]
    [InlineData("EmployeeType", "user_id", "EmployeeType")]
    [InlineData("RequestsPerSecond", "0", "RequestsPerSecond")]
    [InlineData("HttpTimeout", "00:00:00", "HttpTimeout")]
    [InlineData("TokenRefreshMargin", "03:00:00", "TokenRefreshMargin")]
    [InlineData("TransportRetryCount", "9", "TransportRetryCount")]
    public void Invalid_settings_are_refused_naming_the_setting(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://open.feishu.cn")]
    [InlineData("https://open.feishu.cn.evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("https://open.feishu.cn@evil.example")]
    [InlineData("https://user:secret@open.feishu.cn")]
    [InlineData("https://evil.example#@open.feishu.cn")]
    [InlineData("https://open-feishu.cn")]
    [InlineData("https://open.feishu.cn:8443")]
    [InlineData("https://open.larksuite.com.cn")]
    [InlineData("https://xn--open-feishu-cn.example")]
    [InlineData("https://open.feishս.cn")]
    [InlineData("http://127.0.0.1:9/")]
    public void A_base_url_off_the_two_open_api_hosts_is_refused_naming_the_settings(string address)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["BaseUrl"] = address }));

        Assert.Contains("ClockSync__Feishu__BaseUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("ClockSync__Feishu__AllowAnyBaseUrl=true", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret@", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://open.feishu.cn")]
    [InlineData("https://open.feishu.cn/")]
    [InlineData("https://OPEN.LarkSuite.com")]
    [InlineData("https://open.feishu.cn:443")]
    public void Either_open_api_host_over_https_is_accepted(string address)
    {
        var options = Resolve(new() { ["BaseUrl"] = address });

        Assert.True(options.BaseUrl.Host is "open.feishu.cn" or "open.larksuite.com");
        Assert.False(options.AllowAnyBaseUrl);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5123/")]
    [InlineData("https://sandbox.example:8443/feishu/")]
    public void AllowAnyBaseUrl_lets_a_sandbox_address_through(string address)
    {
        var options = Resolve(new() { ["BaseUrl"] = address, ["AllowAnyBaseUrl"] = "true" });

        Assert.Equal(new Uri(address), options.BaseUrl);
    }

    [Fact]
    public void AllowAnyBaseUrl_still_needs_an_absolute_address()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["BaseUrl"] = "open.feishu.cn", ["AllowAnyBaseUrl"] = "true" }));

        Assert.Contains("ClockSync__Feishu__BaseUrl must be an absolute URI", error.Message, StringComparison.Ordinal);
    }

    private static FeishuOptions Resolve(Dictionary<string, string?> values) => Monitor(values).CurrentValue;

    private static IOptionsMonitor<FeishuOptions> Monitor(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(pair => "ClockSync:Feishu:" + pair.Key, pair => pair.Value))
            .Build();
        return new ServiceCollection().AddLogging().AddFeishuClient(configuration).BuildServiceProvider()
            .GetRequiredService<IOptionsMonitor<FeishuOptions>>();
    }
}
