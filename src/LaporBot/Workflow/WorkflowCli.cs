namespace LaporBot.Workflow;

/// <summary><c>workflow check FILE</c>: validates a workflow file and prints its steps, standards and total.</summary>
internal static class WorkflowCli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string? contentRoot = null)
    {
        if (args.Length < 2 || args[0] != "check")
        {
            stderr.WriteLine("Usage: workflow check FILE   e.g. workflow check workflows/cilacap.yaml");
            return 2;
        }
        WorkflowDefinition w;
        try
        {
            // `dotnet run --project` starts in the project folder: a path like workflows/x.yaml is found the way Workflow:File is.
            var path = File.Exists(args[1]) ? args[1] : WorkflowCatalog.Resolve(args[1], contentRoot ?? Directory.GetCurrentDirectory());
            w = WorkflowLoader.LoadFile(path);
        }
        catch (WorkflowLoadException e)
        {
            stderr.WriteLine(e.Message);
            return 1;
        }
        catch (IOException e)
        {
            stderr.WriteLine($"{args[1]}: cannot read: {e.Message}");
            return 1;
        }
        Print(w, stdout);
        return 0;
    }

    public static void Print(WorkflowDefinition w, TextWriter o)
    {
        o.WriteLine($"{w.Id}: {w.Name} (version {WorkflowLoader.SupportedVersion}, valid)");
        var main = w.MainPath();
        var n = 0;
        foreach (var s in main)
        {
            o.WriteLine(Line(++n, s, w));
        }
        foreach (var s in w.Steps.Where(s => main.All(m => m.Id != s.Id)))
        {
            o.WriteLine(Line(null, s, w));
        }
        foreach (var e in w.Escalations)
        {
            o.WriteLine($"escalation: after {WorkflowFormat.Duration(e.After)} since {(e.From == "submitted" ? "submission" : "the step's deadline")} → {string.Join(", ", e.To)}");
        }
        if (w.OversightStart is { } ov)
        {
            o.WriteLine($"oversight: {ov} ({WorkflowFormat.Duration(w.Total(ov))})");
        }
        o.WriteLine($"total: {WorkflowFormat.Duration(w.Total())}");
    }

    private static string Line(int? n, WorkflowStep s, WorkflowDefinition w)
    {
        var standard = s.Standard is null ? "-" : WorkflowFormat.Duration(s.Standard.Duration) + (s.Standard.Basis == TimeBasis.Working ? " working" : "");
        var actions = string.Join(", ", s.Actions.Where(a => a.Kind != "extend").Select(a => $"{a.Kind} → {a.Target ?? "citizen"}"));
        var extend = s.ExtendLimit is { } x ? $"; extend up to {WorkflowFormat.Duration(x)}" : "";
        return $"{(n is null ? "  -" : $"{n,3}.")} {s.Id,-22} {s.Role,-12} {standard,-12} {actions}{extend}";
    }
}
