// An RSA key pair for the tests, made once per file (as a user would with openssl genrsa).
import { generateKeyPairSync } from "node:crypto";

export function testKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKey,
    publicKey,
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** The base64 body lines of a PEM: if any shows up in a log or error, the key leaked. */
export function pemBodyLines(pem: string): string[] {
  return pem.split("\n").filter((line) => line.length > 20 && !line.startsWith("-----"));
}
