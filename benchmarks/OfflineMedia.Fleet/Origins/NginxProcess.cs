using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace OfflineMedia.Fleet.Origins;

/// <summary>
/// nginx as a child process on 127.0.0.1 and a free port, serving a folder: the API routes from <c>{route}.json</c> files,
/// media as static files with nginx's own ETag, Last-Modified, Range and 304 rules. Config, pid and logs stay in its own
/// folder. Its access log has one line per request: the target, the status and the body bytes sent.
/// (Trimmed from the integration tests' <c>NginxServer</c>, with room for a fleet's connections.)
/// </summary>
internal sealed class NginxProcess : IAsyncDisposable
{
    /// <summary>Where Debian's <c>nginx-light</c> package puts the binary.</summary>
    public const string Binary = "/usr/sbin/nginx";

    private const int SigTerm = 15;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StringBuilder _output;

    private NginxProcess(Process process, StringBuilder output, string folder, int port)
    {
        _process = process;
        _output = output;
        Folder = folder;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public string Folder { get; }

    public string AccessLogPath => Path.Combine(Folder, "access.log");

    /// <summary>Starts nginx serving <paramref name="siteRoot"/> and returns once it accepts connections.</summary>
    public static async Task<NginxProcess> StartAsync(string folder, string siteRoot)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"nginx is not installed ({Binary} is missing); install it with `apt-get install -y nginx-light`.");
        }

        Directory.CreateDirectory(folder);
        LetWorkersRead(siteRoot); // The workers of an nginx started as root run as an unprivileged user.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), Config(folder, siteRoot, port));
            var server = Start(folder, port);
            var failure = await server.WaitUntilAnsweringAsync(port);
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

    /// <summary>Gets nginx's version line, such as <c>nginx/1.22.1</c>.</summary>
    public static string Version()
    {
        using var process = Process.Start(new ProcessStartInfo(Binary, "-v") { RedirectStandardError = true, UseShellExecute = false })!;
        var line = process.StandardError.ReadToEnd().Trim();
        process.WaitForExit();
        return line.Replace("nginx version: ", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>Lets others read everything under <paramref name="siteRoot"/> (new files too) and pass through the folders above it.</summary>
    public static void LetWorkersRead(string siteRoot)
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

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = Kill(_process.Id, SigTerm); // Fast shutdown: nginx stops its workers and exits.
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

    private static NginxProcess Start(string folder, int port)
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
        return new NginxProcess(process, output, folder, port);
    }

    /// <returns>Null once nginx accepts connections and has written its pid file; else why it did not start.</returns>
    private async Task<string?> WaitUntilAnsweringAsync(int port)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < s_startTimeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                return $"it exited with {_process.ExitCode}. {Output()}";
            }

            if (File.Exists(Path.Combine(Folder, "nginx.pid")))
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    return null;
                }
                catch (SocketException)
                {
                    // Not listening yet.
                }
            }

            await Task.Delay(20);
        }

        return $"it did not accept connections on 127.0.0.1:{port} within {s_startTimeout.TotalSeconds} s. {Output()}";
    }

    /// <summary>One worker, as a small CDN node would run per core; room for every device's pooled connections.</summary>
    private static string Config(string folder, string siteRoot, int port) => $$"""
        daemon off;
        worker_processes 1;
        worker_rlimit_nofile 20000;
        pid "{{folder}}/nginx.pid";
        error_log "{{folder}}/error.log" warn;
        events { worker_connections 16000; }
        http {
            types { application/json json; image/jpeg jpg; video/mp4 mp4; }
            default_type application/octet-stream;
            client_body_temp_path "{{folder}}/client_body";
            proxy_temp_path "{{folder}}/proxy";
            fastcgi_temp_path "{{folder}}/fastcgi";
            uwsgi_temp_path "{{folder}}/uwsgi";
            scgi_temp_path "{{folder}}/scgi";
            log_format fleet '$request_uri\t$status\t$body_bytes_sent';
            access_log "{{folder}}/access.log" fleet;
            server {
                listen 127.0.0.1:{{port}} backlog=4096;
                server_name localhost;
                root "{{siteRoot}}";
                location /api/ { try_files $uri $uri.json =404; } # GET /api/workouts/upcoming?days=7 is api/workouts/upcoming.json.
            }
        }
        """;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString().Trim();
        }
    }

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
