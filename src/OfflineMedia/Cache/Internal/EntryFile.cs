namespace OfflineMedia.Cache.Internal;

/// <summary>What removing an entry takes: its key, its file and the bytes it frees. An eviction reads no more than this.</summary>
internal sealed record EntryFile(MediaKey Key, string RelativePath, long Size);
