namespace Grad.Datasets;

/// <summary>
/// The dataset is not where Grad looked and could not be fetched. The message says what to
/// download, from where, its MD5 and where to put it, so a user without a network can fix it.
/// </summary>
public sealed class DatasetUnavailableException : IOException
{
    public DatasetUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
