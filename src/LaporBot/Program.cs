using LaporBot.Channels.Meta;
using LaporBot.Channels.Simulator;
using LaporBot.Channels.Twilio;
using LaporBot.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddLaporOptionsValidation();
builder.AddData();
builder.AddConversations();
builder.AddOutbox();
builder.AddChannels();
builder.AddTwilio();
builder.AddMeta();

var app = builder.Build();

app.UseLaporErrorHandling();

app.MapHealth();
app.MapTwilioWebhooks();
app.MapMetaWebhooks();
if (app.Environment.IsDevelopment() && app.Configuration.GetValue("Simulator:Enabled", true))
{
    app.MapSimulator();
    app.MapGet("/", () => Results.Redirect("/dev/chat/"));
}

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
