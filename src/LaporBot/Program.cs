using LaporBot.Channels.Meta;
using LaporBot.Channels.Simulator;
using LaporBot.Channels.Telegram;
using LaporBot.Channels.Twilio;
using LaporBot.Complaints;
using LaporBot.Hosting;
using LaporBot.Privacy;
using LaporBot.Routing;
using LaporBot.Staff;
using LaporBot.StatusPage;
using LaporBot.StatusPage.Api;
using LaporBot.Reports;
using LaporBot.StatusPage.Tracking;
using LaporBot.Workflow;

var builder = WebApplication.CreateBuilder(args);

builder.AddLaporOptionsValidation();
builder.AddLocalZone();
builder.AddDemoDirectory();
builder.AddProxies();
builder.AddHealth();
builder.AddMetrics();
builder.AddData();
builder.AddConversations();
builder.AddOutbox();
builder.AddChannels();
builder.AddTwilio();
builder.AddTelegram();
builder.AddMeta();
builder.AddWorkflow();
builder.AddRouting();
builder.AddStaff();
builder.AddStatusPage();
builder.AddRecaps();
builder.AddTracking();
builder.AddCasesApi();
builder.AddPrivacy();

var app = builder.Build();

if (await Cli.TryRunAsync(app, args) is { } exitCode)
{
    return exitCode;
}

app.UseForwardedHeaders();
app.UseLaporMetrics();
app.UseLaporErrorHandling();
app.UseRateLimiter();

app.MapHealth();
app.MapLaporMetrics();
app.MapTwilioWebhooks();
app.MapTelegramWebhooks();
app.MapMetaWebhooks();
app.MapStatusPage();
app.MapRecaps();
app.MapTracking();
app.MapCasesApi();
if (app.Environment.IsDevelopment() && app.Configuration.GetValue("Simulator:Enabled", true))
{
    app.MapSimulator();
    app.MapGet("/", () => Results.Redirect("/dev/chat/"));
}

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
