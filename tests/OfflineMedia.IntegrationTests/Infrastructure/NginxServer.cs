using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// A real nginx, a static file server whose ETag, Range, If-Range and 304 rules no one here wrote, as a child process on
/// 127.0.0.1 and a free port, serving a folder. Everything it writes (config, pid, logs, temp folders) stays in its own
/// folder. Its access log records each request with the headers the SDK's HTTP rules turn on (see
/// <see cref="NginxRequest"/>). Disposing it stops nginx (SIGTERM, then a kill of the whole process tree).
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    /// <summary>Where Debian's <c>nginx-light</c> package puts the binary.</summary>
    public const string Binary = "/usr/sbin/nginx";

    private const int SigTerm = 15;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StringBuilder _output;

    private NginxServer(Process process, StringBuilder output, string folder, int port, bool tls)
    {
        _process = process;
        _output = output;
        Folder = folder;
        Port = port;
        BaseAddress = new Uri($"{(tls ? "https" : "http")}://127.0.0.1:{port}/");
    }

    /// <summary>Gets the address it serves, ending with a slash.</summary>
    public Uri BaseAddress { get; }

    public int Port { get; }

    /// <summary>Gets nginx's own folder: its config, pid file, logs and temp folders.</summary>
    public string Folder { get; }

    public string AccessLogPath => Path.Combine(Folder, "access.log");

    public string ErrorLogPath => Path.Combine(Folder, "error.log");

    /// <summary>
    /// Starts nginx serving <paramref name="siteRoot"/>, its files under <paramref name="folder"/>, and returns once it
    /// accepts connections. Fails, never skips, when nginx is not installed.
    /// </summary>
    public static async Task<NginxServer> StartAsync(string folder, string siteRoot, NginxOptions? options = null)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException(
                $"nginx is not installed ({Binary} is missing), and the interop tests run against a real nginx. " +
                "`.ci/run` installs it (apt-get install -y nginx-light); on a Debian or Ubuntu machine run that as root.");
        }

        options ??= new NginxOptions();
        Directory.CreateDirectory(folder);
        LetWorkersRead(siteRoot); // The workers of an nginx started as root run as an unprivileged user.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            File.WriteAllText(Path.Combine(folder, "nginx.conf"), Config(folder, siteRoot, port, options));
            var server = Start(folder, port, options.Tls is not null);
            var failure = await server.WaitUntilAnsweringAsync();
            if (failure is null)
            {
                return server;
            }

            await server.DisposeAsync();
            if (attempt == 3 || !failure.Contains("Address already in use", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"nginx did not start: {failure}");
            }
        }
    }

    /// <summary>Gets every request nginx has finished so far, in the order it finished them.</summary>
    public IReadOnlyList<NginxRequest> Requests()
    {
        if (!File.Exists(AccessLogPath))
        {
            return [];
        }

        using var stream = new FileStream(AccessLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var requests = new List<NginxRequest>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                requests.Add(NginxRequest.Parse(line));
            }
        }

        return requests;
    }

    /// <summary>
    /// Waits until nginx has logged every request it is busy with (a client can have the last byte before nginx writes its
    /// line): the log has stopped growing for a moment. Then returns them all.
    /// </summary>
    public async Task<IReadOnlyList<NginxRequest>> SettledRequestsAsync()
    {
        var clock = Stopwatch.StartNew();
        long last = -1;
        while (true)
        {
            var length = File.Exists(AccessLogPath) ? new FileInfo(AccessLogPath).Length : 0;
            if (length == last || clock.Elapsed > s_startTimeout)
            {
                return Requests();
            }

            last = length;
            await Task.Delay(150);
        }
    }

    /// <summary>Waits until the requests logged so far satisfy <paramref name="done"/>, and returns them.</summary>
    public async Task<IReadOnlyList<NginxRequest>> WaitForRequestsAsync(Func<IReadOnlyList<NginxRequest>, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var requests = Requests();
            if (done(requests))
            {
                return requests;
            }

            if (clock.Elapsed > s_startTimeout)
            {
                throw new TimeoutException($"Timed out waiting until {what}; nginx logged:\n{string.Join('\n', requests)}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = Kill(_process.Id, SigTerm); // Fast shutdown: nginx stops its workers and exits, open connections or not.
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true); // Its workers too: a killed master leaves them serving.
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static NginxServer Start(string folder, int port, bool tls)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-p", folder + "/", "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log") })
        {
            start.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new NginxServer(process, output, folder, port, tls);
    }

    /// <returns>Null once nginx accepts connections and has written its pid file; else why it did not start.</returns>
    private async Task<string?> WaitUntilAnsweringAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < s_startTimeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // Drains its output.
                return $"it exited with {_process.ExitCode}. {Output()} {ErrorLog()}";
            }

            if (File.Exists(Path.Combine(Folder, "nginx.pid")))
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, Port);
                    return null;
                }
                catch (SocketException)
                {
                    // Not listening yet.
                }
            }

            await Task.Delay(20);
        }

        return $"it did not accept connections on 127.0.0.1:{Port} within {s_startTimeout.TotalSeconds} s. {Output()} {ErrorLog()}";
    }

    private static string Config(string folder, string siteRoot, int port, NginxOptions options)
    {
        var tls = options.Tls is { } certificate
            ? $"""
                listen 127.0.0.1:{port} ssl http2;
                ssl_certificate "{certificate.CertificatePath}";
                ssl_certificate_key "{certificate.KeyPath}";
            """
            : $"listen 127.0.0.1:{port};";
        var api = options.ServeApi
            ? "location /api/ { try_files $uri $uri.json =404; } # GET /api/workouts/upcoming?days=7 is api/workouts/upcoming.json."
            : string.Empty;
        return $$"""
            daemon off;
            worker_processes 1;
            pid "{{folder}}/nginx.pid";
            error_log "{{folder}}/error.log" notice;
            events { worker_connections 256; }
            http {
                types { application/json json; image/jpeg jpg; video/mp4 mp4; }
                default_type application/octet-stream;
                client_body_temp_path "{{folder}}/client_body";
                proxy_temp_path "{{folder}}/proxy";
                fastcgi_temp_path "{{folder}}/fastcgi";
                uwsgi_temp_path "{{folder}}/uwsgi";
                scgi_temp_path "{{folder}}/scgi";
                log_format interop escape=json {{NginxRequest.LogFormat}};
                access_log "{{folder}}/access.log" interop;
            {{options.Http}}
                server {
                    {{tls}}
                    server_name localhost;
                    root "{{siteRoot}}";
            {{options.Server}}
                    {{api}}
                }
            }
            """;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Lets others read everything under <paramref name="siteRoot"/> and pass through the folders above it, up to the temp folder.</summary>
    private static void LetWorkersRead(string siteRoot)
    {
        const UnixFileMode Read = UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode Enter = Read | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (OperatingSystem.IsWindows())
        {
            return; // No nginx.
        }

        var top = Path.GetFullPath(Path.GetTempPath()).TrimEnd('/');
        for (var dir = new DirectoryInfo(Path.GetFullPath(siteRoot)); dir is not null && dir.FullName.TrimEnd('/') != top; dir = dir.Parent)
        {
            dir.UnixFileMode |= Enter;
        }

        foreach (var entry in new DirectoryInfo(siteRoot).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            entry.UnixFileMode |= entry is DirectoryInfo ? Enter : Read;
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString().Trim();
        }
    }

    private string ErrorLog() => File.Exists(ErrorLogPath) ? File.ReadAllText(ErrorLogPath).Trim() : string.Empty;

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
