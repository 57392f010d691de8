namespace Cadence.Data;

/// <summary>
/// What the database's start-up and a backup's restore check of the pepper: the value the organization row keeps.
/// Credentials' <c>SecretHasher</c> is it (registered in CoreServices); Data knows nothing of credentials.
/// </summary>
public interface IPepperCheck
{
    /// <summary>Proves a node holds the same pepper as the database's creator without revealing it.</summary>
    string PepperCheck();
}
