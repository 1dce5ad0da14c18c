using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The three triggers and their wiring arrive with the pipeline issue; the worker already builds and starts.
var builder = FunctionsApplication.CreateBuilder(args);
builder.Build().Run();
