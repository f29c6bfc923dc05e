using IncidentLedger.Integrity.Checkpoints;

namespace IncidentLedger.EventStore.Sealing;

/// <summary>Where the checkpoint signing key comes from: an environment variable, a file, or (for development) a fresh key saved to that file.</summary>
public static class CheckpointKeys
{
    /// <summary>PEM (PKCS#8, P-256) of the checkpoint signing key, when it is given by the environment.</summary>
    public const string EnvironmentVariable = "LEDGER_CHECKPOINT_KEY";

    /// <summary>
    /// Loads the key named <paramref name="origin"/> from <see cref="EnvironmentVariable"/> or <paramref name="path"/>;
    /// when neither holds one and <paramref name="createIfMissing"/> is set, generates one and saves it (owner-readable only).
    /// </summary>
    public static EcdsaNoteKey Load(string origin, string path, bool createIfMissing)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } pem)
        {
            return EcdsaNoteKey.FromPrivateKeyPem(origin, pem);
        }

        return LoadFile(origin, path, createIfMissing);
    }

    /// <summary>Loads the key named <paramref name="name"/> from <paramref name="path"/>, generating and saving one (owner-readable only) when it is missing and allowed.</summary>
    public static EcdsaNoteKey LoadFile(string name, string path, bool createIfMissing)
    {
        if (File.Exists(path))
        {
            return EcdsaNoteKey.FromPrivateKeyPem(name, File.ReadAllText(path));
        }

        if (!createIfMissing)
        {
            throw new FileNotFoundException($"No checkpoint signing key: set {EnvironmentVariable} to a P-256 private key in PEM, or put one at {path}.", path);
        }

        var key = EcdsaNoteKey.Generate(name);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, key.ExportPrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }
}
