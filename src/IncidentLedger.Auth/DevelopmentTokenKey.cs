using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace IncidentLedger.Auth;

/// <summary>
/// The local key development tokens are signed with (ECDSA P-256, ES256), kept as a PKCS#8 PEM file under the
/// ledger's data directory. `ledger token` signs with it; the API accepts its tokens in Development and embedded starts.
/// </summary>
public sealed class DevelopmentTokenKey : IDisposable
{
    /// <summary>The issuer (<c>iss</c>) of development tokens.</summary>
    public const string Issuer = "incidentledger-development";

    /// <summary>The audience (<c>aud</c>) the ledger expects unless configured otherwise.</summary>
    public const string DefaultAudience = "incidentledger";

    /// <summary>The key's file name under the ledger's data directory.</summary>
    public const string FileName = "token-key.pem";

    private readonly ECDsa key;

    private DevelopmentTokenKey(ECDsa key, string file)
    {
        this.key = key;
        File = file;
        var publicKey = key.ExportSubjectPublicKeyInfo();
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(publicKey).AsSpan(0, 12).ToArray());
        SecurityKey = new ECDsaSecurityKey(key) { KeyId = KeyId };
        PublicKey = new ECDsaSecurityKey(ECDsaFromPublic(publicKey)) { KeyId = KeyId };
    }

    /// <summary>Where the key is kept.</summary>
    public string File { get; }

    /// <summary>The key id (<c>kid</c>) tokens name: part of the public key's SHA-256.</summary>
    public string KeyId { get; }

    /// <summary>The signing key (private).</summary>
    public SecurityKey SecurityKey { get; }

    /// <summary>The verifying half, for token validation.</summary>
    public SecurityKey PublicKey { get; }

    /// <summary>The default key file for a data directory.</summary>
    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>
    /// Reads the key from <paramref name="file"/>; when it is missing and <paramref name="createIfMissing"/> is set, creates it
    /// (atomically, so two processes starting at once end up with the same key). Throws with a fix-it message otherwise.
    /// </summary>
    public static DevelopmentTokenKey Load(string file, bool createIfMissing)
    {
        var full = Path.GetFullPath(file);
        if (!System.IO.File.Exists(full))
        {
            if (!createIfMissing)
            {
                throw new FileNotFoundException($"No development token key at {full}: start the ledger once in Development (it creates one), or pass --key to a PEM file.", full);
            }

            Create(full);
        }

        var pem = System.IO.File.ReadAllText(full);
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw new InvalidDataException($"{full} holds no ECDSA P-256 private key in PEM form ({e.Message}). Delete it to have a new one created.", e);
        }

        if (ecdsa.KeySize != 256)
        {
            ecdsa.Dispose();
            throw new InvalidDataException($"{full} holds a {ecdsa.KeySize}-bit ECDSA key; development tokens use P-256 (ES256). Delete it to have a new one created.");
        }

        return new DevelopmentTokenKey(ecdsa, full);
    }

    private static void Create(string full)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var temporary = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        System.IO.File.WriteAllText(temporary, fresh.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            System.IO.File.Move(temporary, full, overwrite: false);
        }
        catch (IOException) when (System.IO.File.Exists(full))
        {
            // Another process created it first: use theirs.
            System.IO.File.Delete(temporary);
        }
    }

    private static ECDsa ECDsaFromPublic(byte[] subjectPublicKeyInfo)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        return ecdsa;
    }

    public void Dispose() => key.Dispose();
}
