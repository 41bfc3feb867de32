using System.Text.Json.Serialization;

namespace Grad.OpenCL;

/// <summary>The tiled GEMM's compile-time parameters (CLBlast's names): a work-group computes a
/// <see cref="TileM"/> × <see cref="TileN"/> tile of C in steps of <see cref="TileK"/>, each work-item
/// a <see cref="WorkM"/> × <see cref="WorkN"/> block of it in registers; <see cref="Padding"/> pads local
/// rows against bank conflicts.</summary>
public sealed record GemmParameters(int TileM, int TileN, int TileK, int WorkM, int WorkN, int Padding)
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
    public string Options => $"-D TSM={TileM} -D TSN={TileN} -D TSK={TileK} -D WPTM={WorkM} -D WPTN={WorkN} -D PAD={Padding}";

    /// <summary>Whether these parameters fit the device: tiles divide into work-items, and the
    /// group and its local memory (in float64, the larger) fit.</summary>
    public bool FitsOn(OpenCLDevice device) =>
        TileM % WorkM == 0 && TileN % WorkN == 0 && GroupM * GroupN <= device.MaxWorkGroupSize
        && (long)TileK * (TileM + TileN + 2 * Padding) * sizeof(double) <= device.LocalMemoryBytes;

    /// <summary>The shipped defaults (<c>grad tune</c>'s choice, <see cref="TuningCache"/>, replaces
    /// them): 64×64 tiles of 4×4 per work-item on GPUs (256 work-items; AMD's and NVIDIA's parts
    /// alike, as CLBlast's tuning results pick near there for both), 32×32 tiles of 4×4 on Intel's
    /// GPUs (smaller local memory and groups), the column kernel with 16 × 16 blocks on CPU drivers (PoCL).</summary>
    public static GemmParameters Default(OpenCLDevice device)
    {
        var chosen = !device.IsGpu ? new GemmParameters(16, 16, 1, 16, 16, 0) { Columns = true }
            : device.Vendor.Contains("Intel", StringComparison.OrdinalIgnoreCase) ? new GemmParameters(32, 32, 16, 4, 4, 1)
            : new GemmParameters(64, 64, 16, 4, 4, 1);
        return chosen.FitsOn(device) ? chosen : new GemmParameters(16, 16, 8, 2, 2, 0);
    }
}
