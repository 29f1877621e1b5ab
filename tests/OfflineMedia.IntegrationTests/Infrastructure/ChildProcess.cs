using System.Diagnostics;
using System.Text;

namespace OfflineMedia.IntegrationTests.Infrastructure;

/// <summary>
/// An app beside the tests (the sample, or the test host) running in a process of its own, its output gathered as it
/// comes: for claims about processes that share a cache folder, are killed, or run at the same time. Disposing it kills
/// a process still running.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>How long a child may run before a test gives up on it: generous, for a loaded machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private ChildProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public string Stdout => Locked(() => _stdout.ToString());

    public string Stderr => Locked(() => _stderr.ToString());

    /// <summary>Starts <c>dotnet OfflineMedia.Sample.Console.dll</c> with the arguments.</summary>
    public static ChildProcess StartSample(params string[] args) => Start("OfflineMedia.Sample.Console.dll", args, input: false);

    /// <summary>Starts <c>dotnet OfflineMedia.TestHost.dll</c> with the arguments; its standard input stays open until <see cref="CloseInput"/>.</summary>
    public static ChildProcess StartTestHost(params string[] args) => Start("OfflineMedia.TestHost.dll", args, input: true);

    /// <summary>Starts the test host as <see cref="StartTestHost(string[])"/> does, with environment variables set for it.</summary>
    public static ChildProcess StartTestHost(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Start("OfflineMedia.TestHost.dll", args, input: true, environment);

    /// <summary>Waits for a line of stdout that matches, seen already or to come; fails when the process ends first or takes too long.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stdout)
        {
            if (_stdout.ToString().Split('\n').FirstOrDefault(match) is { } line)
            {
                return line;
            }

            _waiters.Add((match, seen));
        }

        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(seen.Task, exited, Task.Delay(Timeout));
        return done == seen.Task
            ? await seen.Task
            : throw new TimeoutException($"No such line before the process {(done == exited ? "exited" : "timed out")}.\n{Describe()}");
    }

    /// <summary>Ends the process at once with SIGKILL, as the system kills an app: no cleanup of any kind runs.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It exited on its own just before.
        }
    }

    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for the process to end; returns its exit code. A process that runs past <see cref="Timeout"/> is killed and fails the test.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The process did not exit within {Timeout}.\n{Describe()}");
        }

        return _process.ExitCode;
    }

    /// <summary>The process's command, exit and output, for a failure message.</summary>
    public string Describe() =>
        $"{string.Join(' ', _process.StartInfo.ArgumentList)}\nexit: {(_process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "running")}\n" +
        $"stdout:\n{Tail(Stdout)}\nstderr:\n{Tail(Stderr)}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static ChildProcess Start(string dll, string[] args, bool input, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnStderr(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stdout)
        {
            _stdout.Append(line).Append('\n');
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult(line);
            }
        }
    }

    private void OnStderr(string? line)
    {
        if (line is not null)
        {
            lock (_stdout)
            {
                _stderr.Append(line).Append('\n');
            }
        }
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_stdout)
        {
            return read();
        }
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}
