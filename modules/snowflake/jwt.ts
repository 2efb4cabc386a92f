// Snowflake key-pair authentication: an RS256 JWT whose issuer names the public key's fingerprint.
// https://docs.snowflake.com/en/developer-guide/sql-api/authenticating
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign } from "node:crypto";

/**
 * The account part of the claims: uppercase, without region/cloud (`xy12345.us-east-1` -> XY12345);
 * a replication `.global` identifier keeps the part before its first "-".
 */
export function jwtAccount(account: string): string {
  const host = account.trim().replace(/\.snowflakecomputing\.com$/i, "");
  const cut = host.includes(".global") ? host.split("-")[0] : host.split(".")[0];
  return (cut ?? host).toUpperCase();
}

/** `SHA256:` + base64 of the SHA-256 of the DER SubjectPublicKeyInfo (what DESCRIBE USER shows). */
export function publicKeyFingerprint(key: KeyObject): string {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  const der = publicKey.export({ type: "spki", format: "der" });
  return `SHA256:${createHash("sha256").update(der).digest("base64")}`;
}

export interface JwtClaims {
  iss: string;
  sub: string;
  iat: number;
  exp: number;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export function keyPairJwt(
  identity: { account: string; user: string },
  privateKey: KeyObject,
  nowSeconds: number,
  lifetimeSeconds: number,
): { token: string; claims: JwtClaims } {
  const qualified = `${jwtAccount(identity.account)}.${identity.user.toUpperCase()}`;
  const claims: JwtClaims = {
    iss: `${qualified}.${publicKeyFingerprint(privateKey)}`,
    sub: qualified,
    iat: nowSeconds,
    exp: nowSeconds + Math.min(lifetimeSeconds, 3600),
  };
  const signingInput = `${base64url(JSON.stringify({ alg: "RS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign("RSA-SHA256", Buffer.from(signingInput), privateKey);
  return { token: `${signingInput}.${base64url(signature)}`, claims };
}

/** Parse a PEM (optionally encrypted) without ever echoing it: errors carry no key material. */
export function loadPrivateKey(pem: string, passphrase?: string): KeyObject {
  try {
    return createPrivateKey(
      passphrase ? { key: pem, format: "pem", passphrase } : { key: pem, format: "pem" },
    );
  } catch (error) {
    const code = (error as { code?: string }).code ?? "invalid key";
    throw new Error(`the Snowflake private key could not be read (${code})`);
  }
}

/**
 * A cached token, renewed `renewBeforeSeconds` before it expires, or at once after invalidate()
 * (the SQL API answered 401).
 */
export class KeyPairTokenSource {
  private current: { token: string; claims: JwtClaims } | undefined;

  constructor(
    private readonly identity: { account: string; user: string },
    private readonly privateKey: () => Promise<KeyObject>,
    private readonly nowMs: () => number,
    private readonly lifetimeSeconds = 3540,
    private readonly renewBeforeSeconds = 300,
  ) {}

  async token(): Promise<string> {
    const now = Math.floor(this.nowMs() / 1000);
    if (!this.current || now >= this.current.claims.exp - this.renewBeforeSeconds) {
      this.current = keyPairJwt(this.identity, await this.privateKey(), now, this.lifetimeSeconds);
    }
    return this.current.token;
  }

  invalidate(): void {
    this.current = undefined;
  }
}
