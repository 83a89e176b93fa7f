using Google.Protobuf;
using RAOrchestrator.Cli.Output;
using Spectre.Console.Rendering;

namespace RAOrchestrator.Cli.Commands;

/// <summary>How a command shows what it got: the API message as JSON for scripts, or its view for people.</summary>
public static class Results
{
    public static int Show(this CommandContext context, IMessage message, Func<IRenderable> view)
    {
        if (context.Output.Json)
        {
            context.Output.WriteJson(message);
        }
        else
        {
            context.Output.Console.Write(view());
        }

        return ExitCodes.Ok;
    }

    /// <summary>Every item of a list method (all pages) as <c>{"field": [...]}</c>, or as a table.</summary>
    public static async Task<int> ShowAllAsync<T>(this CommandContext context, string field, IAsyncEnumerable<T> items, Func<IReadOnlyCollection<T>, IRenderable> view)
        where T : IMessage
    {
        var all = new List<T>();
        await foreach (var item in items)
        {
            all.Add(item);
        }

        if (context.Output.Json)
        {
            context.Output.WriteJson(ProtoJson.List(field, all.Cast<IMessage>()));
        }
        else
        {
            context.Output.Console.Write(view(all));
        }

        return ExitCodes.Ok;
    }
}
