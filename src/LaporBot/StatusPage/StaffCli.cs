namespace LaporBot.StatusPage;

/// <summary>
/// <c>staff add &lt;username&gt; &lt;role&gt; [AGENCY] [display name…]</c>: Diskominfo's roles (viewer, operator, kepala_seksi,
/// kepala_bidang, penanggung_jawab), or a workflow role (admin, penghubung, kepala, pelaksana, inspektorat) with the
/// agency the member works for from the web. The password comes from LAPORBOT_PASSWORD or
/// standard input, never from the command line, where it would land in the shell history and in ps.
/// </summary>
internal static class StaffCli
{
    public const string PasswordVariable = "LAPORBOT_PASSWORD";

    private const string Usage =
        "Usage: staff add <username> <viewer|operator|kepala_seksi|kepala_bidang|penanggung_jawab>\n" +
        "       staff add <username> <admin|penghubung|kepala|pelaksana|inspektorat> <AGENCY> [display name]\n" +
        "  The second form is an agency member working from the web: sees the agency's cases and acts at its role's steps.\n" +
        $"  The password is read from the {PasswordVariable} environment variable, or else from standard input.\n" +
        "  e.g. LAPORBOT_PASSWORD='…' dotnet run --project src/LaporBot -- staff add siti operator";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr,
        Func<string, string?> environment, bool inputRedirected)
    {
        if (args.Length < 3 || args[0] != "add")
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
        var (username, role) = (args[1].Trim(), args[2].Trim().ToLowerInvariant());
        var agency = args.Length > 3 ? args[3].Trim().ToUpperInvariant() : null;
        var displayName = args.Length > 4 ? string.Join(' ', args[4..]).Trim() : null;
        if (!StaffRoles.IsAgencyRole(role) && args.Length > 3)
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
        var password = environment(PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            if (!inputRedirected)
            {
                await stdout.WriteAsync($"Password for {username}: ");
                password = ReadHidden();
                await stdout.WriteLineAsync();
            }
            else
            {
                password = await stdin.ReadLineAsync();
            }
        }
        password ??= "";
        if (StaffAccounts.Problem(username, role, password, agency) is { } problem)
        {
            await stderr.WriteLineAsync($"Cannot add staff account: {problem}.\n{Usage}");
            return 2;
        }
        bool created;
        try
        {
            created = await services.GetRequiredService<StaffAccounts>().CreateAsync(username, role, password, agency, displayName);
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"Cannot add staff account: {e.Message}.");
            return 2;
        }
        if (!created)
        {
            await stderr.WriteLineAsync($"A staff account named '{username}' already exists (names ignore case).");
            return 1;
        }
        await stdout.WriteLineAsync(agency is null
            ? $"Added status page account '{username}' ({role}). Log in at /status/masuk."
            : $"Added status page account '{username}' ({role} of {agency}). Log in at /status/masuk.");
        return 0;
    }

    private static string ReadHidden()
    {
        var chars = new List<char>();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                return new string([.. chars]);
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (chars.Count > 0)
                {
                    chars.RemoveAt(chars.Count - 1);
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                chars.Add(key.KeyChar);
            }
        }
    }
}
