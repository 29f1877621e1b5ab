using System.IO.Abstractions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OfflineMedia.Variants;

namespace OfflineMedia.Benchmarks.Cache;

/// <summary>
/// The file side of a trim that evicts 10,000 entries: 10,000 deletes through <see cref="IFileSystem"/> at the
/// cache's own paths (<c>media/{kind}/{exercise}/{variant}.{ext}</c>, small bodies: the cost is per file).
/// The files are written again before every iteration. No target; measured apart from the index work.
/// A few iterations are enough for an operation of about a second.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[InvocationCount(1)]
[Config(typeof(OwnJob))]
public class CacheFileDeleteBenchmarks
{
    private const int Files = 10_000;

    private readonly FileSystem _fileSystem = new();
    private CacheFolder _folder = null!;
    private string[] _files = [];

    [GlobalSetup]
    public void Setup()
    {
        _folder = new CacheFolder();
        _files = Enumerable.Range(0, Files)
            .Select(i => CacheFolder.KeyOf(i * (CacheFolder.EntryCount / Files) + (i % 8)))
            .Select(key => _folder.Paths.Resolve(_folder.Paths.RelativeMediaPath(key, key.Kind == MediaKind.Image ? "x.jpg" : "x.mp4")))
            .ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _folder.Dispose();

    [IterationSetup]
    public void WriteFiles()
    {
        var body = new byte[4096];
        foreach (var file in _files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, body);
        }
    }

    [Benchmark]
    public int DeleteFiles()
    {
        foreach (var file in _files)
        {
            _fileSystem.File.Delete(file);
        }

        return _files.Length;
    }

    /// <summary>Two warm-up and 15 measured iterations, unless a job is given on the command line.</summary>
    private sealed class OwnJob : ManualConfig
    {
        public OwnJob() => this.AddOwnJob(BenchmarkDotNet.Engines.RunStrategy.Throughput, warmupCount: 2, iterationCount: 15);
    }
}
