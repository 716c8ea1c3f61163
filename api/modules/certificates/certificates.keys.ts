import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { CertificatesRepository, CertificateKeyRow } from './certificates.repository.ts';
import { sm2GenerateKeyPair, sm3 } from './sm2.ts';

/**
 * The issuers' SM2 private keys are stored encrypted with SM4-CBC and authenticated with
 * HMAC-SM3 (encrypt-then-MAC), under keys derived from CERT_KEY_SECRET: the database alone does
 * not give a signing key. A key is bound to its key id (the MAC covers it), so a row copied onto
 * another key id does not decrypt.
 */
export interface KeyCipher {
  seal(privateKeyHex: string, keyId: string): string;
  open(sealed: string, keyId: string): string;
}

export function createKeyCipher(secret: string): KeyCipher {
  const encKey = sm3(`zcps-certificate-key-enc|${secret}`).subarray(0, 16);
  const macKey = sm3(`zcps-certificate-key-mac|${secret}`);
  const mac = (keyId: string, iv: Buffer, ct: Buffer) => crypto.createHmac('sm3', macKey).update(keyId).update(iv).update(ct).digest();
  return {
    seal(privateKeyHex, keyId) {
      const iv = crypto.randomBytes(16);
      const cipher = crypto.createCipheriv('sm4-cbc', encKey, iv);
      const ct = Buffer.concat([cipher.update(Buffer.from(privateKeyHex, 'hex')), cipher.final()]);
      return ['sm4', iv.toString('hex'), ct.toString('hex'), mac(keyId, iv, ct).toString('hex')].join(':');
    },
    open(sealed, keyId) {
      const [scheme, ivHex, ctHex, macHex] = sealed.split(':');
      if (scheme !== 'sm4' || !ivHex || !ctHex || !macHex) throw new Error(`签名密钥 ${keyId} 的存储格式无效`);
      const iv = Buffer.from(ivHex, 'hex');
      const ct = Buffer.from(ctHex, 'hex');
      const expected = mac(keyId, iv, ct);
      const given = Buffer.from(macHex, 'hex');
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
        throw new Error(`签名密钥 ${keyId} 无法解密：CERT_KEY_SECRET 与加密时的不一致，或密钥记录被改动`);
      }
      const decipher = crypto.createDecipheriv('sm4-cbc', encKey, iv);
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('hex');
    },
  };
}

/**
 * CERT_KEY_SECRET when set; otherwise a secret generated on first start into DATA_DIR (kept on the
 * API host, apart from the database), with a warning: production sets the variable.
 */
export function resolveKeySecret(configured: string | undefined, dataDir: string, warn: (msg: string) => void): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'certificate-key.secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = crypto.randomBytes(32).toString('hex');
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    warn(`未设置 CERT_KEY_SECRET：证书签名密钥的加密密钥已生成并保存在 ${file}；生产环境请通过环境变量提供`);
    return secret;
  }
}

export interface SigningKey {
  keyId: string;
  unitId: number;
  privateKey: string;
  publicKey: string;
}

/** The signing keys of the issuing units: created on first use, rotated on request, cached decrypted. */
export function createKeyStore(db: Knex, repo: CertificatesRepository, cipher: KeyCipher) {
  const cache = new Map<string, SigningKey>();

  const decrypt = (row: CertificateKeyRow): SigningKey => {
    const cached = cache.get(row.key_id);
    if (cached) return cached;
    const key = { keyId: row.key_id, unitId: Number(row.unit_id), privateKey: cipher.open(row.private_key_enc, row.key_id), publicKey: row.public_key };
    cache.set(row.key_id, key);
    return key;
  };

  async function createKey(unitId: number, now: Date, trx: Knex.Transaction): Promise<void> {
    const n = (await repo.keyCount(unitId, trx)) + 1;
    const keyId = `U${unitId}-K${n}-${crypto.randomBytes(3).toString('hex')}`;
    const pair = sm2GenerateKeyPair();
    await repo.insertKey({ key_id: keyId, unit_id: unitId, public_key: pair.publicKey, private_key_enc: cipher.seal(pair.privateKey, keyId), created_at: now, retired_at: null }, trx);
  }

  return {
    /** The unit's active key, created if it has none (a concurrent creation keeps one). */
    async activeKey(unitId: number, now: Date, trx: Knex.Transaction): Promise<SigningKey> {
      let row = await repo.activeKey(unitId, trx);
      if (!row) {
        await createKey(unitId, now, trx);
        row = await repo.activeKey(unitId, trx);
      }
      if (!row) throw new Error(`发证单位 ${unitId} 没有可用的签名密钥`);
      return decrypt(row);
    },
    /** Retires the unit's active key and creates the next; what the old one signed still verifies. */
    /** Retires the unit's active key and makes a new one; in the caller's transaction when given (its audit row commits with it). */
    async rotate(unitId: number, now: Date, outer?: Knex.Transaction): Promise<{ retired: string | null; keyId: string }> {
      const run = async (trx: Knex.Transaction) => {
        await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`certificate-key:${unitId}`]);
        const current = await repo.activeKey(unitId, trx);
        if (current) await repo.retireKey(current.key_id, now, trx);
        await createKey(unitId, now, trx);
        const next = await repo.activeKey(unitId, trx);
        return { retired: current?.key_id ?? null, keyId: next!.key_id };
      };
      return outer ? run(outer) : db.transaction(run);
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
