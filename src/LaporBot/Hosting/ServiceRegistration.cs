using LaporBot.Channels;
using LaporBot.Channels.Simulator;
using LaporBot.Complaints;
using LaporBot.Conversations;
using LaporBot.Data;
using LaporBot.Outbox;
using Microsoft.Extensions.Options;

namespace LaporBot.Hosting;

internal static class ServiceRegistration
{
    public const string ConnectionStringName = "LaporBot";
    public const string DefaultConnectionString = "Data Source=data/laporbot.db";

    private static OptionsBuilder<T> Bind<T>(this IServiceCollection services, IConfiguration config, string section) where T : class =>
        services.AddOptions<T>().Bind(config.GetSection(section)).ValidateOnStart();

    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        builder.Services.Bind<DatabaseOptions>(builder.Configuration, DatabaseOptions.Section);
        builder.Services.AddSingleton<IDatabase>(sp =>
        {
            var (postgres, cs) = DatabaseOptions.Resolve(builder.Configuration, builder.Environment.ContentRootPath);
            return postgres
                ? new PostgresDatabase(cs)
                : new SqliteDatabase(cs, sp.GetRequiredService<IOptions<DatabaseOptions>>());
        });
        builder.Services.AddSingleton<GroupCommit>();
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<MigrationHostedService>();
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        return builder;
    }

    public static WebApplicationBuilder AddConversations(this WebApplicationBuilder builder)
    {
        builder.Services.Bind<ConversationOptions>(builder.Configuration, ConversationOptions.Section);
        builder.Services.Bind<ComplaintOptions>(builder.Configuration, ComplaintOptions.Section);
        builder.Services.AddSingleton<DialogCatalog>();
        builder.Services.AddSingleton<TrackingNumbers>();
        builder.Services.AddSingleton<TurnProcessor>();
        return builder;
    }

    public static WebApplicationBuilder AddOutbox(this WebApplicationBuilder builder)
    {
        builder.Services.Bind<OutboxOptions>(builder.Configuration, OutboxOptions.Section);
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<DeliveryThrottle>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return builder;
    }

    public static WebApplicationBuilder AddChannels(this WebApplicationBuilder builder)
    {
        // One line per provider.
        builder.Services.AddSingleton<IChannel, SimulatorChannel>();
        builder.Services.AddOptions<AttachmentOptions>().Bind(builder.Configuration.GetSection(AttachmentOptions.Section));
        builder.Services.AddSingleton<AttachmentStore>();
        return builder;
    }

    public static WebApplicationBuilder AddLaporOptionsValidation(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LaporOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<DatabaseOptions>>(sp => sp.GetRequiredService<LaporOptionsValidator>());
        builder.Services.AddSingleton<IValidateOptions<ComplaintOptions>>(sp => sp.GetRequiredService<LaporOptionsValidator>());
        builder.Services.AddSingleton<IValidateOptions<ConversationOptions>>(sp => sp.GetRequiredService<LaporOptionsValidator>());
        builder.Services.AddSingleton<IValidateOptions<OutboxOptions>>(sp => sp.GetRequiredService<LaporOptionsValidator>());
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}

/// <summary>Brings the schema up to date before anything else touches the database; loads the dialogs early so a bad file stops start-up.</summary>
internal sealed class MigrationHostedService(Migrator migrator, DialogCatalog dialogs, ILogger<MigrationHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        logger.LogInformation("Dialogs loaded from {Directory}: {Dialogs}", dialogs.Directory, string.Join(", ", dialogs.Dialogs.Keys));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
