using LaporBot.Channels.Telegram;
using LaporBot.Complaints;
using LaporBot.Data;
using LaporBot.Routing;
using Microsoft.Extensions.Options;

using LaporBot.StatusPage;
using LaporBot.Workflow;

namespace LaporBot.Hosting;

/// <summary>
/// Command-line tasks for the IT team, run with the same configuration as the service:
/// <c>dotnet run --project src/LaporBot -- invite DPUPR</c> (or <c>invite triage</c>), and
/// <c>staff add &lt;username&gt; &lt;viewer|operator&gt;</c> for status page accounts, and
/// <c>backup &lt;file&gt;</c> for an online copy of the SQLite database.
/// </summary>
internal static class Cli
{
    public static async Task<int?> TryRunAsync(WebApplication app, string[] args)
    {
        if (args.Length > 0 && args[0] == "workflow")
        {
            return Workflow.WorkflowCli.Run(args[1..], Console.Out, Console.Error);
        }
        if (args.Length > 0 && args[0] == "staff")
        {
            await app.Services.GetRequiredService<Migrator>().MigrateAsync();
            return await StaffCli.RunAsync(app.Services, args[1..], Console.In, Console.Out, Console.Error,
                Environment.GetEnvironmentVariable, Console.IsInputRedirected);
        }
        if (args.Length > 0 && args[0] == "backup")
        {
            return await Backup.RunAsync(app.Services.GetRequiredService<IDatabase>(), args[1..], Console.Out, Console.Error);
        }
        if (args.Length > 0 && args[0] == "privacy")
        {
            await app.Services.GetRequiredService<Migrator>().MigrateAsync();
            return await Privacy.PrivacyCli.RunAsync(app.Services, args[1..], Console.Out, Console.Error);
        }
        if (args.Length == 0 || args[0] != "invite")
        {
            return null;
        }
        if (args.Length < 2)
        {
            Console.Error.WriteLine("Usage: invite <AGENCY CODE | triage> [role] [hours valid]\n  e.g. invite DPUPR 72, invite DPUPR kepala 72 (roles: admin, penghubung, kepala, pelaksana, inspektorat)");
            return 2;
        }
        var services = app.Services;
        await services.GetRequiredService<Migrator>().MigrateAsync();
        var db = services.GetRequiredService<IDatabase>();
        var clock = services.GetRequiredService<TimeProvider>();
        await using (var s = await db.BeginAsync())
        {
            await AgencyStore.SeedAsync(s, services.GetRequiredService<IOptions<List<AgencyConfig>>>().Value,
                services.GetRequiredService<IOptions<TriageOptions>>().Value, clock.GetUtcNow());
            await StatusPage.AgencyAdmin.ReactivatePageAgenciesAsync(s.Connection, s.Transaction);
            await s.CommitAsync();
        }
        var target = args[1].Trim();
        var triage = target.Equals("triage", StringComparison.OrdinalIgnoreCase);
        if (!triage)
        {
            await using var c = await db.OpenAsync();
            if (await AgencyStore.FindAsync(c, target) is not { Active: true })
            {
                var codes = string.Join(", ", (await AgencyStore.ActiveAsync(c)).Select(a => a.Code));
                Console.Error.WriteLine($"Unknown agency code '{target}'. Configured agencies: {(codes.Length == 0 ? "(none — add them under Agencies)" : codes)}");
                return 2;
            }
        }
        // invite DPUPR kepala 72: the role the code carries (default: the agency's admin, acting in every role).
        var role = triage ? StaffRole.Triage : StaffRole.Agency;
        if (!triage && args.Length > 2 && StaffRole.AgencyRoles.Contains(args[2].ToLowerInvariant()))
        {
            role = args[2].ToLowerInvariant();
            args = [.. args[..2], .. args[3..]];
        }
        var validFor = args.Length > 2 && double.TryParse(args[2], out var hours) && hours > 0
            ? TimeSpan.FromHours(hours)
            : services.GetRequiredService<IOptions<RoutingOptions>>().Value.InviteValidFor;
        var now = clock.GetUtcNow();
        var code = await AgencyStore.CreateInviteAsync(db, role,
            triage ? null : target.ToUpperInvariant(), "cli", validFor, now);
        var bot = services.GetRequiredService<IOptions<TelegramOptions>>().Value.BotUsername.TrimStart('@');
        Console.WriteLine($"Invite code: {code}");
        Console.WriteLine($"For: {(triage ? "the triage desk (Admin Utama)" : role == StaffRole.Agency ? $"admins of {target.ToUpperInvariant()}" : $"the {role} of {target.ToUpperInvariant()}")}");
        Console.WriteLine($"Valid until: {services.GetRequiredService<LocalZone>().Format(now + validFor)} (one use)");
        Console.WriteLine(bot.Length > 0
            ? $"Send the admin this link: https://t.me/{bot}?start={code}  (or they send /start {code} to the bot)"
            : $"The admin sends /start {code} to the bot (set Telegram:BotUsername to print a t.me link).");
        return 0;
    }
}
