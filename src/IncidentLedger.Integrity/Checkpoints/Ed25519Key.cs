namespace IncidentLedger.Integrity.Checkpoints;

/// <summary>
/// What the Ed25519 key types of signed notes share: a name, the 32-byte public key, the C2SP key ID
/// for their signature type, the verifier-key text, and signing when built over a signer.
/// </summary>
public abstract class Ed25519Key
{
    private readonly byte[] publicKey;
    private readonly IEd25519Signer? signer;

    private protected Ed25519Key(string keyName, byte[] publicKey, IEd25519Signer? signer, byte signatureType)
    {
        VerifierKeys.ValidateName(keyName);
        Verifier = Ed25519Keys.Import(publicKey);
        KeyName = keyName;
        this.publicKey = publicKey;
        this.signer = signer;
        Type = signatureType;
        KeyId = VerifierKeys.KeyId(keyName, signatureType, publicKey);
    }

    public string KeyName { get; }

    public uint KeyId { get; }

    public ReadOnlySpan<byte> PublicKey => publicKey;

    public bool CanSign => signer is not null;

    /// <summary>name+keyid(8 lower-case hex)+base64(type ‖ 32-byte public key), as Go's golang.org/x/mod/sumdb/note reads it.</summary>
    public string VerifierKey => VerifierKeys.Format(KeyName, KeyId, Type, publicKey);

    private byte Type { get; }

    private protected NSec.Cryptography.PublicKey Verifier { get; }

    private protected byte[] SignBytes(ReadOnlySpan<byte> message) =>
        (signer ?? throw new InvalidOperationException("This key can only verify.")).Sign(message);

    /// <summary>Parses a verifier key of <paramref name="signatureType"/> into its name and key, checking its key ID.</summary>
    private protected static (string Name, byte[] Key, string Id) Parse(string verifierKey, byte signatureType, string wrongType)
    {
        var (name, id, type, key) = VerifierKeys.Split(verifierKey);
        if (type != signatureType)
        {
            throw new FormatException(string.Format(System.Globalization.CultureInfo.InvariantCulture, wrongType, type));
        }

        return (name, key, id);
    }
}
