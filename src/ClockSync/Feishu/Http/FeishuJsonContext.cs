using System.Text.Json.Serialization;

namespace ClockSync.Feishu.Http;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(BatchCreateRequest))]
[JsonSerializable(typeof(QueryRequest))]
internal sealed partial class FeishuJsonContext : JsonSerializerContext;
