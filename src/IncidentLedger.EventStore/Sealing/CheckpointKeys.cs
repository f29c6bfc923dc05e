using IncidentLedger.Integrity.Checkpoints;

namespace IncidentLedger.EventStore.Sealing;

/// <summary>
/// Where the checkpoint signing key comes from: an environment variable, a file, or (for development) a fresh
/// Ed25519 key saved to that file. An ECDSA P-256 key from before the switch to Ed25519 still loads, so a
/// running ledger keeps its key until it is rotated (docs/verification.md, "Keys").
/// </summary>
public static class CheckpointKeys
{
    /// <summary>PEM (PKCS#8, Ed25519 or P-256) of the checkpoint signing key, when it is given by the environment.</summary>
    public const string EnvironmentVariable = "LEDGER_CHECKPOINT_KEY";

    /// <summary>
    /// Loads the key named <paramref name="origin"/> from <see cref="EnvironmentVariable"/> or <paramref name="path"/>;
    /// when neither holds one and <paramref name="createIfMissing"/> is set, generates an Ed25519 key and saves it (owner-readable only).
    /// </summary>
    public static INoteSigner Load(string origin, string path, bool createIfMissing)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } pem)
        {
            return FromPem(origin, pem);
        }

        return LoadFile(origin, path, createIfMissing);
    }

    /// <summary>Loads the key named <paramref name="name"/> from <paramref name="path"/>, generating and saving an Ed25519 one (owner-readable only) when it is missing and allowed.</summary>
    public static INoteSigner LoadFile(string name, string path, bool createIfMissing)
    {
        if (File.Exists(path))
        {
            return FromPem(name, File.ReadAllText(path));
        }

        if (!createIfMissing)
        {
            throw new FileNotFoundException($"No checkpoint signing key: set {EnvironmentVariable} to an Ed25519 private key in PEM, or put one at {path} (`ledger key generate` makes one).", path);
        }

        var signer = NSecEd25519Signer.Generate();
        Save(path, signer.ExportPem());
        return Ed25519NoteKey.ForSigner(name, signer);
    }

    /// <summary>A checkpoint signer from PKCS#8 PEM: Ed25519 (signed-note type 0x01) or, for keys made before it, ECDSA P-256 (0x02).</summary>
    public static INoteSigner FromPem(string name, string pem) =>
        NSecEd25519Signer.TryFromPem(pem) is { } ed25519 ? Ed25519NoteKey.ForSigner(name, ed25519) : EcdsaNoteKey.FromPrivateKeyPem(name, pem);

    /// <summary>A witness's cosigning key (Ed25519, cosignature type 0x04) from <paramref name="path"/>, generated and saved when missing and allowed.</summary>
    public static CosignatureKey LoadWitness(string name, string path, bool createIfMissing)
    {
        if (File.Exists(path))
        {
            var signer = NSecEd25519Signer.TryFromPem(File.ReadAllText(path))
                ?? throw new FormatException($"{path} does not hold an Ed25519 private key in PKCS#8 PEM; witnesses cosign with Ed25519 (tlog-cosignature).");
            return CosignatureKey.ForSigner(name, signer);
        }

        if (!createIfMissing)
        {
            throw new FileNotFoundException($"No witness key at {path}.", path);
        }

        var generated = NSecEd25519Signer.Generate();
        Save(path, generated.ExportPem());
        return CosignatureKey.ForSigner(name, generated);
    }

    /// <summary>Writes a private key file readable by its owner only; refuses to overwrite one.</summary>
    public static void Save(string path, string pem)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(pem);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
