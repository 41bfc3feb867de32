namespace Grad.Tests.Core;

/// <summary>Moving data onto the backend and back: a tensor holds its own copy of what it was made
/// from, at once, even where the upload itself finishes later (a device's queue).</summary>
public class TransferTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    [Fact]
    public void Changing_the_source_after_making_a_tensor_changes_nothing()
    {
        var values = Enumerable.Range(0, 4099).Select(i => (float)i).ToArray();
        var labels = Enumerable.Range(0, 257).ToArray();
        using var x = backend.FromArray(values, values.Length);
        using var y = backend.FromArray(labels, labels.Length);
        var (expectedValues, expectedLabels) = (values.ToArray(), labels.ToArray());
        Array.Fill(values, -1f);
        Array.Fill(labels, -1);
        using var twice = x * 2.0f;
        Assert.Equal(expectedValues.Select(v => 2 * v), twice.ToArray<float>());
        Assert.Equal(expectedLabels, y.ToArray<int>());
    }

    [Fact]
    public void Many_small_uploads_between_reads_all_arrive()
    {
        var made = new List<Tensor>();
        for (int i = 0; i < 200; i++) made.Add(backend.FromArray(new[] { i, i + 1, i + 2 }, 3));
        try
        {
            for (int i = 0; i < made.Count; i++) Assert.Equal(new[] { i, i + 1, i + 2 }, made[i].ToArray<int>());
        }
        finally
        {
            foreach (var t in made) t.Dispose();
        }
    }
}
