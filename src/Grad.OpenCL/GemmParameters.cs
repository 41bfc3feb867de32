using System.Text.Json.Serialization;

namespace Grad.OpenCL;

/// <summary>The tiled GEMM's compile-time parameters (CLBlast's names): a work-group computes a
/// <see cref="TileM"/> × <see cref="TileN"/> tile of C in steps of <see cref="TileK"/>, each work-item
/// a <see cref="WorkM"/> × <see cref="WorkN"/> block of it in registers (multiples of 4, as is
/// <see cref="TileK"/>: the kernel reads and multiplies four elements at a time).</summary>
public sealed record GemmParameters(int TileM, int TileN, int TileK, int WorkM, int WorkN)
{
    /// <summary>Run <c>gemm_columns</c> (no local memory: for CPU drivers, where a work-group is a
    /// loop on one core) instead of the tiled kernel: each work-item computes a <see cref="WorkM"/>
    /// × <see cref="WorkN"/> block, <see cref="WorkN"/> (2, 4, 8 or 16) being its vector width.</summary>
    public bool Columns { get; init; }

    /// <summary>Products with fewer multiply-adds than this run the direct kernel (a tile would be mostly idle).</summary>
    public long DirectBelow { get; init; } = 32 * 32 * 32;

    [JsonIgnore] public int GroupM => TileM / WorkM;
    [JsonIgnore] public int GroupN => TileN / WorkN;

    /// <summary>The build options that set these parameters.</summary>
    [JsonIgnore]
    public string Options =>
        $"-D TSM={TileM} -D TSN={TileN} -D TSK={TileK} -D WPTM={WorkM} -D WPTN={WorkN}" + (Columns ? " -D GEMM_COLUMNS" : "");

    /// <summary>Whether these parameters fit the device and their kernel: for the column kernel, a
    /// vector width it has and one block per work-item; for the tiled kernel, tiles that divide
    /// into work-items in fours, and a group and local memory (in float64, the larger) that fit.</summary>
    public bool FitsOn(OpenCLDevice device) => Columns
        ? WorkN is 2 or 4 or 8 or 16 && WorkM > 0 && (TileM, TileN, TileK) == (WorkM, WorkN, 1)
        : WorkM > 0 && WorkN > 0 && WorkM % 4 == 0 && WorkN % 4 == 0 && TileK > 0 && TileK % 4 == 0
            && TileM % WorkM == 0 && TileN % WorkN == 0 && GroupM * GroupN <= device.MaxWorkGroupSize
            && (long)TileK * (TileM + TileN) * sizeof(double) <= device.LocalMemoryBytes;

    /// <summary>The shipped defaults (<c>grad tune</c>'s choice, <see cref="TuningCache"/>, replaces
    /// them): 64×64 tiles of 4×4 per work-item on GPUs (256 work-items; AMD's and NVIDIA's parts
    /// alike, as CLBlast's tuning results pick near there for both), 32×32 tiles of 4×4 on Intel's
    /// GPUs (smaller local memory and groups), the column kernel with 16 × 16 blocks on CPU drivers (PoCL).</summary>
    public static GemmParameters Default(OpenCLDevice device)
    {
        var chosen = !device.IsGpu ? new GemmParameters(16, 16, 1, 16, 16) { Columns = true }
            : device.Vendor.Contains("Intel", StringComparison.OrdinalIgnoreCase) ? new GemmParameters(32, 32, 16, 4, 4)
            : new GemmParameters(64, 64, 16, 4, 4);
        return chosen.FitsOn(device) ? chosen : new GemmParameters(32, 32, 8, 4, 4);
    }
}
