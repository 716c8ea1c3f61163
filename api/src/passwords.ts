import { hash, verify } from '@node-rs/argon2';

/** argon2id hashes; the parameters are the library's recommended defaults. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// a real hash to verify against when the account does not exist, so timing does not tell
let dummyHash: Promise<string> | null = null;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hash('zcps-no-such-account');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
