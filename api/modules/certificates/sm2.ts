import crypto from 'node:crypto';

/**
 * SM2 digital signatures over SM3 (GB/T 32918.2-2016, GB/T 32905-2016), with the standard's
 * default user ID. node:crypto has the curve (ECDH 'SM2': key generation and k·G natively) and SM3,
 * but its sign() does ECDSA on that curve, not SM2 (no Z_A, other equations); so the signature
 * equations are here, over BigInt. Signatures are r‖s, 64 bytes (hex), as sm-crypto and most
 * Chinese e-licence verifiers take them.
 */

const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

/** GB/T 32918's default signer ID (ENTL = 128 bits). */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

const mod = (a: bigint, m: bigint) => {
  const r = a % m;
  return r < 0n ? r + m : r;
};

function inverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error('SM2: 不可逆');
  return mod(oldS, m);
}

const hex32 = (n: bigint) => n.toString(16).padStart(64, '0');
const toBig = (buf: Buffer | string) => BigInt(`0x${typeof buf === 'string' ? buf : buf.toString('hex')}`);

/** Jacobian point (X, Y, Z); Z = 0 is the point at infinity. */
type Jacobian = [bigint, bigint, bigint];
const INFINITY: Jacobian = [1n, 1n, 0n];

function double([x, y, z]: Jacobian): Jacobian {
  if (z === 0n || y === 0n) return INFINITY;
  // a = -3: M = 3(X - Z²)(X + Z²)
  const zz = mod(z * z, P);
  const m = mod(3n * (x - zz) * (x + zz), P);
  const yy = mod(y * y, P);
  const s = mod(4n * x * yy, P);
  const x3 = mod(m * m - 2n * s, P);
  const y3 = mod(m * (s - x3) - 8n * yy * yy, P);
  const z3 = mod(2n * y * z, P);
  return [x3, y3, z3];
}

function add(p: Jacobian, q: Jacobian): Jacobian {
  if (p[2] === 0n) return q;
  if (q[2] === 0n) return p;
  const [x1, y1, z1] = p;
  const [x2, y2, z2] = q;
  const z1z1 = mod(z1 * z1, P);
  const z2z2 = mod(z2 * z2, P);
  const u1 = mod(x1 * z2z2, P);
  const u2 = mod(x2 * z1z1, P);
  const s1 = mod(y1 * z2 * z2z2, P);
  const s2 = mod(y2 * z1 * z1z1, P);
  if (u1 === u2) return s1 === s2 ? double(p) : INFINITY;
  const h = mod(u2 - u1, P);
  const r = mod(s2 - s1, P);
  const hh = mod(h * h, P);
  const hhh = mod(h * hh, P);
  const v = mod(u1 * hh, P);
  const x3 = mod(r * r - hhh - 2n * v, P);
  const y3 = mod(r * (v - x3) - s1 * hhh, P);
  const z3 = mod(h * z1 * z2, P);
  return [x3, y3, z3];
}

function multiply(k: bigint, point: Jacobian): Jacobian {
  let result = INFINITY;
  let addend = point;
  let n = k;
  while (n > 0n) {
    if (n & 1n) result = add(result, addend);
    addend = double(addend);
    n >>= 1n;
  }
  return result;
}

function affine([x, y, z]: Jacobian): [bigint, bigint] | null {
  if (z === 0n) return null;
  const zi = inverse(z, P);
  const zi2 = mod(zi * zi, P);
  return [mod(x * zi2, P), mod(y * zi2 * zi, P)];
}

function onCurve(x: bigint, y: bigint): boolean {
  return x >= 0n && x < P && y >= 0n && y < P && mod(y * y - (x * x * x + A * x + B), P) === 0n;
}

/** Parses an uncompressed public key (04‖x‖y, hex); null when it is not a point of the curve. */
function publicPoint(publicKeyHex: string): [bigint, bigint] | null {
  const hex = publicKeyHex.toLowerCase();
  if (!/^04[0-9a-f]{128}$/.test(hex)) return null;
  const x = toBig(hex.slice(2, 66));
  const y = toBig(hex.slice(66));
  return onCurve(x, y) ? [x, y] : null;
}

