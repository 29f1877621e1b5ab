using OfflineMedia.TestHost;

// One of two loops on a cache folder, as a second process of an app would run it (an app and its background task):
//   read  resolves and reads cached files until it has enough reads, reporting every file it was handed that it could not read whole;
//   evict fills the cache, then refills and trims it to ever smaller budgets until its standard input closes;
//   download downloads every item at once (with OFFLINEMEDIA_KILL_IN_GROUP=1, killing itself inside a group commit).
// Lines on stdout are the protocol the tests read ("ready", "fail ...", "error ...", "summary ..."); the log goes to stderr.
if (HostArguments.Parse(args, Console.Error) is not { } arguments)
{
    return 1;
}

using var stop = new CancellationTokenSource(arguments.MaxDuration);
await using var services = CacheServices.Build(arguments);
return arguments.Verb switch
{
    "read" => await ReaderLoop.RunAsync(services, arguments, Console.Out, stop.Token),
    "download" => await DownloadAll.RunAsync(services, arguments, Console.Out, stop.Token),
    _ => await EvictorLoop.RunAsync(services, arguments, Console.Out, Console.In, stop.Token),
};
