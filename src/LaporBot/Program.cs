using LaporBot.Channels.Simulator;
using LaporBot.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddLaporOptionsValidation();
builder.AddData();
builder.AddConversations();
builder.AddOutbox();
builder.AddChannels();

var app = builder.Build();

app.UseLaporErrorHandling();

app.MapHealth();
if (app.Environment.IsDevelopment() && app.Configuration.GetValue("Simulator:Enabled", true))
{
    app.MapSimulator();
    app.MapGet("/", () => Results.Redirect("/dev/chat/"));
}

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
