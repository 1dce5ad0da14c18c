using ClockSync.Functions.Telemetry;
using ClockSync.Pipeline;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// Thin host: the pipeline registers options (validated at start), Azure clients, secrets, the Feishu client and the
// three handlers; the worker adds only its own telemetry. Handlers never see FunctionContext.
var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddClockSyncPipeline(builder.Configuration);
builder.Services.AddClockSyncTelemetry(builder.Configuration);
builder.Build().Run();
