using LaporBot.Complaints;
using LaporBot.Tests.Fakes;
using LaporBot.Workflow;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LaporBot.Tests.Staff;

/// <summary>
/// The authorization matrix of <see cref="CaseActions"/> — the one check every staff channel goes
/// through — in full: for every step of every shipped SOP file, every staff action × the triage desk,
/// every agency role at the case's own agency and at another agency, an all-roles admin, and someone
/// holding nothing. Allowed exactly when the step offers the action and the actor holds the step's
/// role for the case's agency (view: the desk or the agency's members; close: the desk), refused
/// otherwise with the reason that applies. A hand-written table for Cilacap pins the SOP itself.
/// </summary>
public class CaseAuthorizationMatrixTests
{
    private const string Own = "DPUPR";
    private const string Other = "DLH";
    private const string Inspectorate = "INSPEKTORAT";

    public static TheoryData<string> Files() => new(Directory.GetFiles(TestPaths.Workflows, "*.yaml").Select(Path.GetFileName).Order()!);

    private static CaseActions Actions(string file, out ComplaintWorkflow workflow)
    {
        var env = new FakeEnv(TestPaths.RepoRoot);
        var catalog = new WorkflowCatalog(Options.Create(new WorkflowOptions { File = Path.Combine(TestPaths.Workflows, file) }),
            Options.Create(new List<AgencyConfig>()), env);
        workflow = new ComplaintWorkflow(null!, Options.Create(new SlaOptions()), catalog, new WorkflowClock(new WorkingCalendar(new CalendarOptions())));
        return new CaseActions(null!, workflow, null!, TimeProvider.System, NullLogger<CaseActions>.Instance);
    }

    /// <summary>A case standing at <paramref name="step"/> with the status and agency a case there has.</summary>
    private static ComplaintRow CaseAt(WorkflowDefinition w, WorkflowStep step)
    {
        var first = ComplaintWorkflow.FirstAgencyStep(w);
        var oversight = step.Id == w.OversightStart;
        var atDesk = step.Role == "triage" && w.MainPath().TakeWhile(s => s.Id != first.Id).Any(s => s.Id == step.Id);
        return new ComplaintRow
        {
            Id = 1, TrackingNumber = "LPR-2611-00001", Step = step.Id, CreatedAt = 0, StepStartedAt = 0,
            Status = atDesk ? ComplaintStatus.Triage : step.Id == first.Id || oversight ? ComplaintStatus.Assigned : ComplaintStatus.Accepted,
            AgencyCode = atDesk ? null : oversight ? Inspectorate : Own,
            Oversight = oversight,
        };
    }

    private static IEnumerable<(string Who, CaseActor Actor)> Actors(string caseAgency)
    {
        yield return ("triage", CaseActor.Of("telegram", "1", "Admin Utama", "triage", null));
        foreach (var role in new[] { "admin", "penghubung", "kepala", "pelaksana", "inspektorat", "agency" })
        {
            yield return ($"{role}@own", CaseActor.Of("web", "2", role, role, caseAgency));
            yield return ($"{role}@other", CaseActor.Of("simulator", "3", role, role, caseAgency == Other ? Own : Other));
        }
        yield return ("nobody", new CaseActor("telegram", "4", "?", []));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_action_by_every_role_at_every_step_is_allowed_only_to_the_steps_role_of_the_cases_agency(string file)
    {
        var actions = Actions(file, out var workflow);
        var w = workflow.Workflows.Default;
        var checkedCells = 0;
        foreach (var step in w.Steps)
        {
            var c = CaseAt(w, step);
            Assert.Equal(step.Id, workflow.StepOf(c)!.Id);
            foreach (var (who, actor) in Actors(c.AgencyCode ?? Own))
            {
                var ownAgency = c.AgencyCode is not null && actor.Grants.Any(g => g.AgencyCode == c.AgencyCode);
                var roleHere = who == "triage" ? step.Role == "triage"
                    : ownAgency && step.Role != "triage" && (actor.Grants[0].Role == step.Role || actor.Grants[0].Role == "agency");
                foreach (var action in StaffAction.All)
                {
                    var refused = actions.Refuse(c, actor, action);
                    string? expected = action switch
                    {
                        StaffAction.View => who == "triage" || ownAgency ? null : "not_your_agency",
                        StaffAction.Close => who == "triage" ? null : "triage_only",
                        StaffAction.Assign or StaffAction.Return when who != "triage" => "triage_only",
                        _ when !roleHere => who == "triage" || ownAgency ? "not_your_step" : "not_your_agency",
                        _ when step.Action(action) is null => "not_at_step",
                        _ => null,
                    };
                    Assert.True(expected == refused?.Refusal,
                        $"{file} step {step.Id} ({step.Role}), {who}, {action}: expected {expected ?? "allowed"}, got {refused?.Refusal ?? "allowed"}");
                    if (refused is not null)
                    {
                        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
                        Assert.DoesNotContain("{", refused.Message); // every placeholder filled
                    }
                    checkedCells++;
                }
            }
        }
        Assert.Equal(w.Steps.Count * 14 * StaffAction.All.Count, checkedCells);
    }

    /// <summary>The Cilacap SOP's table, written out by hand: who does what at each step.</summary>
    [Theory]
    [InlineData("disposisi", "triage", "view assign return close")]
    [InlineData("periksa", "admin@own", "view accept reject")]
    [InlineData("periksa", "kepala@own", "view")]
    [InlineData("periksa", "admin@other", "")]
    [InlineData("periksa", "triage", "view close")]
    [InlineData("koordinasi", "penghubung@own", "view forward")]
    [InlineData("koordinasi", "admin@own", "view")]
    [InlineData("tindak_lanjut", "kepala@own", "view draft")]
    [InlineData("tindak_lanjut", "penghubung@own", "view")]
    [InlineData("teruskan_hasil", "penghubung@own", "view forward revise")]
    [InlineData("input_jawaban", "admin@own", "view revise answer")]
    [InlineData("input_jawaban", "agency@own", "view revise answer")]
    [InlineData("input_jawaban", "agency@other", "")]
    [InlineData("tindak_lanjut_apip", "inspektorat@own", "view reject answer")]
    [InlineData("tindak_lanjut_apip", "kepala@own", "view")]
    [InlineData("tindak_lanjut_apip", "nobody", "")]
    public void Cilacap_who_does_what(string stepId, string who, string allowed)
    {
        var actions = Actions("cilacap.yaml", out var workflow);
        var w = workflow.Workflows.Default;
        var c = CaseAt(w, w.Step(stepId));
        var actor = Actors(c.AgencyCode ?? Own).Single(a => a.Who == who).Actor;
        Assert.Equal(allowed.Split(' ', StringSplitOptions.RemoveEmptyEntries), actions.Available(c, actor));
    }

    private sealed class FakeEnv(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";
        public string ApplicationName { get; set; } = "LaporBot";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
