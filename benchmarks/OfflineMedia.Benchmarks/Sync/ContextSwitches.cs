using System.Runtime.InteropServices;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// This process's context switches so far, all its threads, ended ones included (<c>getrusage</c>): on a small VM each
/// switch costs the hypervisor's interrupt handling, so the switches a sync makes per file show how often its work hops
/// between threads. Zero where the call is not there (Windows).
/// </summary>
internal static class ContextSwitches
{
    public static long Total() =>
        (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && GetResourceUsage(0, out var usage) == 0
            ? usage.VoluntarySwitches + usage.InvoluntarySwitches
            : 0;

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);

    /// <summary><c>struct rusage</c> of 64-bit Linux and macOS: two <c>timeval</c>s, then fourteen <c>long</c>s.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxResidentSet;
        public long SharedMemory;
        public long UnsharedData;
        public long UnsharedStack;
        public long MinorFaults;
        public long MajorFaults;
        public long Swaps;
        public long BlockInputs;
        public long BlockOutputs;
        public long MessagesSent;
        public long MessagesReceived;
        public long Signals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }
}
