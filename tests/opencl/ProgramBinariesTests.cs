using Grad.OpenCL;

namespace Grad.Tests.OpenCL;

/// <summary>The on-disk program cache Grad keeps for drivers without one: a second process (a new
/// cache over the same folder) loads the binary instead of compiling, and a damaged file is
/// compiled again and replaced.</summary>
public class ProgramBinariesTests(BackendFixture device) : IClassFixture<BackendFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("grad-programs-").FullName;

    private OpenCLBackend Backend => (OpenCLBackend)device.Backend;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Source = "__kernel void twice(__global float* x) { x[get_global_id(0)] *= 2; }";

    private (ProgramCache Cache, ProgramBinaries Disk) Fresh()
    {
        var disk = new ProgramBinaries(Backend.Device, _folder);
        return (new ProgramCache(Backend.Context, Backend.Device.Id, disk), disk);
    }

    [Fact]
    public void A_program_compiled_once_is_loaded_from_disk_by_the_next_process()
    {
        var (first, firstDisk) = Fresh();
        Assert.NotEqual(0, first.Kernel("Twice", Source, "", "twice"));
        Assert.Equal(0, firstDisk.Loaded);
        Assert.Single(Directory.GetFiles(_folder, "*.bin"));

        var (second, secondDisk) = Fresh();
        Assert.NotEqual(0, second.Kernel("Twice", Source, "", "twice"));
        Assert.Equal(1, secondDisk.Loaded);

        var (other, otherDisk) = Fresh();
        Assert.NotEqual(0, other.Kernel("Twice", Source, "-D UNUSED=1", "twice"));
        Assert.Equal(0, otherDisk.Loaded);
    }

    [Fact]
    public void A_damaged_binary_is_compiled_again_and_replaced()
    {
        var (first, _) = Fresh();
        first.Kernel("Twice", Source, "", "twice");
        var file = Assert.Single(Directory.GetFiles(_folder, "*.bin"));
        File.WriteAllBytes(file, [1, 2, 3, 4]);

        var (second, secondDisk) = Fresh();
        Assert.NotEqual(0, second.Kernel("Twice", Source, "", "twice"));
        Assert.Equal(0, secondDisk.Loaded);
        Assert.True(new FileInfo(file).Length > 4);
    }
}