export function sm3(data: Buffer | string): Buffer {
  return crypto.createHash('sm3').update(data).digest();
}

/** Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA). */
function za(publicKeyHex: string, userId: string): Buffer {
  const id = Buffer.from(userId, 'utf8');
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(id.length * 8);
  return sm3(Buffer.concat([entl, id, ...[A, B, GX, GY].map((v) => Buffer.from(hex32(v), 'hex')), Buffer.from(publicKeyHex.slice(2), 'hex')]));
}

const digest = (message: Buffer | string, publicKeyHex: string, userId: string) =>
  toBig(sm3(Buffer.concat([za(publicKeyHex, userId), typeof message === 'string' ? Buffer.from(message, 'utf8') : message])));

export interface Sm2KeyPair {
  /** 32 bytes, hex */
  privateKey: string;
  /** 04‖x‖y, hex */
  publicKey: string;
}

export function sm2GenerateKeyPair(): Sm2KeyPair {
  for (;;) {
    const ecdh = crypto.createECDH('SM2');
    ecdh.generateKeys();
    const d = toBig(ecdh.getPrivateKey());
    // the signature inverts 1 + d: d = n − 1 is not a valid SM2 private key
    if (d >= 1n && d <= N - 2n) return { privateKey: hex32(d), publicKey: ecdh.getPublicKey('hex', 'uncompressed') };
  }
}

/** The public key of a private key (04‖x‖y, hex). */
export function sm2PublicKey(privateKeyHex: string): string {
  const ecdh = crypto.createECDH('SM2');
  ecdh.setPrivateKey(Buffer.from(privateKeyHex, 'hex'));
  return ecdh.getPublicKey('hex', 'uncompressed');
}

/** Signs the message (UTF-8 when a string); returns r‖s as 128 hex digits. */
export function sm2Sign(message: Buffer | string, privateKeyHex: string, userId: string = SM2_DEFAULT_USER_ID, publicKeyHex: string = sm2PublicKey(privateKeyHex)): string {
  const d = toBig(privateKeyHex);
  if (d < 1n || d > N - 2n) throw new Error('SM2 私钥无效');
  const e = digest(message, publicKeyHex, userId);
  const dInverse = inverse(1n + d, N);
  const ecdh = crypto.createECDH('SM2');
  for (;;) {
    const k = mod(toBig(crypto.randomBytes(32)), N - 1n) + 1n;
    // k·G natively: the ECDH public key of the private key k
    ecdh.setPrivateKey(Buffer.from(hex32(k), 'hex'));
    const x1 = toBig(ecdh.getPublicKey().subarray(1, 33));
    const r = mod(e + x1, N);
    if (r === 0n || r + k === N) continue;
    const s = mod(dInverse * (k - r * d), N);
    if (s === 0n) continue;
    return hex32(r) + hex32(s);
  }
}

/** Verifies r‖s (128 hex digits) over the message with the public key (04‖x‖y, hex). */
export function sm2Verify(message: Buffer | string, signatureHex: string, publicKeyHex: string, userId: string = SM2_DEFAULT_USER_ID): boolean {
  if (!/^[0-9a-fA-F]{128}$/.test(signatureHex)) return false;
  const point = publicPoint(publicKeyHex);
  if (!point) return false;
  const r = toBig(signatureHex.slice(0, 64));
  const s = toBig(signatureHex.slice(64));
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const t = mod(r + s, N);
  if (t === 0n) return false;
  const e = digest(message, publicKeyHex.toLowerCase(), userId);
  const sum = affine(add(multiply(s, [GX, GY, 1n]), multiply(t, [point[0], point[1], 1n])));
  if (!sum) return false;
  return mod(e + sum[0], N) === r;
}
