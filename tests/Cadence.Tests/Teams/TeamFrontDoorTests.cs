using System.Net;
using System.Net.Http.Json;
using Cadence;
using Cadence.Authentication;
using Cadence.Teams;
using Cadence.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cadence.Tests.Teams;

public sealed class TeamFrontDoorTests
{
    [Fact]
    public async Task EveryRouteWithADepartmentCodePassesTheFrontDoor()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);

        var scoped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.GetParameter(TeamFrontDoor.RouteValue) is not null).ToList();

        // The contacts, custom fields and team calls: an empty list would prove nothing.
        Assert.True(scoped.Count >= 10, $"only {scoped.Count} routes name a departmentCode");
        Assert.Empty(scoped.Where(e => e.Metadata.GetMetadata<TeamScopedMetadata>() is null || e.Metadata.GetMetadata<ApiEndpointMetadata>() is null)
            .Select(e => e.RoutePattern.RawText));
    }

    [Fact]
    public async Task EveryCallWhoseBodyNamesATeamTakesItThroughTheTeamBody()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);

        // A JSON body with a departmentCode names the call's team: its handler takes a TeamBody<T>, which reads the
        // body and checks the team (403/404) before the handler runs, so no handler can use the code unchecked.
        var named = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Body: e.Metadata.GetMetadata<DocumentedBody>()?.Type))
            .Where(e => e.Body?.GetProperty("DepartmentCode") is not null).ToList();

        Assert.True(named.Count >= 2, $"only {named.Count} calls name a team in their body"); // CreateAndSend and bulk
        Assert.Empty(named.Where(e => !(e.Endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.GetParameters()
                .Any(p => p.ParameterType == typeof(TeamBody<>).MakeGenericType(e.Body!)) ?? false))
            .Select(e => e.Endpoint.RoutePattern.RawText));
    }

    [Fact]
    public async Task EveryClientApiEndpointSaysHowItKeepsToTheCallersTeams()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);

        // Behind the front door ({departmentCode}), a TeamBody<T> parameter, or a declared TeamScopeMetadata
        // (the handler's own filter, or no team's data): an endpoint with none of them has not answered the question.
        var api = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ApiEndpointMetadata>() is not null).ToList();
        static bool TakesTeamBody(RouteEndpoint e) => e.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.GetParameters()
            .Any(p => p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(TeamBody<>)) ?? false;

        Assert.True(api.Count >= 20, $"only {api.Count} client API endpoints");
        Assert.Empty(api.Where(e => e.Metadata.GetMetadata<TeamScopedMetadata>() is null && !TakesTeamBody(e)
                && e.Metadata.GetMetadata<TeamScopeMetadata>() is null)
            .Select(e => e.RoutePattern.RawText));
    }

    [Fact]
    public async Task EveryHandlerThatTakesTheCallerIsAClientApiEndpoint()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);

        // ApiCaller binds from what the API key check put on the request: outside a MapApiGroup group it would be a 500.
        var takes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.GetParameters().Any(p => p.ParameterType == typeof(ApiCaller)) ?? false).ToList();

        Assert.True(takes.Count >= 8, $"only {takes.Count} handlers take an ApiCaller");
        Assert.Empty(takes.Where(e => e.Metadata.GetMetadata<ApiEndpointMetadata>() is null).Select(e => e.RoutePattern.RawText));
    }

    [Fact]
    public async Task TextThatIsNoDepartmentCodeIsTeamNotFoundCutShort()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        using var everyTeam = app.Http(await app.CreateCredentialAsync());
        var ct = TestContext.Current.CancellationToken;

        var response = await everyTeam.PostAsJsonAsync($"/v2/contacts/{new string('x', 30)}/import", new { contacts = Array.Empty<object>() }, ct);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "team_not_found");
        Assert.Equal($"There is no team '{new string('X', 16)}…'.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RefusalEchoesTheCodeAsWrittenInThePathOrBodyAndNormalInTheQuery()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        await app.AddTeamAsync("SS");
        await app.AddTeamAsync("ADM");
        using var ssOnly = app.Http(await app.CreateCredentialAsync(teams: ["SS"]));
        var ct = TestContext.Current.CancellationToken;

        var path = await ssOnly.GetAsync("/v2/contacts/adm/7165550101", ct);
        var body = await ssOnly.PostAsJsonAsync("/v2/messages/CreateAndSend", new { departmentCode = "adm", messageContent = "Hi", mobileNumber = "7165550101" }, ct);
        var query = await ssOnly.GetAsync("/v2/messages?departmentCode=adm", ct);

        foreach (var (response, shown) in new[] { (path, "adm"), (body, "adm"), (query, "ADM") })
        {
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "team_not_granted");
            Assert.Equal($"This credential may not use team '{shown}'.", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task AGrantedTeamInAnyCaseReachesTheHandler()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        await app.AddTeamAsync("SS", "Student Success");
        using var ssOnly = app.Http(await app.CreateCredentialAsync(teams: ["SS"]));
        var ct = TestContext.Current.CancellationToken;

        var team = await ssOnly.GetFromJsonAsync<System.Text.Json.JsonElement>("/v2/teams/%20ss", ct);
        var fields = await ssOnly.GetAsync("/v2/teams/Ss/fields", ct);

        Assert.Equal("SS", team.GetProperty("departmentCode").GetString());
        Assert.Equal(HttpStatusCode.OK, fields.StatusCode);
    }
}
