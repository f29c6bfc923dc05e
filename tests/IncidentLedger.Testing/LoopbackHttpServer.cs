using System.Net;
using System.Net.Sockets;

namespace IncidentLedger.Testing;

/// <summary>A tiny HTTP server on 127.0.0.1 and a free port, answering every request with <paramref name="handle"/>.</summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<HttpListenerContext, Task> handle;

    public LoopbackHttpServer(string path, Func<HttpListenerContext, Task> handle)
    {
        this.handle = handle;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}{path}");
        listener.Prefixes.Add(Url.ToString());
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                await handle(context);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    public void Dispose() => listener.Close();
}
