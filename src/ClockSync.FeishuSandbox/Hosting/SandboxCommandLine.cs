using System.Globalization;

namespace ClockSync.FeishuSandbox.Hosting;

/// <summary>Parses the standalone server's options into <see cref="SandboxSettings"/>.</summary>
internal static class SandboxCommandLine
{
    public const string Usage = """
        Feishu sandbox: a local stand-in for the Feishu Open API attendance endpoints.

        Options:
          --port <n>                      port on 127.0.0.1 (default: a free port)
          --app-id <id>                   app id (default: cli_sandbox)
          --app-secret <secret>           app secret (default: sandbox-secret; or env FEISHU_SANDBOX_APP_SECRET)
          --users <a,b,c>                 known user ids, for employee_id and employee_no (default: accept any user)
          --unknown-user-mode <mode>      partial | whole | employee-no-invalid (default: partial; whole answers 1220004,
                                          employee-no-invalid answers 1220600 "name or employee_no invalid")
          --sealed-months <yyyy-MM,...>   months whose attendance is sealed (1220600 "... has been sealed ...")
          --rate-limit <n>                requests per second per app and API; 0 = off (default: 50)
          --monthly-quota <n>             answer 429 + 99991403 once n successful batch_create/query calls were made
                                          (calls answered with an error and token calls do not count; default: none)
          --token-lifetime <seconds>      tenant token lifetime (default: 7200)
          --chats <a,b,c>                 group chat ids the bot is in, for im/v1/messages (default: oc_sandbox_ops)
          --chat-rate <n>                 messages per second one chat takes; 0 = off (default: 5)
          --errors-as-200                 answer errors with HTTP 200 instead of the documented status
          --help                          show this text
        """;

    /// <summary>The settings, or the error that stops the run.</summary>
    public static (SandboxSettings? Settings, string? Error) Parse(IReadOnlyList<string> args, string? secretFromEnvironment)
    {
        var appId = SandboxSettings.DefaultAppId;
        var appSecret = secretFromEnvironment is { Length: > 0 } ? secretFromEnvironment : SandboxSettings.DefaultAppSecret;
        var settings = new SandboxSettings();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--errors-as-200")
            {
                settings = settings with { Behaviour = settings.Behaviour with { ErrorStatus = ErrorStatusStyle.AlwaysHttp200 } };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                return (null, $"{name}: a value is required (or unknown option).");
            }

            var value = args[++i];
            switch (name)
            {
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535:
                    settings = settings with { Port = port };
                    break;
                case "--app-id" when value.Length > 0:
                    appId = value;
                    break;
                case "--app-secret" when value.Length > 0:
                    appSecret = value;
                    break;
                case "--users":
                    settings = settings with
                    {
                        KnownUsers = SandboxUsers.Same(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
                    };
                    break;
                case "--unknown-user-mode" when value is "partial" or "whole" or "employee-no-invalid":
                    settings = settings with
                    {
                        Behaviour = settings.Behaviour with
                        {
                            UnknownUserMode = value switch
                            {
                                "partial" => UnknownUserMode.PartialSuccess,
                                "whole" => UnknownUserMode.WholeRequest1220004,
                                _ => UnknownUserMode.WholeRequestEmployeeNoInvalid,
                            },
                        },
                    };
                    break;
                case "--sealed-months" when SandboxBehaviour.TryParseMonths(value, out var months):
                    settings = settings with { Behaviour = settings.Behaviour with { SealedMonths = months } };
                    break;
                case "--rate-limit" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate):
                    settings = settings with { RateLimit = settings.RateLimit with { RequestsPerSecond = rate } };
                    break;
                case "--monthly-quota" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var quota):
                    settings = settings with { MonthlyQuota = quota };
                    break;
                case "--token-lifetime" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                    settings = settings with { TokenLifetime = TimeSpan.FromSeconds(seconds) };
                    break;
                case "--chats" when value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } chats:
                    settings = settings with
                    {
                        Messaging = settings.Messaging with { Chats = chats.Distinct(StringComparer.Ordinal).ToDictionary(chat => chat, _ => true, StringComparer.Ordinal) },
                    };
                    break;
                case "--chat-rate" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var chatRate):
                    settings = settings with { Messaging = settings.Messaging with { PerChatPerSecond = chatRate } };
                    break;
                default:
                    return (null, $"{name}: unknown option or invalid value.");
            }
        }

        return (settings with { Apps = new Dictionary<string, string>(StringComparer.Ordinal) { [appId] = appSecret } }, null);
    }
}
