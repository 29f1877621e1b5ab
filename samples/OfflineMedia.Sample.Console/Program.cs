using OfflineMedia.Sample;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    return await SampleApp.RunAsync(args, Console.Out, Console.Error, cancel.Token);
}
catch (Exception ex)
{
    // Whatever the sample did not expect (a hostile server, a broken cache folder) ends as one line and exit 1,
    // never as an unhandled exception that aborts the process with a stack trace.
    var message = string.Concat(ex.Message.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
    await Console.Error.WriteLineAsync($"error: {ex.GetType().Name}: {message}");
    return 1;
}
