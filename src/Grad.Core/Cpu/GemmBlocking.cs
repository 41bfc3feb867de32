using System.Runtime.CompilerServices;

namespace Grad.Cpu;

/// <summary>
/// Cache block sizes, chosen for Zen 4 (32 KiB L1d and 1 MiB L2 per core, 32 MiB shared L3) and
/// expressed in bytes so float and double blocks occupy the same cache footprint.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>Depth of one k block: 1536 bytes of k per row, so an MR=12 panel of A is 18 KiB
    /// (L1) and a KC×NC block of B is 720 KiB (L2).</summary>
    public static int KC<T>() where T : unmanaged => 1536 / Unsafe.SizeOf<T>();

    /// <summary>Rows of A per packed block (about 2.3 MiB with KC, from L3).</summary>
    public const int MC = 1536;

    /// <summary>Columns of B per packed block.</summary>
    public const int NC = 480;
}
